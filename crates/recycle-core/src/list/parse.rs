//! [`ListQuery::from_query`]: a list request's query string read with the same rules the
//! clients check before sending, so that a server (the simulator) and the clients cannot
//! disagree on them.

use url::form_urlencoded;

use super::{ListQuery, ListQueryError, MAX_PAGE_SIZE};
use crate::{
    Email, OwnerType, RecordingFormat, RecordingStatus, ServiceType, StorageRegion, Timestamp,
    Timezone,
};

/// The parameters a list request may carry; others are ignored, as Webex ignores them.
const USER_PARAMETERS: &[&str] = &[
    "status",
    "max",
    "from",
    "to",
    "serviceType",
    "format",
    "ownerType",
    "storageRegion",
    "locationId",
    "topic",
];
/// The administrators' list takes these too.
const ADMIN_PARAMETERS: &[&str] = &["ownerEmail", "ownerId"];

impl ListQuery {
    /// Reads the query string of a list request to the user's (`admin` false) or the
    /// administrators' endpoint, and the `timezone` header's value, with every rule of
    /// [`ListQuery::validate`]. Unknown parameters are ignored; a known one given twice is
    /// refused.
    ///
    /// ```
    /// use recycle_core::{ListQuery, ListQueryError, RecordingStatus};
    ///
    /// let q = ListQuery::from_query(true, "status=purged&ownerEmail=a%40example.com&max=5", Some("UTC"))?;
    /// assert_eq!(q.status_filter(), Some(RecordingStatus::Purged));
    /// assert_eq!(q.page_size(), Some(5));
    /// assert!(matches!(ListQuery::from_query(false, "status=purged", None), Err(ListQueryError::PurgedNeedsAdminList)));
    /// assert!(matches!(ListQuery::from_query(false, "max=0", None), Err(ListQueryError::PageSize(_))));
    /// # Ok::<(), ListQueryError>(())
    /// ```
    pub fn from_query(
        admin: bool,
        query: &str,
        timezone: Option<&str>,
    ) -> Result<Self, ListQueryError> {
        let mut q = if admin {
            ListQuery::new().admin()
        } else {
            ListQuery::new()
        };
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let known = USER_PARAMETERS.contains(&key.as_ref())
                || (admin && ADMIN_PARAMETERS.contains(&key.as_ref()));
            if !known {
                continue;
            }
            if seen.iter().any(|k| *k == key) {
                return Err(ListQueryError::Repeated(key.into_owned()));
            }
            seen.push(key.to_string());
            q = q.apply(&key, &value)?;
        }
        if let Some(tz) = timezone {
            q = q.timezone(Timezone::new(tz)?);
        }
        q.validate()?;
        Ok(q)
    }

    fn apply(self, key: &str, value: &str) -> Result<Self, ListQueryError> {
        let time = |parameter| {
            Timestamp::parse(value).map_err(|source| ListQueryError::Time { parameter, source })
        };
        Ok(match key {
            "status" => self.status(value.parse::<RecordingStatus>()?),
            "max" => {
                let max = value
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=u32::from(MAX_PAGE_SIZE)).contains(m))
                    .ok_or_else(|| ListQueryError::PageSize(value.to_owned()))?;
                self.max(max)?
            }
            "from" => self.from(time("from")?),
            "to" => self.to(time("to")?),
            "ownerEmail" => self.owner(Email::new(value)?),
            "ownerId" => self.owner_id(value),
            "serviceType" => self.service_type(value.parse::<ServiceType>()?),
            "format" => self.format(value.parse::<RecordingFormat>()?),
            "ownerType" => self.owner_type(value.parse::<OwnerType>()?),
            "storageRegion" => self.storage_region(value.parse::<StorageRegion>()?),
            "locationId" => self.location_id(value),
            "topic" => self.topic(value),
            _ => self,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BaseUrl;

    #[test]
    fn a_query_read_back_from_its_url_is_the_same_query() {
        let base = BaseUrl::parse("http://127.0.0.1:1/v1").expect("base");
        let q = ListQuery::new()
            .owner(Email::new("a+b@example.com").expect("email"))
            .owner_id("p 1")
            .status(RecordingStatus::Deleted)
            .from(Timestamp::parse("2026-01-01T00:00:00+08:00").expect("time"))
            .to(Timestamp::parse("2026-01-20").expect("time"))
            .service_type(ServiceType::Calling)
            .format(RecordingFormat::Mp3)
            .owner_type(OwnerType::Place)
            .storage_region(StorageRegion::Jp)
            .location_id("l&1")
            .topic("Ça va")
            .max(7)
            .expect("max");
        let url = q.to_url(&base).expect("url");
        let back = ListQuery::from_query(true, url.query().unwrap_or_default(), None);
        assert_eq!(back, Ok(q));
    }

    #[test]
    fn refusals() {
        let refused = |admin, query: &str| ListQuery::from_query(admin, query, None).is_err();
        assert!(refused(false, "status=gone"));
        assert!(refused(false, "max=1.5"));
        assert!(refused(false, "max=101"));
        assert!(refused(false, "from=yesterday"));
        assert!(refused(false, "from=2026-02-01&to=2026-01-01"));
        assert!(refused(true, "from=2026-01-01&to=2026-03-01"));
        assert!(refused(true, "ownerEmail=nobody"));
        assert!(refused(false, "topic="));
        assert!(refused(false, "max=5&max=6"));
        assert!(refused(false, "storageRegion=us"));
        assert!(!refused(false, "from=2026-01-01&to=2026-03-01"));
        assert!(!refused(false, "ownerEmail=nobody&offset=20&unknown=1"));
        assert!(ListQuery::from_query(false, "", Some("Mars Base")).is_err());
    }
}
