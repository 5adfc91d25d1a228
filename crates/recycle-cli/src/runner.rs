//! [`Runner`]: what every bulk job of the command line shares: the journal, SIGINT/SIGTERM
//! (stop, keep the report, exit 130 or 143), and the report printed on a second signal
//! while a blocking request cannot be given up.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use recycle_core::{
    BatchFailure, BulkPlan, BulkReport, Error, FailedId, JobEvent, Operation, OperationKind,
    Progress, RecordingId, Settled,
};

use crate::cli::Cli;
use crate::client::AnyClient;
use crate::journal::Journal;
use crate::outcome::Stop;
use crate::output;
use crate::signals::{LastWords, Watch};

/// What a blocking job has settled and has in flight, for a report printed on the second
/// signal while a blocking request cannot be given up. Each settled ID is kept once (in
/// the lines as they came); how each last ended is worked out only for that report.
#[derive(Default)]
struct Ledger {
    /// The IDs of the bulk job running now.
    current: Vec<RecordingId>,
    /// What each finished batch settled, in order.
    settled: Vec<Settled>,
    /// IDs handed to a request not yet settled: they may have been applied.
    in_flight: HashSet<RecordingId>,
}

/// How an ID last ended.
enum Latest<'a> {
    /// Succeeded; `true` when found already applied.
    Succeeded(bool),
    Failed(&'a BatchFailure),
}

impl Ledger {
    fn settle(&mut self, settled: &Settled) {
        for id in settled.ids() {
            self.in_flight.remove(id);
        }
        self.settled.push(settled.clone());
    }

    /// How each settled ID last ended (later lines win).
    fn latest(&self) -> HashMap<&RecordingId, Latest<'_>> {
        let mut latest = HashMap::new();
        for s in &self.settled {
            for id in &s.succeeded {
                latest.insert(id, Latest::Succeeded(s.already_applied.contains(id)));
            }
            for f in &s.failed {
                latest.insert(&f.id, Latest::Failed(&f.failure));
            }
        }
        latest
    }
}

/// A job's signals, journal and last words.
pub(crate) struct Runner<'c> {
    pub(crate) client: &'c AnyClient,
    journal: Option<Journal>,
    journal_error: Option<io::Error>,
    ledger: Arc<Mutex<Ledger>>,
    /// Whoever sets this prints the report: the job, or the watcher on a second signal
    /// while a blocking request cannot be given up. Never both.
    printing: Arc<AtomicBool>,
    watch: Watch,
}

impl<'c> Runner<'c> {
    /// Starts watching for signals. `earlier` are the successes a journal recorded; a
    /// report printed on a second signal counts them as succeeded.
    pub(crate) fn start(
        cli: &Cli,
        client: &'c AnyClient,
        operation: OperationKind,
        journal: Option<Journal>,
        earlier: HashSet<RecordingId>,
    ) -> Result<Self, Stop> {
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let printing = Arc::new(AtomicBool::new(false));
        let last_words: LastWords = Arc::new(Mutex::new(None));
        if !client.can_abandon() {
            let (ledger, json) = (ledger.clone(), cli.json);
            let words: Box<dyn FnOnce(i32) + Send> = Box::new(move |_signal| {
                let ledger = ledger
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let report = abandoned_report(operation, &earlier, &ledger);
                let _ = output::report(&report, json);
            });
            if let Ok(mut slot) = last_words.lock() {
                *slot = Some(words);
            }
        }
        let watch = Watch::start(last_words, printing.clone())
            .map_err(|e| Stop::failed(format!("cannot watch for signals: {e}")))?;
        Ok(Self {
            client,
            journal,
            journal_error: None,
            ledger,
            printing,
            watch,
        })
    }

    /// Whether a signal asked the job to stop.
    pub(crate) fn stopped(&self) -> bool {
        self.watch.stop.is_stopped()
    }

    /// The handle that stops the job.
    pub(crate) fn stop_handle(&self) -> &recycle_core::StopHandle {
        &self.watch.stop
    }

    /// Acts on `plan`: each finished batch is journaled (a failed write stops the job) and
    /// reported to `on_progress`.
    pub(crate) fn act<O: Operation>(
        &mut self,
        operation: O,
        plan: BulkPlan,
        mut on_progress: impl FnMut(Progress),
    ) -> Result<BulkReport, Error> {
        let keep = !self.client.can_abandon();
        if keep {
            if let Ok(mut l) = self.ledger.lock() {
                l.current = plan.ids().to_vec();
            }
        }
        let (client, ledger) = (self.client, &self.ledger);
        let (journal, journal_error) = (&mut self.journal, &mut self.journal_error);
        let stop = &self.watch.stop;
        client.bulk_until(operation, plan, stop, |event| match event {
            JobEvent::Sending(ids) => {
                if keep {
                    if let Ok(mut l) = ledger.lock() {
                        l.in_flight.extend(ids.iter().cloned());
                    }
                }
            }
            JobEvent::Settled { settled, progress } => {
                if let Some(j) = journal.as_mut() {
                    if let Err(e) = j.record(settled) {
                        // Nothing more is written after a failed write, which may have
                        // left a partial line.
                        *journal_error = Some(e);
                        *journal = None;
                        stop.stop();
                    }
                }
                if keep {
                    if let Ok(mut l) = ledger.lock() {
                        l.settle(settled);
                    }
                }
                on_progress(progress);
            }
        })
    }

