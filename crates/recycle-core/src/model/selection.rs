//! [`Selection`]: the recordings a retention job acts on, chosen by a list query over a
//! range of creation times; [`SelectionReport`]: what such a job did.
//!
//! A retention job ("purge everything in the bin created before a date") lists its range
//! window by window and acts on each window's recordings only after the whole window has
//! been listed: acting while paging would move the list under the pager and skip
//! recordings.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    BaseUrl, BulkReport, Email, ListQuery, ListQueryError, OperationKind, RecordingId,
    RecordingStatus, Timestamp, Windows,
};

/// Whose recordings a selection lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// The caller's own recordings: the user list, `GET /convergedRecordings`.
    Mine,
    /// One owner's recordings: the administrators' list with `ownerEmail` or `ownerId`.
    Owner,
    /// Every recording of the organization: the administrators' list.
    Org,
}

/// The query parameters a selection keeps as its own fields, not as filters.
const OWN_PARAMETERS: &[&str] = &["status", "max", "from", "to", "ownerEmail"];

/// What a retention job selects: the recordings in the operation's source status (available
/// for trash, deleted for restore and purge), of a scope, created in `[from, to)`, passing
/// the list filters. Both ends are resolved, so that the same selection means the same
/// recordings on every run, a resumed one included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    /// Whose recordings.
    pub scope: Scope,
    /// The owner, for the `owner` scope by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<Email>,
    /// The status listed: the operation's source status.
    pub status: RecordingStatus,
    /// Created at this time or later.
    pub from: Timestamp,
    /// Created before this time.
    pub to: Timestamp,
    /// The range as it was asked for, such as `--older-than 90d`: a resumed job is the same
    /// job when this and the rest (not the resolved ends) are the same.
    pub asked: String,
    /// The other list filters, as query parameters (`serviceType`, `topic`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, String>,
}

impl Selection {
    /// What `query` selects for `operation`: its status is set to the operation's source
    /// status, and its open ends are resolved against `now` (an open `from` is
    /// [`LIST_FLOOR`](crate::protocol::LIST_FLOOR), an open `to` the present plus a day). `asked`
    /// says how the range was given. Refuses a query that breaks a rule; a cutoff before the
    /// floor selects nothing.
    ///
    /// ```
    /// use std::time::UNIX_EPOCH;
    /// use recycle_core::{ListQuery, OperationKind, RecordingStatus, Scope, Selection, ServiceType, Timestamp};
    ///
    /// let query = ListQuery::new()
    ///     .admin()
    ///     .service_type(ServiceType::Calling)
    ///     .to(Timestamp::parse("2026-01-01")?);
    /// let selection = Selection::new(OperationKind::Purge, &query, "--created-before 2026-01-01", UNIX_EPOCH)?;
    /// assert_eq!(selection.scope, Scope::Org);
    /// assert_eq!(selection.status, RecordingStatus::Deleted);
    /// assert_eq!(selection.from.as_str(), recycle_core::protocol::LIST_FLOOR);
    /// assert_eq!(selection.filters["serviceType"], "calling");
    /// let first = selection.windows().next().expect("a window");
    /// assert_eq!(first.1.as_str(), "2026-01-01T00:00:00Z");
    /// assert_eq!(selection.query(100)?.with_range(first.0, first.1).status_filter(), Some(RecordingStatus::Deleted));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        operation: OperationKind,
        query: &ListQuery,
        asked: impl Into<String>,
        now: SystemTime,
    ) -> Result<Self, ListQueryError> {
        let query = query.clone().status(operation.source_status());
        query.validate_walk()?;
        let (mut from, to) = Windows::new(&query, now).range();
        if from.unix_seconds() > to.unix_seconds() {
            // An open start past the end (a cutoff before the floor): nothing is selected,
            // which a retention rule older than the floor means.
            from = to.clone();
        }
        let scope = if query.owner_email().is_some() || query.owner_id_filter().is_some() {
            Scope::Owner
        } else if query.is_admin() {
            Scope::Org
        } else {
            Scope::Mine
        };
        // The filters exactly as the query string carries them: one spelling of each rule.
        // (An empty range: `to_url` checks one request, and the whole range may be wider
        // than an administrator's 30 days.)
        let url = query
            .with_range(from.clone(), from.clone())
            .to_url(&BaseUrl::default())?;
        let filters = url
            .query_pairs()
            .filter(|(k, _)| !OWN_PARAMETERS.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(Self {
            scope,
            owner_email: query.owner_email().cloned(),
            status: operation.source_status(),
            from,
            to,
            asked: asked.into(),
            filters,
        })
    }

    /// The list query of the whole selection, in pages of `max` (1 to 100). Walk it in
    /// [`Selection::windows`], one [`ListQuery::with_range`] each.
    pub fn query(&self, max: u8) -> Result<ListQuery, ListQueryError> {
        let mut raw = url::form_urlencoded::Serializer::new(String::new());
        raw.append_pair("status", self.status.as_str());
        raw.append_pair("max", &max.to_string());
        if let Some(owner) = &self.owner_email {
            raw.append_pair("ownerEmail", owner.as_str());
        }
        raw.extend_pairs(&self.filters);
        let query = ListQuery::from_query(self.scope != Scope::Mine, &raw.finish(), None)?;
        Ok(query.from(self.from.clone()).to(self.to.clone()))
    }

    /// The windows of at most 30 days the range is listed in, newest first.
    pub fn windows(&self) -> Windows {
        let range = ListQuery::new().from(self.from.clone()).to(self.to.clone());
        Windows::new(&range, UNIX_EPOCH)
    }

    /// Why a job that recorded `self` is not the job `other`, if it is not. The resolved
    /// ends are not compared: `--older-than 90d` resumed tomorrow is the same job, and keeps
    /// the range of its first run.
    pub fn mismatch(&self, other: &Self) -> Option<String> {
        let same = Self {
            from: other.from.clone(),
            to: other.to.clone(),
            ..self.clone()
        };
        (same != *other).then(|| {
            format!(
                "it records the selection {}, not {}",
                serde_json::to_string(self).unwrap_or_default(),
                serde_json::to_string(other).unwrap_or_default()
            )
        })
    }
}

