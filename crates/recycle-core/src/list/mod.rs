//! [`ListQuery`]: the query of the two list endpoints, its rules, and the windows a list
//! over any range is walked in.

mod parse;
mod values;
mod window;

use url::Url;

use crate::{BaseUrl, Email, Timestamp, TimestampError};

pub use values::{
    InvalidTimezone, MAX_TIMEZONE_BYTES, OwnerType, RecordingFormat, RecordingStatus, ServiceType,
    StorageRegion, TIMEZONE_HEADER, TIMEZONE_PATTERN, Timezone, UnknownValue,
};
pub use window::{Coverage, LIST_FLOOR, WINDOW_SECONDS, Windows};

/// Path of the caller's own recordings.
pub const LIST_PATH: &str = "/convergedRecordings";
/// Path of the org's recordings (administrators and compliance officers).
pub const ADMIN_LIST_PATH: &str = "/admin/convergedRecordings";
/// Largest page size the API accepts.
pub const MAX_PAGE_SIZE: u8 = 100;
/// Page size when a query gives none.
pub const DEFAULT_PAGE_SIZE: u8 = 10;
/// Widest `from`..`to` window an administrator's list may ask for, in days.
pub const ADMIN_MAX_WINDOW_DAYS: i64 = 30;
/// The span the server lists when a query leaves `from` or `to` open, in days: no range is
/// the last 7 days, `from` alone is 7 days from it, `to` alone the 7 days before it.
pub const DEFAULT_SPAN_DAYS: i64 = 7;
/// Longest value of the free-text filters (`ownerId`, `locationId`, `topic`), in characters.
pub const MAX_FILTER_CHARS: usize = 1024;

/// Why a list query is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListQueryError {
    /// `max` outside 1..=100, or not a whole number.
    #[error("max must be a whole number from 1 to {MAX_PAGE_SIZE}, not {}", crate::excerpt::excerpt(.0))]
    PageSize(String),
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
    /// `status=purged` on the caller's own list.
    #[error(
        "status purged is listed only on the administrators' list (compliance officers); use an admin query"
    )]
    PurgedNeedsAdminList,
    /// A value outside its closed set.
    #[error(transparent)]
    Value(#[from] UnknownValue),
    /// A time that is not ISO 8601.
    #[error("{parameter}: {source}")]
    Time {
        /// `from` or `to`.
        parameter: &'static str,
        /// What is wrong with it.
        source: TimestampError,
    },
    /// An `ownerEmail` that is not an email address.
    #[error("ownerEmail: {0}")]
    OwnerEmail(#[from] crate::EmailError),
    /// A free-text filter that is empty or too long.
    #[error("{parameter} must be 1 to {MAX_FILTER_CHARS} characters")]
    Text {
        /// The parameter.
        parameter: &'static str,
    },
    /// A `timezone` that is not shaped like an IANA name.
    #[error(transparent)]
    Timezone(#[from] InvalidTimezone),
    /// A parameter given twice.
    #[error("{0} is given more than once")]
    Repeated(String),
    /// An open end resolved past the other one: `to` before the floor of a list with no
    /// `from`, or `from` after the present of a list with no `to`.
    #[error(
        "the range from {from} to {to} is empty: without from a list starts at {LIST_FLOOR} and without to it ends now; give both ends"
    )]
    EmptyRange {
        /// The resolved start.
        from: String,
        /// The resolved end.
        to: String,
    },
}

/// A list query. With [`ListQuery::admin`], [`ListQuery::owner`] or
/// [`ListQuery::owner_id`] it targets the administrators' (and compliance officers')
/// endpoint.
///
/// The clients walk a query's `from`..`to` range in windows of at most 30 days, newest
/// first (see [`Windows`]); an open end means [`LIST_FLOOR`] or the present, never the
/// server's 7-day default.
///
/// ```
/// use recycle_core::{BaseUrl, ListQuery, RecordingStatus, ServiceType};
///
/// let q = ListQuery::new()
///     .status(RecordingStatus::Deleted)
///     .service_type(ServiceType::Calling)
///     .topic("Weekly sync")
///     .max(50)?;
/// let url = q.to_url(&BaseUrl::default())?;
/// assert_eq!(
///     url.as_str(),
///     "https://webexapis.com/v1/convergedRecordings?status=deleted&max=50&serviceType=calling&topic=Weekly+sync"
/// );
/// # Ok::<(), recycle_core::ListQueryError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    status: Option<RecordingStatus>,
    max: Option<u8>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    owner_email: Option<Email>,
    owner_id: Option<String>,
    admin: bool,
    service_type: Option<ServiceType>,
    format: Option<RecordingFormat>,
    owner_type: Option<OwnerType>,
    storage_region: Option<StorageRegion>,
    location_id: Option<String>,
    topic: Option<String>,
    timezone: Option<Timezone>,
}

