//! [`Exchange`]: the attempts of one request, decided by the retry policy.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use url::Url;

use super::Pacer;

use crate::tracking::SERVER_TRACKING_ID_HEADER;
use crate::{
    AttemptOutcome, BatchResult, Decision, Error, HttpRequest, HttpResponse, Page, Recording,
    RetryState, TrackingId, TransportError, action_result, attempt_outcome, batch_result,
    read_list_page, read_recording,
};

/// What to do after an attempt.
#[derive(Debug)]
#[must_use = "a step says what to do next: wait and send again, or take the result"]
pub enum Step {
    /// Sleep this long, then send [`Exchange::request`] again.
    Wait(Duration),
    /// No more attempts: read the final result.
    Done(Completed),
}

/// The final result of an exchange, to be read as an action, a batch or a page.
#[derive(Debug)]
pub struct Completed {
    result: Result<HttpResponse, TransportError>,
    tracking_id: TrackingId,
    attempts: u32,
    may_have_been_applied: bool,
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
    pub fn into_action(self) -> Result<Receipt, Error> {
        let (status, server_tracking_id) = match &self.result {
            Ok(resp) => (resp.status().as_u16(), server_tracking_id(resp)),
            Err(_) => (0, None),
        };
        action_result(
            self.result,
            &self.tracking_id,
            self.attempts,
            self.may_have_been_applied,
            SystemTime::now(),
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
            SystemTime::now(),
        )
    }

    /// As a recording's details.
    pub fn into_recording(self) -> Result<Recording, Error> {
        read_recording(
            self.result,
            &self.tracking_id,
            self.attempts,
            SystemTime::now(),
        )
    }

    /// As a list page fetched from `url`.
    pub fn into_page(self, url: &Url) -> Result<Page, Error> {
        read_list_page(
            self.result,
            url,
            &self.tracking_id,
            self.attempts,
            SystemTime::now(),
        )
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
/// An adapter's whole retry loop:
///
/// ```text
/// loop {
///     sleep(exchange.pause(Instant::now()));
///     let result = transport.send(exchange.request());
///     match exchange.record(result) {
///         Step::Wait(pause) => sleep(pause),
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
    span: tracing::Span,
}

impl Exchange {
    pub(super) fn new(
        request: HttpRequest,
        tracking_id: TrackingId,
        retry: RetryState,
        pacer: Arc<Pacer>,
        span: tracing::Span,
    ) -> Self {
        Self {
            request,
            tracking_id,
            retry,
            pacer,
            span,
        }
    }

    /// How long to wait, from `now`, before sending the next attempt: the client's pace,
    /// learned from the server's 429s (zero until one comes).
    pub fn pause(&self, now: Instant) -> Duration {
        self.pacer.delay(now)
    }

    /// A copy of the request to send.
    pub fn request(&self) -> HttpRequest {
        self.request.clone()
    }

    /// The `TrackingID` every attempt carries.
    pub fn tracking_id(&self) -> &TrackingId {
        &self.tracking_id
    }

    /// Whether an attempt so far may have been applied (see
    /// [`RetryState::may_have_been_applied`]).
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
        let outcome = attempt_outcome(&result, SystemTime::now());
        if matches!(&outcome, AttemptOutcome::Response { status, .. } if status.code() == 429) {
            self.pacer.throttled();
        } else if matches!(&result, Ok(r) if r.status().is_success()) {
            self.pacer.succeeded(Instant::now());
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
                Step::Done(Completed {
                    result,
                    tracking_id: self.tracking_id.clone(),
                    attempts,
                    may_have_been_applied: self.retry.may_have_been_applied(),
                })
            }
        }
    }
}
