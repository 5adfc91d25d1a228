//! The pacer against a simulated server's token bucket, in simulated time: how long a job
//! takes against what the bucket allows, and how many 429s it gets.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;

/// A token bucket like the simulator's (and, as far as anyone outside can tell, Webex's):
/// `burst` at once, then `rate` a second; a refusal says when to come back, in whole seconds.
struct Server {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Server {
    fn new(rate: f64, burst: f64, t0: Instant) -> Self {
        Self {
            rate,
            burst,
            tokens: burst,
            last: t0,
        }
    }

    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - self.tokens) / self.rate;
        Err(Duration::from_secs(wait.ceil().max(1.0) as u64))
    }
}

#[derive(Debug)]
struct Outcome {
    elapsed: Duration,
    throttled: usize,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// The batch asks the pacer when to send.
    Ready,
    /// The batch goes out.
    Send,
    /// The answer to the attempt sent at the given moment arrives.
    Answer {
        sent: Instant,
        ok: bool,
        retry: Duration,
    },
}

/// Sends `batches` requests the way the clients do: up to the pacer's concurrency at once,
/// each asking the pacer before every attempt and waiting `Retry-After` after a 429.
/// `server_change` switches the server's rate after that many successes.
fn run(
    server: &mut Server,
    batches: usize,
    concurrency: usize,
    server_change: Option<(usize, f64)>,
) -> Outcome {
    let latency = Duration::from_millis(2);
    let pacer = Pacer::new(concurrency);
    let t0 = server.last;
    let mut queue: BinaryHeap<Reverse<(Instant, u64, Event)>> = BinaryHeap::new();
    let (mut seq, mut launched, mut in_flight, mut done, mut throttled) = (0u64, 0, 0, 0, 0);
    let mut now = t0;
    while done < batches {
        while in_flight < pacer.concurrency() && launched < batches {
            seq += 1;
            queue.push(Reverse((now, seq, Event::Ready)));
            launched += 1;
            in_flight += 1;
        }
        let Reverse((at, _, event)) = queue.pop().expect("a batch in flight");
        now = at;
        seq += 1;
        match event {
            Event::Ready => queue.push(Reverse((now + pacer.delay(now), seq, Event::Send))),
            Event::Send => {
                let (ok, retry) = match server.take(now) {
                    Ok(()) => (true, Duration::ZERO),
                    Err(retry) => (false, retry),
                };
                let answer = Event::Answer {
                    sent: now,
                    ok,
                    retry,
                };
                queue.push(Reverse((now + latency, seq, answer)));
            }
            Event::Answer { sent, ok: true, .. } => {
                pacer.succeeded(sent);
                done += 1;
                in_flight -= 1;
                if let Some((_, rate)) = server_change.filter(|(after, _)| done == *after) {
                    server.rate = rate;
                }
            }
            Event::Answer { sent, retry, .. } => {
                pacer.throttled(sent);
                throttled += 1;
                queue.push(Reverse((now + retry, seq, Event::Ready)));
            }
        }
    }
    Outcome {
        elapsed: now - t0,
        throttled,
    }
}

/// Seconds the bucket needs for `batches`: its burst at once, then its rate.
fn floor(batches: usize, rate: f64, burst: f64) -> f64 {
    (batches as f64 - burst) / rate
}

fn check(rate: f64, burst: f64, batches: usize, concurrency: usize) -> (f64, usize) {
    let t0 = Instant::now();
    let mut server = Server::new(rate, burst, t0);
    let out = run(&mut server, batches, concurrency, None);
    let ratio = out.elapsed.as_secs_f64() / floor(batches, rate, burst);
    (ratio, out.throttled)
}

#[test]
fn a_job_takes_what_the_bucket_allows_with_few_429s() {
    for (rate, batches, within) in [(100.0, 1_000, 1.02), (5.0, 300, 1.02), (1.0, 60, 1.05)] {
        for concurrency in [1, 4] {
            let (ratio, throttled) = check(rate, rate, batches, concurrency);
            assert!(
                ratio <= within,
                "{rate}/s, {batches} batches, {concurrency} at once: {ratio:.4} of the floor"
            );
            assert!(
                throttled <= batches / 100 + concurrency + 1,
                "{rate}/s, {concurrency} at once: {throttled} answered 429"
            );
        }
    }
}

#[test]
fn a_bucket_deeper_or_shallower_than_a_second_is_learned() {
    // Ten seconds of burst: the first estimate is too fast; later 429s correct it.
    for concurrency in [1, 4] {
        let (ratio, throttled) = check(20.0, 200.0, 1_000, concurrency);
        assert!(ratio <= 1.05, "{ratio:.4}");
        assert!(throttled <= 50, "{throttled}");
    }
    // A fifth of a second: the first estimate is five times too slow and each wait's
    // credit too large; probing finds the rate and 429s the credit, slowly (the figure
    // says how slowly: it is no goal).
    for concurrency in [1, 4] {
        let (ratio, throttled) = check(50.0, 10.0, 2_000, concurrency);
        assert!(ratio <= 4.0, "{ratio:.4}");
        assert!(throttled <= 20, "{throttled}");
    }
}

