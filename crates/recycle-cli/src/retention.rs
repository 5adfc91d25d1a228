//! Selection jobs ("purge everything in the bin created before a date"): trash, restore or
//! purge what a selection lists, window by window.
//!
//! Each window of at most 30 days is listed to its last page before anything in it is acted
//! on: acting while paging would move the list under the pager (an offset-paged list skips
//! as many recordings as were acted on). Windows do not overlap, so acting on one never
//! moves another. At most one window's IDs are held beyond the report.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use recycle_core::adapter::ReadBack;
use recycle_core::protocol::MAX_PAGE_SIZE;
use recycle_core::{
    BatchFailure, BulkPlan, BulkReport, Email, FailedId, JournalHeader, ListQuery, Operation,
    OperationKind, Recording, RecordingId, RecordingStatus, Selection, SelectionReport,
    SelectionSummary, Timestamp, WindowSelected,
};

use crate::cli::{Cli, Targets};
use crate::client::AnyClient;
use crate::commands::{apply_filters, connect};
use crate::journal::{Earlier, Journal};
use crate::outcome::Stop;
use crate::output;
use crate::progress::Phases;
use crate::runner::{Runner, empty_report, read_back_line};

/// Times a selection is listed again with `--verify`; all but the last act on what is
/// still listed, the last reads it back.
pub(crate) const VERIFY_ROUNDS: u32 = 3;
/// The wait before the first listing again, doubled before each next one.
pub(crate) const DEFAULT_VERIFY_DELAY: Duration = Duration::from_secs(2);
/// The longest `--verify-delay`.
const MAX_VERIFY_DELAY: Duration = Duration::from_secs(3_600);
/// IDs a dry run shows per window.
const SHOWN_IDS: usize = 5;

/// Runs trash, restore or purge on a selection, and prints its report.
pub(crate) fn run<O: Operation>(cli: &Cli, targets: &Targets, operation: O) -> Result<(), Stop> {
    let client = connect(cli, false)?;
    let prepared = prepare(cli, targets, O::KIND)?;
    let (done, runner) = execute(cli, targets, operation, &client, prepared)?;
    match done {
        Done::DryRun(summary) => {
            output::selection_dry_run(O::KIND, &summary, cli.json);
            runner.end(Ok(()))
        }
        Done::Report(doc) => {
            let printed = output::selection_report(&doc, cli.json);
            runner.end(printed)
        }
    }
}

/// What a selection job ended with.
pub(crate) enum Done {
    /// A dry run: what was selected; nothing was sent.
    DryRun(SelectionSummary),
    /// The report.
    Report(SelectionReport),
}

/// A selection job ready to run: everything checked, nothing sent.
pub(crate) struct Prepared {
    selection: Selection,
    /// The selection's list query over its whole range.
    query: ListQuery,
    journal: Option<Journal>,
    earlier: Earlier,
}

/// Checks the options and opens the journal; exit 2 on anything invalid, nothing sent.
pub(crate) fn prepare(
    cli: &Cli,
    targets: &Targets,
    operation: OperationKind,
) -> Result<Prepared, Stop> {
    let now = SystemTime::now();
    let (query, asked) = selection_query(targets, now)?;
    let page = targets.max.unwrap_or(u32::from(MAX_PAGE_SIZE));
    let page = u8::try_from(page)
        .ok()
        .filter(|p| (1..=MAX_PAGE_SIZE).contains(p))
        .ok_or_else(|| Stop::usage(format!("--max must be 1 to {MAX_PAGE_SIZE}, not {page}")))?;
    if targets.verify_delay.is_some_and(|d| d > MAX_VERIFY_DELAY) {
        return Err(Stop::usage("--verify-delay is at most 1h"));
    }
    let mut selection =
        Selection::new(operation, &query, asked, now).map_err(|e| Stop::usage(e.to_string()))?;
    let journal_path = targets.journal.as_ref().filter(|_| !targets.dry_run);
    let (journal, earlier) = match journal_path {
        Some(path) => {
            let header = JournalHeader::for_selection(operation, &cli.base_url, selection.clone());
            let (journal, earlier) = Journal::open(path, &header)?;
            if let Some(found) = earlier.header.as_ref().and_then(|h| h.selection.as_ref()) {
                // A resumed job keeps the range of its first run.
                selection.from = found.from.clone();
                selection.to = found.to.clone();
            }
            if earlier.batches > 0 && !cli.quiet {
                eprintln!(
                    "resuming from {}: {} ID(s) already succeeded; listing the selection again",
                    journal.path().display(),
                    earlier.succeeded.len()
                );
            }
            (Some(journal), earlier)
        }
        None => (None, Earlier::default()),
    };
    let query = selection
        .query(page)
        .map_err(|e| Stop::usage(e.to_string()))?;
    Ok(Prepared {
        selection,
        query,
        journal,
        earlier,
    })
}

