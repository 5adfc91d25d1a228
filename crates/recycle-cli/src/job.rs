//! Running a job over given IDs from the command line: the progress bar and `--journal`
//! (resume); signals are the [`Runner`]'s.

use std::collections::HashSet;
use std::path::Path;

use recycle_core::{
    BulkPlan, BulkReport, JournalHeader, MAX_IDS_PER_REQUEST, Operation, RecordingId,
};

use crate::cli::Cli;
use crate::client::AnyClient;
use crate::journal::{Earlier, Journal};
use crate::outcome::Stop;
use crate::output;
use crate::progress::Bar;
use crate::runner::{Runner, empty_report, read_back_line};

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
    let (journal, earlier) = match journal_path {
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
    // The job's IDs are copied only to merge an earlier run's successes in input order.
    let all: Vec<RecordingId> = if earlier.succeeded.is_empty() {
        Vec::new()
    } else {
        plan.ids().to_vec()
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
    let earlier_ok: HashSet<RecordingId> = all
        .iter()
        .filter(|id| earlier.succeeded.contains(*id))
        .cloned()
        .collect();
    let mut runner = Runner::start(cli, client, O::KIND, journal, earlier_ok)?;

    let to_send = plan.as_ref().map_or(0, |p| p.ids().len());
    let bar = Bar::new(
        to_send,
        to_send.div_ceil(MAX_IDS_PER_REQUEST),
        !cli.quiet && !cli.json,
    );
    let result = match plan {
        None => Ok(empty_report(O::KIND)),
        Some(plan) => runner.act(operation, plan, |progress| bar.update(progress)),
    };
    runner.claim_printing();
    bar.finish();
    let mut report = result.map_err(|e| Stop::from_error(&e))?;
    runner.record(&read_back_line(&report));
    merge_earlier(&mut report, &all, &earlier);
    let printed = output::report(&report, cli.json);
    runner.end(printed)
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
