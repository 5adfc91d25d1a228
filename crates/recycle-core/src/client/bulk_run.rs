//! [`BulkRun`]: a bulk job with a `TrackingID` and an [`Exchange`] per batch.

use super::{Completed, Engine, Exchange};
use crate::{Batch, BulkJob, BulkReport, Operation, Progress};

/// A running bulk job. Take batches with [`BulkRun::next`] (several at once for
/// concurrency), drive each [`Exchange`] to completion, hand the result back with
/// [`BulkRun::complete`], and finish with [`BulkRun::into_report`].
#[derive(Debug)]
pub struct BulkRun<'e, O: Operation> {
    engine: &'e Engine,
    job: BulkJob<O>,
    span: tracing::Span,
}

impl<'e, O: Operation> BulkRun<'e, O> {
    pub(super) fn new(engine: &'e Engine, job: BulkJob<O>, span: tracing::Span) -> Self {
        Self { engine, job, span }
    }

    /// The next batch and the exchange that sends it, or `None` when none is left or the
    /// job stopped (401/403).
    pub fn next_batch(&mut self) -> Option<(Batch<O>, Exchange)> {
        let batch = self.job.next_batch()?;
        let tracking = self.engine.tracking_id();
        let span = tracing::info_span!(
            parent: &self.span,
            "recycle.batch",
            operation = %O::KIND,
            batch_size = batch.len(),
            tracking_id = %tracking,
        );
        let request = self.engine.api().action(batch.request(), &tracking);
        Some((batch, self.engine.exchange(request, tracking, span)))
    }

    /// Records a batch's final result; returns the progress so far.
    pub fn complete(&mut self, batch: Batch<O>, done: Completed) -> Progress {
        self.job.complete(batch, done.into_batch());
        let progress = self.job.progress();
        let _entered = self.span.enter();
        tracing::debug!(
            succeeded = progress.succeeded,
            failed = progress.failed,
            total = progress.total,
            "batch complete"
        );
        progress
    }

    /// Whether every batch handed out is complete and none is left.
    pub fn is_finished(&self) -> bool {
        self.job.is_finished()
    }

    /// The job's span.
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// The report: every unique input ID in exactly one bucket.
    pub fn into_report(self) -> BulkReport {
        let report = self.job.into_report();
        let _entered = self.span.enter();
        tracing::info!(
            succeeded = report.succeeded.len(),
            failed = report.failed.len(),
            not_attempted = report.not_attempted.len(),
            "bulk job finished"
        );
        report
    }
}
