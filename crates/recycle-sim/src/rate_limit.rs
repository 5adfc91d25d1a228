//! A token bucket over all `/v1` requests.

use std::time::{Duration, Instant};

use crate::RateLimit;

#[derive(Debug)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket at `now`.
    pub(crate) fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: limit.burst,
            last: now,
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes a token at `now`, or says how long until one is available.
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now.max(self.last);
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let rate = self.limit.per_second.max(f64::MIN_POSITIVE);
        Err(Duration::from_secs_f64(
            ((1.0 - self.tokens) / rate).min(3600.0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_paces_at_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(RateLimit::per_second(10.0), start);
        for _ in 0..10 {
            assert!(bucket.take(start).is_ok());
        }
        let wait = bucket.take(start).expect_err("burst spent");
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-6, "{wait:?}");
        assert!(bucket.take(start + Duration::from_millis(100)).is_ok());
        assert!(bucket.take(start + Duration::from_millis(100)).is_err());
    }
}
