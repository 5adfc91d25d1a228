//! A progress bar on stderr for jobs of more than one batch, when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use recycle_core::Progress;

pub(crate) struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar for `total` IDs in `batches` batches, or nothing when it would not help.
    pub(crate) fn new(total: usize, batches: usize, enabled: bool) -> Self {
        if !enabled || batches <= 1 || !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} IDs ({per_sec}, {eta} left)")
        {
            bar.set_style(style);
        }
        Self(Some(bar))
    }

    pub(crate) fn update(&self, progress: Progress) {
        if let Some(bar) = &self.0 {
            bar.set_position((progress.succeeded + progress.failed) as u64);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// A status line on stderr for a selection job, when stderr is a terminal: the windows
/// listed and the recordings found, then the IDs acted on.
pub(crate) struct Phases(Option<ProgressBar>);

impl Phases {
    pub(crate) fn new(enabled: bool) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Self(Some(bar))
    }

    /// Listing window `window` of `total`; `found` recordings selected so far.
    pub(crate) fn listing(&self, window: usize, total: usize, found: usize) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!(
                "selecting: window {window} of {total}, {found} recording(s) found"
            ));
        }
    }

    /// Acting on a window: `done` of its `selected` IDs settled; `found` selected so far.
    pub(crate) fn acting(&self, done: usize, selected: usize, found: usize) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!(
                "acting: {done} of {selected} in this window ({found} found so far)"
            ));
        }
    }

    /// Listing again after acting (`round` of `rounds`).
    pub(crate) fn verifying(&self, round: u32, rounds: u32) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!("verifying: listing again ({round} of {rounds})"));
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
