//! [`Store`]: the recordings and the recycle-bin transitions, applied atomically per request.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use recycle_core::{
    CallerRole, ListQuery, OperationKind, OwnerType, Recording, RecordingFormat, RecordingStatus,
    ServiceData, ServiceType, StorageRegion, Target,
};
use serde::Serialize;

/// Where a recording is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordingState {
    /// Listed with `status=available`.
    Available,
    /// In the recycle bin, listed with `status=deleted`.
    Deleted,
    /// Purged for good: not listable, not restorable.
    Purged,
}

/// A recording as the simulator keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SimRecording {
    pub(crate) id: String,
    pub(crate) topic: String,
    pub(crate) create_unix: i64,
    pub(crate) create_time: String,
    pub(crate) time_recorded: String,
    pub(crate) service_type: ServiceType,
    pub(crate) duration_seconds: u64,
    pub(crate) size_bytes: u64,
    pub(crate) owner_email: String,
    pub(crate) owner_id: String,
    pub(crate) owner_type: OwnerType,
    pub(crate) storage_region: StorageRegion,
    pub(crate) location_id: String,
    pub(crate) call_session_id: String,
    pub(crate) state: RecordingState,
    /// With a list lag: when the state changed, and what it was before, oldest first.
    pub(crate) history: Vec<(Instant, RecordingState)>,
}

impl SimRecording {
    /// The recording as the details endpoint shows it.
    pub(crate) fn to_api(&self) -> Recording {
        self.to_api_in(self.state)
    }

    /// The state a list sees: the state at `cutoff` (changes after it are not seen yet),
    /// or the current one.
    fn listed_state(&self, cutoff: Option<Instant>) -> RecordingState {
        cutoff
            .and_then(|c| self.history.iter().find(|(t, _)| *t > c))
            .map_or(self.state, |&(_, before)| before)
    }

    /// The recording as it is shown in `state`.
    pub(crate) fn to_api_in(&self, state: RecordingState) -> Recording {
        Recording {
            id: Some(self.id.clone()),
            topic: Some(self.topic.clone()),
            create_time: Some(self.create_time.clone()),
            time_recorded: Some(self.time_recorded.clone()),
            format: Some(RecordingFormat::Mp3.as_str().to_owned()),
            service_type: Some(self.service_type.as_str().to_owned()),
            duration_seconds: Some(self.duration_seconds.into()),
            size_bytes: Some(self.size_bytes.into()),
            status: Some(state.status().as_str().to_owned()),
            owner_id: Some(self.owner_id.clone()),
            owner_email: Some(self.owner_email.clone()),
            owner_type: Some(self.owner_type.as_str().to_owned()),
            storage_region: Some(self.storage_region.as_str().to_owned()),
            service_data: Some(ServiceData {
                location_id: Some(self.location_id.clone()),
                call_session_id: Some(self.call_session_id.clone()),
                extra: serde_json::Map::new(),
            }),
            extra: serde_json::Map::new(),
        }
    }

    /// Whether the recording passes every filter of `query` (not the range or the owner).
    fn matches(&self, query: &ListQuery) -> bool {
        query
            .service_type_filter()
            .is_none_or(|v| v == self.service_type)
            && query
                .owner_type_filter()
                .is_none_or(|v| v == self.owner_type)
            && query
                .storage_region_filter()
                .is_none_or(|v| v == self.storage_region)
            && query
                .location_id_filter()
                .is_none_or(|v| v == self.location_id)
            && query.owner_id_filter().is_none_or(|v| v == self.owner_id)
            && query
                .owner_email()
                .is_none_or(|e| self.owner_email.eq_ignore_ascii_case(e.as_str()))
            && query
                .topic_filter()
                .is_none_or(|t| self.topic.to_lowercase().contains(&t.to_lowercase()))
    }
}

impl RecordingState {
    /// The `status` the API shows and lists it under.
    pub fn status(self) -> RecordingStatus {
        match self {
            Self::Available => RecordingStatus::Available,
            Self::Deleted => RecordingStatus::Deleted,
            Self::Purged => RecordingStatus::Purged,
        }
    }
}

