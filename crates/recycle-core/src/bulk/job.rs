//! [`BulkJob`]: the sans-IO state of a bulk job, driven by an adapter.

use std::collections::VecDeque;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::MAX_IDS_PER_REQUEST;
use crate::{
    BulkPlan, BulkReport, FailedId, Operation, OperationKind, RecordingId, RecordingIds, Request,
    Status,
};

/// Whether `text` names `id`: it occurs between separators (the start or end of the text,
/// whitespace, or one of `, ; : " ' ( ) [ ] { } < > |`), so that `rec` is not named by
/// `rec.v2: not found`.
fn mentions(text: &str, id: &str) -> bool {
    let separator = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | ':' | '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '|'
            )
    };
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        before.is_none_or(separator) && after.is_none_or(separator)
    })
}

#[cfg(test)]
mod mention_tests {
    use super::mentions;

    #[test]
    fn ids_are_named_only_between_separators() {
        assert!(mentions("rec-1: not found", "rec-1"));
        assert!(mentions("Recording(s) not found: a, b and 3 more", "b"));
        assert!(mentions("[\"x\"]", "x"));
        assert!(
            !mentions("rec.v2: not found", "rec"),
            "a prefix of a longer ID"
        );
        assert!(!mentions("rec-10: not found", "rec-1"));
        assert!(!mentions("not found", "found!"));
        assert!(!mentions("a recording", "a-recording"));
        assert!(!mentions("abc", "b"));
    }
}

/// How a bulk job is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkOptions {
    /// IDs per request, 1 to 100. Default 100.
    pub batch_size: usize,
    /// Most extra requests spent splitting batches that failed for their content. `None`
    /// (the default) allows 16 per planned batch, enough to isolate about one bad ID in
    /// each batch of 100 (isolating one costs 2 × ⌈log2 100⌉ = 14).
    pub max_split_requests: Option<usize>,
    /// Read every ID back after the job (one `GET` of its details each, concurrent and
    /// paced like the job) and report what the server's state says. Off by default: then
    /// only the IDs whose outcome is unknown are read back.
    pub verify: bool,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            batch_size: MAX_IDS_PER_REQUEST,
            max_split_requests: None,
            verify: false,
        }
    }
}

/// Extra requests per planned batch that splitting may cost by default.
const DEFAULT_SPLIT_REQUESTS_PER_BATCH: usize = 16;

/// Why a batch failed, once retries are over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchFailure {
    /// HTTP status of the last answer, or null when no response came.
    pub status: Option<u16>,
    /// The Webex error message, or a description of the transport failure.
    pub message: Option<String>,
    /// The Webex `errorCode` of the answer, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The server's tracking ID: the body's trackingId, else the trackingid header.
    pub tracking_id: Option<String>,
    /// The TrackingID header this client sent with the request.
    pub request_tracking_id: Option<String>,
    /// True when the request may have been applied although it failed: an attempt was sent
    /// and got no answer, timed out, or got a 5xx. Check the recording's state (or run with
    /// verification) before acting again.
    pub outcome_unknown: bool,
    /// True when the server refused this ID's batch without naming the IDs it refused, and
    /// the splitting budget ran out before this ID was sent alone: it may be a good ID that
    /// was refused with bad ones.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_isolated: bool,
    /// What the server's error body said (`message`, then each `errors[].description`), for
    /// finding the IDs it names; not part of the report.
    #[serde(skip)]
    #[schemars(skip)]
    pub details: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The final result of sending one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchResult {
    /// The server accepted the batch (any 2xx).
    Succeeded,
    /// The batch failed.
    Failed(BatchFailure),
}

/// A batch to send: a valid request over some of the job's IDs.
#[derive(Debug)]
pub struct Batch<O: Operation> {
    indices: Vec<usize>,
    request: Request<O>,
}

impl<O: Operation> Batch<O> {
    /// The request to send (and to resend on retries).
    pub fn request(&self) -> &Request<O> {
        &self.request
    }