    /// Journals what was learned after the batches (reading back, listing again), so that
    /// a resumed job does not trust a success that was taken away (later lines win).
    pub(crate) fn record(&mut self, settled: &Settled) {
        if let Some(j) = self.journal.as_mut() {
            if let Err(e) = j.record(settled) {
                self.journal_error = Some(e);
                self.journal = None;
            }
        }
    }

    /// Journals a retention window's IDs before they are acted on; a failed write stops the
    /// job (its outcome could not be accounted for after a crash).
    pub(crate) fn record_selected(&mut self, ids: &[RecordingId]) {
        if let Some(j) = self.journal.as_mut() {
            if let Err(e) = j.record_selected(ids) {
                self.journal_error = Some(e);
                self.journal = None;
                self.watch.stop.stop();
            }
        }
    }

    /// Takes the right to print the report. When the watcher has taken it (a second
    /// signal during a blocking request), it prints and ends the process: this never
    /// returns.
    pub(crate) fn claim_printing(&self) {
        if self
            .printing
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            loop {
                std::thread::park();
            }
        }
    }

    /// How the job ends, once its report is printed (`printed` says whether it was a
    /// success): a journal that could not be written, then a signal, then the report.
    pub(crate) fn end(self, printed: Result<(), Stop>) -> Result<(), Stop> {
        if let Some(e) = self.journal_error {
            return Err(Stop::failed(format!(
                "the journal could not be written ({e}), so the job stopped"
            )));
        }
        if let Some(signal) = self.watch.signal() {
            return Err(Stop::signal(signal));
        }
        printed
    }
}

/// A report with no IDs.
pub(crate) fn empty_report(operation: OperationKind) -> BulkReport {
    BulkReport {
        operation,
        succeeded: Vec::new(),
        failed: Vec::new(),
        not_attempted: Vec::new(),
        already_applied: Vec::new(),
        verified: Vec::new(),
    }
}

/// The verified IDs of `report` as a journal line.
pub(crate) fn read_back_line(report: &BulkReport) -> Settled {
    let verified: HashSet<&RecordingId> = report.verified.iter().collect();
    Settled {
        succeeded: report
            .succeeded
            .iter()
            .filter(|id| verified.contains(id))
            .cloned()
            .collect(),
        already_applied: report
            .already_applied
            .iter()
            .filter(|id| verified.contains(id))
            .cloned()
            .collect(),
        failed: report
            .failed
            .iter()
            .filter(|f| verified.contains(&f.id))
            .cloned()
            .collect(),
    }
}

/// The report of a blocking job abandoned with a request in flight: each ID once, as it
/// last ended (a success stands); one in flight failed with its outcome unknown; an earlier
/// run's success not sent again succeeded; the rest not attempted.
fn abandoned_report(
    operation: OperationKind,
    earlier: &HashSet<RecordingId>,
    ledger: &Ledger,
) -> BulkReport {
    let mut report = empty_report(operation);
    let abandoned = BatchFailure {
        message: Some("abandoned in flight by a second signal; it may have been applied".into()),
        outcome_unknown: true,
        ..BatchFailure::default()
    };
    let latest = ledger.latest();
    let settled = ledger.settled.iter().flat_map(Settled::ids);
    let mut listed: HashSet<&RecordingId> = HashSet::new();
    for id in earlier.iter().chain(settled).chain(&ledger.current) {
        if !listed.insert(id) {
            continue;
        }
        match latest.get(id) {
            Some(Latest::Succeeded(applied)) => {
                report.succeeded.push(id.clone());
                if *applied {
                    report.already_applied.push(id.clone());
                }
            }
            _ if ledger.in_flight.contains(id) => report.failed.push(FailedId {
                id: id.clone(),
                failure: abandoned.clone(),
            }),
            Some(Latest::Failed(failure)) => report.failed.push(FailedId {
                id: id.clone(),
                failure: (*failure).clone(),
            }),
            None if earlier.contains(id) => report.succeeded.push(id.clone()),
            None => report.not_attempted.push(id.clone()),
        }
    }
    report
}
