//! [`Clock`]: where a client reads the time and how its waits pass.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The time a client runs on. The core never reads the system clock itself: every decision
/// that depends on time (`Retry-After` dates, the pace learned from 429s, the range of an
/// open list query) asks the client's clock, every wait is announced to it with
/// [`Clock::pass`], and the adapter sleeps until [`Clock::instant`] reaches the wait's end.
///
/// [`SystemClock`] is the default; [`ManualClock`] makes waits instant and records them, so
/// tests assert the waits the core decided instead of sleeping.
pub trait Clock: fmt::Debug + Send + Sync {
    /// The wall-clock time (for HTTP dates and list ranges).
    fn now(&self) -> SystemTime;
    /// The monotonic time (for deadlines and pacing). A wait lasts until it reaches the
    /// wait's end, so it must move: by itself, or in [`Clock::pass`].
    fn instant(&self) -> Instant;
    /// A wait of `wait` begins. The system clock lets real time pass (the adapter sleeps);
    /// a manual clock moves forward by `wait` at once.
    fn pass(&self, wait: Duration) {
        let _ = wait;
    }
}

/// The operating system's clock; waits are slept.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn instant(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when a wait passes on it (and by [`ManualClock::advance`]):
/// waits take no real time, and each one is recorded whole.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use recycle_core::{Clock, ManualClock};
///
/// let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let start = clock.instant();
/// clock.pass(Duration::from_secs(30));
/// assert_eq!(clock.instant() - start, Duration::from_secs(30), "at once");
/// assert_eq!(clock.waits(), [Duration::from_secs(30)]);
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_030));
/// ```
///
/// Clones share the time and the record.
#[derive(Debug, Clone)]
pub struct ManualClock {
    start_wall: SystemTime,
    start_instant: Instant,
    state: Arc<Mutex<Manual>>,
}

#[derive(Debug, Default)]
struct Manual {
    elapsed: Duration,
    waits: Vec<Duration>,
}

impl ManualClock {
    /// A clock whose wall time starts at `wall`.
    pub fn at(wall: SystemTime) -> Self {
        Self {
            start_wall: wall,
            start_instant: Instant::now(),
            state: Arc::default(),
        }
    }

    /// A clock that starts at the system's present time.
    pub fn starting_now() -> Self {
        Self::at(SystemTime::now())
    }

    /// Moves the clock forward by `by` without recording a wait.
    pub fn advance(&self, by: Duration) {
        self.lock().elapsed += by;
    }

    /// Every wait that passed on this clock, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.lock().waits.clone()
    }

    /// The sum of the waits that passed.
    pub fn waited(&self) -> Duration {
        self.lock().waits.iter().sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Manual> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.start_wall + self.lock().elapsed
    }
    fn instant(&self) -> Instant {
        self.start_instant + self.lock().elapsed
    }
    fn pass(&self, wait: Duration) {
        let mut state = self.lock();
        state.elapsed += wait;
        state.waits.push(wait);
    }
}
