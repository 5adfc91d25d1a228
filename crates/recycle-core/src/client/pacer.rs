//! [`Pacer`]: the sending pace and concurrency a client learns from the server's 429s.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How far back successes count for the first estimate of the server's rate.
const WINDOW: Duration = Duration::from_secs(5);
/// The pace is this much below the rate learned (0.5%).
const MARGIN: f64 = 1.005;
/// The credit the pace builds up while nothing is sent: one second's worth, as a server's
/// bucket usually holds.
const CREDIT: Duration = Duration::from_secs(1);
/// Throttles closer than this to the first of an episode belong to it (the batches in
/// flight when the server ran dry); a later one starts the next episode, and the successes
/// between the two episodes' first throttles measure the rate.
const EPISODE: Duration = Duration::from_secs(1);
/// Longest gap between two throttles that still measures the rate (longer: the server's
/// bucket may have filled up in between, and the count says too little).
const MEASURE_AT_MOST: Duration = Duration::from_secs(60);
/// The pace is raised after this many successes without a throttle...
const PROBE_AFTER_SUCCESSES: u32 = 200;
/// ...and at least this long without one, to find a limit that has risen (or one learned
/// too low)...
const PROBE_AFTER_TIME: Duration = Duration::from_secs(5);
/// ...which grows fourfold, up to this, each time a probe finds the limit where it was.
const PROBE_AFTER_TIME_MAX: Duration = Duration::from_secs(80);
/// How much the first probe after a throttle raises the pace; each further one doubles it.
const FIRST_PROBE_STEP: f64 = 0.01;
/// The largest raise of one probe.
const MAX_PROBE_STEP: f64 = 0.5;
/// The lowest rate learned: one request in 100 s.
const MIN_RATE: f64 = 0.01;
/// The longest single wait the pacer gives.
const MAX_WAIT_SECONDS: f64 = 3600.0;
/// Successes between two throttles that measure the rate to within about 1%.
const EXACT_COUNT: usize = 200;
/// How much a throttle lowers the rate when too few successes came before it to measure it.
const SMALL_COUNT_DECREASE: f64 = 0.97;

/// Adaptive pacing shared by every request of a client, mirroring the server's token bucket.
///
/// Nothing is paced until the server answers 429. A 429 says the server's bucket is empty:
/// the concurrency halves, and the first one teaches a rate, the successes sent over the
/// five seconds before it over that span and one second (a bucket usually holds a second's
/// worth, which it let through at once). From then on sends are spaced 0.5% below that
/// rate, and time spent sending nothing (such as a `Retry-After` wait) builds up credit, as
/// the server's bucket refills meanwhile: up to one second's worth, less once a 429 shows
/// the server held less. Each 429 empties the credit; one a second or more after the first
/// of the last episode measures the rate again from the successes sent between the two (the
/// server was empty at both). After 200 successes and five seconds without a 429 the rate is probed
/// upwards, by 1% and then twice as much each time; a 429 after probes brings back the rate
/// before them, and the next probes come four times later. Each success raises the
/// concurrency by one, up to the configured one. Time is passed in: the moment each request
/// was sent, which [`Pacer::delay`] gives out.
///
/// ```
/// use std::time::{Duration, Instant};
/// use recycle_core::adapter::Pacer;
///
/// let ms = Duration::from_millis;
/// let pacer = Pacer::new(4);
/// let t0 = Instant::now();
/// assert_eq!(pacer.delay(t0), Duration::ZERO, "no pace yet");
/// for i in 0..10 {
///     pacer.succeeded(t0 + ms(i)); // ten let through at once
/// }
/// pacer.throttled(t0 + ms(10)); // then a 429: the server is empty
/// assert_eq!(pacer.concurrency(), 2);
/// let rate = pacer.rate().expect("learned");
/// assert!((rate - 9.9).abs() < 0.01, "ten in 10 ms and a second: {rate}");
/// // After a one-second Retry-After, the credit built up goes at once; then sends are
/// // spaced about a tenth of a second apart.
/// let t1 = t0 + Duration::from_secs(1);
/// let waits: Vec<Duration> = (0..11).map(|_| pacer.delay(t1)).collect();
/// assert!(waits[..9].iter().all(Duration::is_zero), "{waits:?}");
/// assert!(waits[9] > ms(0) && waits[10] > ms(100), "{waits:?}");
/// ```
#[derive(Debug)]
pub struct Pacer {
    max_concurrency: usize,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Requests a second the server is thought to let through, once a 429 taught it.
    rate: Option<f64>,
    /// Sends the client-side bucket allows now (negative: sends already given a moment).
    tokens: f64,
    /// The most credit the server's bucket was seen to hold, once a 429 showed it holds
    /// less than a second's worth.
    credit: Option<f64>,
    /// When `tokens` was last brought up to date.
    refilled: Instant,
    /// When each recent success was sent, in the order recorded.
    successes: VecDeque<Instant>,
    /// How much the next probe raises the rate.
    probe_step: f64,
    /// The rate before the first probe since the last throttle, if any.
    before_probe: Option<f64>,
    /// How long without a throttle before the next probe.
    probe_after: Duration,
    /// The last moment of the first throttling episode, until a second after it: answers to
    /// requests sent before it still count for the first rate.
    first_empty: Option<Instant>,
    /// When the request throttled first in the current episode was sent.
    episode: Option<Instant>,
    /// Successes since the last throttle or probe.
    streak: u32,
    /// When the last throttle or probe happened.
    calm_since: Option<Instant>,
    concurrency: usize,
}

