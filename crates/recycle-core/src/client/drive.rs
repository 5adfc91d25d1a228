//! [`Drive`]: the one loop that sends an exchange's attempts and waits between them, for
//! both kinds of adapter.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tracing::Instrument;

use super::{Completed, Exchange, Step};
use crate::{HttpRequest, HttpResponse, StopHandle, TransportError};

/// What a driven exchange needs next.
enum Next {
    /// Sleep this long (a slice of the wait, by the client's clock), then ask again.
    Sleep(Duration),
    /// Send the exchange's request and record its result.
    Send,
    /// The stop handle stopped the exchange before an attempt or while it waited.
    Stopped,
}

/// The attempts of one [`Exchange`] as a sequence of steps: wait for the client's
/// pace, send, wait as the retry policy says, send again, until done or stopped. Waits watch
/// the [`StopHandle`] in slices of at most
/// [`STOP_CHECK_INTERVAL`](crate::STOP_CHECK_INTERVAL).
///
/// An adapter supplies only the sending and the sleeping: [`Drive::run`] with a blocking
/// transport and sleep, [`Drive::run_async`] with async ones.
///
/// ```
/// use recycle_core::adapter::{Drive, Engine};
/// use recycle_core::test_util::ScriptedTransport;
/// use recycle_core::{ClientBuilder, ManualClock, Transport, TrashRequest};
/// use std::time::Duration;
///
/// let clock = ManualClock::starting_now();
/// let (engine, _) = ClientBuilder::<()>::new()
///     .base_url("http://127.0.0.1:9/v1")
///     .token("t0ken".to_owned().into())
///     .clock(clock.clone())
///     .into_parts()?;
/// let transport = ScriptedTransport::new()
///     .status(429, &[("retry-after", "3")], "")
///     .status(204, &[], "");
/// let exchange = engine.operation(&TrashRequest::by_ids(["rec-1"])?)?;
/// let done = Drive::new(exchange, None).run(|request| transport.send(request), std::thread::sleep);
/// assert_eq!(done.expect("not stopped").into_receipt()?.attempts, 2);
/// assert_eq!(clock.waited(), Duration::from_secs(3), "waited as told, in no real time");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Drive<'s> {
    exchange: Exchange,
    stop: Option<&'s StopHandle>,
    /// The end of the wait in progress, if any.
    until: Option<Instant>,
    /// Whether the wait in progress is a retry's (the client's pace comes after it).
    retrying: bool,
    /// Whether the wait in progress was announced to the clock.
    announced: bool,
    sent: Option<Arc<AtomicBool>>,
}

impl<'s> Drive<'s> {
    /// Drives `exchange`, stopping between attempts once `stop` (if any) is stopped.
    pub fn new(mut exchange: Exchange, stop: Option<&'s StopHandle>) -> Self {
        let now = exchange.clock().instant();
        let until = Some(exchange.send_at(now));
        Self {
            exchange,
            stop,
            until,
            retrying: false,
            announced: false,
            sent: None,
        }
    }

    /// Sets `flag` when an attempt goes out (so that whoever drops a drive in progress
    /// knows whether anything was sent).
    pub fn flag_sent(mut self, flag: Arc<AtomicBool>) -> Self {
        self.sent = Some(flag);
        self
    }

    fn next_step(&mut self) -> Next {
        let mut clock = self.exchange.clock();
        while let Some(until) = self.until {
            // A stopped drive waits for nothing (on any clock).
            if self.stop.is_some_and(StopHandle::is_stopped) {
                return Next::Stopped;
            }
            if !std::mem::replace(&mut self.announced, true) {
                let wait = until.saturating_duration_since(clock.instant());
                if !wait.is_zero() {
                    clock.pass(wait);
                }
            }
            let now = clock.instant();
            let nap = match self.stop {
                Some(stop) => stop.nap(until, now),
                None => Some(until.saturating_duration_since(now)).filter(|d| !d.is_zero()),
            };
            if let Some(nap) = nap {
                return Next::Sleep(nap);
            }
            if self.stop.is_some_and(StopHandle::is_stopped) {
                return Next::Stopped;
            }
            self.until = None;
            if std::mem::take(&mut self.retrying) {
                // After a retry's wait, the client's pace.
                self.until = Some(self.exchange.send_at(now));
                self.announced = false;
            }
            clock = self.exchange.clock();
        }
        if let Some(sent) = &self.sent {
            sent.store(true, Ordering::SeqCst);
        }
        Next::Send
    }

