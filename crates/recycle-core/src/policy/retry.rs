//! [`RetryPolicy`]: after each attempt, retry after how long, or stop and why.

use std::sync::Arc;
use std::time::Duration;

use crate::budget::{RETRY_COST, SUCCESS_REFUND, TIMEOUT_RETRY_COST};
use crate::{RetryBudget, SharedRng, Status, StatusClass, TransportErrorKind};

/// The least a throttled answer counts toward [`RetryPolicy::max_wait`].
const MIN_THROTTLE_CHARGE: Duration = Duration::from_millis(10);

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttemptOutcome {
    /// A response with this status; `retry_after` is its parsed `Retry-After`, if any.
    Response {
        /// The response's status.
        status: Status,
        /// Its `Retry-After`, parsed (uncapped).
        retry_after: Option<Duration>,
    },
    /// No response.
    Transport(TransportErrorKind),
}

impl AttemptOutcome {
    /// Whether this attempt may have been applied by the server although it did not
    /// succeed: no answer (but a refused connection), or a 5xx. A 429 or 423 was not
    /// processed; another 4xx was refused.
    pub(crate) fn may_have_been_applied(&self) -> bool {
        match self {
            Self::Response { status, .. } => {
                status.class() == StatusClass::TransientServer || status.code() >= 500
            }
            Self::Transport(kind) => kind.may_have_been_applied(),
        }
    }

    /// Whether the server asked to slow down: 429 or 423.
    pub(crate) fn is_throttled(&self) -> bool {
        matches!(
            self,
            Self::Response { status, .. }
                if matches!(status.class(), StatusClass::RateLimited | StatusClass::Locked)
        )
    }
}

/// Why a retry was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitSource {
    /// The server's `Retry-After`, possibly capped.
    RetryAfter {
        /// Whether the server asked for longer than the cap.
        capped: bool,
    },
    /// The client's own exponential backoff with full jitter.
    Backoff,
}

/// Why the attempts end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The request succeeded.
    Success,
    /// The outcome is final: retrying the same request cannot help.
    NotRetryable,
    /// `max_attempts` attempts were made.
    AttemptsExhausted,
    /// The shared retry budget is empty.
    BudgetExhausted,
    /// Waiting as the server asked (429, 423) would pass the request's wait deadline,
    /// [`RetryPolicy::max_wait`].
    WaitDeadline,
}

/// The policy's verdict after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a decision says whether to retry: wait and retry, or stop"]
pub(crate) enum Decision {
    /// Wait `after`, then send the same request again.
    Retry {
        /// How long to wait.
        after: Duration,
        /// Where the wait comes from.
        source: WaitSource,
    },
    /// Do not retry.
    Stop(StopReason),
}

/// Bounds and delays for retries; the same policy drives both adapters.
///
/// Retried: 429 and 423 (after `Retry-After`, capped, or the backoff when it is absent or
/// unreadable), 500, 502, 503, 504 and undocumented 5xx, connect errors, timeouts and dropped
/// connections (exponential backoff with full jitter). Everything else is final. The three
/// operations are idempotent in effect (trashing what is in the bin, or restoring what is
/// not, changes nothing), so sending one again is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Most attempts per request, the first included (at least 1). Default 4.
    pub max_attempts: u32,
    /// Backoff before the first retry, doubled for each further one. Default 200 ms.
    pub base_delay: Duration,
    /// Largest backoff. Default 20 s.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one is cut to this. Default 60 s.
    pub retry_after_cap: Duration,
    /// Longest total wait of one request on 429 and 423 answers, which do not count as
    /// attempts: the server was not refusing the request, only asking to slow down.
    /// Default 15 minutes.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
            retry_after_cap: Duration::from_secs(60),
            max_wait: Duration::from_secs(15 * 60),
        }
    }
}