/// How many recordings one window selected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowSelected {
    /// The window's start.
    pub from: Timestamp,
    /// The window's end (exclusive).
    pub to: Timestamp,
    /// Recordings selected in it.
    pub selected: usize,
    /// The first IDs selected (a dry run shows them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_ids: Vec<RecordingId>,
}

/// What a retention job selected, window by window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectionSummary {
    /// The selection.
    #[serde(flatten)]
    pub selection: Selection,
    /// The windows listed (and acted on), newest first.
    pub windows: Vec<WindowSelected>,
    /// How many windows the whole range takes.
    pub windows_total: usize,
    /// Whether every window was listed completely: `false` when a list failed or the job
    /// was stopped; recordings of the windows not listed were not selected.
    pub complete: bool,
    /// Times the windows were listed again after acting (verification), and what was still
    /// listed in the source status acted on again.
    #[serde(default)]
    pub relists: u32,
    /// Listed items not acted on: no usable ID, another status, or created outside the
    /// window.
    #[serde(default)]
    pub skipped: usize,
    /// Why listing stopped early, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_error: Option<String>,
}

impl SelectionSummary {
    /// Recordings selected in all windows.
    pub fn selected(&self) -> usize {
        self.windows.iter().map(|w| w.selected).sum()
    }
}

/// The report of a retention job: the report of a job over IDs (every selected ID in exactly
/// one bucket), and what was selected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectionReport {
    /// Where every selected ID ended up.
    #[serde(flatten)]
    pub report: BulkReport,
    /// What was selected.
    pub selection: SelectionSummary,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServiceType, Timezone};

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).expect("time")
    }

    #[test]
    fn scopes_status_and_filters_round_trip_through_the_query() {
        let owner = Email::new("alice@example.com").expect("email");
        let q = ListQuery::new()
            .owner(owner.clone())
            .topic("Weekly sync")
            .service_type(ServiceType::Calling)
            .timezone(Timezone::new("Europe/Berlin").expect("tz"))
            .from(at("2025-01-01"))
            .to(at("2025-03-01"));
        let s = Selection::new(OperationKind::Trash, &q, "--from --to", UNIX_EPOCH).expect("ok");
        assert_eq!(s.scope, Scope::Owner);
        assert_eq!(s.owner_email.as_ref(), Some(&owner));
        assert_eq!(s.status, RecordingStatus::Available);
        assert_eq!(
            s.filters.keys().map(String::as_str).collect::<Vec<_>>(),
            ["serviceType", "topic"],
            "no timezone: times are compared in UTC"
        );
        let back = s.query(100).expect("query");
        assert_eq!(back.owner_email(), Some(&owner));
        assert_eq!(back.topic_filter(), Some("Weekly sync"));
        assert_eq!(back.status_filter(), Some(RecordingStatus::Available));
        assert_eq!(back.page_size(), Some(100));
        assert_eq!(s.windows().total(), 2);
        let json = serde_json::to_string(&s).expect("json");
        let read: Selection = serde_json::from_str(&json).expect("read");
        assert_eq!(read, s);
        assert_eq!(
            Selection::new(
                OperationKind::Restore,
                &ListQuery::new().to(at("2025-01-01")),
                "",
                UNIX_EPOCH
            )
            .expect("ok")
            .scope,
            Scope::Mine
        );
    }

    #[test]
    fn a_cutoff_before_the_floor_selects_nothing_and_a_moved_range_is_the_same_job() {
        let past = ListQuery::new().to(at("2019-01-01"));
        let empty = Selection::new(OperationKind::Trash, &past, "", UNIX_EPOCH).expect("ok");
        assert_eq!(empty.windows().total(), 0);
        assert_eq!(empty.from, empty.to);
        let reversed = ListQuery::new().from(at("2025-02-01")).to(at("2025-01-01"));
        assert!(matches!(
            Selection::new(OperationKind::Trash, &reversed, "", UNIX_EPOCH),
            Err(ListQueryError::Reversed { .. })
        ));
        let a = Selection::new(
            OperationKind::Trash,
            &ListQuery::new().to(at("2025-01-01")),
            "--older-than 90d",
            UNIX_EPOCH,
        )
        .expect("ok");
        let b = Selection::new(
            OperationKind::Trash,
            &ListQuery::new().to(at("2025-01-02")),
            "--older-than 90d",
            UNIX_EPOCH,
        )
        .expect("ok");
        assert_eq!(a.mismatch(&b), None);
        let c = Selection::new(
            OperationKind::Purge,
            &ListQuery::new().to(at("2025-01-02")),
            "--older-than 90d",
            UNIX_EPOCH,
        )
        .expect("ok");
        assert!(a.mismatch(&c).is_some(), "another status");
        let d = Selection::new(
            OperationKind::Trash,
            &ListQuery::new().admin().to(at("2025-01-02")),
            "--older-than 90d",
            UNIX_EPOCH,
        )
        .expect("ok");
        assert!(a.mismatch(&d).is_some(), "another scope");
    }
}