impl Pacer {
    /// No pace yet; at most `max_concurrency` requests in flight.
    pub fn new(max_concurrency: usize) -> Self {
        let max_concurrency = max_concurrency.max(1);
        Self {
            max_concurrency,
            state: Mutex::new(State {
                rate: None,
                tokens: 0.0,
                credit: None,
                refilled: Instant::now(),
                successes: VecDeque::new(),
                probe_step: FIRST_PROBE_STEP,
                before_probe: None,
                probe_after: PROBE_AFTER_TIME,
                first_empty: None,
                episode: None,
                streak: 0,
                calm_since: None,
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
    /// `now` plus the delay is the moment to pass to [`Pacer::succeeded`] or
    /// [`Pacer::throttled`] for the answer.
    pub fn delay(&self, now: Instant) -> Duration {
        let mut s = self.state();
        let Some(pace) = s.pace() else {
            return Duration::ZERO;
        };
        s.refill(now, pace);
        s.tokens -= 1.0;
        // A caller's `now` older than the pacer's last reading waits from that reading.
        let behind = s.refilled.saturating_duration_since(now);
        if s.tokens >= 0.0 {
            behind
        } else {
            behind + Duration::from_secs_f64((-s.tokens / pace).min(MAX_WAIT_SECONDS))
        }
    }

    /// The server answered 429 to the request sent at `sent`: it was empty then. Fewer
    /// requests at once, no credit left, and the rate learned again.
    pub fn throttled(&self, sent: Instant) {
        let mut s = self.state();
        s.concurrency = (s.concurrency / 2).max(1);
        s.streak = 0;
        s.calm_since = Some(sent);
        // Credit the client still counted when the server had none: its bucket is smaller.
        let mut phantom = 0.0;
        if let Some(pace) = s.pace() {
            s.refill(sent, pace);
            if s.tokens >= 1.0 {
                phantom = s.tokens;
                let cap = s.cap(pace);
                s.credit = Some((cap - phantom).max(1.0));
            }
            s.tokens = s.tokens.min(0.0);
        }
        match s.episode {
            // The batches in flight when the server ran dry.
            Some(start) if sent.saturating_duration_since(start) < EPISODE => {
                if let Some(empty) = s.first_empty.filter(|e| sent > *e) {
                    // Still empty later: the first rate counts up to then (requests sent
                    // close together may have reached the server in another order).
                    s.first_empty = Some(sent);
                    let rate = s.first_rate(sent);
                    s.set_rate(rate, empty);
                }
            }
            Some(start) if s.rate.is_some() => {
                if phantom == 0.0 {
                    s.learn_between(start, sent);
                } else if let Some(before) = s.before_probe.take() {
                    // The credit was the fault, and the probes may be as well.
                    s.probe_step = FIRST_PROBE_STEP;
                    s.set_rate(before, sent);
                }
                s.episode = Some(sent);
            }
            _ => {
                if s.learn_first(sent) {
                    s.episode = Some(sent);
                }
            }
        }
    }

    /// The request sent at `sent` was answered without throttling.
    pub fn succeeded(&self, sent: Instant) {
        let mut s = self.state();
        let keep = if s.rate.is_some() {
            MEASURE_AT_MOST
        } else {
            WINDOW
        };
        while s
            .successes
            .front()
            .is_some_and(|t| sent.saturating_duration_since(*t) > keep)
        {
            s.successes.pop_front();
        }
        s.successes.push_back(sent);
        s.concurrency = (s.concurrency + 1).min(self.max_concurrency);
        if let Some(empty) = s.first_empty {
            if sent <= empty {
                // Sent before the server ran dry but answered after the 429: the first rate
                // counts it too.
                let rate = s.first_rate(empty);
                s.set_rate(rate, sent);
            } else if sent.saturating_duration_since(empty) > EPISODE {
                s.first_empty = None;
            }
        }
        s.streak = s.streak.saturating_add(1);
        let calm = s
            .calm_since
            .is_some_and(|c| sent.saturating_duration_since(c) >= s.probe_after);
        if s.streak >= PROBE_AFTER_SUCCESSES && calm {
            if let Some(rate) = s.rate {
                let step = s.probe_step;
                s.before_probe.get_or_insert(rate);
                s.set_rate(rate * (1.0 + step), sent);
                // A credit learned small may have been another client's doing.
                s.credit = s.credit.map(|c| c * (1.0 + step));
                s.probe_step = (step * 2.0).min(MAX_PROBE_STEP);
            }
            s.streak = 0;
            s.calm_since = Some(sent);
        }
    }

    /// Requests a bulk job may have in flight now.
    pub fn concurrency(&self) -> usize {
        self.state().concurrency
    }

    /// The rate the server is thought to let through, in requests a second, once a 429
    /// taught one.
    pub fn rate(&self) -> Option<f64> {
        self.state().rate
    }

    /// The spacing of sends, once a 429 taught a rate.
    pub fn spacing(&self) -> Option<Duration> {
        self.state()
            .pace()
            .map(|pace| Duration::from_secs_f64((1.0 / pace).min(MAX_WAIT_SECONDS)))
    }
}

impl State {
    /// Sends a second, a margin below the rate learned.
    fn pace(&self) -> Option<f64> {
        self.rate.map(|r| r / MARGIN)
    }

    /// Brings the credit up to `now` at `pace`, up to one second's worth.
    fn refill(&mut self, now: Instant, pace: f64) {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        if now > self.refilled {
            self.refilled = now;
        }
        let cap = self.cap(pace);
        self.tokens = (self.tokens + elapsed * pace).min(cap);
    }

    /// The most credit the client builds up: one second's worth, or less once a 429 showed
    /// the server's bucket holds less.
    fn cap(&self, pace: f64) -> f64 {
        let second = (pace * CREDIT.as_secs_f64()).max(1.0);
        self.credit.map_or(second, |c| c.min(second))
    }

    /// The first rate, at the first 429: the successes sent over the five seconds before
    /// it, over that span and one second more. A bucket that holds one second's worth (as
    /// the usual ones do) lets through its fill and its rate over the span, so this is its
    /// rate; a deeper or shallower one is corrected by later 429s and probing.
    ///
    /// Returns whether a rate was learned: not when no success was sent in those five
    /// seconds (the next 429 tries again).
    fn learn_first(&mut self, empty: Instant) -> bool {
        let rate = self.first_rate(empty);
        if rate < MIN_RATE {
            return false;
        }
        self.rate = Some(rate);
        self.first_empty = Some(empty);
        self.tokens = 0.0;
        self.refilled = empty;
        true
    }

    /// The successes sent over the five seconds before `empty`, over that span and a second.
    fn first_rate(&self, empty: Instant) -> f64 {
        let sent = || {
            self.successes
                .iter()
                .filter(move |t| **t <= empty && empty.saturating_duration_since(**t) <= WINDOW)
        };
        let first = sent().min().copied().unwrap_or(empty);
        let span = empty.saturating_duration_since(first) + CREDIT;
        sent().count() as f64 / span.as_secs_f64()
    }

    /// A later rate, at a 429 a second or more after the first of the last episode. The successes sent
    /// between two moments the server was empty are at most what it let through in that
    /// time (exactly that unless its bucket filled up in between), so a count large enough
    /// to be exact gives a rate the server allows. After probes, the probes went too far
    /// (maybe not the last: the server's stock hides a small excess for a while): the rate
    /// before them comes back, or the count's if higher, and probes come less often.
    /// Without probes, the rate was too high all along, so the count is the rate; a count
    /// too small to be exact (such as a few a second over a second) only lowers the rate,
    /// by 3% or to what the count allows, and by at most a third.
    fn learn_between(&mut self, from: Instant, to: Instant) {
        self.probe_step = FIRST_PROBE_STEP;
        let Some(rate) = self.rate else {
            return;
        };
        let span = to.saturating_duration_since(from);
        let between = self
            .successes
            .iter()
            .filter(|t| **t > from && **t < to)
            .count();
        let exact = (between >= EXACT_COUNT && span <= MEASURE_AT_MOST)
            .then(|| between as f64 / span.as_secs_f64());
        if let Some(before) = self.before_probe.take() {
            self.probe_after = (self.probe_after * 4).min(PROBE_AFTER_TIME_MAX);
            return self.set_rate(exact.map_or(before, |e| e.max(before)), to);
        }
        if span > MEASURE_AT_MOST {
            return;
        }
        let next = exact.unwrap_or_else(|| {
            // Up to two sends at either end may be missing from a small count.
            let at_most = (between + 2) as f64 / span.as_secs_f64();
            (rate * SMALL_COUNT_DECREASE)
                .min(at_most)
                .max(rate * 2.0 / 3.0)
        });
        self.set_rate(next, to);
    }

    /// A new rate from `at` on; the credit stays.
    fn set_rate(&mut self, rate: f64, at: Instant) {
        if let Some(pace) = self.pace() {
            self.refill(at, pace);
        }
        if rate.is_finite() {
            self.rate = Some(rate.max(MIN_RATE));
        }
    }
}

#[cfg(test)]
#[path = "pacer_tests.rs"]
mod tests;
