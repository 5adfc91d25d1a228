//! [`SharedRng`]: the one source of randomness (jitter, tracking IDs), seedable for tests.

use std::sync::{Mutex, PoisonError};

/// A thread-safe random number generator, seeded for reproducible tests.
#[derive(Debug)]
pub struct SharedRng(Mutex<fastrand::Rng>);

impl SharedRng {
    /// A generator seeded from the operating system's entropy.
    pub fn new() -> Self {
        Self(Mutex::new(fastrand::Rng::new()))
    }

    /// A generator that always yields the same sequence for the same seed.
    pub fn seeded(seed: u64) -> Self {
        Self(Mutex::new(fastrand::Rng::with_seed(seed)))
    }

    /// A uniformly random value in `0..=max`.
    pub fn below_or_equal(&self, max: u64) -> u64 {
        self.with(|r| r.u64(0..=max))
    }

    /// 128 random bits.
    pub fn u128(&self) -> u128 {
        self.with(|r| r.u128(..))
    }

    fn with<T>(&self, f: impl FnOnce(&mut fastrand::Rng) -> T) -> T {
        // A panic elsewhere cannot leave the generator in a broken state.
        let mut rng = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut rng)
    }
}

impl Default for SharedRng {
    fn default() -> Self {
        Self::new()
    }
}
