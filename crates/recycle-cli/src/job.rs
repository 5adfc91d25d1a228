//! Running a bulk job from the command line: the progress bar, `--journal` (resume), and
//! SIGINT/SIGTERM (stop, keep the report, exit 130 or 143).

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use recycle_core::{
    BatchFailure, BulkPlan, BulkReport, FailedId, JobEvent, JournalHeader, MAX_IDS_PER_REQUEST,
    Operation, OperationKind, RecordingId, Settled,
};

use crate::cli::Cli;
use crate::client::AnyClient;
use crate::journal::{Earlier, Journal};
use crate::outcome::Stop;
use crate::output;
use crate::progress::Bar;
use crate::signals::{LastWords, Watch};

/// What a blocking job has settled and has in flight, for a report printed on the second
/// signal while a blocking request cannot be given up.
#[derive(Default)]
struct Ledger {
    settled: Vec<Settled>,
    /// Every ID handed to a request so far: one not settled may have been applied.
    sent: HashSet<RecordingId>,
}

/// Runs `plan` (a journal at `journal_path` resumes it), prints the report, and ends as the
/// report and any signal say.
pub(crate) fn run<O: Operation>(
    cli: &Cli,
    client: &AnyClient,
    operation: O,
    plan: BulkPlan,
    journal_path: Option<&Path>,
) -> Result<(), Stop> {
    let total = plan.ids().len();
    let (mut journal, earlier) = match journal_path {
        Some(path) => {
            let header = JournalHeader::new(O::KIND, &cli.base_url, plan.ids());
            let (journal, earlier) = Journal::open(path, &header)?;
            if earlier.batches > 0 && !cli.quiet {
                let done = plan
                    .ids()
                    .iter()
                    .filter(|id| earlier.succeeded.contains(*id))
                    .count();
                eprintln!(
                    "resuming from {}: {done} of {total} IDs already succeeded, {} to send",
                    journal.path().display(),
                    total - done
                );
            }
            (Some(journal), earlier)
        }
        None => (None, Earlier::default()),
    };
    // The job's IDs are copied only where they are needed: to merge an earlier run's
    // successes, or for the blocking client's report on a second signal.
    let keep_all = !earlier.succeeded.is_empty() || !client.can_abandon();
    let all: Vec<RecordingId> = if keep_all {
        plan.ids().to_vec()
    } else {
        Vec::new()
    };
    let plan = if earlier.succeeded.is_empty() {
        Some(plan)
    } else {
        let remaining: Vec<&str> = all
            .iter()
            .filter(|id| !earlier.succeeded.contains(*id))
            .map(RecordingId::as_str)
            .collect();
        if remaining.is_empty() {
            None
        } else {
            Some(BulkPlan::new(remaining).map_err(|e| Stop::usage(e.to_string()))?)
        }
    };

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    // Whoever sets this prints the report: the main thread, or the watcher on a second
    // signal while a blocking request cannot be given up. Never both.
    let printing = Arc::new(AtomicBool::new(false));
    let last_words: LastWords = Arc::new(Mutex::new(None));
    if !client.can_abandon() {
        let (ledger, all, earlier_ok, json) = (
            ledger.clone(),
            all.clone(),
            earlier.succeeded.clone(),
            cli.json,
        );
        let words: Box<dyn FnOnce(i32) + Send> = Box::new(move |_signal| {
            let ledger = ledger
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let report = abandoned_report(O::KIND, &all, &earlier_ok, &ledger);
            let _ = output::report(&report, json);
        });
        if let Ok(mut slot) = last_words.lock() {
            *slot = Some(words);
        }
    }
    let watch = Watch::start(last_words, printing.clone())
        .map_err(|e| Stop::failed(format!("cannot watch for signals: {e}")))?;

    let to_send = plan.as_ref().map_or(0, |p| p.ids().len());
    let bar = Bar::new(
        to_send,
        to_send.div_ceil(MAX_IDS_PER_REQUEST),
        !cli.quiet && !cli.json,
    );
    let mut journal_error = None;
    let result = match plan {
        None => Ok(empty_report(O::KIND)),
        Some(plan) => client.bulk_until(operation, plan, &watch.stop, |event| match event {
            JobEvent::Sending(ids) => {
                if !client.can_abandon() {
                    if let Ok(mut l) = ledger.lock() {
                        l.sent.extend(ids.iter().cloned());
                    }
                }
            }
            JobEvent::Settled { settled, progress } => {
                if let Some(j) = journal.as_mut() {
                    if let Err(e) = j.record(settled) {
                        // Nothing more is written after a failed write, which may have
                        // left a partial line.
                        journal_error = Some(e);
                        journal = None;
                        watch.stop.stop();
                    }
                }
                if !client.can_abandon() {
                    if let Ok(mut l) = ledger.lock() {
                        l.settled.push(settled.clone());
                    }
                }
                bar.update(progress);
            }
        }),
    };
    if printing
        .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        // The watcher is printing the report and ending the process.
        loop {
            std::thread::park();
        }
    }
    bar.finish();
    let mut report = result.map_err(|e| Stop::from_error(&e))?;
    if let Some(j) = journal.as_mut() {
        // What reading back found, so that a resumed job does not trust a success that
        // reading back took away (later lines win).
        if let Err(e) = j.record(&read_back_line(&report)) {
            journal_error = Some(e);
        }
    }
    merge_earlier(&mut report, &all, &earlier);
    let printed = output::report(&report, cli.json);
    if let Some(e) = journal_error {
        return Err(Stop::failed(format!(
            "the journal could not be written ({e}), so the job stopped"
        )));
    }
    if let Some(signal) = watch.signal() {
        return Err(Stop::signal(signal));
    }
    printed
}

