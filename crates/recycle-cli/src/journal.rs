//! `--journal PATH`: an append-only JSON Lines record of a job, so that running the same
//! command again resumes it. Each batch's line is flushed and synced before the next batch
//! takes its place.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use recycle_core::{JournalHeader, JournalLine, RecordingId, SelectedLine, Settled, read_journal};

use crate::outcome::Stop;

/// An open journal, appending.
pub(crate) struct Journal {
    file: File,
    path: PathBuf,
}

/// What an earlier run of the same job recorded.
#[derive(Default)]
pub(crate) struct Earlier {
    pub(crate) succeeded: HashSet<RecordingId>,
    pub(crate) already_applied: HashSet<RecordingId>,
    pub(crate) batches: usize,
    /// Every ID a retention job selected (window by window, before acting on it).
    pub(crate) selected: Vec<RecordingId>,
    /// The header found, when the journal was not new.
    pub(crate) header: Option<JournalHeader>,
}

impl Journal {
    /// Opens the journal at `path` for the job `header`: creates it with the header, or
    /// reads what an earlier run of the same job recorded. A journal of another job is
    /// refused (exit 2, nothing sent).
    pub(crate) fn open(path: &Path, header: &JournalHeader) -> Result<(Self, Earlier), Stop> {
        let usage = |what: String| Stop::usage(format!("--journal {}: {what}", path.display()));
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(usage(e.to_string())),
        };
        let mut earlier = Earlier::default();
        let recorded = read_journal(&text).map_err(usage)?;
        // What is kept: everything up to the last complete line. A line torn by a crash
        // (a header included) is cut off before appending.
        let mut keep = text.rfind('\n').map_or(0, |i| i + 1);
        let needs_header = recorded.is_none();
        if let Some(recorded) = recorded {
            let (found, batches) = (recorded.header, recorded.batches);
            if let Some(why) = found.mismatch(header) {
                return Err(usage(format!("refused: {why}; nothing was sent")));
            }
            earlier.batches = batches.len();
            earlier.selected = recorded.selected;
            earlier.header = Some(found);
            // Later lines win: a read-back line may move an ID out of succeeded.
            for batch in batches {
                for id in batch.failed.iter().map(|f| &f.id) {
                    earlier.succeeded.remove(id);
                    earlier.already_applied.remove(id);
                }
                earlier.succeeded.extend(batch.succeeded);
                earlier.already_applied.extend(batch.already_applied);
            }
        } else if text[..keep].trim().is_empty() {
            keep = 0; // blank, or only a torn header: start afresh
        } else {
            return Err(usage("not a recycle journal; nothing was sent".into()));
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| usage(e.to_string()))?;
        if keep < text.len() {
            file.set_len(keep as u64)
                .map_err(|e| usage(e.to_string()))?;
        }
        let mut journal = Self {
            file,
            path: path.to_owned(),
        };
        if needs_header {
            journal
                .append(&JournalLine::Header(header.clone()))
                .map_err(|e| usage(e.to_string()))?;
        }
        Ok((journal, earlier))
    }

    /// Appends what a finished batch settled, flushed and synced to the disk.
    pub(crate) fn record(&mut self, settled: &Settled) -> io::Result<()> {
        if settled.is_empty() {
            return Ok(());
        }
        self.append(&JournalLine::Batch(settled.clone()))
    }

    /// Appends the IDs a retention job selected in a window, synced, before acting on them.
    pub(crate) fn record_selected(&mut self, ids: &[RecordingId]) -> io::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.append(&JournalLine::Selected(SelectedLine {
            selected: ids.to_vec(),
        }))
    }

    fn append(&mut self, line: &JournalLine) -> io::Result<()> {
        let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }

    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}
