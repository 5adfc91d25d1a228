//! The lines of a bulk job's journal (JSON Lines): a header naming the job, then one entry
//! per finished batch (and, for a retention job, the IDs of each window before it is acted
//! on). The file itself is written by the caller (the CLI's `--journal`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{OperationKind, RecordingId, Selection, Settled};

/// The `journal` field of a header.
pub const JOURNAL_MARK: &str = "recycle-journal";
/// The version of the journal format.
pub const JOURNAL_VERSION: u32 = 1;

/// The first line of a journal: which job it records. The token is never written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JournalHeader {
    /// Always `recycle-journal`.
    pub journal: String,
    /// The format's version, 1.
    pub version: u32,
    /// The job's operation.
    pub operation: OperationKind,
    /// The API base URL the job was sent to.
    pub base_url: String,
    /// How many distinct IDs the job has.
    pub ids: usize,
    /// [`ids_digest`] of the job's distinct IDs, in order.
    pub ids_digest: String,
    /// For a retention job: what it selects (its IDs are found by listing, so `ids` is 0
    /// and `idsDigest` that of no IDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
}

impl JournalHeader {
    /// The header of a job of `operation` over `ids` (distinct, in order) sent to `base_url`.
    pub fn new(operation: OperationKind, base_url: &str, ids: &[RecordingId]) -> Self {
        Self {
            journal: JOURNAL_MARK.to_owned(),
            version: JOURNAL_VERSION,
            operation,
            base_url: base_url.to_owned(),
            ids: ids.len(),
            ids_digest: ids_digest(ids),
            selection: None,
        }
    }

    /// The header of a retention job of `operation` over `selection`, sent to `base_url`.
    pub fn for_selection(operation: OperationKind, base_url: &str, selection: Selection) -> Self {
        Self {
            selection: Some(selection),
            ..Self::new(operation, base_url, &[])
        }
    }

    /// Why a journal with this header does not record the job `expected`, if it does not.
    pub fn mismatch(&self, expected: &Self) -> Option<String> {
        if self.journal != JOURNAL_MARK || self.version != JOURNAL_VERSION {
            return Some(format!(
                "it is not a version {JOURNAL_VERSION} recycle journal"
            ));
        }
        if self.operation != expected.operation {
            return Some(format!(
                "it records a {} job, not {}",
                self.operation, expected.operation
            ));
        }
        if self.base_url != expected.base_url {
            return Some(format!(
                "it records a job sent to {}, not {}",
                self.base_url, expected.base_url
            ));
        }
        match (&self.selection, &expected.selection) {
            (Some(found), Some(wanted)) => return found.mismatch(wanted),
            (Some(_), None) => {
                return Some("it records a selection job, not a job over IDs".into());
            }
            (None, Some(_)) => return Some("it records a job over IDs, not a selection".into()),
            (None, None) => {}
        }
        if self.ids != expected.ids || self.ids_digest != expected.ids_digest {
            return Some(format!(
                "it records another set of IDs ({} IDs, digest {}; this job has {}, digest {})",
                self.ids, self.ids_digest, expected.ids, expected.ids_digest
            ));
        }
        None
    }
}

/// The IDs a retention job selected in one window, written before it acts on them: a
/// resumed job reads back those an earlier run may have acted on without journaling the
/// outcome (it was killed with them in flight), so that its report still accounts for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectedLine {
    /// The window's IDs, in list order.
    pub selected: Vec<RecordingId>,
}

/// One line of a journal: the header, a window's selected IDs, or the IDs one finished
/// batch settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum JournalLine {
    /// The first line.
    Header(JournalHeader),
    /// A retention job's window, before it is acted on.
    Selected(SelectedLine),
    /// A finished batch.
    Batch(Settled),
}

/// What a journal recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalContents {
    /// The job.
    pub header: JournalHeader,
    /// What each finished batch (or read-back) settled, in order: later lines win.
    pub batches: Vec<Settled>,
    /// Every ID a retention job selected, window by window.
    pub selected: Vec<RecordingId>,
}

/// A digest of a job's IDs (in order): FNV-1a, 128 bits, over the IDs each followed by a
/// newline, as `fnv1a128:` and 32 hex digits. It tells jobs apart; it is not a
/// cryptographic hash.
///
/// ```
/// use recycle_core::protocol::ids_digest;
/// use recycle_core::RecordingId;
///
/// let a = [RecordingId::new("r1")?, RecordingId::new("r2")?];
/// let b = [RecordingId::new("r2")?, RecordingId::new("r1")?];
/// assert_ne!(ids_digest(&a), ids_digest(&b));
/// assert!(ids_digest(&a).starts_with("fnv1a128:"));
/// # Ok::<(), recycle_core::IdError>(())
/// ```
pub fn ids_digest(ids: &[RecordingId]) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for id in ids {
        for b in id.as_str().bytes().chain(std::iter::once(b'\n')) {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("fnv1a128:{hash:032x}")
}

/// What a journal's text says: its header and the batches it recorded. A last line cut short
/// by a crash (no newline at its end, or not JSON) is ignored; any other unreadable line is
/// an error naming it.
///
/// ```
/// use recycle_core::{JournalHeader, OperationKind, RecordingId, read_journal};
///
/// let ids = [RecordingId::new("r1")?];
/// let header = serde_json::to_string(&JournalHeader::new(OperationKind::Trash, "http://127.0.0.1:1/v1", &ids))?;
/// let text = format!("{header}\n{{\"succeeded\":[\"r1\"],\"failed\":[]}}\n{{\"succ");
/// let read = read_journal(&text)?.expect("a header");
/// assert_eq!(read.header.ids, 1);
/// assert_eq!(read.batches.len(), 1, "the torn last line is ignored");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_journal(text: &str) -> Result<Option<JournalContents>, String> {
    let complete = text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    let mut header = None;
    let mut batches = Vec::new();
    let mut selected = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let last = n + 1 == lines.len();
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JournalLine>(line) {
            Ok(JournalLine::Header(h)) if header.is_none() && n == 0 => header = Some(h),
            Ok(JournalLine::Batch(b)) if header.is_some() => batches.push(b),
            Ok(JournalLine::Selected(s)) if header.is_some() => selected.extend(s.selected),
            Ok(_) => return Err(format!("line {} is out of place", n + 1)),
            Err(_) if last && (!complete || n > 0) => {} // torn by a crash mid-write
            Err(e) => return Err(format!("line {} is not a journal line: {e}", n + 1)),
        }
    }
    Ok(header.map(|header| JournalContents {
        header,
        batches,
        selected,
    }))
}