/// Lists and acts (and with `--verify` lists again); returns what it ended with and the
/// runner that says how the process ends.
pub(crate) fn execute<'c, O: Operation>(
    cli: &Cli,
    targets: &Targets,
    operation: O,
    client: &'c AnyClient,
    prepared: Prepared,
) -> Result<(Done, Runner<'c>), Stop> {
    let Prepared {
        selection,
        query,
        journal,
        earlier,
    } = prepared;
    let runner = Runner::start(cli, client, O::KIND, journal, earlier.succeeded.clone())?;
    let mut job = Job {
        runner,
        operation,
        query,
        phases: Phases::new(!cli.quiet && !cli.json),
        report: empty_report(O::KIND),
        summary: SelectionSummary {
            windows_total: selection.windows().total(),
            selection,
            windows: Vec::new(),
            complete: false,
            relists: 0,
            skipped: 0,
            list_error: None,
        },
        dry_run: targets.dry_run,
    };
    let result = job.select_and_act().and_then(|()| {
        if targets.verify && !targets.dry_run {
            job.verify(targets.verify_delay.unwrap_or(DEFAULT_VERIFY_DELAY))
        } else {
            Ok(())
        }
    });
    if result.is_ok() && !targets.dry_run {
        job.settle_in_doubt(&earlier);
    }
    job.runner.claim_printing();
    job.phases.finish();
    result?;
    let Job {
        runner,
        mut report,
        summary,
        ..
    } = job;
    if targets.dry_run {
        return Ok((Done::DryRun(summary), runner));
    }
    merge_earlier(&mut report, &earlier);
    tidy(&mut report);
    let doc = SelectionReport {
        report,
        selection: summary,
    };
    Ok((Done::Report(doc), runner))
}

/// The list query and the words of the range the options ask for; exit 2 on anything
/// invalid.
fn selection_query(targets: &Targets, now: SystemTime) -> Result<(ListQuery, String), Stop> {
    let time = |flag: &str, t: &str| {
        Timestamp::parse(t).map_err(|e| Stop::usage(format!("--{flag}: {e}")))
    };
    let mut query = ListQuery::new();
    if let Some(owner) = &targets.owner {
        let email = Email::new(owner.as_str())
            .map_err(|e| Stop::usage(format!("--owner {owner:?}: {e}")))?;
        query = query.owner(email);
    } else if targets.org {
        query = query.admin();
    }
    let mut asked = Vec::new();
    if let Some(t) = &targets.from {
        query = query.from(time("from", t)?);
        asked.push(format!("--from {t}"));
    }
    if let Some(t) = &targets.to {
        query = query.to(time("to", t)?);
        asked.push(format!("--to {t}"));
    }
    if let Some(t) = &targets.created_before {
        query = query.to(time("created-before", t)?);
        asked.push(format!("--created-before {t}"));
    }
    if let Some(age) = &targets.older_than {
        let span = crate::span::parse(age).map_err(Stop::usage)?;
        let now_unix = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let secs = i64::try_from(span.as_secs()).unwrap_or(i64::MAX);
        query = query.to(Timestamp::from_unix_seconds(now_unix.saturating_sub(secs)));
        asked.push(format!("--older-than {age}"));
    }
    Ok((apply_filters(query, &targets.filters), asked.join(" ")))
}