impl RetryPolicy {
    /// Never retries.
    #[cfg(test)]
    pub(crate) fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Decides after attempt number `attempt` (1 for the first) ended in `outcome`.
    ///
    /// A success refunds the budget; a retry withdraws from it, except a wait the server
    /// asked for with `Retry-After` on 429 or 423, which follows the server's own pacing and
    /// so costs nothing. Attempts stay bounded by `max_attempts` either way.
    pub(crate) fn decide(
        &self,
        attempt: u32,
        outcome: &AttemptOutcome,
        budget: &RetryBudget,
        rng: &SharedRng,
    ) -> Decision {
        let (cost, server_wait) = match *outcome {
            AttemptOutcome::Response { status, .. } if status.is_success() => {
                budget.refund(SUCCESS_REFUND);
                return Decision::Stop(StopReason::Success);
            }
            AttemptOutcome::Response { status, .. } if !status.is_retryable() => {
                return Decision::Stop(StopReason::NotRetryable);
            }
            AttemptOutcome::Transport(kind) if !kind.is_retryable() => {
                return Decision::Stop(StopReason::NotRetryable);
            }
            AttemptOutcome::Response {
                status,
                retry_after,
            } => {
                let honours = matches!(
                    status.class(),
                    StatusClass::RateLimited | StatusClass::Locked
                );
                match retry_after.filter(|_| honours) {
                    Some(wait) => (0, Some(wait)),
                    None => (RETRY_COST, None),
                }
            }
            AttemptOutcome::Transport(TransportErrorKind::Timeout) => (TIMEOUT_RETRY_COST, None),
            AttemptOutcome::Transport(_) => (RETRY_COST, None),
        };
        if attempt >= self.max_attempts.max(1) {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        if cost > 0 && !budget.try_withdraw(cost) {
            return Decision::Stop(StopReason::BudgetExhausted);
        }
        match server_wait {
            Some(wait) => Decision::Retry {
                after: wait.min(self.retry_after_cap),
                source: WaitSource::RetryAfter {
                    capped: wait > self.retry_after_cap,
                },
            },
            None => Decision::Retry {
                after: self.backoff(attempt, rng),
                source: WaitSource::Backoff,
            },
        }
    }

    /// The wait after the `throttled`-th 429 or 423 (1 for the first): its `Retry-After`,
    /// capped, or the backoff when it has none.
    pub(crate) fn throttle_wait(
        &self,
        throttled: u32,
        outcome: &AttemptOutcome,
        rng: &SharedRng,
    ) -> (Duration, WaitSource) {
        match outcome {
            AttemptOutcome::Response {
                retry_after: Some(wait),
                ..
            } => (
                (*wait).min(self.retry_after_cap),
                WaitSource::RetryAfter {
                    capped: *wait > self.retry_after_cap,
                },
            ),
            _ => (self.backoff(throttled, rng), WaitSource::Backoff),
        }
    }

    /// Full-jitter backoff after attempt `attempt`: uniform in
    /// `0..=min(max_delay, base_delay * 2^(attempt-1))`.
    pub(crate) fn backoff(&self, attempt: u32, rng: &SharedRng) -> Duration {
        let exp = attempt.saturating_sub(1).min(32);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp.min(31))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.below_or_equal(nanos))
    }
}

/// The attempts of one request: feed each outcome, get the verdict. The budget and the
/// random source are shared by all requests of a client.
///
/// A 429 or 423 is not counted against [`RetryPolicy::max_attempts`] and costs no budget:
/// the request is waited on as the server asks until [`RetryPolicy::max_wait`] has been
/// spent. Whether any attempt may have been applied is remembered, so that a failure after
/// such an attempt is reported with its outcome unknown, whatever the last attempt said.
#[derive(Debug, Clone)]
pub(crate) struct RetryState {
    policy: RetryPolicy,
    budget: Arc<RetryBudget>,
    rng: Arc<SharedRng>,
    attempts: u32,
    counted: u32,
    throttled: u32,
    waited: Duration,
    may_have_been_applied: bool,
}

impl RetryState {
    /// No attempt made yet.
    pub(crate) fn new(policy: RetryPolicy, budget: Arc<RetryBudget>, rng: Arc<SharedRng>) -> Self {
        Self {
            policy,
            budget,
            rng,
            attempts: 0,
            counted: 0,
            throttled: 0,
            waited: Duration::ZERO,
            may_have_been_applied: false,
        }
    }

    /// Records that an attempt ended in `outcome`, and decides what comes next.
    pub(crate) fn record(&mut self, outcome: &AttemptOutcome) -> Decision {
        self.attempts = self.attempts.saturating_add(1);
        self.may_have_been_applied |= outcome.may_have_been_applied();
        if outcome.is_throttled() {
            self.throttled = self.throttled.saturating_add(1);
            let (wait, source) = self
                .policy
                .throttle_wait(self.throttled, outcome, &self.rng);
            // Each throttled answer counts at least the backoff base (and 10 ms) toward the
            // deadline, so that `Retry-After: 0` forever still ends.
            let charged = wait.max(self.policy.base_delay).max(MIN_THROTTLE_CHARGE);
            if self.waited.saturating_add(charged) > self.policy.max_wait {
                return Decision::Stop(StopReason::WaitDeadline);
            }
            self.waited += charged;
            return Decision::Retry {
                after: wait,
                source,
            };
        }
        self.counted = self.counted.saturating_add(1);
        self.policy
            .decide(self.counted, outcome, &self.budget, &self.rng)
    }

