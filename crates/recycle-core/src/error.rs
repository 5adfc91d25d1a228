//! [`Error`] and [`ApiError`]: what went wrong, and what to do about it.

use std::fmt;
use std::time::Duration;

use crate::{
    BaseUrlError, ListQueryError, PaginationError, Status, StatusClass, TokenError, TrackingId,
    TransportError, ValidationError, WebexErrorBody,
};

/// Most bytes of a failed response's body kept in an [`ApiError`].
pub(crate) const MAX_KEPT_BODY: usize = 64 * 1024;

/// The server answered with a status that is not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The status and its place in the taxonomy.
    pub status: Status,
    /// What the body said.
    pub body: WebexErrorBody,
    /// The server's tracking ID: the body's `trackingId`, else the `trackingid` header.
    pub tracking_id: Option<String>,
    /// The `TrackingID` this client sent.
    pub request_tracking_id: Option<TrackingId>,
    /// The `Retry-After` the server sent, parsed.
    pub retry_after: Option<Duration>,
    /// For a redirect: the origin of its `Location`, which was not followed.
    pub redirect_origin: Option<String>,
    /// The start of the raw body (at most 64 KiB).
    pub raw_body: Vec<u8>,
    /// Whether an earlier attempt of the same request may have been applied (it got no
    /// answer, or a 5xx): check the recordings' state before acting on this failure.
    pub outcome_unknown: bool,
}

impl ApiError {
    /// A one-line account: the Webex message, else the reason phrase.
    pub fn message(&self) -> String {
        if let Some(origin) = &self.redirect_origin {
            return format!("redirect to {origin} not followed");
        }
        match (&self.body.text, self.body.summary()) {
            // A body that is not JSON (a gateway's page): the status, then its text.
            (Some(text), _) => format!("{} (the body said: {text})", self.status.name()),
            (None, Some(summary)) => summary,
            (None, None) => self.status.name().to_owned(),
        }
    }

    /// What a caller can do about it.
    pub fn advice(&self) -> &'static str {
        match self.status.class() {
            StatusClass::Auth if self.status.code() == 401 => {
                "check that the token is valid and not expired"
            }
            StatusClass::Auth => {
                "the token lacks a needed scope (spark:recordings_write, or spark-admin:recordings_write to act for others)"
            }
            StatusClass::RateLimited | StatusClass::Locked => "wait and retry later",
            StatusClass::TransientServer => {
                "the service is failing; retry later and quote the tracking IDs to Webex support if it persists"
            }
            StatusClass::Redirect => "check the base URL",
            _ => "fix the request; the message says what the server refused",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message())?;
        if let Some(id) = &self.tracking_id {
            write!(f, " (trackingId {id})")?;
        }
        if let Some(id) = &self.request_tracking_id {
            write!(f, " (TrackingID {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Everything a call can fail with. Variants before [`Error::Transport`] mean nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks one of the API's rules; nothing was sent.
    #[error("invalid request, nothing was sent: {0}")]
    Invalid(#[from] ValidationError),
    /// The base URL is refused; nothing was sent.
    #[error("invalid base URL, nothing was sent: {0}")]
    BaseUrl(#[from] BaseUrlError),
    /// The token is unusable; nothing was sent.
    #[error("invalid access token, nothing was sent: {0}")]
    Token(#[from] TokenError),
    /// The list query is refused; nothing was sent.
    #[error("invalid list query, nothing was sent: {0}")]
    ListQuery(#[from] ListQueryError),
    /// The client could not be set up (for example, its TLS configuration); nothing was sent.
    #[error("the client could not be set up: {message}")]
    Setup {
        /// What failed.
        message: String,
    },
    /// A next-page link was not followed.
    #[error(transparent)]
    Pagination(#[from] PaginationError),
    /// No response after all attempts.
    #[error("{source} after {attempts} attempt(s) (TrackingID {tracking_id})")]
    Transport {
        /// The last transport failure.
        source: TransportError,
        /// The `TrackingID` sent.
        tracking_id: TrackingId,
        /// Attempts made.
        attempts: u32,
        /// Whether an attempt may have been applied (one was sent and got no answer, or a
        /// 5xx): check the recordings' state before acting on this failure.
        outcome_unknown: bool,
    },
    /// The server refused the request (after retries, where they apply).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A success response whose body could not be read.
    #[error("unreadable response body: {message} (TrackingID {tracking_id})")]
    Decode {
        /// What the parser reported.
        message: String,
        /// The `TrackingID` sent.
        tracking_id: TrackingId,
    },
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl Error {
    /// Whether nothing was sent because the input or configuration was refused.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Self::Invalid(_)
                | Self::BaseUrl(_)
                | Self::Token(_)
                | Self::ListQuery(_)
                | Self::Setup { .. }
        )
    }

    /// Whether the same call may succeed later.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { source, .. } => source.kind().is_retryable(),
            Self::Api(e) => e.status.is_retryable(),
            _ => false,
        }
    }

    /// Whether the request may have been applied although it failed: see
    /// [`ApiError::outcome_unknown`].
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Transport {
                outcome_unknown, ..
            } => *outcome_unknown,
            Self::Api(e) => e.outcome_unknown,
            _ => false,
        }
    }

    /// Whether the token was refused (401) or lacks a scope (403).
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::Api(e) if e.status.is_auth())
    }

    /// The HTTP status, when a response came.
    pub fn status(&self) -> Option<Status> {
        match self {
            Self::Api(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `TrackingID` this client sent, when a request went out.
    pub fn request_tracking_id(&self) -> Option<&TrackingId> {
        match self {
            Self::Transport { tracking_id, .. } | Self::Decode { tracking_id, .. } => {
                Some(tracking_id)
            }
            Self::Api(e) => e.request_tracking_id.as_ref(),
            _ => None,
        }
    }

    /// The server's tracking ID, when a response carried one.
    pub fn server_tracking_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.tracking_id.as_deref(),
            _ => None,
        }
    }
}
