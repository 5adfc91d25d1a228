//! [`BulkJob`]: the sans-IO state of a bulk job, driven by an adapter.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::MAX_IDS_PER_REQUEST;
use crate::{
    BulkPlan, BulkReport, FailedId, Operation, RecordingId, RecordingIds, Request, Status,
};

/// How a bulk job is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkOptions {
    /// IDs per request, 1 to 100. Default 100.
    pub batch_size: usize,
    /// Most extra requests spent splitting batches that failed for their content. `None`
    /// (the default) allows 16 per planned batch, enough to isolate about one bad ID in
    /// each batch of 100 (isolating one costs 2 × ⌈log2 100⌉ = 14).
    pub max_split_requests: Option<usize>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            batch_size: MAX_IDS_PER_REQUEST,
            max_split_requests: None,
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
    /// True when the request may have been applied although no response came (a timeout or a
    /// connection dropped after sending): check the recording's state before acting again.
    pub outcome_unknown: bool,
}

/// The final result of sending one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchResult {
    /// The server accepted the batch (any 2xx).
    Succeeded,
    /// The batch failed.
    Failed(BatchFailure),
}

/// A batch to send: a valid request over a run of the job's IDs.
#[derive(Debug)]
pub struct Batch<O: Operation> {
    range: Range<usize>,
    request: Request<O>,
}

impl<O: Operation> Batch<O> {
    /// The request to send (and to resend on retries).
    pub fn request(&self) -> &Request<O> {
        &self.request
    }

    /// How many IDs it carries.
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Always `false`: a batch carries at least one ID.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
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
    Failed(usize),
}

/// The state of a bulk job: which batches remain, and where each ID ended.
///
/// An adapter takes batches with [`BulkJob::next_batch`] (several at once for concurrency),
/// sends each with retries, reports the final result with [`BulkJob::complete`], and ends
/// with [`BulkJob::into_report`]. Batches that fail with a status blaming their content
/// (400, 404, 409, 410) are split in halves and retried, within a cap, so that the good IDs
/// still succeed and the bad ones are named. A 401 or 403 stops the job: batches not yet
/// handed out end as `notAttempted`.
///
/// ```
/// use recycle_core::{BatchFailure, BatchResult, BulkJob, BulkOptions, BulkPlan, Trash};
///
/// let plan = BulkPlan::new((0..250).map(|i| format!("rec-{i}")))?;
/// let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
/// let first = job.next_batch().expect("a batch");
/// assert_eq!(first.len(), 100);
/// job.complete(first, BatchResult::Succeeded);
/// let second = job.next_batch().expect("a batch");
/// job.complete(second, BatchResult::Failed(BatchFailure { status: Some(401), ..Default::default() }));
/// assert!(job.next_batch().is_none(), "401 stops the job");
/// let report = job.into_report();
/// assert_eq!((report.succeeded.len(), report.failed.len(), report.not_attempted.len()), (100, 100, 50));
/// # Ok::<(), recycle_core::ValidationError>(())
/// ```
#[derive(Debug)]
pub struct BulkJob<O: Operation> {
    ids: Vec<RecordingId>,
    state: Vec<IdState>,
    failures: Vec<BatchFailure>,
    queue: VecDeque<Range<usize>>,
    in_flight: usize,
    stopped: bool,
    split_requests_left: usize,
    succeeded: usize,
    failed: usize,
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
            .map(|start| start..(start + size).min(ids.len()))
            .collect();
        Self {
            state: vec![IdState::Pending; ids.len()],
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
            op: PhantomData,
        }
    }

    /// The next batch to send, or `None` when none is left or the job has stopped.
    pub fn next_batch(&mut self) -> Option<Batch<O>> {
        if self.stopped {
            return None;
        }
        let range = self.queue.pop_front()?;
        self.in_flight += 1;
        let ids = RecordingIds::from_unique(self.ids[range.clone()].to_vec());
        Some(Batch {
            range,
            request: Request::from_ids(ids),
        })
    }

    /// Records the final result of `batch` (after its retries).
    pub fn complete(&mut self, batch: Batch<O>, result: BatchResult) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let range = batch.range;
        let failure = match result {
            BatchResult::Succeeded => {
                self.settle(range, IdState::Succeeded);
                return;
            }
            BatchResult::Failed(failure) => failure,
        };
        let status = failure.status.map(Status::from_code);
        if status.is_some_and(Status::is_auth) {
            self.stopped = true;
        } else if status.is_some_and(Status::blames_content)
            && range.len() > 1
            && self.split_requests_left >= 2
        {
            self.split_requests_left -= 2;
            let mid = range.start + range.len() / 2;
            self.queue.push_front(mid..range.end);
            self.queue.push_front(range.start..mid);
            return;
        }
        self.failures.push(failure);
        let index = self.failures.len() - 1;
        self.settle(range, IdState::Failed(index));
    }

    fn settle(&mut self, range: Range<usize>, state: IdState) {
        for slot in &mut self.state[range] {
            match (*slot, state) {
                (IdState::Pending, IdState::Succeeded) => self.succeeded += 1,
                (IdState::Pending, IdState::Failed(_)) => self.failed += 1,
                _ => continue, // settled already: a batch completed twice changes nothing
            }
            *slot = state;
        }
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
        };
        for (id, state) in self.ids.into_iter().zip(self.state) {
            match state {
                IdState::Pending => report.not_attempted.push(id),
                IdState::Succeeded => report.succeeded.push(id),
                IdState::Failed(i) => report.failed.push(FailedId {
                    id,
                    failure: self.failures[i].clone(),
                }),
            }
        }
        report
    }
}
