//! [`BulkReport`]: where every ID of a bulk job ended up.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{BatchFailure, OperationKind, RecordingId};

/// An ID whose request failed, with what the server (or the connection) said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FailedId {
    /// The recording ID.
    pub id: RecordingId,
    /// Why its batch failed; serialized inline, beside `id`.
    #[serde(flatten)]
    pub failure: BatchFailure,
}

/// The outcome of a bulk job. Its three buckets partition the job's unique input IDs: each
/// is in exactly one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    /// The operation.
    pub operation: OperationKind,
    /// IDs whose request succeeded.
    pub succeeded: Vec<RecordingId>,
    /// IDs whose request failed, with the reason.
    pub failed: Vec<FailedId>,
    /// IDs never sent because the job stopped (on 401 or 403, or when cancelled).
    pub not_attempted: Vec<RecordingId>,
    /// IDs of `succeeded` found already in the target state after an attempt that may have
    /// applied them (a purge answered 410 after a lost answer, or read back).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub already_applied: Vec<RecordingId>,
    /// IDs whose state was read back from the server after the job (all of them with
    /// verification, else those whose outcome was unknown); each is in the bucket the
    /// server's state says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verified: Vec<RecordingId>,
}

impl BulkReport {
    /// Whether every ID succeeded.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty() && self.not_attempted.is_empty()
    }

    /// How many IDs the report accounts for.
    pub fn total(&self) -> usize {
        self.succeeded.len() + self.failed.len() + self.not_attempted.len()
    }

    /// Every ID the report accounts for: the succeeded, the failed, the not attempted.
    pub fn ids(&self) -> impl Iterator<Item = &RecordingId> {
        self.succeeded
            .iter()
            .chain(self.failed.iter().map(|f| &f.id))
            .chain(&self.not_attempted)
    }

    /// Whether the buckets hold exactly `ids` (as a set), each once.
    pub fn partitions(&self, ids: &[RecordingId]) -> bool {
        let expected: HashSet<&RecordingId> = ids.iter().collect();
        let mut seen = HashSet::with_capacity(self.total());
        for id in self.ids() {
            if !expected.contains(id) || !seen.insert(id) {
                return false;
            }
        }
        seen.len() == expected.len()
    }
}