/// The verified IDs of `report` as a journal line.
fn read_back_line(report: &BulkReport) -> Settled {
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

fn empty_report(operation: OperationKind) -> BulkReport {
    BulkReport {
        operation,
        succeeded: Vec::new(),
        failed: Vec::new(),
        not_attempted: Vec::new(),
        already_applied: Vec::new(),
        verified: Vec::new(),
    }
}

/// Puts the successes an earlier run recorded into `report`, in input order, ahead of this
/// run's.
fn merge_earlier(report: &mut BulkReport, all: &[RecordingId], earlier: &Earlier) {
    if earlier.succeeded.is_empty() {
        return;
    }
    let mut succeeded: Vec<RecordingId> = all
        .iter()
        .filter(|id| earlier.succeeded.contains(*id))
        .cloned()
        .collect();
    succeeded.append(&mut report.succeeded);
    report.succeeded = succeeded;
    let mut applied: Vec<RecordingId> = all
        .iter()
        .filter(|id| earlier.already_applied.contains(*id))
        .cloned()
        .collect();
    applied.append(&mut report.already_applied);
    report.already_applied = applied;
}

/// The report of a blocking job abandoned with a request in flight: what was settled, the
/// IDs in flight failed with their outcome unknown, the rest not attempted.
fn abandoned_report(
    operation: OperationKind,
    all: &[RecordingId],
    earlier: &HashSet<RecordingId>,
    ledger: &Ledger,
) -> BulkReport {
    let mut report = empty_report(operation);
    let mut seen: HashSet<&RecordingId> = HashSet::new();
    for s in &ledger.settled {
        seen.extend(s.succeeded.iter());
        seen.extend(s.failed.iter().map(|f| &f.id));
    }
    let abandoned = BatchFailure {
        message: Some("abandoned in flight by a second signal; it may have been applied".into()),
        outcome_unknown: true,
        ..BatchFailure::default()
    };
    for id in all {
        if earlier.contains(id) {
            report.succeeded.push(id.clone());
        } else if ledger.sent.contains(id) && !seen.contains(id) {
            report.failed.push(FailedId {
                id: id.clone(),
                failure: abandoned.clone(),
            });
        } else if !seen.contains(id) {
            report.not_attempted.push(id.clone());
        }
    }
    for s in &ledger.settled {
        report.succeeded.extend(s.succeeded.iter().cloned());
        report
            .already_applied
            .extend(s.already_applied.iter().cloned());
        report.failed.extend(s.failed.iter().cloned());
    }
    report
}