/// A selection job under way.
struct Job<'c, O> {
    runner: Runner<'c>,
    operation: O,
    /// The selection's query over its whole range.
    query: ListQuery,
    phases: Phases,
    report: BulkReport,
    summary: SelectionSummary,
    dry_run: bool,
}

/// What listing one window gave.
struct Listed {
    ids: Vec<RecordingId>,
    complete: bool,
}

impl<O: Operation> Job<'_, O> {
    fn client(&self) -> &AnyClient {
        self.runner.client
    }

    /// Lists each window to its end, then acts on what it selected; stops after a list
    /// that fails, a batch refused for the caller (401/403), or a signal.
    fn select_and_act(&mut self) -> Result<(), Stop> {
        let total = self.summary.windows_total;
        // IDs of the window before: a server whose ranges include both ends lists a
        // recording created on a boundary twice.
        let mut previous: HashSet<RecordingId> = HashSet::new();
        let mut found = 0;
        let mut listed_all = true;
        for (n, (from, to)) in self.summary.selection.windows().enumerate() {
            if self.runner.stopped() {
                listed_all = false;
                break;
            }
            self.phases.listing(n + 1, total, found);
            let listed = self.list_window(&from, &to, &previous)?;
            found += listed.ids.len();
            self.summary.windows.push(WindowSelected {
                from,
                to,
                selected: listed.ids.len(),
                first_ids: if self.dry_run {
                    listed.ids.iter().take(SHOWN_IDS).cloned().collect()
                } else {
                    Vec::new()
                },
            });
            if !listed.complete {
                listed_all = false;
            }
            if self.runner.stopped() {
                // A signal during the listing: nothing more is sent.
                self.report.not_attempted.extend(listed.ids);
                listed_all = false;
                break;
            }
            previous = listed.ids.iter().cloned().collect();
            let refused = if self.dry_run || listed.ids.is_empty() {
                false
            } else {
                // Journaled before any is sent: a resumed job accounts for them even if
                // this run dies with their batch in flight.
                self.runner.record_selected(&listed.ids);
                self.act(&listed.ids, found)?
            };
            if !listed.complete || refused {
                listed_all = false;
                break;
            }
        }
        self.summary.complete = listed_all && self.summary.windows.len() == total;
        Ok(())
    }

    /// The IDs one window selects, in list order, without those of `previous`.
    fn list_window(
        &mut self,
        from: &Timestamp,
        to: &Timestamp,
        previous: &HashSet<RecordingId>,
    ) -> Result<Listed, Stop> {
        let query = self.query.with_range(from.clone(), to.clone());
        // A server whose ranges include their end lists a recording created on a window's
        // boundary in the older window: accept it there (`previous` drops a repeat), but
        // never past the selection's own end.
        let end = if *to == self.summary.selection.to {
            to.unix_seconds() - 1
        } else {
            to.unix_seconds()
        };
        let (status, range) = (self.summary.selection.status, (from.unix_seconds(), end));
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        let mut skipped = 0;
        let scanned = self
            .client()
            .scan(&query, self.runner.stop_handle(), |r| {
                match usable(&r, status, range) {
                    Some(id) => {
                        if !previous.contains(&id) && seen.insert(id.clone()) {
                            ids.push(id);
                        }
                    }
                    None => skipped += 1,
                }
            })
            .map_err(|e| Stop::from_error(&e))?;
        if self.summary.relists == 0 {
            self.summary.skipped += skipped + scanned.unreadable.len();
        }
        if let Some(e) = &scanned.error {
            self.summary.list_error = Some(e.to_string());
        }
        Ok(Listed {
            ids,
            complete: scanned.error.is_none() && scanned.coverage.is_complete(),
        })
    }

    /// Acts on `ids`, journaling each batch: the bulk job's report. `found` is how many
    /// the job has selected so far, for the progress line.
    fn send(&mut self, ids: &[RecordingId], found: usize) -> Result<BulkReport, Stop> {
        let plan = BulkPlan::new(ids.iter().map(RecordingId::as_str))
            .map_err(|e| Stop::failed(e.to_string()))?;
        let (phases, selected) = (&self.phases, ids.len());
        let report = self
            .runner
            .act(self.operation, plan, |p| {
                phases.acting(p.succeeded + p.failed, selected, found);
            })
            .map_err(|e| Stop::from_error(&e))?;
        // What reading back settled, so that a resumed job keeps a success it found.
        self.runner.record(&read_back_line(&report));
        Ok(report)
    }

    /// Acts on a window's `ids`; their outcomes go into the report. Returns whether the
    /// job stopped with IDs not attempted (refused for the caller, or stopped).
    fn act(&mut self, ids: &[RecordingId], found: usize) -> Result<bool, Stop> {
        let window = self.send(ids, found)?;
        let stopped = !window.not_attempted.is_empty();
        merge(&mut self.report, window);
        Ok(stopped)
    }

    /// Lists the windows again after a wait: what is still listed in the source status is
    /// acted on again; after the last round it is read back and reported as its state says.
    fn verify(&mut self, delay: Duration) -> Result<(), Stop> {
        if !self.summary.complete || self.runner.stopped() {
            return Ok(()); // a job that stopped early is not verified
        }
        let mut wait = delay;
        for round in 1..=VERIFY_ROUNDS {
            if !self.nap(wait) {
                return Ok(());
            }
            wait = wait.saturating_mul(2);
            self.phases.verifying(round, VERIFY_ROUNDS);
            self.summary.relists = round;
            let mut still = Vec::new();
            let windows: Vec<(Timestamp, Timestamp)> = self
                .summary
                .windows
                .iter()
                .map(|w| (w.from.clone(), w.to.clone()))
                .collect();
            let mut previous = HashSet::new();
            for (from, to) in &windows {
                let listed = self.list_window(from, to, &previous)?;
                if !listed.complete {
                    return Ok(()); // list_error says why; what is known is reported
                }
                previous = listed.ids.iter().cloned().collect();
                still.extend(listed.ids);
            }
            if still.is_empty() {
                return Ok(());
            }
            if round < VERIFY_ROUNDS {
                if !self.act_again(&still)? {
                    return Ok(());
                }
            } else {
                self.read_back(still);
            }
        }
        Ok(())
    }

    /// Acts again on IDs still listed; `false` when the job was stopped or refused.
    fn act_again(&mut self, ids: &[RecordingId]) -> Result<bool, Stop> {
        let again = self.send(ids, ids.len())?;
        let go_on = again.not_attempted.is_empty();
        merge_again(&mut self.report, again);
        Ok(go_on && !self.runner.stopped())
    }

    /// Reads back the IDs still listed after the last round and moves them where their
    /// state says; those never acted on are failed.
    fn read_back(&mut self, still: Vec<RecordingId>) {
        let still_set: HashSet<&RecordingId> = still.iter().collect();
        let mut checked = empty_report(self.report.operation);
        take_ids(&mut self.report, &still_set, &mut checked);
        // The IDs the job had acted on; reading back moves them between buckets only.
        let known: HashSet<RecordingId> = checked.ids().cloned().collect();
        self.read_back_all(&mut checked);
        let status = self.summary.selection.status;
        for id in still.into_iter().filter(|id| !known.contains(id)) {
            checked.failed.push(FailedId {
                id,
                failure: BatchFailure {
                    message: Some(format!(
                        "listed as {status} only after the job acted on its window; not acted on"
                    )),
                    ..BatchFailure::default()
                },
            });
        }
        self.runner.record(&read_back_line(&checked));
        merge(&mut self.report, checked);
    }

    /// Reads back the IDs an earlier run selected whose outcome it did not journal (it ended
    /// with them in flight, or before acting on their window) and that this run did not
    /// list again: the earlier run may have acted on them. Each is reported as its state
    /// says; one still in the source status is not attempted when this run did not list
    /// everything (running again acts on it), failed otherwise.
    fn settle_in_doubt(&mut self, earlier: &Earlier) {
        let settled: HashSet<&RecordingId> = self.report.ids().chain(&earlier.succeeded).collect();
        let mut seen = HashSet::new();
        let doubt: Vec<RecordingId> = earlier
            .selected
            .iter()
            .filter(|id| !settled.contains(id) && seen.insert(*id))
            .cloned()
            .collect();
        if doubt.is_empty() {
            return;
        }
        let mut checked = empty_report(self.report.operation);
        checked.failed = doubt
            .into_iter()
            .map(|id| FailedId {
                id,
                failure: BatchFailure {
                    message: Some(
                        "selected by an earlier run that ended before journaling its outcome"
                            .into(),
                    ),
                    outcome_unknown: true,
                    ..BatchFailure::default()
                },
            })
            .collect();
        self.read_back_all(&mut checked);
        if !self.summary.complete {
            // Not applied, and this run did not get to its window: a run to come will.
            let (later, failed) = checked
                .failed
                .into_iter()
                .partition(|f| !f.failure.outcome_unknown);
            checked.failed = failed;
            checked.not_attempted = later.into_iter().map(|f: FailedId| f.id).collect();
        }
        self.runner.record(&read_back_line(&checked));
        merge(&mut self.report, checked);
    }

    /// Reads every ID of `checked` back, one at a time until a signal, and moves each where
    /// its state says.
    fn read_back_all(&self, checked: &mut BulkReport) {
        let mut read_back = ReadBack::new(checked, true);
        for id in read_back.ids().to_vec() {
            if self.runner.stopped() {
                break;
            }
            read_back.record(&id, self.client().get(&id));
        }
        read_back.settle(checked);
    }

    /// Sleeps `wait` unless a signal stops the job first; `false` when stopped.
    fn nap(&self, wait: Duration) -> bool {
        let now = Instant::now();
        let deadline = now.checked_add(wait).unwrap_or(now);
        while let Some(slice) = self.runner.stop_handle().nap(deadline, Instant::now()) {
            std::thread::sleep(slice);
        }
        !self.runner.stopped()
    }
}

