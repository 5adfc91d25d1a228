//! [`Exchange`]: the attempts of one request, decided by the retry policy.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use url::Url;

use super::{Clock, Pacer};

use crate::tracking::SERVER_TRACKING_ID_HEADER;
use crate::{
    AttemptOutcome, BatchResult, Decision, Error, HttpRequest, HttpResponse, Page, PaginationError,
    Recording, RetryState, TrackingId, TransportError, attempt_outcome, batch_result,
    operation_result, read_list_page, read_recording,
};

/// What to do after an attempt.
#[derive(Debug)]
#[must_use = "a step says what to do next: wait and send again, or take the result"]
pub enum Step {
    /// Sleep this long, then send [`Exchange::request`] again.
    Wait(Duration),
    /// No more attempts: read the final result.
    Done(Box<Completed>),
}

/// The final result of an exchange, to be read as a receipt, a batch, a recording or a page.
#[derive(Debug)]
pub struct Completed {
    result: Result<HttpResponse, TransportError>,
    tracking_id: TrackingId,
    attempts: u32,
    may_have_been_applied: bool,
    /// When the exchange ended, by the client's clock.
    at: SystemTime,
    /// Where the request went.
    uri: http::Uri,
}

/// A successful trash, restore or purge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The answer's status (usually 204).
    pub status: u16,
    /// The `TrackingID` sent.
    pub tracking_id: TrackingId,
    /// The server's `trackingid`, if it sent one.
    pub server_tracking_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
}

impl Completed {
    /// As a trash, restore or purge result.
    pub fn into_receipt(self) -> Result<Receipt, Error> {
        let (status, server_tracking_id) = match &self.result {
            Ok(resp) => (resp.status().as_u16(), server_tracking_id(resp)),
            Err(_) => (0, None),
        };
        operation_result(
            self.result,
            &self.tracking_id,
            self.attempts,
            self.may_have_been_applied,
            self.at,
        )?;
        Ok(Receipt {
            status,
            tracking_id: self.tracking_id,
            server_tracking_id,
            attempts: self.attempts,
        })
    }

    /// As the result of a bulk batch.
    pub fn into_batch(self) -> BatchResult {
        batch_result(
            self.result,
            &self.tracking_id,
            self.may_have_been_applied,
            self.at,
        )
    }

    /// As a recording's details.
    pub fn into_recording(self) -> Result<Recording, Error> {
        read_recording(self.result, &self.tracking_id, self.attempts, self.at)
    }

    /// As a list page (its next link is read relative to the page's own URL).
    pub(crate) fn into_page(self) -> Result<Page, Error> {
        let target = self.uri.to_string();
        let url = Url::parse(&target).map_err(|_| PaginationError::InvalidTarget { target })?;
        read_list_page(self.result, &url, &self.tracking_id, self.attempts, self.at)
    }
}

fn server_tracking_id(resp: &HttpResponse) -> Option<String> {
    resp.headers()
        .get(SERVER_TRACKING_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The attempts of one request: the same bytes and the same `TrackingID` on every attempt,
/// so support sees them together.
///
/// [`Drive`](super::Drive) runs the attempts (passing each wait on the client's clock and
/// watching a stop handle); in outline, the loop it runs is:
///
/// ```text
/// loop {
///     sleep(exchange.wait_before_sending());
///     let result = transport.send(exchange.request());
///     match exchange.record(result) {
///         Step::Wait(wait) => sleep(wait),
///         Step::Done(done) => break done,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Exchange {
    request: HttpRequest,
    tracking_id: TrackingId,
    retry: RetryState,
    pacer: Arc<Pacer>,
    clock: Arc<dyn Clock>,
    span: tracing::Span,
    /// The moment the pacer gave the attempt in progress.
    sent_at: Option<Instant>,
}

impl Exchange {
    pub(super) fn new(
        request: HttpRequest,
        tracking_id: TrackingId,
        retry: RetryState,
        pacer: Arc<Pacer>,
        clock: Arc<dyn Clock>,
        span: tracing::Span,
    ) -> Self {
        Self {
            request,
            tracking_id,
            retry,
            pacer,
            clock,
            span,
            sent_at: None,
        }
    }

    /// How long to wait before sending the next attempt: the client's pace, learned from
    /// the server's 429s (zero until one comes). Reserves that moment for this attempt, and
    /// the pacer learns from its answer as sent then.
    pub fn wait_before_sending(&mut self) -> Duration {
        let now = self.clock.instant();
        self.send_at(now).saturating_duration_since(now)
    }

    /// The moment to send the next attempt, from `now` on the client's clock: the client's
    /// pace (see [`Exchange::wait_before_sending`]). Reserves that moment for this attempt.
    pub fn send_at(&mut self, now: Instant) -> Instant {
        let at = now + self.pacer.delay(now);
        self.sent_at = Some(at);
        at
    }

    /// The client's clock, which every decision of this exchange reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// A copy of the request to send.
    pub fn request(&self) -> HttpRequest {
        self.request.clone()
    }

    /// The `TrackingID` every attempt carries.
    pub fn tracking_id(&self) -> &TrackingId {
        &self.tracking_id
    }

    /// Whether an attempt so far may have been applied: it got no answer (but a refused
    /// connection) or a 5xx.
    pub fn may_have_been_applied(&self) -> bool {
        self.retry.may_have_been_applied()
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.retry.attempts()
    }

    /// The span the attempts are reported in.
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Records the result of an attempt and says what to do next.
    pub fn record(&mut self, result: Result<HttpResponse, TransportError>) -> Step {
        let at = self.clock.now();
        let outcome = attempt_outcome(&result, at);
        let sent = self.sent_at.take().unwrap_or_else(|| self.clock.instant());
        if matches!(&outcome, AttemptOutcome::Response { status, .. } if status.code() == 429) {
            self.pacer.throttled(sent);
        } else if matches!(&result, Ok(r) if r.status().is_success()) {
            self.pacer.succeeded(sent);
        }
        let decision = self.retry.record(&outcome);
        let attempts = self.retry.attempts();
        let _entered = self.span.enter();
        match (&outcome, &result) {
            (AttemptOutcome::Response { status, .. }, Ok(resp)) => tracing::debug!(
                attempt = attempts,
                status = status.code(),
                server_tracking_id = %server_tracking_id(resp).as_deref().unwrap_or(""),
                "response"
            ),
            (_, Err(e)) => tracing::debug!(attempt = attempts, error = %e, "no response"),
            _ => {}
        }
        match decision {
            Decision::Retry { after, source } => {
                tracing::info!(
                    attempt = attempts,
                    wait_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                    source = ?source,
                    "retrying"
                );
                Step::Wait(after)
            }
            Decision::Stop(reason) => {
                tracing::debug!(attempts = attempts, reason = ?reason, "done");
                Step::Done(Box::new(Completed {
                    result,
                    tracking_id: self.tracking_id.clone(),
                    attempts,
                    may_have_been_applied: self.retry.may_have_been_applied(),
                    at,
                    uri: self.request.uri().clone(),
                }))
            }
        }
    }
}