    /// How many IDs it carries.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Always `false`: a batch carries at least one ID.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// The IDs a finished batch settled: one journal entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settled {
    /// IDs that succeeded (those found already applied included).
    #[serde(default)]
    pub succeeded: Vec<RecordingId>,
    /// IDs of `succeeded` found already in the target state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub already_applied: Vec<RecordingId>,
    /// IDs that failed, with the reason.
    #[serde(default)]
    pub failed: Vec<FailedId>,
}

impl Settled {
    /// Whether nothing was settled.
    pub fn is_empty(&self) -> bool {
        self.succeeded.is_empty() && self.failed.is_empty()
    }

    /// Every ID settled: the succeeded, then the failed.
    pub fn ids(&self) -> impl Iterator<Item = &RecordingId> {
        self.succeeded
            .iter()
            .chain(self.failed.iter().map(|f| &f.id))
    }
}

/// Counts of a running job, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Unique IDs in the job.
    pub total: usize,
    /// IDs that succeeded so far.
    pub succeeded: usize,
    /// IDs that failed so far.
    pub failed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdState {
    Pending,
    Succeeded,
    /// Succeeded: found already in the target state after an attempt that may have applied it.
    AlreadyApplied,
    Failed(usize),
}

/// The state of a bulk job: which batches remain, and where each ID ended.
///
/// [`BulkRun`](crate::adapter::BulkRun) drives it: it takes batches with
/// [`BulkJob::next_batch`] (several at once for concurrency), sends each with retries,
/// hands the final result to [`BulkJob::record`], and ends with [`BulkJob::into_report`].
///
/// A batch refused for its content (400, 404, 409, 410) whose error body names some of its
/// IDs fails exactly those, each with a message about itself, and the rest are sent again at
/// once. When the body names none, the batch is split in halves, within a cap; IDs still
/// not isolated when the cap is reached fail marked `notIsolated`. A purge answered 410
/// naming an ID (or, after an attempt that may have been applied, a 410 or 404 for that ID
/// alone) has reached its goal: the ID succeeds, listed in `alreadyApplied`. A 401 or 403 stops the job: batches not yet handed out end as
/// `notAttempted`. No failed ID's message names another ID of its batch.
///
/// ```
/// use recycle_core::adapter::{BatchResult, BulkJob};
/// use recycle_core::{BatchFailure, BulkOptions, BulkPlan, Trash};
///
/// let plan = BulkPlan::new((0..250).map(|i| format!("rec-{i}")))?;
/// let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
/// let first = job.next_batch().expect("a batch");
/// assert_eq!(first.len(), 100);
/// job.record(first, BatchResult::Succeeded);
/// let second = job.next_batch().expect("a batch");
/// job.record(second, BatchResult::Failed(BatchFailure { status: Some(401), ..Default::default() }));
/// assert!(job.next_batch().is_none(), "401 stops the job");
/// let report = job.into_report();
/// assert_eq!((report.succeeded.len(), report.failed.len(), report.not_attempted.len()), (100, 100, 50));
/// # Ok::<(), recycle_core::ValidationError>(())
/// ```
#[derive(Debug)]
pub struct BulkJob<O: Operation> {
    ids: Vec<RecordingId>,
    state: Vec<IdState>,
    /// IDs an attempt of whose batch may have been applied.
    maybe_applied: Vec<bool>,
    failures: Vec<BatchFailure>,
    queue: VecDeque<Vec<usize>>,
    in_flight: usize,
    stopped: bool,
    split_requests_left: usize,
    succeeded: usize,
    failed: usize,
    /// Indices settled since the last [`BulkJob::take_settled`].
    recent: Vec<usize>,
    op: PhantomData<fn() -> O>,
}

