//! [`Shared`]: the state every request sees.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::faults::{Faults, RandomFaults};
use crate::log::RequestLog;
use crate::rate_limit::TokenBucket;
use crate::store::Store;
use crate::{Identity, SimConfig, seed};

pub(crate) struct Shared {
    pub(crate) identities: Vec<Identity>,
    /// `http://127.0.0.1:PORT/v1`, as printed: next-page links are built on it.
    pub(crate) base_url: String,
    pub(crate) default_page_size: usize,
    pub(crate) batch_semantics: crate::BatchSemantics,
    pub(crate) max_body_bytes: usize,
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) random_faults: Option<RandomFaults>,
    pub(crate) limiter: Option<Mutex<TokenBucket>>,
    pub(crate) log: Mutex<RequestLog>,
    /// The configured "now", if fixed.
    now: Option<recycle_core::Timestamp>,
    tracking_seq: AtomicU64,
}

impl Shared {
    pub(crate) fn new(config: &SimConfig, base_url: String) -> Self {
        Self {
            identities: config.identities.clone(),
            base_url,
            default_page_size: config.default_page_size.clamp(1, 100),
            batch_semantics: config.batch_semantics,
            max_body_bytes: config.max_body_bytes,
            store: Mutex::new(Store::new(
                seed::generate(config),
                std::time::Duration::from_millis(config.list_lag_ms),
            )),
            faults: Mutex::new(Faults::with(config.faults.clone())),
            random_faults: config.chaos.map(RandomFaults::new),
            limiter: config
                .rate_limit
                .map(|l| Mutex::new(TokenBucket::new(l, Instant::now()))),
            log: Mutex::new(RequestLog::new(config.log_capacity)),
            now: config.now.clone(),
            tracking_seq: AtomicU64::new(0),
        }
    }

    /// The simulator's "now", in seconds since the epoch.
    pub(crate) fn now_unix(&self) -> i64 {
        seed::now_unix(self.now.as_ref())
    }

    /// A fresh `trackingid` for an answer.
    pub(crate) fn next_tracking_id(&self) -> String {
        let n = self.tracking_seq.fetch_add(1, Ordering::Relaxed) + 1;
        format!("ROUTER_SIM_{n:010}")
    }
}

/// Locks `m`; a panic elsewhere cannot leave these structures half-updated, so a poisoned
/// lock is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