/// One recording's ID, owner, creation time and state, as
/// [`SimHandle::recordings`](crate::SimHandle::recordings) reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingSummary {
    /// The recording ID.
    pub id: String,
    /// The owner's email.
    pub owner_email: String,
    /// When it was created (`createTime`).
    pub create_time: String,
    /// Where it is.
    pub state: RecordingState,
}

/// What a batch of IDs does when some of them cannot be acted on; Webex does not document
/// it, so the simulator offers each reading and the clients must report the truth under all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchSemantics {
    /// Nothing changes; the refusal names the offending IDs (the default).
    #[default]
    Atomic,
    /// The acceptable IDs are acted on; the refusal names the others.
    Partial,
    /// The acceptable IDs are acted on, the others silently ignored: 204.
    Lenient,
}

impl std::str::FromStr for BatchSemantics {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "atomic" => Ok(Self::Atomic),
            "partial" => Ok(Self::Partial),
            "lenient" => Ok(Self::Lenient),
            _ => Err(format!("{s:?} is not atomic, partial or lenient")),
        }
    }
}

/// Why a request was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) message: String,
    /// One line per offending ID, such as `"abc: not found"`.
    pub(crate) details: Vec<String>,
}

/// Who is acting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller<'a> {
    pub(crate) email: &'a str,
    pub(crate) role: CallerRole,
}

/// All recordings, in creation order, with an index by ID.
#[derive(Debug)]
pub(crate) struct Store {
    recordings: Vec<SimRecording>,
    index: HashMap<String, usize>,
    /// How late lists see state changes; zero: at once.
    list_lag: Duration,
    /// When the store was made: no change is older.
    created: Instant,
    /// Changes made so far: a page mark is good only while this stands still.
    changes: u64,
    /// Where recent listings' next pages start (see [`Store::page`]).
    marks: Vec<PageMark>,
}

/// Where the next page of a listing starts: offset paging would otherwise skip every
/// earlier item of the window again on each page (quadratic in the window's size).
#[derive(Debug, Clone)]
struct PageMark {
    /// The listing: its query without the offset, and the caller's scope.
    key: String,
    /// `Store::changes` when it was made.
    changes: u64,
    /// The offset of the page it starts.
    offset: usize,
    /// One past the position, in the store, of that page's first item (lists run newest
    /// first, so down from here).
    below: usize,
}

/// Listings remembered at once (several clients may page at the same time).
const MAX_MARKS: usize = 16;

impl Store {
    pub(crate) fn new(recordings: Vec<SimRecording>, list_lag: Duration) -> Self {
        let index = recordings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Self {
            recordings,
            index,
            list_lag,
            created: Instant::now(),
            changes: 0,
            marks: Vec::new(),
        }
    }

    /// The instant whose state lists show now: `None` without a lag. A lag that reaches
    /// back past the store's start shows the state before every change.
    fn list_cutoff(&self) -> Option<Instant> {
        if self.list_lag.is_zero() {
            return None;
        }
        let cutoff = Instant::now().checked_sub(self.list_lag);
        Some(cutoff.map_or(self.created, |c| c.max(self.created)))
    }

    /// Applies `op` to `target` for `caller`, a batch of IDs as `semantics` says. Returns how
    /// many recordings changed state, or the refusal (after applying the acceptable IDs, for
    /// [`BatchSemantics::Partial`]).
    pub(crate) fn apply(
        &mut self,
        op: OperationKind,
        target: &Target,
        caller: Caller<'_>,
        semantics: BatchSemantics,
    ) -> Result<usize, Refusal> {
        let indices: Vec<usize> = match target {
            Target::Ids(ids) => {
                let ids = ids.iter();
                match (self.check_ids(op, ids, caller), semantics) {
                    (Ok(found), _) => found,
                    (Err((_, refusal)), BatchSemantics::Atomic) => return Err(refusal),
                    (Err((found, refusal)), BatchSemantics::Partial) => {
                        self.transition(op, found);
                        return Err(refusal);
                    }
                    (Err((found, _)), BatchSemantics::Lenient) => found,
                }
            }
            Target::AllMine => self.owned_by(caller.email),
            Target::AllOf(owner) => {
                let owned = self.owned_by(owner.as_str());
                if owned.is_empty() && !self.has_owner(owner.as_str()) {
                    return Err(Refusal {
                        status: 404,
                        message: format!(
                            "No user with email {owner} was found in the organization"
                        ),
                        details: Vec::new(),
                    });
                }
                owned
            }
        };
        Ok(self.transition(op, indices))
    }