/// The ID of a listed recording the selection may act on: one with an ID, in the listed
/// status (or none given), created in `[from, last]` (or no readable time given).
fn usable(r: &Recording, status: RecordingStatus, (from, last): (i64, i64)) -> Option<RecordingId> {
    if r.status.as_deref().is_some_and(|s| s != status.as_str()) {
        return None;
    }
    let created = r
        .create_time
        .as_deref()
        .and_then(|t| Timestamp::parse(t).ok())
        .map(|t| t.unix_seconds());
    if created.is_some_and(|c| c < from || c > last) {
        return None;
    }
    RecordingId::new(r.id.as_deref()?).ok()
}

/// Appends `more` (IDs not yet in `report`) to `report`.
fn merge(report: &mut BulkReport, more: BulkReport) {
    report.succeeded.extend(more.succeeded);
    report.failed.extend(more.failed);
    report.not_attempted.extend(more.not_attempted);
    report.already_applied.extend(more.already_applied);
    report.verified.extend(more.verified);
}

/// Moves the IDs of `ids` out of `report` into `into`.
fn take_ids(report: &mut BulkReport, ids: &HashSet<&RecordingId>, into: &mut BulkReport) {
    into.succeeded
        .extend(drain_where(&mut report.succeeded, |id| ids.contains(id)));
    into.failed
        .extend(drain_where(&mut report.failed, |f| ids.contains(&f.id)));
    into.not_attempted
        .extend(drain_where(&mut report.not_attempted, |id| {
            ids.contains(id)
        }));
    into.already_applied
        .extend(drain_where(&mut report.already_applied, |id| {
            ids.contains(id)
        }));
}