    /// Attempts made so far, 429s and 423s included.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Attempts that count against [`RetryPolicy::max_attempts`] (all but 429s and 423s).
    #[cfg(test)]
    pub(crate) fn counted_attempts(&self) -> u32 {
        self.counted
    }

    /// Whether any attempt so far may have been applied by the server (see
    /// [`AttemptOutcome::may_have_been_applied`]).
    pub(crate) fn may_have_been_applied(&self) -> bool {
        self.may_have_been_applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_waits_as_retry_after_says() {
        use crate::Status;
        use std::time::Duration;

        let policy = RetryPolicy::default();
        let (budget, rng) = (RetryBudget::default(), SharedRng::seeded(7));
        let limited = AttemptOutcome::Response {
            status: Status::from_code(429),
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            policy.decide(1, &limited, &budget, &rng),
            Decision::Retry {
                after: Duration::from_secs(2),
                source: WaitSource::RetryAfter { capped: false }
            },
        );
    }

    #[test]
    fn throttles_are_not_attempts_and_certainty_is_remembered() {
        use crate::Status;
        use std::sync::Arc;
        use std::time::Duration;

        let budget = Arc::new(RetryBudget::default());
        let rng = Arc::new(SharedRng::seeded(1));
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let mut attempts = RetryState::new(policy, budget, rng);
        let unavailable = AttemptOutcome::Response {
            status: Status::from_code(503),
            retry_after: None,
        };
        let limited = AttemptOutcome::Response {
            status: Status::from_code(429),
            retry_after: Some(Duration::from_secs(1)),
        };
        assert!(matches!(
            attempts.record(&unavailable),
            Decision::Retry { .. }
        ));
        for _ in 0..10 {
            assert!(
                matches!(attempts.record(&limited), Decision::Retry { .. }),
                "429s are not attempts"
            );
        }
        assert!(
            matches!(attempts.record(&unavailable), Decision::Stop(_)),
            "the second attempt"
        );
        assert_eq!((attempts.attempts(), attempts.counted_attempts()), (12, 2));
        assert!(
            attempts.may_have_been_applied(),
            "a 503 may have been applied"
        );
    }

    fn response(code: u16, retry_after: Option<u64>) -> AttemptOutcome {
        AttemptOutcome::Response {
            status: Status::from_code(code),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    fn decide(attempt: u32, outcome: AttemptOutcome) -> Decision {
        RetryPolicy::default().decide(
            attempt,
            &outcome,
            &RetryBudget::default(),
            &SharedRng::seeded(1),
        )
    }

    #[test]
    fn success_and_final_statuses_stop() {
        for code in [200, 201, 202, 204, 299] {
            assert_eq!(
                decide(1, response(code, None)),
                Decision::Stop(StopReason::Success),
                "{code}"
            );
        }
        for code in [301, 400, 401, 403, 404, 405, 409, 410, 415, 428, 418] {
            assert_eq!(
                decide(1, response(code, Some(1))),
                Decision::Stop(StopReason::NotRetryable),
                "{code}"
            );
        }
        for kind in [
            TransportErrorKind::BodyTooLarge,
            TransportErrorKind::Redirect,
            TransportErrorKind::Other,
        ] {
            assert_eq!(
                decide(1, AttemptOutcome::Transport(kind)),
                Decision::Stop(StopReason::NotRetryable)
            );
        }
    }

    #[test]
    fn rate_limit_and_lock_wait_for_retry_after_capped() {
        for code in [429, 423] {
            assert_eq!(
                decide(1, response(code, Some(3))),
                Decision::Retry {
                    after: Duration::from_secs(3),
                    source: WaitSource::RetryAfter { capped: false }
                }
            );
            assert_eq!(
                decide(2, response(code, Some(7200))),
                Decision::Retry {
                    after: Duration::from_secs(60),
                    source: WaitSource::RetryAfter { capped: true }
                }
            );
        }
    }

    #[test]
    fn retry_after_on_a_5xx_is_not_a_promise_so_backoff_applies() {
        assert!(matches!(
            decide(1, response(503, Some(30))),
            Decision::Retry {
                source: WaitSource::Backoff,
                ..
            }
        ));
    }

    #[test]
    fn transient_failures_back_off_within_the_ceiling() {
        let policy = RetryPolicy::default();
        for outcome in [
            response(500, None),
            response(502, None),
            response(503, None),
            response(504, None),
            response(599, None),
            response(429, None),
            AttemptOutcome::Transport(TransportErrorKind::Connect),
            AttemptOutcome::Transport(TransportErrorKind::Timeout),
            AttemptOutcome::Transport(TransportErrorKind::ConnectionDropped),
        ] {
            for attempt in 1..4 {
                let Decision::Retry {
                    after,
                    source: WaitSource::Backoff,
                } = decide(attempt, outcome)
                else {
                    panic!("{outcome:?} at attempt {attempt} should back off");
                };
                assert!(
                    after <= policy.base_delay * (1 << (attempt - 1)),
                    "{after:?}"
                );
            }
            assert_eq!(
                decide(4, outcome),
                Decision::Stop(StopReason::AttemptsExhausted)
            );
        }
    }

    #[test]
    fn backoff_is_deterministic_for_a_seed_and_capped() {
        let policy = RetryPolicy {
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        let a: Vec<_> = (1..20)
            .map(|n| policy.backoff(n, &SharedRng::seeded(42)))
            .collect();
        let b: Vec<_> = (1..20)
            .map(|n| policy.backoff(n, &SharedRng::seeded(42)))
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|d| *d <= Duration::from_secs(1)));
        assert!(policy.backoff(u32::MAX, &SharedRng::seeded(1)) <= Duration::from_secs(1));
        let spread: std::collections::HashSet<_> = (0..50)
            .map(|_| policy.backoff(10, &SharedRng::seeded(fastrand::u64(..))))
            .collect();
        assert!(spread.len() > 40, "full jitter spreads waits");
    }

    #[test]
    fn budget_runs_out_and_successes_refill_it() {
        let policy = RetryPolicy::default();
        let budget = RetryBudget::new(12);
        let rng = SharedRng::seeded(3);
        let failure = response(503, None);
        assert!(matches!(
            policy.decide(1, &failure, &budget, &rng),
            Decision::Retry { .. }
        ));
        assert!(matches!(
            policy.decide(1, &failure, &budget, &rng),
            Decision::Retry { .. }
        ));
        assert_eq!(
            policy.decide(1, &failure, &budget, &rng),
            Decision::Stop(StopReason::BudgetExhausted)
        );
        let timeout = AttemptOutcome::Transport(TransportErrorKind::Timeout);
        assert_eq!(budget.available(), 2);
        for _ in 0..8 {
            let _refund = policy.decide(1, &response(204, None), &budget, &rng);
        }
        assert_eq!(budget.available(), 10);
        assert!(matches!(
            policy.decide(1, &timeout, &budget, &rng),
            Decision::Retry { .. }
        ));
        assert_eq!(budget.available(), 0);
        // The server's own pacing costs nothing.
        assert!(matches!(
            policy.decide(1, &response(429, Some(1)), &budget, &rng),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn one_attempt_policy_never_retries() {
        let policy = RetryPolicy::no_retries();
        let d = policy.decide(
            1,
            &response(503, None),
            &RetryBudget::default(),
            &SharedRng::seeded(1),
        );
        assert_eq!(d, Decision::Stop(StopReason::AttemptsExhausted));
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::*;

    #[test]
    fn retry_after_zero_forever_still_ends_at_the_deadline() {
        let policy = RetryPolicy {
            max_wait: Duration::from_secs(1),
            base_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        };
        let mut state = RetryState::new(
            policy,
            Arc::new(RetryBudget::default()),
            Arc::new(SharedRng::seeded(1)),
        );
        let now = AttemptOutcome::Response {
            status: Status::from_code(429),
            retry_after: Some(Duration::ZERO),
        };
        let mut retries = 0;
        while let Decision::Retry { after, .. } = state.record(&now) {
            assert_eq!(after, Duration::ZERO, "the server's wait is honoured");
            retries += 1;
            assert!(retries < 1_000, "bounded");
        }
        assert_eq!(retries, 10, "1 s at 100 ms a throttle");
        assert_eq!(state.counted_attempts(), 0);
    }
}
