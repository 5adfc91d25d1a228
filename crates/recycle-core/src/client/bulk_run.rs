//! [`BulkRun`]: a bulk job with a `TrackingID` and an [`Exchange`] per batch.

use std::time::Duration;

use super::{Completed, Drive, Engine, Exchange};
use crate::{
    Batch, BulkJob, BulkReport, HttpRequest, HttpResponse, JobEvent, Operation, Progress, ReadBack,
    RecordingId, Settled, StopHandle, TransportError,
};

/// A running bulk job. Take batches with [`BulkRun::next_exchange`] (several at once for
/// concurrency), drive each [`Exchange`] (see [`Drive`]), hand the result back with
/// [`BulkRun::record`], and finish with [`BulkRun::into_settling`]. [`BulkRun::run`] does
/// all of it with a blocking transport, one batch at a time.
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
    pub fn next_exchange(&mut self) -> Option<(Batch<O>, Exchange)> {
        let batch = self.job.next_batch()?;
        let tracking = self.engine.tracking_id();
        let span = tracing::info_span!(
            parent: &self.span,
            "recycle.batch",
            operation = %O::KIND,
            batch_size = batch.len(),
            tracking_id = %tracking,
        );
        let request = self.engine.api().operation(batch.request(), &tracking);
        Some((batch, self.engine.exchange(request, tracking, span)))
    }

    /// Records a batch's final result; returns the progress so far.
    fn record_done(&mut self, batch: Batch<O>, done: Completed) -> Progress {
        self.job.record(batch, done.into_batch());
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

    /// Gives `batch` back without a result (see [`BulkJob::interrupt`](crate::BulkJob::interrupt)).
    pub fn interrupt(&mut self, batch: Batch<O>, may_have_been_applied: bool) {
        self.job.interrupt(batch, may_have_been_applied);
    }

    /// Records how driving `batch` ended (a result, or the exchange given back when the job
    /// was stopped) and tells `on_event` what it settled.
    pub fn record(
        &mut self,
        batch: Batch<O>,
        driven: Result<Completed, Box<Exchange>>,
        on_event: &mut impl FnMut(JobEvent<'_>),
    ) {
        let progress = match driven {
            Ok(done) => self.record_done(batch, done),
            Err(exchange) => {
                self.interrupt(batch, exchange.may_have_been_applied());
                self.progress()
            }
        };
        let settled = self.take_settled();
        on_event(JobEvent::Settled {
            settled: &settled,
            progress,
        });
    }

    /// Counts so far.
    pub fn progress(&self) -> Progress {
        self.job.progress()
    }

    /// Stops handing out batches; those not handed out end `notAttempted`.
    pub fn stop(&mut self) {
        self.job.stop();
    }

    /// The IDs settled since the last call (see [`BulkJob::take_settled`](crate::BulkJob::take_settled)).
    pub fn take_settled(&mut self) -> Settled {
        self.job.take_settled()
    }

    /// The IDs of `batch`.
    pub fn ids_of(&self, batch: &Batch<O>) -> Vec<RecordingId> {
        self.job.ids_of(batch)
    }

    /// Whether every batch handed out is complete and none is left.
    pub fn is_finished(&self) -> bool {
        self.job.is_finished()
    }

    /// The job's span.
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Runs the job to its report with a blocking `send` and `sleep`, one batch at a time,
    /// then reads back what needs reading (see [`Settling::run`]). Once `stop` is stopped no
    /// batch is sent and a batch waiting to retry stops waiting. `on_event` hears of each
    /// batch before it is sent and of what it settled before the next one is sent.
    pub fn run(
        mut self,
        stop: &StopHandle,
        mut send: impl FnMut(HttpRequest) -> Result<HttpResponse, TransportError>,
        mut sleep: impl FnMut(Duration),
        mut on_event: impl FnMut(JobEvent<'_>),
    ) -> BulkReport {
        let span = self.span.clone();
        let _entered = span.enter();
        loop {
            if stop.is_stopped() {
                self.stop();
                break;
            }
            let Some((batch, exchange)) = self.next_exchange() else {
                break;
            };
            on_event(JobEvent::Sending(&self.ids_of(&batch)));
            let driven = Drive::new(exchange, Some(stop)).run(&mut send, &mut sleep);
            self.record(batch, driven, &mut on_event);
        }
        self.into_settling().run(stop, send, sleep)
    }

    /// The report and the read-back that settles it: the IDs whose outcome is unknown (or,
    /// with [`BulkOptions::verify`](crate::BulkOptions::verify), every ID sent) are read
    /// back from the server before the report is final.
    pub fn into_settling(self) -> Settling<'e> {
        let engine = self.engine;
        let span = self.span.clone();
        // After a 401 or 403 every read would be refused too; a job stopped from outside
        // ends as soon as it can.
        let refused = self.job.is_stopped();
        let report = self.into_report();
        let read_back = if refused {
            ReadBack::none(&report)
        } else {
            ReadBack::new(&report, engine.verify())
        };
        Settling {
            engine,
            report,
            read_back,
            next: 0,
            span,
        }
    }

    /// The report as the batches left it, without reading anything back: every unique
    /// input ID in exactly one bucket.
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

/// The end of a bulk job: reading IDs back and settling the report by the server's state.
/// Take each ID's [`Exchange`] with [`Settling::next_exchange`], drive it, hand the result to
/// [`Settling::record`], and finish with [`Settling::into_report`].
#[derive(Debug)]
pub struct Settling<'e> {
    engine: &'e Engine,
    report: BulkReport,
    read_back: ReadBack,
    next: usize,
    span: tracing::Span,
}

impl Settling<'_> {
    /// The next ID to read back and the exchange that reads it, or `None`.
    pub fn next_exchange(&mut self) -> Option<(RecordingId, Exchange)> {
        let id = self.read_back.ids().get(self.next)?.clone();
        self.next += 1;
        let exchange = self.engine.details(&id, None);
        Some((id, exchange))
    }

    /// How many IDs are read back in all.
    pub fn len(&self) -> usize {
        self.read_back.ids().len()
    }

    /// Whether nothing is read back.
    pub fn is_empty(&self) -> bool {
        self.read_back.ids().is_empty()
    }

    /// Reads every ID back with a blocking `send` and `sleep`, one at a time, and gives the
    /// final report. Once `stop` is stopped no further read starts (a read in progress ends
    /// with its retries, as in the async client): what is not read stays as the batches left
    /// it.
    pub fn run(
        mut self,
        stop: &StopHandle,
        mut send: impl FnMut(HttpRequest) -> Result<HttpResponse, TransportError>,
        mut sleep: impl FnMut(Duration),
    ) -> BulkReport {
        while !stop.is_stopped() {
            let Some((id, exchange)) = self.next_exchange() else {
                break;
            };
            let done = Drive::run_to_end(exchange, &mut send, &mut sleep);
            self.record(&id, done);
        }
        self.into_report()
    }

    /// Records what reading `id` back gave.
    pub fn record(&mut self, id: &RecordingId, done: Completed) {
        self.read_back.record(id, done.into_recording());
    }

    /// The final report.
    pub fn into_report(self) -> BulkReport {
        let mut report = self.report;
        let reads = self.read_back.ids().len();
        self.read_back.settle(&mut report);
        let _entered = self.span.enter();
        if reads > 0 {
            tracing::info!(
                read_back = reads,
                verified = report.verified.len(),
                succeeded = report.succeeded.len(),
                failed = report.failed.len(),
                "read back"
            );
        }
        report
    }
}
