//! [`RecordingIds`]: the ID list of one request (1 to 100 unique valid IDs).

use crate::validation::MAX_IDS_PER_REQUEST;
use crate::{RecordingId, ValidationError};

/// Between 1 and [`MAX_IDS_PER_REQUEST`] unique recording IDs, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordingIds(Vec<RecordingId>);

impl RecordingIds {
    /// Checks every ID, the count and uniqueness. The first broken rule is reported:
    /// emptiness, then the count, then the first malformed ID, then the first repetition.
    ///
    /// ```
    /// use recycle_core::{RecordingIds, ValidationError};
    ///
    /// assert_eq!(RecordingIds::new(["a", "b"])?.len(), 2);
    /// assert!(matches!(
    ///     RecordingIds::new(["a", "a"]),
    ///     Err(ValidationError::DuplicateId { first: 1, second: 2, .. })
    /// ));
    /// # Ok::<(), ValidationError>(())
    /// ```
    pub fn new<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let raw: Vec<String> = ids.into_iter().map(Into::into).collect();
        if raw.is_empty() {
            return Err(ValidationError::NoIds);
        }
        if raw.len() > MAX_IDS_PER_REQUEST {
            return Err(ValidationError::TooManyIds { count: raw.len() });
        }
        let mut out = Vec::with_capacity(raw.len());
        for (index, id) in raw.into_iter().enumerate() {
            let valid = RecordingId::new_or_return(id).map_err(|(id, reason)| {
                ValidationError::InvalidId {
                    position: index + 1,
                    id,
                    reason,
                }
            })?;
            out.push(valid);
        }
        // Sorted by ID (then position), a repetition sits next to its first occurrence; the
        // one reported is the first in input order.
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_unstable_by(|&a, &b| out[a].as_str().cmp(out[b].as_str()).then(a.cmp(&b)));
        let mut repeat: Option<(usize, usize)> = None;
        for pair in order.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if out[a] == out[b] && repeat.is_none_or(|(_, second)| b < second) {
                // The first pair of a group: `a` is its first occurrence.
                repeat = Some((a, b));
            }
        }
        if let Some((first, second)) = repeat {
            return Err(ValidationError::DuplicateId {
                id: out[second].to_string(),
                first: first + 1,
                second: second + 1,
            });
        }
        Ok(Self(out))
    }

    /// Wraps IDs already known to be valid and unique, 1 to 100 of them.
    pub(crate) fn from_unique(ids: Vec<RecordingId>) -> Self {
        debug_assert!((1..=MAX_IDS_PER_REQUEST).contains(&ids.len()));
        Self(ids)
    }

    /// The IDs, in order.
    pub fn as_slice(&self) -> &[RecordingId] {
        &self.0
    }

    /// How many IDs (1 to 100).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: the list holds at least one ID.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a RecordingIds {
    type Item = &'a RecordingId;
    type IntoIter = std::slice::Iter<'a, RecordingId>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
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
}
