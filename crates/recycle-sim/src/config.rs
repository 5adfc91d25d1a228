//! [`SimConfig`]: what a simulator starts with.

use std::collections::HashMap;

use recycle_core::Timestamp;

use crate::{BatchSemantics, FaultResponse, FaultSpec, Identity, default_identities};

/// How `429` answers carry `Retry-After`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RetryAfterStyle {
    /// Whole seconds, such as `"1"` (the default, as Webex sends).
    #[default]
    Seconds,
    /// An HTTP-date.
    HttpDate,
}

/// A rate limit over all `/v1` requests: a token bucket of `burst` tokens refilled at
/// `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: f64,
    /// Requests allowed at once; defaults to one second's worth.
    pub burst: f64,
    /// How `Retry-After` is written.
    pub retry_after: RetryAfterStyle,
}

impl RateLimit {
    /// `per_second` requests per second, with one second's worth of burst.
    pub fn per_second(per_second: f64) -> Self {
        Self {
            per_second,
            burst: per_second.max(1.0),
            retry_after: RetryAfterStyle::Seconds,
        }
    }
}

/// Parses a rate such as `50/s` or `50` (requests per second, more than 0).
///
/// ```
/// assert_eq!(recycle_sim::parse_rate("50/s"), Ok(50.0));
/// assert!(recycle_sim::parse_rate("fast").is_err());
/// ```
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let n = s.strip_suffix("/s").unwrap_or(s);
    match n.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("{s:?} is not a rate such as 50/s")),
    }
}

/// Configuration of a simulator.
///
/// ```
/// use recycle_sim::{RateLimit, SimConfig};
///
/// let config = SimConfig::new(7)
///     .recordings_for("alice", 250)
///     .rate_limit(RateLimit::per_second(50.0));
/// assert_eq!(config.seed, 7);
/// ```
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of the generated tokens and recordings: the same seed gives the same data.
    pub seed: u64,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The callers it knows.
    pub identities: Vec<Identity>,
    /// Recordings generated for each identity, unless `recordings_by_name` says otherwise.
    pub recordings_per_identity: usize,
    /// Recordings generated for particular identities, by name.
    pub recordings_by_name: HashMap<String, usize>,
    /// Page size of list answers when the request gives no `max` (Webex's default, 10).
    pub default_page_size: usize,
    /// Rate limit, off by default.
    pub rate_limit: Option<RateLimit>,
    /// Largest request body accepted, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Requests kept in the request log (older ones are dropped).
    pub log_capacity: usize,
    /// Faults queued from the start, as if posted to `/_sim/faults`.
    pub faults: Vec<FaultSpec>,
    /// Random faults on `/v1` requests, for soak tests.
    pub chaos: Option<Chaos>,
    /// The simulator's "now": recordings are created in the 365 days before it, and lists
    /// with open ends count their 7-day defaults from it. `None`: the real time (at start
    /// for the recordings, at each request for the lists).
    pub now: Option<Timestamp>,
    /// What a batch with some unacceptable IDs does (Webex does not say): atomic (the
    /// default), partial or lenient.
    pub batch_semantics: BatchSemantics,
    /// How late the lists see state changes, in milliseconds (eventual consistency, which
    /// Webex does not document either way): a recording trashed now is still listed as
    /// available for this long. The details endpoint and the operations see changes at once.
    /// 0 (the default): lists see them at once.
    pub list_lag_ms: u64,
}

/// Random faults: each `/v1` request without a scripted fault gets, with `probability`, one
/// of 503, 502 with an HTML body, 429 (`Retry-After: 0`), a dropped connection, or 500 or a
/// dropped connection after applying the change. Deterministic for a seed and an order of
/// requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chaos {
    /// Chance of a fault per request, 0 to 1.
    pub probability: f64,
    /// Seed of the draws.
    pub seed: u64,
}

impl SimConfig {
    /// The standard identities and 12 recordings each, for `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            port: 0,
            identities: default_identities(seed),
            recordings_per_identity: 12,
            recordings_by_name: HashMap::new(),
            default_page_size: usize::from(recycle_core::protocol::DEFAULT_PAGE_SIZE),
            rate_limit: None,
            max_body_bytes: 256 * 1024,
            log_capacity: 10_000,
            faults: Vec::new(),
            chaos: None,
            now: None,
            batch_semantics: BatchSemantics::Atomic,
            list_lag_ms: 0,
        }
    }

    /// Makes lists see state changes `ms` milliseconds late.
    pub fn list_lag_ms(mut self, ms: u64) -> Self {
        self.list_lag_ms = ms;
        self
    }

    /// Sets what a batch with some unacceptable IDs does.
    pub fn batch_semantics(mut self, semantics: BatchSemantics) -> Self {
        self.batch_semantics = semantics;
        self
    }

    /// Fixes the simulator's "now", for reproducible data and list defaults.
    pub fn now(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }

    /// Generates `count` recordings for the identity `name`.
    pub fn recordings_for(mut self, name: &str, count: usize) -> Self {
        self.recordings_by_name.insert(name.to_owned(), count);
        self
    }

    /// Turns the rate limit on.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Turns random faults on.
    pub fn chaos(mut self, probability: f64, seed: u64) -> Self {
        self.chaos = Some(Chaos { probability, seed });
        self
    }

    /// Queues scripted answers for `path` (below `/v1`) from the start.
    pub fn fault<F: Into<FaultResponse>>(
        mut self,
        path: &str,
        responses: impl IntoIterator<Item = F>,
    ) -> Self {
        self.faults.push(FaultSpec {
            path: path.to_owned(),
            responses: responses.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Listens on this port of 127.0.0.1.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self::new(7)
    }
}