/// Removes the items of `items` that `pick` picks, in order, and returns them.
fn drain_where<T>(items: &mut Vec<T>, pick: impl Fn(&T) -> bool) -> Vec<T> {
    let (picked, kept) = std::mem::take(items).into_iter().partition(|t| pick(t));
    *items = kept;
    picked
}

/// Folds the report of acting again on IDs still listed into `report`: for an ID without
/// an earlier success the new outcome counts (an earlier failure stays when it was not
/// attempted again); a failure does not take away an earlier success (the last listing
/// and reading back decide).
fn merge_again(report: &mut BulkReport, again: BulkReport) {
    let ids: HashSet<&RecordingId> = again.ids().collect();
    let mut before = empty_report(report.operation);
    take_ids(report, &ids, &mut before);
    let had: HashSet<RecordingId> = before.succeeded.iter().cloned().collect();
    let fresh = |id: &RecordingId| !had.contains(id);
    report.succeeded.extend(before.succeeded.iter().cloned());
    report.already_applied.extend(before.already_applied);
    report
        .already_applied
        .extend(again.already_applied.into_iter().filter(|id| fresh(id)));
    report
        .succeeded
        .extend(again.succeeded.into_iter().filter(|id| fresh(id)));
    for mut f in again.failed.into_iter().filter(|f| fresh(&f.id)) {
        // An earlier attempt that may have been applied still may have been.
        let unknown_before = before
            .failed
            .iter()
            .any(|b| b.id == f.id && b.failure.outcome_unknown);
        if unknown_before && !f.failure.outcome_unknown {
            f.failure.outcome_unknown = true;
            let was = f.failure.message.take().unwrap_or_default();
            f.failure.message = Some(format!("{was} (an earlier attempt may have been applied)"));
        }
        report.failed.push(f);
    }
    for id in again.not_attempted.into_iter().filter(|id| fresh(id)) {
        match before.failed.iter().position(|f| f.id == id) {
            Some(i) => report.failed.push(before.failed.swap_remove(i)),
            None => report.not_attempted.push(id),
        }
    }
    report.verified.extend(again.verified);
}