impl<O: Operation> BulkJob<O> {
    /// Plans the batches of `plan`.
    pub fn new(plan: BulkPlan, options: BulkOptions) -> Self {
        let size = options.batch_size.clamp(1, MAX_IDS_PER_REQUEST);
        let batches = plan.batch_count(size);
        let ids = plan.into_ids();
        let queue = (0..ids.len())
            .step_by(size)
            .map(|start| (start..(start + size).min(ids.len())).collect())
            .collect();
        Self {
            state: vec![IdState::Pending; ids.len()],
            maybe_applied: vec![false; ids.len()],
            ids,
            failures: Vec::new(),
            queue,
            in_flight: 0,
            stopped: false,
            split_requests_left: options
                .max_split_requests
                .unwrap_or(batches.saturating_mul(DEFAULT_SPLIT_REQUESTS_PER_BATCH)),
            succeeded: 0,
            failed: 0,
            recent: Vec::new(),
            op: PhantomData,
        }
    }

    /// The next batch to send, or `None` when none is left or the job has stopped.
    pub fn next_batch(&mut self) -> Option<Batch<O>> {
        if self.stopped {
            return None;
        }
        let indices = self.queue.pop_front()?;
        self.in_flight += 1;
        let ids = RecordingIds::from_unique(indices.iter().map(|&i| &self.ids[i]));
        Some(Batch {
            indices,
            request: Request::from_ids(ids),
        })
    }

