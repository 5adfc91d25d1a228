//! [`ListQuery`]: the query of the two list endpoints, checked before sending.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::{BaseUrl, Email, Timestamp};

/// Path of the caller's own recordings.
pub const LIST_PATH: &str = "/convergedRecordings";
/// Path of the org's recordings (administrators).
pub const ADMIN_LIST_PATH: &str = "/admin/convergedRecordings";
/// Largest page size the API accepts.
pub const MAX_PAGE_SIZE: u8 = 100;
/// Widest `from`..`to` window an administrator's list may ask for, in days.
pub const ADMIN_MAX_WINDOW_DAYS: i64 = 30;

/// Which recordings to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordingStatus {
    /// Not in the recycle bin.
    Available,
    /// In the recycle bin.
    Deleted,
}

impl RecordingStatus {
    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Deleted => "deleted",
        }
    }
}

/// Why a list query is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListQueryError {
    /// `max` outside 1..=100.
    #[error("max must be between 1 and {MAX_PAGE_SIZE}, not {0}")]
    PageSize(u32),
    /// `from` is after `to`.
    #[error("from ({from}) is after to ({to})")]
    Reversed {
        /// The `from` value.
        from: String,
        /// The `to` value.
        to: String,
    },
    /// An administrator's window is wider than 30 days.
    #[error(
        "an administrator's list covers at most {ADMIN_MAX_WINDOW_DAYS} days; from {from} to {to} is wider"
    )]
    WindowTooWide {
        /// The `from` value.
        from: String,
        /// The `to` value.
        to: String,
    },
}

/// A list query. With [`ListQuery::owner`] it targets the administrators' endpoint.
///
/// ```
/// use recycle_core::{BaseUrl, ListQuery, RecordingStatus};
///
/// let q = ListQuery::new().status(RecordingStatus::Deleted).max(50)?;
/// let url = q.to_url(&BaseUrl::default())?;
/// assert_eq!(url.as_str(), "https://webexapis.com/v1/convergedRecordings?status=deleted&max=50");
/// # Ok::<(), recycle_core::ListQueryError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    status: Option<RecordingStatus>,
    max: Option<u8>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    owner: Option<Email>,
    admin: bool,
}

impl ListQuery {
    /// Lists the caller's own recordings, server defaults for everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only recordings in this state.
    pub fn status(mut self, status: RecordingStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Page size, 1 to 100.
    pub fn max(mut self, max: u32) -> Result<Self, ListQueryError> {
        match u8::try_from(max) {
            Ok(m @ 1..=MAX_PAGE_SIZE) => {
                self.max = Some(m);
                Ok(self)
            }
            _ => Err(ListQueryError::PageSize(max)),
        }
    }

    /// Recordings from this time on.
    pub fn from(mut self, from: Timestamp) -> Self {
        self.from = Some(from);
        self
    }

    /// Recordings before this time.
    pub fn to(mut self, to: Timestamp) -> Self {
        self.to = Some(to);
        self
    }

    /// Uses the administrators' endpoint for the whole org.
    pub fn admin(mut self) -> Self {
        self.admin = true;
        self
    }

    /// Uses the administrators' endpoint, for this owner's recordings.
    pub fn owner(mut self, owner: Email) -> Self {
        self.owner = Some(owner);
        self.admin = true;
        self
    }

    /// Whether the administrators' endpoint is used.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// Checks the time window: `from` not after `to`, and at most 30 days for an
    /// administrator.
    pub fn validate(&self) -> Result<(), ListQueryError> {
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            let span = to.unix_seconds() - from.unix_seconds();
            let err = |wide: bool| {
                let (from, to) = (from.to_string(), to.to_string());
                if wide {
                    ListQueryError::WindowTooWide { from, to }
                } else {
                    ListQueryError::Reversed { from, to }
                }
            };
            if span < 0 {
                return Err(err(false));
            }
            if self.admin && span > ADMIN_MAX_WINDOW_DAYS * 86_400 {
                return Err(err(true));
            }
        }
        Ok(())
    }

    /// The first page's URL below `base`, after [`ListQuery::validate`].
    pub fn to_url(&self, base: &BaseUrl) -> Result<Url, ListQueryError> {
        self.validate()?;
        let mut url = base.join(if self.admin {
            ADMIN_LIST_PATH
        } else {
            LIST_PATH
        });
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = self.status {
                q.append_pair("status", s.as_str());
            }
            if let Some(m) = self.max {
                q.append_pair("max", &m.to_string());
            }
            if let Some(f) = &self.from {
                q.append_pair("from", f.as_str());
            }
            if let Some(t) = &self.to {
                q.append_pair("to", t.as_str());
            }
            if let Some(o) = &self.owner {
                q.append_pair("ownerEmail", o.as_str());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).expect("timestamp")
    }

    #[test]
    fn page_size_bounds() {
        assert!(ListQuery::new().max(1).is_ok());
        assert!(ListQuery::new().max(100).is_ok());
        assert_eq!(ListQuery::new().max(0), Err(ListQueryError::PageSize(0)));
        assert_eq!(
            ListQuery::new().max(101),
            Err(ListQueryError::PageSize(101))
        );
        assert_eq!(
            ListQuery::new().max(256),
            Err(ListQueryError::PageSize(256))
        );
    }

    #[test]
    fn admin_query_with_owner_and_window() {
        let base = BaseUrl::parse("http://127.0.0.1:1/v1").expect("base");
        let q = ListQuery::new()
            .owner(Email::new("a+b@example.com").expect("email"))
            .from(ts("2026-01-01T00:00:00Z"))
            .to(ts("2026-01-31T00:00:00Z"));
        assert_eq!(
            q.to_url(&base).expect("valid").as_str(),
            "http://127.0.0.1:1/v1/admin/convergedRecordings?from=2026-01-01T00%3A00%3A00Z&to=2026-01-31T00%3A00%3A00Z&ownerEmail=a%2Bb%40example.com"
        );
        assert_eq!(
            ListQuery::new().to_url(&base).expect("valid").as_str(),
            "http://127.0.0.1:1/v1/convergedRecordings"
        );
    }

    #[test]
    fn windows_are_checked() {
        let wide = ListQuery::new().from(ts("2026-01-01")).to(ts("2026-03-01"));
        assert!(wide.validate().is_ok(), "users have no 30-day limit");
        assert!(matches!(
            wide.admin().validate(),
            Err(ListQueryError::WindowTooWide { .. })
        ));
        let reversed = ListQuery::new().from(ts("2026-02-01")).to(ts("2026-01-01"));
        assert!(matches!(
            reversed.validate(),
            Err(ListQueryError::Reversed { .. })
        ));
        let exactly_30 = ListQuery::new()
            .admin()
            .from(ts("2026-01-01"))
            .to(ts("2026-01-31"));
        assert!(exactly_30.validate().is_ok());
    }
}
