//! [`AccessToken`]: the bearer token, never shown.

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// Why a token cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No token was given to the client builder.
    #[error("no access token was given")]
    Missing,
    /// The token is empty.
    #[error("the access token is empty")]
    Empty,
    /// The token holds whitespace or a control character (a stray newline from a file, say),
    /// which would corrupt the `Authorization` header.
    #[error("the access token contains whitespace or a control character at byte {offset}")]
    BadCharacter {
        /// Byte offset of the first offending character.
        offset: usize,
    },
}

/// A Webex bearer token. Its `Debug` shows no part of it, and the header built from it is
/// marked sensitive.
///
/// ```
/// use recycle_core::AccessToken;
///
/// let token = AccessToken::new("ZjE2NTc0".into())?;
/// assert_eq!(format!("{token:?}"), "AccessToken([REDACTED])");
/// assert!(AccessToken::new("abc\n".into()).is_err());
/// # Ok::<(), recycle_core::TokenError>(())
/// ```
#[derive(Clone)]
pub struct AccessToken(SecretString);

impl AccessToken {
    /// Checks that the token can go in a header.
    pub fn new(token: SecretString) -> Result<Self, TokenError> {
        let raw = token.expose_secret();
        if raw.is_empty() {
            return Err(TokenError::Empty);
        }
        if let Some((offset, _)) = raw
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            return Err(TokenError::BadCharacter { offset });
        }
        Ok(Self(token))
    }

    /// The `Authorization: Bearer …` value, marked sensitive.
    pub fn authorization(&self) -> HeaderValue {
        let value = format!("Bearer {}", self.0.expose_secret());
        // The constructor admits only visible ASCII, which is always a valid header value.
        let mut header = HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""));
        header.set_sensitive(true);
        header
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_tokens_that_would_break_the_header() {
        assert_eq!(
            AccessToken::new(String::new().into()).err(),
            Some(TokenError::Empty)
        );
        for (bad, offset) in [
            ("ab\ncd", 2),
            ("abc\r\n", 3),
            (" abc", 0),
            ("a\0", 1),
            ("aé", 1),
        ] {
            assert_eq!(
                AccessToken::new(bad.to_owned().into()).err(),
                Some(TokenError::BadCharacter { offset }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn header_is_sensitive_and_debug_hides_the_secret() {
        let token = AccessToken::new("s3cr3t-T0KEN".to_owned().into()).expect("valid");
        let header = token.authorization();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().ok(), Some("Bearer s3cr3t-T0KEN"));
        assert!(!format!("{header:?}").contains("s3cr3t"));
        assert!(!format!("{token:?}").contains("s3cr3t"));
    }
}
