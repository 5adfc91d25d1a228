//! [`ValidationError`]: every rule a request or a job can break, by name.

use crate::excerpt::excerpt;
use crate::{CallerRole, EmailError, IdError};

/// Most recording IDs one request may carry.
pub const MAX_IDS_PER_REQUEST: usize = 100;

/// One invalid ID in a bulk job, with its 1-based position in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidIdAt {
    /// 1-based position in the input as given (before deduplication).
    pub position: usize,
    /// The rejected input.
    pub id: String,
    /// Why it was rejected.
    pub reason: IdError,
}

impl std::fmt::Display for InvalidIdAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "#{} {}: {}",
            self.position,
            excerpt(&self.id),
            self.reason
        )
    }
}

/// A request or job that breaks one of the API's rules. Nothing was sent.
///
/// Positions are 1-based: position 1 is the first ID given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// Acting by ID with no IDs.
    #[error(
        "no recording IDs given: pass 1 to {MAX_IDS_PER_REQUEST} IDs, or act on all recordings"
    )]
    NoIds,
    /// A bulk job with no IDs at all.
    #[error("the job has no recording IDs: nothing to do")]
    EmptyJob,
    /// More than [`MAX_IDS_PER_REQUEST`] IDs in one request.
    #[error(
        "{count} recording IDs given, but one request takes at most {MAX_IDS_PER_REQUEST}; \
         use a bulk call, which splits the job into batches"
    )]
    TooManyIds {
        /// How many IDs were given.
        count: usize,
    },
    /// The same ID twice in one request.
    #[error("recording ID {} appears twice, at positions {first} and {second}", excerpt(.id))]
    DuplicateId {
        /// The repeated ID.
        id: String,
        /// 1-based position of its first occurrence.
        first: usize,
        /// 1-based position of the repetition.
        second: usize,
    },
    /// One malformed ID in a request.
    #[error("recording ID #{position} {} is invalid: {reason}", excerpt(.id))]
    InvalidId {
        /// 1-based position in the request.
        position: usize,
        /// The rejected input.
        id: String,
        /// Why it was rejected.
        reason: IdError,
    },
    /// Malformed IDs in a bulk job; the whole job is refused.
    #[error("{} invalid recording ID(s), so nothing was sent: {}", .invalid.len(), list(.invalid))]
    InvalidIds {
        /// Every invalid ID, in input order.
        invalid: Vec<InvalidIdAt>,
    },
    /// `ownerEmail` is not an email address.
    #[error("ownerEmail {} is invalid: {reason}", excerpt(.value))]
    InvalidEmail {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: EmailError,
    },
    /// The "all" flag is true and IDs were given as well.
    #[error(
        "{flag} is true, so recordingIds must be empty: act on all recordings or on a list, not both"
    )]
    IdsWithAll {
        /// `trashAll`, `restoreAll` or `purgeAll`.
        flag: &'static str,
    },
    /// `ownerEmail` was given without the "all" flag.
    #[error("ownerEmail is only allowed together with {flag}: true; remove it when acting by ID")]
    OwnerWithoutAll {
        /// `trashAll`, `restoreAll` or `purgeAll`.
        flag: &'static str,
    },
    /// A user named an owner, or an administrator acting on all named none.
    #[error("{}", role_mismatch(*.role))]
    RoleMismatch {
        /// The caller's role.
        role: CallerRole,
    },
    /// A malformed JSON request body (syntax, types, unknown or repeated fields).
    #[error("malformed request body: {message}")]
    Malformed {
        /// What the parser reported.
        message: String,
    },
}

fn list(invalid: &[InvalidIdAt]) -> String {
    const SHOWN: usize = 20;
    let mut out: Vec<String> = invalid
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if invalid.len() > SHOWN {
        out.push(format!("and {} more", invalid.len() - SHOWN));
    }
    out.join("; ")
}

fn role_mismatch(role: CallerRole) -> &'static str {
    match role {
        CallerRole::User => {
            "a user may act only on their own recordings: drop ownerEmail (naming an owner \
             needs the spark-admin:recordings_write scope)"
        }
        CallerRole::Admin => {
            "an administrator acting on all recordings must name their owner with ownerEmail"
        }
    }
}