    /// Records the final result of `batch` (after its retries).
    pub fn record(&mut self, batch: Batch<O>, result: BatchResult) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let indices = batch.indices;
        let failure = match result {
            BatchResult::Succeeded => {
                self.settle(&indices, IdState::Succeeded);
                return;
            }
            BatchResult::Failed(failure) => failure,
        };
        if failure.outcome_unknown {
            for &i in &indices {
                self.maybe_applied[i] = true;
            }
        }
        let status = failure.status.map(Status::from_code);
        if status.is_some_and(Status::is_auth) {
            self.stopped = true;
        }
        match status.filter(|s| s.blames_content()) {
            Some(status) => self.refused(indices, status, failure),
            None => self.fail_all(&indices, failure, false, false),
        }
    }

    /// A batch refused for its content: use the IDs the server named, else split.
    fn refused(&mut self, indices: Vec<usize>, status: Status, failure: BatchFailure) {
        let named = self.named(&indices, &failure);
        let gone = O::KIND == OperationKind::Purge && matches!(status.code(), 404 | 410);
        let (mut done, mut rest) = (Vec::new(), Vec::new());
        for &i in &indices {
            // A purge answered "gone" has reached its goal: a 410 naming the ID says it is
            // purged, whoever purged it. After an attempt that may have been applied, a 410
            // or 404 naming nothing says so too, for a batch of one (in a larger batch it may
            // be about another ID). A 404 that names IDs says they do not exist. The IDs
            // found this way are read back after the job to confirm it.
            let named_gone = status.code() == 410 && named.contains(&i);
            let alone_gone = named.is_empty() && indices.len() == 1 && self.maybe_applied[i];
            let reached = gone && (named_gone || alone_gone);
            if reached {
                done.push(i);
            } else {
                rest.push(i);
            }
        }
        self.settle(&done, IdState::AlreadyApplied);
        if !named.is_empty() {
            let mut unnamed = Vec::new();
            for i in rest {
                if named.contains(&i) {
                    let own = self.own_message(i, &indices, status, &failure);
                    // Named in a refusal: not applied by this attempt, but an earlier one may
                    // have applied it (a server may name recordings already in the target
                    // state), so then it stays unknown, to be read back.
                    let single = BatchFailure {
                        message: Some(own),
                        outcome_unknown: self.maybe_applied[i],
                        details: Vec::new(),
                        ..failure.clone()
                    };
                    self.fail_all(&[i], single, false, true);
                } else {
                    unnamed.push(i);
                }
            }
            if !unnamed.is_empty() {
                // A server that applies the acceptable IDs of a refused batch may have
                // applied these already.
                for &i in &unnamed {
                    self.maybe_applied[i] = true;
                }
                self.queue.push_front(unnamed);
            }
            return;
        }
        if rest.is_empty() {
            return;
        }
        if rest.len() > 1 && self.split_requests_left >= 2 {
            self.split_requests_left -= 2;
            let second = rest.split_off(rest.len() / 2);
            self.queue.push_front(second);
            self.queue.push_front(rest);
            return;
        }
        let isolated = rest.len() == 1;
        let message = if isolated {
            self.own_message(rest[0], &indices, status, &failure)
        } else {
            format!(
                "{} {}: refused with its batch and not isolated (the server named none of the batch's \
                 recordings, and the splitting budget ran out)",
                status.code(),
                status.name()
            )
        };
        let failure = BatchFailure {
            message: Some(message),
            details: Vec::new(),
            ..failure
        };
        self.fail_all(&rest, failure, !isolated, false);
    }

    /// The batch's IDs that the server's answer names.
    fn named(&self, indices: &[usize], failure: &BatchFailure) -> Vec<usize> {
        let texts: Vec<&str> = failure
            .details
            .iter()
            .map(String::as_str)
            .chain(failure.message.as_deref())
            .collect();
        indices
            .iter()
            .copied()
            .filter(|&i| texts.iter().any(|t| mentions(t, self.ids[i].as_str())))
            .collect()
    }

    /// A message about ID `i` alone: the server's words about it when they name no other ID
    /// of the batch, else the status.
    fn own_message(
        &self,
        i: usize,
        batch: &[usize],
        status: Status,
        failure: &BatchFailure,
    ) -> String {
        let others = |text: &str| {
            batch
                .iter()
                .any(|&j| j != i && mentions(text, self.ids[j].as_str()))
        };
        failure
            .details
            .iter()
            .chain(&failure.message)
            .find(|t| mentions(t, self.ids[i].as_str()) && !others(t))
            .cloned()
            // A batch of one: whatever the server said is about this ID.
            .or_else(|| failure.message.clone().filter(|_| batch.len() == 1))
            .unwrap_or_else(|| {
                format!(
                    "{} {}: the server refused this recording",
                    status.code(),
                    status.name()
                )
            })
    }

    /// Fails `indices` with `failure`, its message cleared of the batch's IDs. Unless the
    /// failure is `definite`, IDs an earlier attempt may have applied are marked
    /// `outcomeUnknown`.
    fn fail_all(
        &mut self,
        indices: &[usize],
        mut failure: BatchFailure,
        not_isolated: bool,
        definite: bool,
    ) {
        let pending: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| self.state[i] == IdState::Pending)
            .collect();
        if pending.is_empty() {
            return;
        }
        if !definite && !failure.outcome_unknown {
            let (maybe, sure): (Vec<usize>, Vec<usize>) =
                pending.iter().partition(|&&i| self.maybe_applied[i]);
            if !maybe.is_empty() && !sure.is_empty() {
                let unknown = BatchFailure {
                    outcome_unknown: true,
                    ..failure.clone()
                };
                self.fail_all(&maybe, unknown, not_isolated, false);
                self.fail_all(&sure, failure, not_isolated, false);
                return;
            }
            failure.outcome_unknown = !maybe.is_empty();
        }
        let names_other = |m: &str| {
            (pending.len() > 1 && pending.iter().any(|&i| mentions(m, self.ids[i].as_str())))
                || (pending.len() == 1
                    && indices
                        .iter()
                        .any(|&j| j != pending[0] && mentions(m, self.ids[j].as_str())))
        };
        if failure.message.as_deref().is_some_and(names_other) {
            let status = failure.status.map(Status::from_code);
            failure.message = Some(match status {
                Some(s) => format!(
                    "{} {} (the server's message named other recordings of the batch)",
                    s.code(),
                    s.name()
                ),
                None => "the request failed".to_owned(),
            });
        }
        failure.not_isolated = not_isolated;
        failure.details = Vec::new();
        self.failures.push(failure);
        let index = self.failures.len() - 1;
        self.settle(&pending, IdState::Failed(index));
    }

    fn settle(&mut self, indices: &[usize], state: IdState) {
        for &i in indices {
            let slot = &mut self.state[i];
            match (*slot, state) {
                (IdState::Pending, IdState::Succeeded | IdState::AlreadyApplied) => {
                    self.succeeded += 1;
                }
                (IdState::Pending, IdState::Failed(_)) => self.failed += 1,
                _ => continue, // settled already: a batch completed twice changes nothing
            }
            *slot = state;
            self.recent.push(i);
        }
    }

    /// The IDs settled since the last call, with how each ended: what a journal records
    /// after each batch.
    pub fn take_settled(&mut self) -> Settled {
        let mut settled = Settled::default();
        for i in std::mem::take(&mut self.recent) {
            let id = self.ids[i].clone();
            match self.state[i] {
                IdState::Succeeded => settled.succeeded.push(id),
                IdState::AlreadyApplied => {
                    settled.already_applied.push(id.clone());
                    settled.succeeded.push(id);
                }
                IdState::Failed(f) => settled.failed.push(FailedId {
                    id,
                    failure: self.failures[f].clone(),
                }),
                IdState::Pending => {}
            }
        }
        settled
    }

    /// Gives `batch` back without a result, because the job was stopped while it waited to
    /// retry, or abandoned while it was in flight. If an attempt may have been applied its
    /// IDs fail with `outcomeUnknown`; otherwise they stay unsent (`notAttempted`).
    pub fn interrupt(&mut self, batch: Batch<O>, may_have_been_applied: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.stopped = true;
        if may_have_been_applied {
            let failure = BatchFailure {
                message: Some(
                    "the job was stopped while this batch was in flight or waiting to retry; an attempt may have applied it"
                        .to_owned(),
                ),
                outcome_unknown: true,
                ..BatchFailure::default()
            };
            self.fail_all(&batch.indices, failure, false, true);
        }
    }

    /// The IDs of `batch`.
    pub fn ids_of(&self, batch: &Batch<O>) -> Vec<RecordingId> {
        batch.indices.iter().map(|&i| self.ids[i].clone()).collect()
    }

    /// Stops handing out batches; those not handed out end as `notAttempted`.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether the job has stopped early (401/403 or [`BulkJob::stop`]).
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Whether nothing is in flight and nothing more will be handed out.
    pub fn is_finished(&self) -> bool {
        self.in_flight == 0 && (self.stopped || self.queue.is_empty())
    }

    /// Counts so far.
    pub fn progress(&self) -> Progress {
        Progress {
            total: self.ids.len(),
            succeeded: self.succeeded,
            failed: self.failed,
        }
    }

    /// The report: every ID in exactly one bucket, in input order within each. IDs whose
    /// batch never completed are `notAttempted`.
    pub fn into_report(self) -> BulkReport {
        let mut report = BulkReport {
            operation: O::KIND,
            succeeded: Vec::with_capacity(self.succeeded),
            failed: Vec::with_capacity(self.failed),
            not_attempted: Vec::new(),
            already_applied: Vec::new(),
            verified: Vec::new(),
        };
        let stopped_unknown = BatchFailure {
            message: Some(
                "the job stopped before this recording was sent again; an earlier attempt may have applied it"
                    .to_owned(),
            ),
            outcome_unknown: true,
            ..BatchFailure::default()
        };
        let states = self.state.into_iter().zip(self.maybe_applied);
        for (id, (state, maybe)) in self.ids.into_iter().zip(states) {
            match state {
                IdState::Pending if maybe => report.failed.push(FailedId {
                    id,
                    failure: stopped_unknown.clone(),
                }),
                IdState::Pending => report.not_attempted.push(id),
                IdState::Succeeded => report.succeeded.push(id),
                IdState::AlreadyApplied => {
                    report.already_applied.push(id.clone());
                    report.succeeded.push(id);
                }
                IdState::Failed(i) => report.failed.push(FailedId {
                    id,
                    failure: self.failures[i].clone(),
                }),
            }
        }
        report
    }
}
