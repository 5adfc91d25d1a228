//! [`RecordingIds`]: the ID list of one request (1 to 100 unique valid IDs).

use std::fmt;

use crate::id::check_id_plain;
use crate::validation::MAX_IDS_PER_REQUEST;
use crate::{RecordingId, ValidationError};

/// Between 1 and [`MAX_IDS_PER_REQUEST`] unique recording IDs, in the order given.
///
/// The IDs are kept in one buffer, as the JSON array the request body carries: checking
/// and copying 100 IDs makes two allocations, not one per ID, and copies each ID once.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RecordingIds(Packed);

impl RecordingIds {
    /// Checks every ID, the count and uniqueness. The first broken rule is reported:
    /// emptiness, then the count, then the first malformed ID, then the first repetition
    /// (the one whose second occurrence comes first).
    ///
    /// ```
    /// use recycle_core::{RecordingIds, ValidationError};
    ///
    /// let ids = RecordingIds::new(["a", "b"])?;
    /// assert_eq!(ids.iter().collect::<Vec<_>>(), ["a", "b"]);
    /// assert!(matches!(
    ///     RecordingIds::new(["a", "a"]),
    ///     Err(ValidationError::DuplicateId { first: 1, second: 2, .. })
    /// ));
    /// # Ok::<(), ValidationError>(())
    /// ```
    pub fn new<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids = ids.into_iter();
        let mut builder = Builder::with_capacity(ids.size_hint().0);
        let mut count = 0;
        let mut malformed: Option<ValidationError> = None;
        for id in ids {
            count += 1;
            if count > MAX_IDS_PER_REQUEST || malformed.is_some() {
                // Counted only: the count is reported before any ID's fault.
                continue;
            }
            let id = id.as_ref();
            match check_id_plain(id) {
                Ok(plain) => builder.push(id, plain),
                Err(reason) => {
                    malformed = Some(ValidationError::InvalidId {
                        position: count,
                        id: id.to_owned(),
                        reason,
                    });
                }
            }
        }
        match (count, malformed) {
            (0, _) => Err(ValidationError::NoIds),
            (count, _) if count > MAX_IDS_PER_REQUEST => Err(ValidationError::TooManyIds { count }),
            (_, Some(error)) => Err(error),
            _ => builder.finish(),
        }
    }

    /// Copies IDs already known to be valid and unique, 1 to 100 of them.
    pub(crate) fn from_unique<'a>(ids: impl IntoIterator<Item = &'a RecordingId>) -> Self {
        let ids = ids.into_iter();
        let mut builder = Builder::with_capacity(ids.size_hint().0);
        for id in ids {
            let plain = check_id_plain(id.as_str()).unwrap_or(false);
            builder.ids.push(id.as_str(), plain);
        }
        debug_assert!((1..=MAX_IDS_PER_REQUEST).contains(&builder.ids.ends.len()));
        builder.build()
    }

    /// The IDs, in order.
    pub fn iter(&self) -> RecordingIdsIter<'_> {
        RecordingIdsIter { ids: self, next: 0 }
    }

    /// The ID at `index` (0-based), if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index)
    }

    /// Owned copies of the IDs, in order.
    pub fn to_vec(&self) -> Vec<RecordingId> {
        self.iter().map(RecordingId::valid).collect()
    }

    /// How many IDs (1 to 100).
    pub fn len(&self) -> usize {
        self.0.ends.len()
    }

    /// Always `false`: the list holds at least one ID.
    pub fn is_empty(&self) -> bool {
        self.0.ends.is_empty()
    }

    /// About how many bytes [`RecordingIds::write_json`] writes (exactly, unless an ID has
    /// characters JSON escapes).
    pub(crate) fn json_len(&self) -> usize {
        if self.0.json {
            self.0.text.len()
        } else {
            self.0.text.len() + 3 * self.len() + 1
        }
    }

    /// Appends the IDs as a JSON array of strings.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        if self.0.json {
            out.extend_from_slice(self.0.text.as_bytes());
        } else {
            // Writing strings into memory cannot fail.
            serde_json::to_writer(out, self).expect("strings serialize");
        }
    }
}

