//! [`Store`]: the recordings and the recycle-bin transitions, applied atomically per request.

use std::collections::HashMap;

use recycle_core::{CallerRole, OperationKind, Recording, Target};
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
    pub(crate) format: &'static str,
    pub(crate) service_type: &'static str,
    pub(crate) duration_seconds: u64,
    pub(crate) size_bytes: u64,
    pub(crate) owner_email: String,
    pub(crate) owner_id: String,
    pub(crate) storage_region: &'static str,
    pub(crate) state: RecordingState,
}

impl SimRecording {
    /// The recording as the list endpoints show it.
    pub(crate) fn to_api(&self) -> Recording {
        Recording {
            id: Some(self.id.clone()),
            topic: Some(self.topic.clone()),
            create_time: Some(self.create_time.clone()),
            time_recorded: Some(self.time_recorded.clone()),
            format: Some(self.format.to_owned()),
            service_type: Some(self.service_type.to_owned()),
            duration_seconds: Some(self.duration_seconds),
            size_bytes: Some(self.size_bytes),
            status: Some(
                match self.state {
                    RecordingState::Available => "available",
                    RecordingState::Deleted | RecordingState::Purged => "deleted",
                }
                .to_owned(),
            ),
            owner_id: Some(self.owner_id.clone()),
            owner_email: Some(self.owner_email.clone()),
            owner_type: Some("user".to_owned()),
            storage_region: Some(self.storage_region.to_owned()),
            extra: serde_json::Map::new(),
        }
    }
}

/// One recording's ID, owner and state, as [`SimHandle::recordings`](crate::SimHandle::recordings) reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingSummary {
    /// The recording ID.
    pub id: String,
    /// The owner's email.
    pub owner_email: String,
    /// Where it is.
    pub state: RecordingState,
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

/// Which recordings a list shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListFilter<'a> {
    pub(crate) owner: Option<&'a str>,
    pub(crate) state: Option<RecordingState>,
    pub(crate) from: Option<i64>,
    pub(crate) to: Option<i64>,
}

/// All recordings, in creation order, with an index by ID.
#[derive(Debug, Default)]
pub(crate) struct Store {
    recordings: Vec<SimRecording>,
    index: HashMap<String, usize>,
}

impl Store {
    pub(crate) fn new(recordings: Vec<SimRecording>) -> Self {
        let index = recordings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Self { recordings, index }
    }

    /// Applies `op` to `target` for `caller`, all or nothing. Returns how many recordings
    /// changed state.
    pub(crate) fn apply(
        &mut self,
        op: OperationKind,
        target: &Target,
        caller: Caller<'_>,
    ) -> Result<usize, Refusal> {
        let indices: Vec<usize> = match target {
            Target::Ids(ids) => {
                self.check_ids(op, ids.as_slice().iter().map(|i| i.as_str()), caller)?
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
        let mut changed = 0;
        for i in indices {
            let rec = &mut self.recordings[i];
            let next = match (op, rec.state) {
                (OperationKind::Trash, RecordingState::Available) => RecordingState::Deleted,
                (OperationKind::Restore, RecordingState::Deleted) => RecordingState::Available,
                (OperationKind::Purge, RecordingState::Deleted) => RecordingState::Purged,
                _ => continue,
            };
            rec.state = next;
            changed += 1;
        }
        Ok(changed)
    }

    /// The indices of the IDs, or the refusal naming every offending ID of the first kind
    /// found: malformed 400, unknown (or another user's) 404, purged 410, not in the bin for
    /// purge 409.
    fn check_ids<'a>(
        &self,
        op: OperationKind,
        ids: impl Iterator<Item = &'a str>,
        caller: Caller<'_>,
    ) -> Result<Vec<usize>, Refusal> {
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
            return Err(refuse(400, what, "not a recording ID", malformed));
        }
        if !missing.is_empty() {
            return Err(refuse(404, "Recording(s) not found", "not found", missing));
        }
        if !gone.is_empty() {
            return Err(refuse(
                410,
                "Recording(s) already purged from the recycle bin",
                "purged",
                gone,
            ));
        }
        if !conflict.is_empty() {
            let what = "Recording(s) not in the recycle bin, so they cannot be purged";
            return Err(refuse(409, what, "not in the recycle bin", conflict));
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

    /// The listable recordings matching `filter`, in creation order.
    pub(crate) fn list(&self, filter: &ListFilter<'_>) -> Vec<&SimRecording> {
        self.recordings
            .iter()
            .filter(|r| r.state != RecordingState::Purged)
            .filter(|r| filter.state.is_none_or(|s| r.state == s))
            .filter(|r| {
                filter
                    .owner
                    .is_none_or(|o| r.owner_email.eq_ignore_ascii_case(o))
            })
            .filter(|r| filter.from.is_none_or(|f| r.create_unix >= f))
            .filter(|r| filter.to.is_none_or(|t| r.create_unix < t))
            .collect()
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
                state: r.state,
            })
            .collect()
    }
}

/// Whether `id` has the shape of the simulator's recording IDs: 32 lowercase hex digits.
fn is_recording_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Names up to 20 IDs, then how many more.
fn name_list(ids: &[String]) -> String {
    let mut s = ids.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 20 {
        s.push_str(&format!(" and {} more", ids.len() - 20));
    }
    s
}
