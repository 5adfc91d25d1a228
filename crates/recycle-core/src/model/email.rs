//! [`Email`]: an owner's email address with a practical syntax check.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest email address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_BYTES: usize = 254;

/// Why a string is not a usable email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// The address is empty.
    #[error("the email address is empty")]
    Empty,
    /// The address is longer than [`MAX_EMAIL_BYTES`].
    #[error("the email address is {len} bytes long; at most {MAX_EMAIL_BYTES} are allowed")]
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// The address has no `@`, or more than one.
    #[error("the email address must contain exactly one '@'")]
    At,
    /// Nothing stands before the `@`.
    #[error("the email address has nothing before the '@'")]
    EmptyLocal,
    /// The domain is not of the form `label.label`.
    #[error("the email domain {domain:?} is not a domain name such as example.com")]
    Domain {
        /// The part after the `@`.
        domain: String,
    },
    /// The address contains whitespace or a control character.
    #[error("the email address contains whitespace or a control character")]
    Whitespace,
    /// The address contains a character outside ASCII (write a domain in punycode).
    #[error("the email address contains a character outside ASCII (write domains in punycode)")]
    NotAscii,
}

/// An email address, as `ownerEmail` carries it.
///
/// The check is practical rather than RFC 5322-complete: ASCII, one `@`, a non-empty local
/// part of visible characters, a domain of at least two dot-separated labels (letters, digits,
/// `-` inside, at most 63 each). The JSON Schema's pattern says exactly the same.
///
/// ```
/// use recycle_core::Email;
///
/// assert!(Email::new("alice@example.com").is_ok());
/// assert!(Email::new("alice@localhost").is_err());
/// assert!(Email::new("alice example.com").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks `email` and wraps it.
    pub fn new(email: impl Into<String>) -> Result<Self, EmailError> {
        let email = email.into();
        check_email(&email)?;
        Ok(Self(email))
    }

    /// The address as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_email(email: &str) -> Result<(), EmailError> {
    if email.is_empty() {
        return Err(EmailError::Empty);
    }
    if email.len() > MAX_EMAIL_BYTES {
        return Err(EmailError::TooLong { len: email.len() });
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailError::Whitespace);
    }
    if !email.is_ascii() {
        return Err(EmailError::NotAscii);
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(EmailError::At);
    };
    if local.is_empty() {
        return Err(EmailError::EmptyLocal);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(EmailError::Domain {
            domain: domain.to_owned(),
        });
    }
    Ok(())
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for Email {
    type Error = EmailError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "alice@example.com",
            "a.b+tag@sub.example.co.uk",
            "o'brien@x-y.org",
            "joerg@xn--bcher-kva.de",
        ] {
            assert!(Email::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_each_bad_shape_with_its_reason() {
        let cases = [
            ("", EmailError::Empty),
            ("alice", EmailError::At),
            ("a@b@example.com", EmailError::At),
            ("@example.com", EmailError::EmptyLocal),
            (
                "alice@localhost",
                EmailError::Domain {
                    domain: "localhost".into(),
                },
            ),
            (
                "alice@example..com",
                EmailError::Domain {
                    domain: "example..com".into(),
                },
            ),
            (
                "alice@-x.com",
                EmailError::Domain {
                    domain: "-x.com".into(),
                },
            ),
            ("alice @example.com", EmailError::Whitespace),
            ("alice@example.com\n", EmailError::Whitespace),
            ("jörg@bücher.de", EmailError::NotAscii),
        ];
        for (input, expected) in cases {
            assert_eq!(Email::new(input), Err(expected), "{input:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::new(long), Err(EmailError::TooLong { len: 262 }));
    }
}
