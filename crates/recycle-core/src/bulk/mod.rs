//! Bulk jobs: any number of IDs, planned into legal batches, with every ID accounted for.
//!
//! [`BulkPlan`] deduplicates and validates the input; [`BulkJob`] hands out batches,
//! splits batches that fail for their content, stops on 401/403, and finally yields a
//! [`BulkReport`] whose buckets partition the unique input IDs.

mod job;
mod journal;
mod plan;
mod read_back;
mod report;
mod stop;

pub use job::{Batch, BatchFailure, BatchResult, BulkJob, BulkOptions, Progress, Settled};
pub use journal::{
    JOURNAL_MARK, JOURNAL_VERSION, JournalContents, JournalHeader, JournalLine, SelectedLine,
    ids_digest, read_journal,
};
pub use plan::{BulkInput, BulkPlan};
pub use read_back::ReadBack;
pub use report::{BulkReport, FailedId};
pub use stop::{JobEvent, STOP_CHECK_INTERVAL, StopHandle};
