//! Who is calling: an administrator, a user or a compliance officer, as the token's scopes say.

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
/// Scope a compliance officer needs to list (and read) the org's recordings, purged ones
/// included.
pub const COMPLIANCE_READ_SCOPE: &str = "spark-compliance:recordings_read";

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

/// What a caller may read, as the token's read scopes say: the list endpoints and a
/// recording's details. Ordered more capable first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReaderRole {
    /// Has `spark-compliance:recordings_read`: lists the org's recordings on the
    /// administrators' endpoint, purged ones included, and reads any recording's details.
    ComplianceOfficer,
    /// Has `spark-admin:recordings_read`: lists the org's recordings (not purged ones) and
    /// reads their details.
    Admin,
    /// Has `spark:recordings_read`: lists and reads their own recordings.
    User,
}

impl ReaderRole {
    /// Derives the most capable read role from a token's scopes; `None` when it may not read.
    ///
    /// ```
    /// use recycle_core::ReaderRole;
    ///
    /// let scopes = ["spark:recordings_read", "spark-compliance:recordings_read"];
    /// assert_eq!(ReaderRole::from_scopes(scopes), Some(ReaderRole::ComplianceOfficer));
    /// assert_eq!(ReaderRole::from_scopes(["spark-admin:recordings_read"]), Some(ReaderRole::Admin));
    /// assert_eq!(ReaderRole::from_scopes(["spark:recordings_write"]), None);
    /// ```
    pub fn from_scopes<I, S>(scopes: I) -> Option<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut best = None;
        for scope in scopes {
            let role = match scope.as_ref() {
                COMPLIANCE_READ_SCOPE => Self::ComplianceOfficer,
                ADMIN_READ_SCOPE => Self::Admin,
                USER_READ_SCOPE => Self::User,
                _ => continue,
            };
            best = Some(best.map_or(role, |b: Self| b.min(role)));
        }
        best
    }

    /// Whether this role may use the administrators' list endpoint.
    pub fn reads_org(self) -> bool {
        matches!(self, Self::ComplianceOfficer | Self::Admin)
    }
}
