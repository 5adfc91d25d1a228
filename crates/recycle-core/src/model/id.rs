//! [`RecordingId`]: a recording identifier that is safe to send.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest recording ID accepted, in bytes.
pub const MAX_ID_BYTES: usize = 1024;

/// Why a string is not a valid [`RecordingId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The ID is the empty string.
    #[error("the ID is empty")]
    Empty,
    /// The ID is longer than [`MAX_ID_BYTES`].
    #[error("the ID is {len} bytes long; at most {MAX_ID_BYTES} are allowed")]
    TooLong {
        /// Length of the rejected ID in bytes.
        len: usize,
    },
    /// The ID contains a whitespace character.
    #[error("the ID contains whitespace at byte {offset}")]
    Whitespace {
        /// Byte offset of the first whitespace character.
        offset: usize,
    },
    /// The ID contains a control character (such as CR, LF or NUL).
    #[error("the ID contains control character {ch:?} at byte {offset}")]
    Control {
        /// Byte offset of the first control character.
        offset: usize,
        /// The control character.
        ch: char,
    },
    /// The ID contains a character outside ASCII; recording IDs are ASCII.
    #[error("the ID contains {ch:?} at byte {offset}; recording IDs are ASCII")]
    NotAscii {
        /// Byte offset of the character.
        offset: usize,
        /// The character.
        ch: char,
    },
}

/// The identifier of a Webex converged recording.
///
/// Non-empty, at most [`MAX_ID_BYTES`] bytes of visible ASCII (`!` to `~`): no whitespace,
/// no control characters. Webex IDs are opaque ASCII strings; nothing else about their shape
/// is assumed. The JSON Schema says the same with the pattern `^[!-~]+$`.
///
/// ```
/// use recycle_core::RecordingId;
///
/// let id = RecordingId::new("Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x")?;
/// assert_eq!(id.as_str(), "Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x");
/// assert!(RecordingId::new("two words").is_err());
/// # Ok::<(), recycle_core::IdError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordingId(String);

impl RecordingId {
    /// Checks `id` and wraps it. Nothing is trimmed: surrounding whitespace is an error.
    pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
        let id = id.into();
        check_id(&id)?;
        Ok(Self(id))
    }

    /// Like [`RecordingId::new`], but hands the input back on error.
    pub(crate) fn new_or_return(id: String) -> Result<Self, (String, IdError)> {
        match check_id(&id) {
            Ok(()) => Ok(Self(id)),
            Err(reason) => Err((id, reason)),
        }
    }

    /// Wraps an ID already checked.
    pub(crate) fn valid(id: &str) -> Self {
        debug_assert!(check_id(id).is_ok());
        Self(id.to_owned())
    }

    /// The ID as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps the ID.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Checks an ID against the rules of [`RecordingId`].
pub(crate) fn check_id(id: &str) -> Result<(), IdError> {
    check_id_plain(id).map(drop)
}

/// Checks an ID against the rules of [`RecordingId`], and says whether it is plain: free
/// of `"` and `\`, the only characters of a valid ID that JSON escapes.
pub(crate) fn check_id_plain(id: &str) -> Result<bool, IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id.len() > MAX_ID_BYTES {
        return Err(IdError::TooLong { len: id.len() });
    }
    // The common case: visible ASCII.
    let (bad, escaped) = scan(id.as_bytes());
    if !bad {
        return Ok(!escaped);
    }
    for (offset, ch) in id.char_indices() {
        if ch.is_control() {
            return Err(IdError::Control { offset, ch });
        }
        if ch.is_whitespace() {
            return Err(IdError::Whitespace { offset });
        }
        if !ch.is_ascii() {
            return Err(IdError::NotAscii { offset, ch });
        }
    }
    Ok(!escaped)
}

/// Whether any byte is outside visible ASCII (`!` to `~`), and whether any is `"` or `\\`,
/// looking at every byte without branching, which the compiler turns into vector
/// instructions.
fn scan(bytes: &[u8]) -> (bool, bool) {
    let (bad, escaped) = bytes.iter().fold((0u8, 0u8), |(bad, escaped), &b| {
        (
            bad | u8::from(b.wrapping_sub(b'!') > b'~' - b'!'),
            escaped | u8::from(b == b'"') | u8::from(b == b'\\'),
        )
    });
    (bad != 0, escaped != 0)
}

impl TryFrom<String> for RecordingId {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for RecordingId {
    type Error = IdError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<RecordingId> for String {
    fn from(id: RecordingId) -> Self {
        id.0
    }
}

impl AsRef<str> for RecordingId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecordingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_agrees_with_a_check_of_each_byte() {
        let naive = |bytes: &[u8]| {
            (
                bytes.iter().any(|b| !b.is_ascii_graphic()),
                bytes.iter().any(|b| matches!(b, b'"' | b'\\')),
            )
        };
        for len in 1..=17 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = byte;
                    assert_eq!(scan(&bytes), naive(&bytes), "{byte:#04x} at {at} of {len}");
                    // Next to the edges of the ranges as well.
                    for other in [b' ', b'!', b'~', 0x7f, 0x80, 0xff] {
                        bytes[(at + 1) % len] = other;
                        assert_eq!(scan(&bytes), naive(&bytes), "{byte:#04x}, {other:#04x}");
                    }
                }
            }
        }
    }

    #[test]
    fn accepts_opaque_ids() {
        for id in [
            "a",
            "Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x",
            "a-b_c.d=",
            "!~",
        ] {
            assert_eq!(RecordingId::new(id).map(String::from), Ok(id.to_owned()));
        }
        assert!(RecordingId::new("x".repeat(MAX_ID_BYTES)).is_ok());
    }

    #[test]
    fn rejects_each_bad_shape_with_its_reason() {
        let cases: [(String, IdError); 8] = [
            (
                "ré".into(),
                IdError::NotAscii {
                    offset: 1, ch: 'é'
                },
            ),
            (String::new(), IdError::Empty),
            ("x".repeat(MAX_ID_BYTES + 1), IdError::TooLong { len: 1025 }),
            ("x".repeat(5000), IdError::TooLong { len: 5000 }),
            (" ab".into(), IdError::Whitespace { offset: 0 }),
            ("ab\u{a0}".into(), IdError::Whitespace { offset: 2 }),
            (
                "ab\r\n".into(),
                IdError::Control {
                    offset: 2,
                    ch: '\r',
                },
            ),
            (
                "a\0".into(),
                IdError::Control {
                    offset: 1,
                    ch: '\0',
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(RecordingId::new(input.clone()), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn deserializing_validates() {
        let ok: RecordingId = serde_json::from_str("\"abc\"").expect("valid id");
        assert_eq!(ok.as_str(), "abc");
        let err = serde_json::from_str::<RecordingId>("\"a b\"").expect_err("whitespace");
        assert!(err.to_string().contains("whitespace at byte 1"), "{err}");
    }
}
