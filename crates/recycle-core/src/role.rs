//! Who is calling: an administrator or a user, as the token's scopes say.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Scope that makes a caller an administrator for these endpoints.
pub const ADMIN_WRITE_SCOPE: &str = "spark-admin:recordings_write";
/// Scope that lets a user act on their own recordings.
pub const USER_WRITE_SCOPE: &str = "spark:recordings_write";
/// Scope an administrator needs to list the org's recordings.
pub const ADMIN_READ_SCOPE: &str = "spark-admin:recordings_read";
/// Scope a user needs to list their own recordings.
pub const USER_READ_SCOPE: &str = "spark:recordings_read";

/// The caller's role, which decides how "all recordings" is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallerRole {
    /// Has `spark-admin:recordings_write`: acts on any recording of the org, and must name
    /// the owner when acting on all.
    Admin,
    /// Has `spark:recordings_write` but not the admin scope: acts on their own recordings.
    User,
}

impl CallerRole {
    /// Derives the role from a token's scopes; `None` when the token may not write at all.
    ///
    /// ```
    /// use recycle_core::CallerRole;
    ///
    /// let scopes = "spark:recordings_read spark-admin:recordings_write".split_whitespace();
    /// assert_eq!(CallerRole::from_scopes(scopes), Some(CallerRole::Admin));
    /// assert_eq!(CallerRole::from_scopes(["spark:recordings_write"]), Some(CallerRole::User));
    /// assert_eq!(CallerRole::from_scopes(["spark:recordings_read"]), None);
    /// ```
    pub fn from_scopes<I, S>(scopes: I) -> Option<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut user = false;
        for scope in scopes {
            match scope.as_ref() {
                ADMIN_WRITE_SCOPE => return Some(Self::Admin),
                USER_WRITE_SCOPE => user = true,
                _ => {}
            }
        }
        user.then_some(Self::User)
    }
}

impl fmt::Display for CallerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Admin => "administrator",
            Self::User => "user",
        })
    }
}
