//! The transport contract: what an adapter implements to move bytes for the core.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;

/// A request as the core builds it.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response as a transport returns it: any status, body read in full (up to a cap).
pub type HttpResponse = http::Response<Vec<u8>>;

/// How a request failed to get a response, which decides whether it is retried and whether
/// its effect is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// No connection was made (DNS, refused, TLS handshake, connect timeout): nothing was
    /// sent. Retried.
    Connect,
    /// No complete response in time after the request was sent: the server may have applied
    /// it. Retried; the outcome is unknown if retries run out.
    Timeout,
    /// The connection broke after the request was sent (reset, closed, truncated response):
    /// the server may have applied it. Retried; the outcome is unknown if retries run out.
    ConnectionDropped,
    /// The response body exceeded the transport's cap. Not retried.
    BodyTooLarge,
    /// The server answered with a redirect the transport refused to follow. Not retried.
    Redirect,
    /// Anything else (a malformed response, an invalid request). Not retried.
    Other,
}

impl TransportErrorKind {
    /// Whether a retry may help.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Self::Connect | Self::Timeout | Self::ConnectionDropped
        )
    }

    /// Whether the server may have applied the request although no response came.
    pub fn is_outcome_unknown(self) -> bool {
        matches!(self, Self::Timeout | Self::ConnectionDropped)
    }

    /// Whether the request may have reached the server and been applied: every failure but
    /// a refused connection and a redirect (whose answer says it was not processed).
    pub fn may_have_been_applied(self) -> bool {
        !matches!(self, Self::Connect | Self::Redirect)
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out waiting for the response",
            Self::ConnectionDropped => "connection dropped before a complete response",
            Self::BodyTooLarge => "response body too large",
            Self::Redirect => "redirect refused",
            Self::Other => "transport error",
        })
    }
}

/// A failure to exchange a request for a response, classified for the core.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl TransportError {
    /// A classified error with a description.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A classified error wrapping the transport library's own error.
    pub fn with_source(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        let source = source.into();
        Self {
            kind,
            message: source.to_string(),
            source: Some(source),
        }
    }

    /// The classification.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A blocking transport: sends one request and returns the response, whatever its status.
///
/// Implementations must not follow redirects, must not turn 4xx/5xx into errors, and should
/// set timeouts and cap the body. Closures implement it, which suits tests:
///
/// ```
/// use recycle_core::{HttpRequest, HttpResponse, Transport, TransportError};
///
/// let t = |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::builder().status(204).body(Vec::new()).expect("response"))
/// };
/// let resp = t.send(http::Request::new(Vec::new()))?;
/// assert_eq!(resp.status(), 204);
/// # Ok::<(), TransportError>(())
/// ```
pub trait Transport {
    /// Sends `request` and reads the whole response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// The async twin of [`Transport`], with the same obligations.
pub trait AsyncTransport {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

impl<F> Transport for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

impl<F, Fut> AsyncTransport for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        self(request)
    }
}
