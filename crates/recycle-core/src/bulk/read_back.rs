//! [`ReadBack`]: settling a report against the server's state, one recording's details at a
//! time.

use std::collections::HashMap;

use crate::{BatchFailure, BulkReport, Error, FailedId, OperationKind, Recording, RecordingId};

/// Which IDs of a finished job to read back, and how to move them in the report by what the
/// server says. Only IDs that were sent are read back; not-attempted ones stay as they are.
///
/// - Without verification, the IDs whose outcome is unknown (a few requests).
/// - With verification, every ID that succeeded or failed: one request each.
///
/// An ID found in the operation's target state (deleted after trash, available after
/// restore, purged or gone after purge) ends in `succeeded`; one that is not ends in
/// `failed` with a message saying what was found; one that could not be read stays where it
/// was. Every ID read is listed in `verified`.
///
/// ```
/// use recycle_core::adapter::ReadBack;
/// use recycle_core::{BatchFailure, BulkReport, FailedId, OperationKind, Recording, RecordingId};
///
/// let id = RecordingId::new("r1")?;
/// let mut report = BulkReport {
///     operation: OperationKind::Trash,
///     succeeded: vec![],
///     failed: vec![FailedId { id: id.clone(), failure: BatchFailure { status: Some(503), outcome_unknown: true, ..Default::default() } }],
///     not_attempted: vec![],
///     already_applied: vec![],
///     verified: vec![],
/// };
/// let mut read_back = ReadBack::new(&report, false);
/// assert_eq!(read_back.ids(), [id.clone()]);
/// let deleted = Recording { id: Some("r1".into()), status: Some("deleted".into()), ..Default::default() };
/// read_back.record(&id, Ok(deleted));
/// read_back.settle(&mut report);
/// assert_eq!(report.succeeded, [id.clone()]);
/// assert_eq!(report.already_applied, [id.clone()]);
/// assert_eq!(report.verified, [id]);
/// # Ok::<(), recycle_core::IdError>(())
/// ```
#[derive(Debug)]
pub struct ReadBack {
    operation: OperationKind,
    ids: Vec<RecordingId>,
    /// What each ID read back showed.
    found: HashMap<RecordingId, Found>,
}

#[derive(Debug, Clone)]
enum Found {
    Status(Option<String>),
    Missing,
}

impl ReadBack {
    /// The IDs of `report` to read back: those whose outcome is unknown, or with `all`
    /// every ID that was sent.
    pub fn new(report: &BulkReport, all: bool) -> Self {
        let failed = report
            .failed
            .iter()
            .filter(|f| all || f.failure.outcome_unknown)
            .map(|f| f.id.clone());
        // IDs found already applied by inference (a 410) are cheap to confirm: always read.
        let succeeded = report
            .succeeded
            .iter()
            .filter(|id| all || report.already_applied.contains(id))
            .cloned();
        Self {
            operation: report.operation,
            ids: succeeded.chain(failed).collect(),
            found: HashMap::new(),
        }
    }

    /// Nothing to read: a job stopped from outside, or refused (401/403), ends as it is.
    pub fn none(report: &BulkReport) -> Self {
        Self {
            operation: report.operation,
            ids: Vec::new(),
            found: HashMap::new(),
        }
    }

    /// The IDs to read, in report order.
    pub fn ids(&self) -> &[RecordingId] {
        &self.ids
    }

    /// Records what reading `id` back gave. A 404 (or 410) means the recording is not
    /// visible: gone, which a purge means to reach. Other errors leave the ID unread.
    pub fn record(&mut self, id: &RecordingId, result: Result<Recording, Error>) {
        let found = match result {
            Ok(recording) => Found::Status(recording.status),
            Err(Error::Api(e)) if matches!(e.status.code(), 404 | 410) => Found::Missing,
            Err(_) => return,
        };
        self.found.insert(id.clone(), found);
    }

    /// Whether what was found is the operation's target state. A recording that is not
    /// found reached a purge's target only if the server had accepted it (it succeeded, or
    /// its outcome was unknown): a 404 for an ID the server refused as unknown says nothing.
    fn reached(&self, found: &Found, accepted: bool) -> bool {
        match (self.operation, found) {
            (OperationKind::Trash, Found::Status(s)) => s.as_deref() == Some("deleted"),
            (OperationKind::Restore, Found::Status(s)) => s.as_deref() == Some("available"),
            (OperationKind::Purge, Found::Status(s)) => s.as_deref() == Some("purged"),
            (OperationKind::Purge, Found::Missing) => accepted,
            (_, Found::Missing) => false,
        }
    }

    /// Moves the IDs read back to the bucket the server's state says, and lists them in
    /// `verified`.
    pub fn settle(self, report: &mut BulkReport) {
        if self.found.is_empty() {
            return;
        }
        let describe = |found: &Found| match found {
            Found::Status(Some(s)) => format!("was read back as {s}"),
            Found::Status(None) => "was read back without a status".to_owned(),
            Found::Missing => "was not found when read back".to_owned(),
        };
        let mut succeeded = Vec::with_capacity(report.succeeded.len());
        let mut failed = Vec::with_capacity(report.failed.len());
        for id in std::mem::take(&mut report.succeeded) {
            match self.found.get(&id) {
                Some(found) if !self.reached(found, true) => {
                    report.already_applied.retain(|a| *a != id);
                    failed.push(FailedId {
                        failure: BatchFailure {
                            message: Some(format!(
                                "the server accepted it, but it {}: not in the state {} leads to",
                                describe(found),
                                self.operation
                            )),
                            ..BatchFailure::default()
                        },
                        id,
                    });
                }
                _ => succeeded.push(id),
            }
        }
        for f in std::mem::take(&mut report.failed) {
            let accepted = f.failure.outcome_unknown;
            match self.found.get(&f.id) {
                Some(found) if self.reached(found, accepted) => {
                    report.already_applied.push(f.id.clone());
                    succeeded.push(f.id);
                }
                Some(found) => {
                    let mut failure = f.failure;
                    if failure.outcome_unknown {
                        // Read back: the request was not applied to it after all.
                        failure.outcome_unknown = false;
                        let was = failure.message.take().unwrap_or_default();
                        failure.message = Some(format!("{was} ({})", describe(found)));
                    }
                    failed.push(FailedId { id: f.id, failure });
                }
                None => failed.push(f),
            }
        }
        report.verified = self
            .ids
            .iter()
            .filter(|id| self.found.contains_key(*id))
            .cloned()
            .collect();
        report.succeeded = succeeded;
        report.failed = failed;
    }
}
