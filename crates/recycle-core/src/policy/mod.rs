//! Retry decisions: which outcome is retried and after how long, the shared retry budget,
//! and the seedable randomness behind jitter and tracking IDs.

pub(crate) mod budget;
pub(crate) mod retry;
pub(crate) mod rng;
