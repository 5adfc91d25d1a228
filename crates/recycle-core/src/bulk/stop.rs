//! [`StopHandle`]: stopping a running bulk job from outside, and keeping its report.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

const RUNNING: u8 = 0;
const STOPPING: u8 = 1;
const ABANDONED: u8 = 2;

/// Stops a bulk job from another thread or task (a signal handler, a UI) while the job
/// still returns its report. Cheap to clone; clones control the same job.
///
/// - [`StopHandle::stop`]: no new batch is sent; batches in flight finish (bounded by the
///   attempt timeout); a batch waiting to retry stops waiting and is reported by what its
///   attempts may have done; the IDs never sent are `notAttempted`.
/// - [`StopHandle::abandon`]: the same, and batches in flight are given up at once (the
///   async client drops them): their IDs are failed with `outcomeUnknown`.
///
/// ```
/// use recycle_core::StopHandle;
///
/// let stop = StopHandle::new();
/// let for_the_handler = stop.clone();
/// assert!(!stop.is_stopped());
/// for_the_handler.stop();
/// assert!(stop.is_stopped() && !stop.is_abandoned());
/// for_the_handler.abandon();
/// assert!(stop.is_abandoned());
/// ```
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicU8>);

impl StopHandle {
    /// A handle of a job that runs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the job to stop after what is in flight.
    pub fn stop(&self) {
        let _ = self
            .0
            .compare_exchange(RUNNING, STOPPING, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Asks the job to stop now, giving up what is in flight.
    pub fn abandon(&self) {
        self.0.store(ABANDONED, Ordering::SeqCst);
    }

    /// Whether [`StopHandle::stop`] or [`StopHandle::abandon`] was called.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst) != RUNNING
    }

    /// For adapters: the next slice of a wait that ends at `deadline`, seen at `now`: `None` when the wait
    /// is over or the job is stopped (then [`StopHandle::is_stopped`] says which), else at
    /// most [`STOP_CHECK_INTERVAL`], so that a stop is noticed soon.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use recycle_core::adapter::STOP_CHECK_INTERVAL;
    /// use recycle_core::StopHandle;
    ///
    /// let stop = StopHandle::new();
    /// let now = Instant::now();
    /// assert_eq!(stop.nap(now + Duration::from_secs(5), now), Some(STOP_CHECK_INTERVAL));
    /// assert_eq!(stop.nap(now, now), None, "over");
    /// stop.stop();
    /// assert_eq!(stop.nap(now + Duration::from_secs(5), now), None, "stopped");
    /// ```
    pub fn nap(
        &self,
        deadline: std::time::Instant,
        now: std::time::Instant,
    ) -> Option<std::time::Duration> {
        if self.is_stopped() {
            return None;
        }
        let left = deadline.saturating_duration_since(now);
        (!left.is_zero()).then(|| left.min(STOP_CHECK_INTERVAL))
    }

    /// Whether [`StopHandle::abandon`] was called.
    pub fn is_abandoned(&self) -> bool {
        self.0.load(Ordering::SeqCst) == ABANDONED
    }
}

/// What a bulk job tells its caller as it goes.
#[derive(Debug)]
pub enum JobEvent<'a> {
    /// A batch with these IDs is about to be sent.
    Sending(&'a [crate::RecordingId]),
    /// A batch finished: the IDs it settled (what a journal records), and the counts so far.
    Settled {
        /// The IDs settled by this batch.
        settled: &'a crate::Settled,
        /// Counts of the whole job so far.
        progress: crate::Progress,
    },
}

/// How long a waiting adapter sleeps at most before looking at its [`StopHandle`] again.
pub const STOP_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_millis(25);
