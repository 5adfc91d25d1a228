//! [`RetryBudget`]: a token bucket shared by a client, so an outage does not multiply load.

use std::sync::atomic::{AtomicU32, Ordering};

/// Tokens a new budget holds.
pub(crate) const DEFAULT_BUDGET_CAPACITY: u32 = 500;
/// Tokens a retry after an error response or a broken connection costs.
pub(crate) const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs (a timeout is the costliest failure for a server).
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a success puts back.
pub(crate) const SUCCESS_REFUND: u32 = 1;

/// A retry budget: each retry withdraws tokens, each success returns one, and when the bucket
/// is empty failures are no longer retried until successes refill it.
///
/// First attempts never need tokens; only retries do. Share one budget per client
/// (`Arc<RetryBudget>`), so concurrent jobs against a failing service back off together.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
}

impl RetryBudget {
    /// A full budget of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        Self {
            tokens: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// Takes `cost` tokens if that many are left.
    pub(crate) fn try_withdraw(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Returns `amount` tokens, up to the capacity.
    pub(crate) fn refund(&self, amount: u32) {
        let capacity = self.capacity;
        // The closure always returns Some, so the update cannot fail.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(amount).min(capacity))
            });
    }

    /// Tokens left.
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdrawals_empty_the_bucket_and_refunds_fill_it() {
        let budget = RetryBudget::new(10);
        assert!(budget.try_withdraw(5));
        assert!(budget.try_withdraw(5));
        assert!(!budget.try_withdraw(5));
        budget.refund(1);
        assert_eq!(budget.available(), 1);
    }
}