impl fmt::Debug for RecordingIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RecordingIds")
            .field(&DebugList(self))
            .finish()
    }
}

struct DebugList<'a>(&'a RecordingIds);

impl fmt::Debug for DebugList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl serde::Serialize for RecordingIds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The IDs of a [`RecordingIds`], in order.
#[derive(Debug, Clone)]
pub struct RecordingIdsIter<'a> {
    ids: &'a RecordingIds,
    next: usize,
}

impl<'a> Iterator for RecordingIdsIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let id = self.ids.get(self.next)?;
        self.next += 1;
        Some(id)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.ids.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for RecordingIdsIter<'_> {}

impl<'a> IntoIterator for &'a RecordingIds {
    type Item = &'a str;
    type IntoIter = RecordingIdsIter<'a>;
    fn into_iter(self) -> RecordingIdsIter<'a> {
        self.iter()
    }
}

/// IDs in one buffer: as a JSON array (`["a","b"]`) while none holds a character JSON
/// escapes (`"` or `\`), else one after another.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Packed {
    text: String,
    /// Where each ID ends in `text`.
    ends: Vec<u32>,
    /// `text` is the JSON array.
    json: bool,
}

impl Packed {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match (index.checked_sub(1), self.json) {
            (None, true) => 2,
            (None, false) => 0,
            // `","` between two IDs.
            (Some(before), true) => self.ends[before] as usize + 3,
            (Some(before), false) => self.ends[before] as usize,
        };
        self.text.get(start..end)
    }

    fn push(&mut self, id: &str, plain: bool) {
        if self.json && !plain {
            self.unpack();
        }
        if self.json {
            self.text
                .push_str(if self.ends.is_empty() { "[\"" } else { ",\"" });
            self.text.push_str(id);
            self.mark_end();
            self.text.push('"');
        } else {
            self.text.push_str(id);
            self.mark_end();
        }
    }

    fn mark_end(&mut self) {
        // At most 100 IDs of at most 1,024 bytes.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// From JSON to one ID after another.
    fn unpack(&mut self) {
        let mut raw = Self {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.ends.capacity()),
            json: false,
        };
        for index in 0..self.ends.len() {
            raw.push(self.get(index).unwrap_or_default(), false);
        }
        *self = raw;
    }

    fn close(mut self) -> Self {
        if self.json {
            if self.ends.is_empty() {
                self.text.push('[');
            }
            self.text.push(']');
        }
        self
    }
}

/// Collects checked IDs and finds the first repetition with a small open-addressing table.
struct Builder {
    ids: Packed,
    /// Slot -> 1-based position of the ID there (0: empty). 256 slots for at most 100 IDs.
    slots: [u8; 256],
    /// The first repetition in input order, as 1-based positions.
    repeat: Option<(usize, usize)>,
}

impl Builder {
    /// Room for about `ids` IDs of 40 bytes (the text grows if they are longer).
    fn with_capacity(ids: usize) -> Self {
        let ids = ids.clamp(1, MAX_IDS_PER_REQUEST);
        Self {
            ids: Packed {
                text: String::with_capacity(ids * 43 + 2),
                ends: Vec::with_capacity(ids),
                json: true,
            },
            slots: [0; 256],
            repeat: None,
        }
    }

    /// Adds a checked ID (`plain`: free of characters JSON escapes), noting whether it
    /// repeats one before it.
    fn push(&mut self, id: &str, plain: bool) {
        let position = self.ids.ends.len() + 1;
        let mut slot = (fold_hash(id.as_bytes()) >> 56) as usize;
        loop {
            match self.slots[slot] {
                0 => {
                    // At most 100 IDs, so a position fits in a byte.
                    self.slots[slot] = u8::try_from(position).unwrap_or(u8::MAX);
                    break;
                }
                earlier => {
                    let earlier = usize::from(earlier);
                    if self.ids.get(earlier - 1) == Some(id) {
                        if self.repeat.is_none() {
                            self.repeat = Some((earlier, position));
                        }
                        break;
                    }
                    slot = (slot + 1) % self.slots.len();
                }
            }
        }
        self.ids.push(id, plain);
    }