/// Keeps `alreadyApplied` and `verified` free of repeats, and `alreadyApplied` within
/// `succeeded`.
fn tidy(report: &mut BulkReport) {
    let succeeded: HashSet<&RecordingId> = report.succeeded.iter().collect();
    let mut seen = HashSet::new();
    report
        .already_applied
        .retain(|id| succeeded.contains(id) && seen.insert(id.clone()));
    let mut seen = HashSet::new();
    report.verified.retain(|id| seen.insert(id.clone()));
}

/// Puts the successes an earlier run journaled into `report`, ahead of this run's, unless
/// this run settled them again.
fn merge_earlier(report: &mut BulkReport, earlier: &Earlier) {
    if earlier.succeeded.is_empty() {
        return;
    }
    let this_run: HashSet<&RecordingId> = report.ids().collect();
    let mut succeeded: Vec<RecordingId> = earlier
        .succeeded
        .iter()
        .filter(|id| !this_run.contains(id))
        .cloned()
        .collect();
    succeeded.sort_unstable();
    let applied: Vec<RecordingId> = succeeded
        .iter()
        .filter(|id| earlier.already_applied.contains(*id))
        .cloned()
        .collect();
    succeeded.append(&mut report.succeeded);
    report.succeeded = succeeded;
    report.already_applied.extend(applied);
}
