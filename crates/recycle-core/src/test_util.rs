//! Test transports: replay a script of responses and capture what was sent.
//!
//! Available with the `test-util` feature, so that code built on the core can be tested
//! without a socket.

use std::collections::VecDeque;
use std::future::{Future, ready};
use std::sync::{Arc, Mutex, PoisonError};

use crate::{
    AsyncTransport, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};

/// A transport that answers from a script, in order, and records every request.
///
/// When the script runs out it answers with a [`TransportErrorKind::Other`] error, so a test
/// that sends more than it planned fails loudly. Clones share the script and the record, so a
/// test can hand one clone to a client and inspect another.
///
/// ```
/// use recycle_core::test_util::ScriptedTransport;
/// use recycle_core::{Transport, TransportErrorKind};
///
/// let t = ScriptedTransport::new()
///     .status(429, &[("retry-after", "1")], "")
///     .error(TransportErrorKind::ConnectionDropped)
///     .status(204, &[], "");
/// assert_eq!(t.send(http::Request::new(Vec::new()))?.status(), 429);
/// assert!(t.send(http::Request::new(Vec::new())).is_err());
/// assert_eq!(t.send(http::Request::new(Vec::new()))?.status(), 204);
/// assert_eq!(t.requests().len(), 3);
/// # Ok::<(), recycle_core::TransportError>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct ScriptedTransport {
    script: Arc<Mutex<VecDeque<Result<HttpResponse, TransportError>>>>,
    sent: Arc<Mutex<Vec<HttpRequest>>>,
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a response with `status`, `headers` and `body`.
    ///
    /// # Panics
    ///
    /// On a status or header that `http` refuses: a mistake in the test itself.
    pub fn status(self, status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        #[allow(clippy::expect_used)]
        let response = builder
            .body(body.as_bytes().to_vec())
            .expect("a valid scripted response");
        self.push(Ok(response))
    }

    /// Appends a transport failure of `kind`.
    pub fn error(self, kind: TransportErrorKind) -> Self {
        self.push(Err(TransportError::new(kind, "scripted failure")))
    }

    fn push(self, entry: Result<HttpResponse, TransportError>) -> Self {
        lock(&self.script).push_back(entry);
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        lock(&self.sent).clone()
    }

    /// How many scripted answers are left.
    pub fn remaining(&self) -> usize {
        lock(&self.script).len()
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        lock(&self.sent).push(request);
        lock(&self.script).pop_front().unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "the scripted transport has no more answers",
            ))
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Transport for ScriptedTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.answer(request)
    }
}

impl AsyncTransport for ScriptedTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        ready(self.answer(request))
    }
}
