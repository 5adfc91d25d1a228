//! [`Pacer`]: the sending pace and concurrency a client learns from the server's 429s.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How far back successes count for the rate the server lets through.
const WINDOW: Duration = Duration::from_secs(5);
/// The margin kept below the rate the server let through.
const MARGIN: f64 = 1.05;
/// Consecutive successes after which the pace is probed upwards.
const PROBE_AFTER: u32 = 20;
/// How much faster each further success makes the pace, once probing.
const PROBE_FACTOR: f64 = 0.99;
/// Gaps shorter than this teach nothing (the server was not the limit).
const MIN_GAP: Duration = Duration::from_millis(1);

/// Adaptive pacing shared by every request of a client. Nothing is paced until the server
/// answers 429 (or 423). Then the concurrency halves, and at the first success after it the
/// rate at which the server let requests through over the last five seconds, less 5%,
/// becomes the pace of all sends. Each success raises the concurrency by one, up to the
/// configured one; after 20 successes in a row the spacing shrinks by 1% a success, to find
/// a limit that has risen. Time is passed in, so it is testable without a clock.
///
/// ```
/// use std::time::{Duration, Instant};
/// use recycle_core::adapter::Pacer;
///
/// let pacer = Pacer::new(4);
/// let t0 = Instant::now();
/// assert_eq!(pacer.delay(t0), Duration::ZERO, "no pace yet");
/// pacer.succeeded(t0);
/// pacer.throttled();
/// assert_eq!(pacer.concurrency(), 2);
/// let t1 = t0 + Duration::from_secs(1);
/// pacer.succeeded(t1); // the server let one through a second later
/// assert_eq!(pacer.spacing(), Some(Duration::from_millis(1050)));
/// assert_eq!(pacer.delay(t1), Duration::from_millis(1050), "the next send waits its turn");
/// ```
#[derive(Debug)]
pub struct Pacer {
    max_concurrency: usize,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    spacing: Option<Duration>,
    next_at: Option<Instant>,
    successes: VecDeque<Instant>,
    throttled_since_success: bool,
    streak: u32,
    concurrency: usize,
}

impl Pacer {
    /// No pace yet; at most `max_concurrency` requests in flight.
    pub fn new(max_concurrency: usize) -> Self {
        let max_concurrency = max_concurrency.max(1);
        Self {
            max_concurrency,
            state: Mutex::new(State {
                spacing: None,
                next_at: None,
                successes: VecDeque::new(),
                throttled_since_success: false,
                streak: 0,
                concurrency: max_concurrency,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How long to wait, from `now`, before sending; reserves that moment for this send.
    pub fn delay(&self, now: Instant) -> Duration {
        let mut s = self.state();
        let Some(spacing) = s.spacing else {
            return Duration::ZERO;
        };
        let at = s.next_at.map_or(now, |n| n.max(now));
        s.next_at = Some(at + spacing);
        at - now
    }

    /// The server answered 429 (or 423): fewer requests at once, and learn the pace from
    /// the next success.
    pub fn throttled(&self) {
        let mut s = self.state();
        s.throttled_since_success = true;
        s.streak = 0;
        s.concurrency = (s.concurrency / 2).max(1);
    }

    /// A request was answered at `now` without throttling.
    pub fn succeeded(&self, now: Instant) {
        let mut s = self.state();
        while s
            .successes
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) > WINDOW)
        {
            s.successes.pop_front();
        }
        if s.throttled_since_success {
            let span = s
                .successes
                .front()
                .map(|t| now.saturating_duration_since(*t));
            let let_through = s.successes.len(); // intervals up to this success
            if let Some(span) = span.filter(|d| *d >= MIN_GAP) {
                let spacing =
                    (span / u32::try_from(let_through).unwrap_or(u32::MAX)).mul_f64(MARGIN);
                s.spacing = Some(spacing);
                // Sends already given a moment keep it; the next one comes after them.
                let after = now + spacing;
                s.next_at = Some(s.next_at.map_or(after, |n| n.max(after)));
            }
            s.throttled_since_success = false;
        } else {
            s.streak = s.streak.saturating_add(1);
            if s.streak > PROBE_AFTER {
                s.spacing = s
                    .spacing
                    .map(|d| d.mul_f64(PROBE_FACTOR))
                    .filter(|d| *d >= MIN_GAP);
            }
        }
        s.successes.push_back(now);
        s.concurrency = (s.concurrency + 1).min(self.max_concurrency);
    }

    /// Requests a bulk job may have in flight now.
    pub fn concurrency(&self) -> usize {
        self.state().concurrency
    }

    /// The spacing of sends, once a throttling has taught one.
    pub fn spacing(&self) -> Option<Duration> {
        self.state().spacing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn the_rate_let_through_around_a_throttle_is_learned() {
        let pacer = Pacer::new(8);
        let t0 = Instant::now();
        pacer.succeeded(t0);
        pacer.throttled();
        pacer.throttled();
        assert_eq!(pacer.concurrency(), 2);
        pacer.succeeded(t0 + secs(1.0));
        assert_eq!(pacer.spacing(), Some(secs(1.05)));
        pacer.throttled();
        pacer.succeeded(t0 + secs(3.0)); // two intervals in three seconds
        assert_eq!(pacer.spacing(), Some(secs(1.575)));
        for i in 0..10 {
            pacer.succeeded(t0 + secs(4.0 + f64::from(i)));
        }
        assert_eq!(pacer.concurrency(), 8);
    }

    #[test]
    fn sends_are_spaced_and_idle_time_is_not_owed() {
        let pacer = Pacer::new(1);
        let t0 = Instant::now();
        pacer.succeeded(t0);
        pacer.throttled();
        let t1 = t0 + secs(0.5);
        pacer.succeeded(t1);
        assert_eq!(pacer.delay(t1), secs(0.525));
        assert_eq!(pacer.delay(t1), secs(1.05));
        let later = t1 + Duration::from_secs(60);
        assert_eq!(pacer.delay(later), Duration::ZERO);
    }

    #[test]
    fn a_long_streak_probes_faster() {
        let pacer = Pacer::new(1);
        let t0 = Instant::now();
        pacer.succeeded(t0);
        pacer.throttled();
        pacer.succeeded(t0 + secs(1.0));
        for i in 0..(PROBE_AFTER + 10) {
            pacer.succeeded(t0 + secs(2.0 + f64::from(i)));
        }
        let spacing = pacer.spacing().expect("spacing");
        assert!(spacing < secs(1.0) && spacing > secs(0.9), "{spacing:?}");
    }
}

#[cfg(test)]
mod burst_tests {
    use super::*;

    #[test]
    fn a_burst_then_a_throttle_learns_the_sustained_rate() {
        // 100 let through in the first 0.1 s, then a 429, then one more at 1.1 s: about
        // 91/s over the window, paced a little below.
        let pacer = Pacer::new(4);
        let t0 = Instant::now();
        for i in 0..100 {
            pacer.succeeded(t0 + Duration::from_millis(i));
        }
        pacer.throttled();
        pacer.succeeded(t0 + Duration::from_millis(1100));
        let spacing = pacer.spacing().expect("spacing");
        assert!(
            spacing > Duration::from_millis(10) && spacing < Duration::from_millis(13),
            "{spacing:?}"
        );
    }
}