impl ListQuery {
    /// Lists the caller's own recordings, server defaults for everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only recordings in this state (`status`; the server's default is available).
    pub fn status(mut self, status: RecordingStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Page size, 1 to 100 (`max`; the server's default is 10).
    pub fn max(mut self, max: u32) -> Result<Self, ListQueryError> {
        match u8::try_from(max) {
            Ok(m @ 1..=MAX_PAGE_SIZE) => {
                self.max = Some(m);
                Ok(self)
            }
            _ => Err(ListQueryError::PageSize(max.to_string())),
        }
    }

    /// Recordings created at this time or later (`from`, inclusive).
    pub fn from(mut self, from: Timestamp) -> Self {
        self.from = Some(from);
        self
    }

    /// Recordings created before this time (`to`, exclusive).
    pub fn to(mut self, to: Timestamp) -> Self {
        self.to = Some(to);
        self
    }

    /// Uses the administrators' endpoint for the whole org.
    pub fn admin(mut self) -> Self {
        self.admin = true;
        self
    }

    /// Uses the administrators' endpoint, for this owner's recordings (`ownerEmail`).
    pub fn owner(mut self, owner: Email) -> Self {
        self.owner_email = Some(owner);
        self.admin = true;
        self
    }

    /// Uses the administrators' endpoint, for the recordings of the person with this Webex
    /// ID (`ownerId`).
    pub fn owner_id(mut self, owner_id: impl Into<String>) -> Self {
        self.owner_id = Some(owner_id.into());
        self.admin = true;
        self
    }

    /// Only recordings of this service (`serviceType`).
    pub fn service_type(mut self, service_type: ServiceType) -> Self {
        self.service_type = Some(service_type);
        self
    }

    /// Only recordings in this format (`format`).
    pub fn format(mut self, format: RecordingFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// Only recordings with this kind of owner (`ownerType`).
    pub fn owner_type(mut self, owner_type: OwnerType) -> Self {
        self.owner_type = Some(owner_type);
        self
    }

    /// Only recordings stored in this region (`storageRegion`).
    pub fn storage_region(mut self, region: StorageRegion) -> Self {
        self.storage_region = Some(region);
        self
    }

    /// Only recordings of users in this Webex Calling location (`locationId`).
    pub fn location_id(mut self, location_id: impl Into<String>) -> Self {
        self.location_id = Some(location_id.into());
        self
    }

    /// Only recordings with this topic, compared without regard to case (`topic`).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.topic = Some(topic.into());
        self
    }

    /// Sends the `timezone` header (the server's default is UTC).
    pub fn timezone(mut self, timezone: Timezone) -> Self {
        self.timezone = Some(timezone);
        self
    }

    /// Whether the administrators' endpoint is used.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// The `status` asked for, if any.
    pub fn status_filter(&self) -> Option<RecordingStatus> {
        self.status
    }

    /// The page size asked for, if any.
    pub fn page_size(&self) -> Option<u8> {
        self.max
    }

    /// `from`, if given.
    pub fn from_time(&self) -> Option<&Timestamp> {
        self.from.as_ref()
    }

    /// `to`, if given.
    pub fn to_time(&self) -> Option<&Timestamp> {
        self.to.as_ref()
    }

    /// `ownerEmail`, if given.
    pub fn owner_email(&self) -> Option<&Email> {
        self.owner_email.as_ref()
    }

    /// `ownerId`, if given.
    pub fn owner_id_filter(&self) -> Option<&str> {
        self.owner_id.as_deref()
    }

    /// `serviceType`, if given.
    pub fn service_type_filter(&self) -> Option<ServiceType> {
        self.service_type
    }

    /// `format`, if given.
    pub fn format_filter(&self) -> Option<RecordingFormat> {
        self.format
    }

    /// `ownerType`, if given.
    pub fn owner_type_filter(&self) -> Option<OwnerType> {
        self.owner_type
    }

    /// `storageRegion`, if given.
    pub fn storage_region_filter(&self) -> Option<StorageRegion> {
        self.storage_region
    }

    /// `locationId`, if given.
    pub fn location_id_filter(&self) -> Option<&str> {
        self.location_id.as_deref()
    }

    /// `topic`, if given.
    pub fn topic_filter(&self) -> Option<&str> {
        self.topic.as_deref()
    }

    /// The `timezone` header, if given.
    pub fn timezone_header(&self) -> Option<&Timezone> {
        self.timezone.as_ref()
    }

    /// The same query over `from`..`to`.
    pub fn with_range(&self, from: Timestamp, to: Timestamp) -> Self {
        Self {
            from: Some(from),
            to: Some(to),
            ..self.clone()
        }
    }

    /// The range the server lists for this query at `now_unix` (seconds since the epoch),
    /// as Unix seconds `[from, to)`: open ends take the 7-day defaults.
    pub fn server_range(&self, now_unix: i64) -> (i64, i64) {
        let span = DEFAULT_SPAN_DAYS * 86_400;
        match (&self.from, &self.to) {
            (Some(f), Some(t)) => (f.unix_seconds(), t.unix_seconds()),
            (Some(f), None) => (f.unix_seconds(), f.unix_seconds().saturating_add(span)),
            (None, Some(t)) => (t.unix_seconds().saturating_sub(span), t.unix_seconds()),
            (None, None) => (now_unix.saturating_sub(span), now_unix),
        }
    }

    /// Checks the rules of one request that need no clock: `from` not after `to`, at most
    /// 30 days for an administrator, `purged` only on the administrators' list, free-text
    /// filters of 1 to 1024 characters.
    pub fn validate(&self) -> Result<(), ListQueryError> {
        self.validate_walk()?;
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            if self.admin
                && to.unix_seconds() - from.unix_seconds() > ADMIN_MAX_WINDOW_DAYS * 86_400
            {
                return Err(ListQueryError::WindowTooWide {
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Checks the rules of a list over the query's whole range, walked in [`Windows`]: those
    /// of [`ListQuery::validate`] but the 30-day limit, which each window keeps.
    ///
    /// ```
    /// use recycle_core::{ListQuery, Timestamp};
    ///
    /// let year = ListQuery::new().admin()
    ///     .from(Timestamp::parse("2025-01-01")?)
    ///     .to(Timestamp::parse("2026-01-01")?);
    /// assert!(year.validate().is_err(), "one request covers at most 30 days");
    /// assert!(year.validate_walk().is_ok(), "a walk covers any range");
    /// # Ok::<(), recycle_core::TimestampError>(())
    /// ```
    pub fn validate_walk(&self) -> Result<(), ListQueryError> {
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            if to.unix_seconds() < from.unix_seconds() {
                return Err(ListQueryError::Reversed {
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
        }
        if self.status == Some(RecordingStatus::Purged) && !self.admin {
            return Err(ListQueryError::PurgedNeedsAdminList);
        }
        for (parameter, value) in self.texts() {
            if value.is_some_and(|v| v.is_empty() || v.chars().count() > MAX_FILTER_CHARS) {
                return Err(ListQueryError::Text { parameter });
            }
        }
        Ok(())
    }

    fn texts(&self) -> [(&'static str, Option<&str>); 3] {
        [
            ("ownerId", self.owner_id.as_deref()),
            ("locationId", self.location_id.as_deref()),
            ("topic", self.topic.as_deref()),
        ]
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
            if let Some(o) = &self.owner_email {
                q.append_pair("ownerEmail", o.as_str());
            }
            let closed = [
                self.service_type
                    .map(|v| (ServiceType::PARAMETER, v.as_str())),
                self.format
                    .map(|v| (RecordingFormat::PARAMETER, v.as_str())),
                self.owner_type.map(|v| (OwnerType::PARAMETER, v.as_str())),
                self.storage_region
                    .map(|v| (StorageRegion::PARAMETER, v.as_str())),
            ];
            for (name, value) in closed.into_iter().flatten() {
                q.append_pair(name, value);
            }
            for (name, value) in self.texts() {
                if let Some(value) = value {
                    q.append_pair(name, value);
                }
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
        for bad in [0, 101, 256] {
            assert_eq!(
                ListQuery::new().max(bad),
                Err(ListQueryError::PageSize(bad.to_string()))
            );
        }
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
    fn every_filter_reaches_the_url() {
        let base = BaseUrl::parse("http://127.0.0.1:1/v1").expect("base");
        let q = ListQuery::new()
            .owner_id("p-1")
            .status(RecordingStatus::Purged)
            .service_type(ServiceType::CustomerAssist)
            .format(RecordingFormat::Mp3)
            .owner_type(OwnerType::CallQueue)
            .storage_region(StorageRegion::De)
            .location_id("loc 1")
            .topic("Sync");
        assert_eq!(
            q.to_url(&base).expect("valid").query(),
            Some(
                "status=purged&serviceType=customerAssist&format=MP3&ownerType=callQueue&storageRegion=DE&ownerId=p-1&locationId=loc+1&topic=Sync"
            )
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

    #[test]
    fn purged_and_text_rules() {
        assert_eq!(
            ListQuery::new().status(RecordingStatus::Purged).validate(),
            Err(ListQueryError::PurgedNeedsAdminList)
        );
        assert!(
            ListQuery::new()
                .admin()
                .status(RecordingStatus::Purged)
                .validate()
                .is_ok()
        );
        assert_eq!(
            ListQuery::new().topic("").validate(),
            Err(ListQueryError::Text { parameter: "topic" })
        );
        let long = "é".repeat(MAX_FILTER_CHARS);
        assert!(ListQuery::new().topic(long.clone()).validate().is_ok());
        assert!(ListQuery::new().topic(long + "x").validate().is_err());
    }

    #[test]
    fn server_range_defaults_are_seven_days() {
        let now = 1_000_000_000;
        let week = 7 * 86_400;
        assert_eq!(ListQuery::new().server_range(now), (now - week, now));
        let from = ts("2026-01-01");
        let f = from.unix_seconds();
        assert_eq!(
            ListQuery::new().from(from.clone()).server_range(now),
            (f, f + week)
        );
        assert_eq!(ListQuery::new().to(from).server_range(now), (f - week, f));
    }
}