    /// Moves the recordings at `indices` as `op` does; returns how many changed.
    fn transition(&mut self, op: OperationKind, indices: Vec<usize>) -> usize {
        self.changes += 1;
        let mut changed = 0;
        let now = Instant::now();
        let cutoff = self.list_cutoff();
        for i in indices {
            let rec = &mut self.recordings[i];
            let next = match (op, rec.state) {
                (OperationKind::Trash, RecordingState::Available) => RecordingState::Deleted,
                (OperationKind::Restore, RecordingState::Deleted) => RecordingState::Available,
                (OperationKind::Purge, RecordingState::Deleted) => RecordingState::Purged,
                _ => continue,
            };
            if !self.list_lag.is_zero() {
                // Changes older than the lag are seen by every list: forget them.
                rec.history.retain(|(t, _)| cutoff.is_none_or(|c| *t > c));
                rec.history.push((now, rec.state));
            }
            rec.state = next;
            changed += 1;
        }
        changed
    }

    /// The indices of the IDs, or the acceptable ones and the refusal naming every offending
    /// ID of the first kind found: malformed 400, unknown (or another user's) 404, purged 410,
    /// not in the bin for purge 409.
    fn check_ids<'a>(
        &self,
        op: OperationKind,
        ids: impl Iterator<Item = &'a str>,
        caller: Caller<'_>,
    ) -> Result<Vec<usize>, (Vec<usize>, Refusal)> {
        let (mut malformed, mut missing, mut gone, mut conflict, mut found) =
            (vec![], vec![], vec![], vec![], vec![]);
        for id in ids {
            if !is_recording_id(id) {
                malformed.push(id.to_owned());
                continue;
            }
            let visible = self.index.get(id).copied().filter(|&i| {
                caller.role == CallerRole::Admin || self.recordings[i].owner_email == caller.email
            });
            match visible.map(|i| (i, self.recordings[i].state)) {
                None => missing.push(id.to_owned()),
                Some((_, RecordingState::Purged)) => gone.push(id.to_owned()),
                Some((_, RecordingState::Available)) if op == OperationKind::Purge => {
                    conflict.push(id.to_owned());
                }
                Some((i, _)) => found.push(i),
            }
        }
        let refuse = |status, what: &str, detail: &str, ids: Vec<String>| Refusal {
            status,
            message: format!("{what}: {}", name_list(&ids)),
            details: ids.iter().map(|id| format!("{id}: {detail}")).collect(),
        };
        if !malformed.is_empty() {
            let what = "Invalid recording ID(s)";
            return Err((found, refuse(400, what, "not a recording ID", malformed)));
        }
        if !missing.is_empty() {
            return Err((
                found,
                refuse(404, "Recording(s) not found", "not found", missing),
            ));
        }
        if !gone.is_empty() {
            return Err((
                found,
                refuse(
                    410,
                    "Recording(s) already purged from the recycle bin",
                    "purged",
                    gone,
                ),
            ));
        }
        if !conflict.is_empty() {
            let what = "Recording(s) not in the recycle bin, so they cannot be purged";
            return Err((found, refuse(409, what, "not in the recycle bin", conflict)));
        }
        Ok(found)
    }

    fn owned_by(&self, email: &str) -> Vec<usize> {
        (0..self.recordings.len())
            .filter(|&i| self.recordings[i].owner_email.eq_ignore_ascii_case(email))
            .collect()
    }

    fn has_owner(&self, email: &str) -> bool {
        self.recordings
            .iter()
            .any(|r| r.owner_email.eq_ignore_ascii_case(email))
    }

    /// The page at `offset` of the recordings created in `[from, to)` that are in `status`
    /// (as lists see it, a list lag behind), belong to `owner` (when given) and pass
    /// `query`'s filters, newest first: at most `max` items, and whether more follow. `key` names the listing (its query without the offset, and the caller);
    /// when the page before it was asked for and nothing changed since, the scan starts
    /// where that page ended instead of skipping `offset` items again. The items are the
    /// same either way.
    pub(crate) fn page(
        &mut self,
        key: &str,
        query: &ListQuery,
        owner: Option<&str>,
        (from, to): (i64, i64),
        offset: usize,
        max: usize,
    ) -> (Vec<Recording>, bool) {
        let status = query.status_filter().unwrap_or(RecordingStatus::Available);
        let cutoff = self.list_cutoff();
        let start = self.recordings.partition_point(|r| r.create_unix < from);
        let end = self
            .recordings
            .partition_point(|r| r.create_unix < to)
            .max(start);
        // With a list lag, what lists see changes by itself: no mark is trusted.
        let mark = self.list_lag.is_zero().then(|| {
            self.marks
                .iter()
                .position(|m| m.key == key && m.changes == self.changes && m.offset == offset)
        });
        let (below, skip) = match mark.flatten() {
            Some(i) => (self.marks.swap_remove(i).below.clamp(start, end), 0),
            None => (end, offset),
        };
        let mut found: Vec<(usize, RecordingState)> = Vec::with_capacity(max.min(1_000) + 1);
        let mut skipped = 0;
        for i in (start..below).rev() {
            let r = &self.recordings[i];
            let state = r.listed_state(cutoff);
            if state.status() != status
                || !owner.is_none_or(|o| r.owner_email.eq_ignore_ascii_case(o))
                || !r.matches(query)
            {
                continue;
            }
            if skipped < skip {
                skipped += 1;
                continue;
            }
            found.push((i, state));
            if found.len() > max {
                break;
            }
        }
        let more = found.len() > max;
        if more && self.list_lag.is_zero() {
            if self.marks.len() >= MAX_MARKS {
                self.marks.remove(0);
            }
            self.marks.push(PageMark {
                key: key.to_owned(),
                changes: self.changes,
                offset: offset + max,
                below: found[max].0 + 1,
            });
        }
        found.truncate(max);
        let items = found
            .into_iter()
            .map(|(i, state)| self.recordings[i].to_api_in(state))
            .collect();
        (items, more)
    }

    /// The recording `id`, purged ones included.
    pub(crate) fn get(&self, id: &str) -> Option<&SimRecording> {
        self.index.get(id).map(|&i| &self.recordings[i])
    }

    /// Where the recording `id` is.
    pub(crate) fn state_of(&self, id: &str) -> Option<RecordingState> {
        self.index.get(id).map(|&i| self.recordings[i].state)
    }

    /// Every recording's ID, owner and state, purged ones included.
    pub(crate) fn summaries(&self) -> Vec<RecordingSummary> {
        self.recordings
            .iter()
            .map(|r| RecordingSummary {
                id: r.id.clone(),
                owner_email: r.owner_email.clone(),
                create_time: r.create_time.clone(),
                state: r.state,
            })
            .collect()
    }
}

/// Whether `id` has the shape of a Webex recording ID: 32 hex digits, or a dashed UUID
/// (8-4-4-4-12 hex digits), as in Webex's examples.
pub(crate) fn is_recording_id(id: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let b = id.as_bytes();
    match b.len() {
        32 => hex(id),
        36 => {
            [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
                && id.split('-').map(str::len).eq([8, 4, 4, 4, 12])
                && id.split('-').all(hex)
        }
        _ => false,
    }
}

/// Names up to 20 IDs, then how many more.
fn name_list(ids: &[String]) -> String {
    let mut s = ids.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 20 {
        s.push_str(&format!(" and {} more", ids.len() - 20));
    }
    s
}