#[test]
fn a_limit_that_falls_or_rises_midway_is_followed() {
    let t0 = Instant::now();
    let mut server = Server::new(50.0, 50.0, t0);
    let falls = run(&mut server, 2_000, 4, Some((500, 25.0)));
    // 450 at 50/s and 1,500 at 25/s at best.
    let best = 450.0 / 50.0 + 1_500.0 / 25.0;
    assert!(falls.elapsed.as_secs_f64() <= best * 1.05, "{falls:?}");
    assert!(falls.throttled <= 25, "{falls:?}");

    let mut server = Server::new(25.0, 25.0, t0);
    let rises = run(&mut server, 6_000, 4, Some((200, 50.0)));
    // It gains on the old pace (which alone would take 240 s) as the probing finds the new one.
    assert!(rises.elapsed.as_secs_f64() < 200.0, "{rises:?}");
    assert!(rises.throttled <= 60, "{rises:?}");
}

/// `count` successes sent a millisecond apart from `from`, then a 429 a millisecond after
/// the last: the server ran dry.
fn burst_then_429(pacer: &Pacer, from: Instant, count: u64) {
    for i in 0..count {
        pacer.succeeded(from + Duration::from_millis(i));
    }
    pacer.throttled(from + Duration::from_millis(count));
}

#[test]
fn nothing_is_paced_before_a_429() {
    let pacer = Pacer::new(4);
    let t0 = Instant::now();
    for i in 0..1_000 {
        let now = t0 + Duration::from_micros(i);
        assert_eq!(pacer.delay(now), Duration::ZERO);
        pacer.succeeded(now);
    }
    assert_eq!(pacer.rate(), None);
    assert_eq!(pacer.concurrency(), 4);
}

#[test]
fn throttles_halve_the_concurrency_and_successes_restore_it() {
    let pacer = Pacer::new(8);
    let t0 = Instant::now();
    pacer.succeeded(t0);
    pacer.throttled(t0);
    pacer.throttled(t0);
    assert_eq!(pacer.concurrency(), 2);
    for i in 1..=10 {
        pacer.succeeded(t0 + Duration::from_secs(i));
    }
    assert_eq!(pacer.concurrency(), 8);
}

#[test]
fn idle_time_builds_at_most_a_second_of_credit() {
    let pacer = Pacer::new(1);
    let t0 = Instant::now();
    burst_then_429(&pacer, t0, 10);
    pacer.succeeded(t0 + Duration::from_secs(1));
    let later = t0 + Duration::from_secs(60);
    let free = (0..30).take_while(|_| pacer.delay(later).is_zero()).count();
    let pace = 1.0 / pacer.spacing().expect("paced").as_secs_f64();
    assert_eq!(free, pace.floor() as usize, "a second's worth at {pace}/s");
}

#[test]
fn a_429_after_a_long_quiet_teaches_nothing_and_the_next_one_does() {
    let pacer = Pacer::new(2);
    let t0 = Instant::now();
    pacer.succeeded(t0);
    // Ten quiet seconds, then the server is dry (someone else used it): nothing sent in the
    // five seconds before, so no rate, and nothing is held back.
    pacer.throttled(t0 + Duration::from_secs(10));
    assert_eq!(pacer.rate(), None);
    assert_eq!(pacer.spacing(), None);
    assert_eq!(pacer.delay(t0 + Duration::from_secs(11)), Duration::ZERO);
    // Successes, then a 429 within a second of the first one: it teaches.
    let t1 = t0 + Duration::from_secs(11);
    burst_then_429(&pacer, t1, 5);
    let rate = pacer.rate().expect("learned");
    assert!((rate - 5.0 / 1.005).abs() < 0.01, "{rate}");
}

#[test]
fn a_429_before_any_success_waits_for_one_that_teaches() {
    let pacer = Pacer::new(1);
    let t0 = Instant::now();
    pacer.throttled(t0);
    assert_eq!(pacer.rate(), None);
    pacer.succeeded(t0 + Duration::from_secs(1));
    pacer.throttled(t0 + Duration::from_millis(1_500));
    assert!(pacer.rate().is_some_and(|r| r > 0.0));
}

#[test]
fn a_send_reserved_with_an_older_reading_waits_from_the_newer_one() {
    let pacer = Pacer::new(1);
    let t0 = Instant::now();
    burst_then_429(&pacer, t0, 10);
    let later = t0 + Duration::from_millis(500);
    let first = later + pacer.delay(later);
    // A task that read the clock before `later` still gets a moment after `first`.
    let earlier = t0 + Duration::from_millis(20);
    let second = earlier + pacer.delay(earlier);
    assert!(second >= first, "{:?} then {:?}", first - t0, second - t0);
}

#[test]
fn the_pace_stays_finite_at_any_rate() {
    let pacer = Pacer::new(4);
    let t0 = Instant::now();
    // A million let through in a millisecond: a huge rate, and a tiny spacing.
    for i in 0..1_000_000u32 {
        pacer.succeeded(t0 + Duration::from_nanos(u64::from(i)));
    }
    pacer.throttled(t0 + Duration::from_millis(1));
    assert!(
        pacer
            .spacing()
            .is_some_and(|s| s < Duration::from_micros(2))
    );
    // Then nothing let through for a long time: the rate falls, but not to nothing.
    let mut at = t0 + Duration::from_secs(2);
    for _ in 0..200 {
        pacer.throttled(at);
        at += Duration::from_secs(2);
    }
    let spacing = pacer.spacing().expect("paced");
    assert!(spacing <= Duration::from_secs(101), "{spacing:?}");
    assert!(pacer.delay(at) <= Duration::from_secs(3_600));
}