    /// Records an attempt's result: the final result, or `None` with the retry's wait set.
    fn record(&mut self, result: Result<HttpResponse, TransportError>) -> Option<Completed> {
        match self.exchange.record(result) {
            Step::Wait(wait) => {
                self.until = Some(self.exchange.clock().instant() + wait);
                self.retrying = true;
                self.announced = false;
                None
            }
            Step::Done(done) => Some(*done),
        }
    }

    /// Performs every step with a blocking `send` and `sleep`: the final result, or the
    /// exchange given back when stopped.
    pub fn run(
        mut self,
        mut send: impl FnMut(HttpRequest) -> Result<HttpResponse, TransportError>,
        mut sleep: impl FnMut(Duration),
    ) -> Result<Completed, Box<Exchange>> {
        let span = self.span();
        let _entered = span.enter();
        loop {
            match self.next_step() {
                Next::Sleep(wait) => sleep(wait),
                Next::Send => {
                    if let Some(done) = self.record(send(self.exchange.request())) {
                        return Ok(done);
                    }
                }
                Next::Stopped => return Err(Box::new(self.exchange)),
            }
        }
    }

    /// [`Drive::run`] with an async `send` and `sleep`.
    pub async fn run_async<S, W>(
        mut self,
        mut send: impl FnMut(HttpRequest) -> S,
        mut sleep: impl FnMut(Duration) -> W,
    ) -> Result<Completed, Box<Exchange>>
    where
        S: Future<Output = Result<HttpResponse, TransportError>>,
        W: Future<Output = ()>,
    {
        let span = self.span();
        async move {
            loop {
                match self.next_step() {
                    Next::Sleep(wait) => sleep(wait).await,
                    Next::Send => {
                        if let Some(done) = self.record(send(self.exchange.request()).await) {
                            return Ok(done);
                        }
                    }
                    Next::Stopped => return Err(Box::new(self.exchange)),
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Drives `exchange` to its final result with a blocking `send` and `sleep` (no stop
    /// handle: nothing interrupts it).
    pub fn run_to_end(
        mut exchange: Exchange,
        mut send: impl FnMut(HttpRequest) -> Result<HttpResponse, TransportError>,
        mut sleep: impl FnMut(Duration),
    ) -> Completed {
        loop {
            match Drive::new(exchange, None).run(&mut send, &mut sleep) {
                Ok(done) => return done,
                // Only a stop handle gives an exchange back; there is none.
                Err(given_back) => exchange = *given_back,
            }
        }
    }

    /// [`Drive::run_to_end`] with an async `send` and `sleep`.
    pub async fn run_to_end_async<S, W>(
        mut exchange: Exchange,
        mut send: impl FnMut(HttpRequest) -> S,
        mut sleep: impl FnMut(Duration) -> W,
    ) -> Completed
    where
        S: Future<Output = Result<HttpResponse, TransportError>>,
        W: Future<Output = ()>,
    {
        loop {
            match Drive::new(exchange, None)
                .run_async(&mut send, &mut sleep)
                .await
            {
                Ok(done) => return done,
                // Only a stop handle gives an exchange back; there is none.
                Err(given_back) => exchange = *given_back,
            }
        }
    }

    fn span(&self) -> tracing::Span {
        self.exchange.span().clone()
    }
}