    fn finish(self) -> Result<RecordingIds, ValidationError> {
        match self.repeat {
            Some((first, second)) => Err(ValidationError::DuplicateId {
                id: self.ids.get(second - 1).unwrap_or_default().to_owned(),
                first,
                second,
            }),
            None => Ok(self.build()),
        }
    }

    fn build(self) -> RecordingIds {
        RecordingIds(self.ids.close())
    }
}

/// A fast, non-cryptographic hash of an ID: its length and three of its eight-byte words
/// (first, middle, last; all of an ID up to 24 bytes). IDs that differ elsewhere only share
/// a slot and are told apart by comparing them; a list is at most 100 IDs, so colliding
/// inputs cost little.
fn fold_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let word = |at: usize| {
        let mut word = [0; 8];
        let end = bytes.len().min(at + 8);
        word[..end - at].copy_from_slice(&bytes[at..end]);
        u64::from_le_bytes(word)
    };
    let len = bytes.len();
    let (first, middle, last) = if len <= 8 {
        (word(0), 0, 0)
    } else {
        (word(0), word(len / 2 - 4), word(len - 8))
    };
    let hash =
        (first ^ (len as u64)).wrapping_mul(K) ^ middle.rotate_left(21) ^ last.rotate_left(42);
    let hash = hash.wrapping_mul(K);
    hash ^ (hash >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repetition_reported_is_the_first_in_input_order() {
        let err = RecordingIds::new(["b", "a", "b", "a", "c", "c"]).expect_err("repeats");
        assert!(
            matches!(&err, ValidationError::DuplicateId { id, first: 1, second: 3 } if id == "b"),
            "{err:?}"
        );
        let err = RecordingIds::new(["x", "y", "z", "y", "x"]).expect_err("repeats");
        assert!(
            matches!(&err, ValidationError::DuplicateId { id, first: 2, second: 4 } if id == "y"),
            "{err:?}"
        );
    }

    #[test]
    fn a_malformed_id_is_reported_before_a_repetition_and_the_count_before_both() {
        let err = RecordingIds::new(["a", "a", "b c"]).expect_err("malformed");
        assert!(
            matches!(&err, ValidationError::InvalidId { position: 3, .. }),
            "{err:?}"
        );
        let many: Vec<String> = (0..101).map(|i| format!("x {i}")).collect();
        let err = RecordingIds::new(&many).expect_err("too many");
        assert!(
            matches!(err, ValidationError::TooManyIds { count: 101 }),
            "{err:?}"
        );
    }

    #[test]
    fn ids_come_back_in_order_and_serialize_as_serde_would() {
        let input = ["rec-1", r#"q"uote"#, r"back\slash", "rec-4"];
        let ids = RecordingIds::new(input).expect("valid");
        assert_eq!(ids.iter().collect::<Vec<_>>(), input);
        assert_eq!(ids.len(), 4);
        assert_eq!(ids.get(1), Some(r#"q"uote"#));
        assert_eq!(ids.get(4), None);
        let mut ours = Vec::new();
        ids.write_json(&mut ours);
        assert_eq!(ours, serde_json::to_vec(&input).expect("serializes"));
        let plain = RecordingIds::new(["a", "b"]).expect("valid");
        let mut ours = Vec::new();
        plain.write_json(&mut ours);
        assert_eq!(ours, br#"["a","b"]"#);
    }

    #[test]
    fn many_ids_with_one_repetition_find_it_whatever_their_hashes() {
        let mut ids: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
        assert!(RecordingIds::new(&ids).is_ok());
        ids[99] = ids[42].clone();
        let err = RecordingIds::new(&ids).expect_err("repeats");
        assert!(
            matches!(
                err,
                ValidationError::DuplicateId {
                    first: 43,
                    second: 100,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
