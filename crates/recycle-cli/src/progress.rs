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
