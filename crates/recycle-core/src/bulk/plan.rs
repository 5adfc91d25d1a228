//! [`BulkPlan`]: the unique, valid IDs of a job, in input order.

use crate::validation::InvalidIdAt;
use crate::{RecordingId, ValidationError};

/// The IDs of a bulk job: validated, deduplicated, in the order first given.
///
/// ```
/// use recycle_core::BulkPlan;
///
/// let plan = BulkPlan::new(["b", "a", "b", "c", "a"])?;
/// assert_eq!(plan.ids().iter().map(|id| id.as_str()).collect::<Vec<_>>(), ["b", "a", "c"]);
/// assert_eq!(plan.duplicates(), 2);
/// assert_eq!(plan.batch_count(2), 2);
///
/// let refused = BulkPlan::new(["ok", "bad id", "", "fine"]).unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "2 invalid recording ID(s), so nothing was sent: #2 \"bad id\": the ID contains whitespace at byte 3; #3 \"\": the ID is empty"
/// );
/// # Ok::<(), recycle_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPlan {
    ids: Vec<RecordingId>,
    duplicates: usize,
}

impl BulkPlan {
    /// Validates every ID (a job with any invalid ID is refused whole, naming each one with
    /// its 1-based position) and drops repeats, keeping first occurrences in order.
    pub fn new<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut valid = Vec::new();
        let mut invalid = Vec::new();
        for (index, id) in ids.into_iter().enumerate() {
            match RecordingId::new_or_return(id.into()) {
                Ok(id) => valid.push(id),
                Err((id, reason)) => invalid.push(InvalidIdAt {
                    position: index + 1,
                    id,
                    reason,
                }),
            }
        }
        if !invalid.is_empty() {
            return Err(ValidationError::InvalidIds { invalid });
        }
        if valid.is_empty() {
            return Err(ValidationError::EmptyJob);
        }
        let before = valid.len();
        let ids = dedup_keep_first(valid);
        Ok(Self {
            duplicates: before - ids.len(),
            ids,
        })
    }

    /// The unique IDs in input order.
    pub fn ids(&self) -> &[RecordingId] {
        &self.ids
    }

    /// How many repeated IDs were dropped.
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }

    /// How many requests of at most `batch_size` IDs the job needs before any retry.
    pub fn batch_count(&self, batch_size: usize) -> usize {
        self.ids.len().div_ceil(batch_size.max(1))
    }

    pub(crate) fn into_ids(self) -> Vec<RecordingId> {
        self.ids
    }
}

/// What a bulk call accepts: an already made [`BulkPlan`], or any collection of IDs.
///
/// Passing a plan lets a caller report duplicates or refuse bad input before the job starts
/// without holding the IDs twice.
pub trait BulkInput {
    /// The plan: deduplicated, validated IDs.
    fn into_plan(self) -> Result<BulkPlan, ValidationError>;
}

impl BulkInput for BulkPlan {
    fn into_plan(self) -> Result<BulkPlan, ValidationError> {
        Ok(self)
    }
}

impl<I, S> BulkInput for I
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    fn into_plan(self) -> Result<BulkPlan, ValidationError> {
        BulkPlan::new(self)
    }
}

/// Drops repeats, keeping first occurrences in order. Sorting indices rather than hashing
/// copies keeps memory at one word per ID, which matters for million-ID jobs.
fn dedup_keep_first(ids: Vec<RecordingId>) -> Vec<RecordingId> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&a, &b| ids[a].cmp(&ids[b]).then(a.cmp(&b)));
    let mut keep = vec![true; ids.len()];
    for pair in order.windows(2) {
        if ids[pair[0]] == ids[pair[1]] {
            keep[pair[1]] = false;
        }
    }
    ids.into_iter()
        .zip(keep)
        .filter_map(|(id, keep)| keep.then_some(id))
        .collect()
}
