//! Building requests and reading responses: the sans-IO half of every call.

use std::time::SystemTime;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderValue, Method};
use url::Url;

use crate::error::MAX_KEPT_BODY;
use crate::retry_after::retry_after_from_headers;
use crate::tracking::{SERVER_TRACKING_ID_HEADER, TRACKING_ID_HEADER};
use crate::{
    AccessToken, ApiError, AttemptOutcome, BaseUrl, BatchFailure, BatchResult, Error, HttpRequest,
    HttpResponse, Operation, PaginationError, Recording, RecordingId, RecordingList, Request,
    Status, TIMEZONE_HEADER, Timezone, TrackingId, TransportError, WebexErrorBody, next_page_url,
};

/// The default `User-Agent`.
pub(crate) const DEFAULT_USER_AGENT: &str = concat!("recycle/", env!("CARGO_PKG_VERSION"));

/// Where and as whom requests go: base URL, token and user agent. Builds every request the
/// clients send.
///
/// ```
/// use recycle_core::TrackingId;
/// use recycle_core::adapter::{Api, SharedRng};
/// use recycle_core::{AccessToken, BaseUrl, TrashRequest};
///
/// let api = Api::new(BaseUrl::parse("http://127.0.0.1:8080/v1")?, AccessToken::new("t0ken".into())?);
/// let tracking = TrackingId::generate(&SharedRng::new());
/// let req = api.operation(&TrashRequest::by_ids(["r1"])?, &tracking);
/// assert_eq!(req.uri(), "http://127.0.0.1:8080/v1/convergedRecordings/softDelete");
/// assert_eq!(req.body(), br#"{"recordingIds":["r1"]}"#);
/// assert!(req.headers()["authorization"].is_sensitive());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Api {
    base: BaseUrl,
    /// `Bearer <token>`, marked sensitive, built once.
    authorization: HeaderValue,
    user_agent: HeaderValue,
    /// The URIs of trash, restore and purge, parsed once.
    operation_uris: [http::Uri; 3],
}

impl Api {
    /// Requests to `base` with `token`.
    pub fn new(base: BaseUrl, token: AccessToken) -> Self {
        let uri = |kind: crate::OperationKind| {
            base.join(kind.path())
                .as_str()
                .parse()
                .expect("a base URL and a fixed path make a valid URI")
        };
        let operation_uris = crate::OperationKind::ALL.map(uri);
        Self {
            base,
            authorization: token.authorization(),
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            operation_uris,
        }
    }

    /// Sends `user_agent` instead of the default.
    pub fn with_user_agent(
        mut self,
        user_agent: &str,
    ) -> Result<Self, http::header::InvalidHeaderValue> {
        self.user_agent = HeaderValue::from_str(user_agent)?;
        Ok(self)
    }

    /// The base URL.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The `POST` for a trash, restore or purge request.
    pub fn operation<O: Operation>(
        &self,
        request: &Request<O>,
        tracking: &TrackingId,
    ) -> HttpRequest {
        let uri = self.operation_uris[O::KIND as usize].clone();
        let mut req = self.request(Method::POST, uri, tracking, request.to_json());
        req.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        req
    }

    /// The `GET` of a list page. `url` must be on the base URL's origin, so a next-page link
    /// can never carry the token elsewhere.
    pub fn list_page(
        &self,
        url: &Url,
        tracking: &TrackingId,
        timezone: Option<&Timezone>,
    ) -> Result<HttpRequest, PaginationError> {
        if url.origin() != self.base.url().origin() {
            return Err(PaginationError::CrossOrigin {
                next_origin: url.origin().ascii_serialization(),
                expected_origin: self.base.url().origin().ascii_serialization(),
            });
        }
        // A link longer than an http::Uri holds (64 KiB) is not followed.
        let uri = url
            .as_str()
            .parse()
            .map_err(|_| PaginationError::InvalidTarget {
                target: crate::excerpt::excerpt(url.as_str()),
            })?;
        Ok(self.get(uri, tracking, timezone))
    }

    /// The `GET` of one recording's details (`/convergedRecordings/{recordingId}`).
    ///
    /// ```
    /// use recycle_core::TrackingId;
    /// use recycle_core::adapter::{Api, SharedRng};
    /// use recycle_core::{AccessToken, BaseUrl, RecordingId};
    ///
    /// let api = Api::new(BaseUrl::parse("http://127.0.0.1:8080/v1")?, AccessToken::new("t0ken".into())?);
    /// let tracking = TrackingId::generate(&SharedRng::new());
    /// let req = api.details(&RecordingId::new("a/b?c")?, &tracking, None);
    /// assert_eq!(req.uri(), "http://127.0.0.1:8080/v1/convergedRecordings/a%2Fb%3Fc");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn details(
        &self,
        id: &RecordingId,
        tracking: &TrackingId,
        timezone: Option<&Timezone>,
    ) -> HttpRequest {
        let mut url = self.base.join(crate::list::LIST_PATH);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(id.as_str());
        }
        // The base URL and an ID of at most 1,024 bytes (percent-encoded: 3 KiB) always
        // make a valid http::Uri.
        let uri = url
            .as_str()
            .parse()
            .expect("a base URL and a recording ID make a valid URI");
        self.get(uri, tracking, timezone)
    }

    fn get(
        &self,
        uri: http::Uri,
        tracking: &TrackingId,
        timezone: Option<&Timezone>,
    ) -> HttpRequest {
        let mut req = self.request(Method::GET, uri, tracking, Vec::new());
        if let Some(tz) = timezone.and_then(|tz| HeaderValue::from_str(tz.as_str()).ok()) {
            req.headers_mut().insert(TIMEZONE_HEADER, tz);
        }
        req
    }

    fn request(
        &self,
        method: Method,
        uri: http::Uri,
        tracking: &TrackingId,
        body: Vec<u8>,
    ) -> HttpRequest {
        let mut req = http::Request::new(body);
        *req.method_mut() = method;
        *req.uri_mut() = uri;
        let headers = req.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Ok(value) = HeaderValue::from_str(tracking.as_str()) {
            headers.insert(TRACKING_ID_HEADER, value);
        }
        req
    }
}

/// Classifies the result of one attempt for the retry policy.
pub(crate) fn attempt_outcome(
    result: &Result<HttpResponse, TransportError>,
    now: SystemTime,
) -> AttemptOutcome {
    match result {
        Ok(resp) => AttemptOutcome::Response {
            status: Status::from_code(resp.status().as_u16()),
            retry_after: retry_after_from_headers(resp.headers(), now),
        },
        Err(e) => AttemptOutcome::Transport(e.kind()),
    }
}

/// Reads a failed response into an [`ApiError`].
pub(crate) fn api_error(
    response: &HttpResponse,
    tracking: &TrackingId,
    now: SystemTime,
) -> ApiError {
    let body = WebexErrorBody::parse(response.body());
    let header_tracking = response
        .headers()
        .get(SERVER_TRACKING_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let status = Status::from_code(response.status().as_u16());
    let redirect_origin = (status.class() == crate::StatusClass::Redirect).then(|| {
        response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map_or_else(
                || "an unnamed location".to_owned(),
                |loc| match Url::parse(loc) {
                    Ok(u) => u.origin().ascii_serialization(),
                    Err(_) => "a location on the same origin".to_owned(),
                },
            )
    });
    let raw = response.body();
    ApiError {
        status,
        tracking_id: body.tracking_id.clone().or(header_tracking),
        body,
        request_tracking_id: Some(tracking.clone()),
        retry_after: retry_after_from_headers(response.headers(), now),
        redirect_origin,
        raw_body: raw[..raw.len().min(MAX_KEPT_BODY)].to_vec(),
        outcome_unknown: false,
    }
}

/// The final result of a trash, restore or purge call, after its last attempt;
/// `may_have_been_applied` says whether any attempt may have been applied (see
/// [`RetryState::may_have_been_applied`](crate::RetryState::may_have_been_applied)).
pub(crate) fn operation_result(
    result: Result<HttpResponse, TransportError>,
    tracking: &TrackingId,
    attempts: u32,
    may_have_been_applied: bool,
    now: SystemTime,
) -> Result<(), Error> {
    success_response(result, tracking, attempts, now)
        .map(drop)
        .map_err(|e| with_certainty(e, may_have_been_applied))
}

/// Marks a failure whose request may have been applied.
fn with_certainty(error: Error, may_have_been_applied: bool) -> Error {
    match error {
        Error::Api(mut e) => {
            e.outcome_unknown |= may_have_been_applied;
            Error::Api(e)
        }
        Error::Transport {
            source,
            tracking_id,
            attempts,
            outcome_unknown,
        } => Error::Transport {
            outcome_unknown: outcome_unknown || may_have_been_applied,
            source,
            tracking_id,
            attempts,
        },
        other => other,
    }
}

fn success_response(
    result: Result<HttpResponse, TransportError>,
    tracking: &TrackingId,
    attempts: u32,
    now: SystemTime,
) -> Result<HttpResponse, Error> {
    match result {
        Ok(resp) if resp.status().is_success() => Ok(resp),
        Ok(resp) => Err(api_error(&resp, tracking, now).into()),
        Err(source) => Err(Error::Transport {
            outcome_unknown: source.kind().is_outcome_unknown(),
            source,
            tracking_id: tracking.clone(),
            attempts,
        }),
    }
}

/// The final result of a bulk batch, after its last attempt, for `BulkJob::record`. A failure is marked `outcomeUnknown`
/// when any attempt may have been applied, whatever the last one answered.
pub(crate) fn batch_result(
    result: Result<HttpResponse, TransportError>,
    tracking: &TrackingId,
    may_have_been_applied: bool,
    now: SystemTime,
) -> BatchResult {
    match operation_result(result, tracking, 0, may_have_been_applied, now) {
        Ok(()) => BatchResult::Succeeded,
        Err(Error::Api(e)) => BatchResult::Failed(BatchFailure {
            status: Some(e.status.code()),
            message: Some(e.message()),
            error_code: e.body.error_code.clone(),
            tracking_id: e.tracking_id.clone(),
            request_tracking_id: Some(tracking.to_string()),
            outcome_unknown: e.outcome_unknown,
            details: e
                .body
                .message
                .iter()
                .chain(&e.body.descriptions)
                .cloned()
                .collect(),
            ..BatchFailure::default()
        }),
        Err(Error::Transport {
            source,
            outcome_unknown,
            ..
        }) => BatchResult::Failed(BatchFailure {
            status: None,
            message: Some(source.to_string()),
            request_tracking_id: Some(tracking.to_string()),
            outcome_unknown,
            ..BatchFailure::default()
        }),
        Err(other) => BatchResult::Failed(BatchFailure {
            message: Some(other.to_string()),
            request_tracking_id: Some(tracking.to_string()),
            outcome_unknown: may_have_been_applied,
            ..BatchFailure::default()
        }),
    }
}

/// One page of recordings and what comes after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The recordings on this page.
    pub items: Vec<Recording>,
    /// Items that are not JSON objects, as received.
    pub unreadable: Vec<serde_json::Value>,
    /// Items not read in full: the unreadable ones and those with
    /// [`Recording::misread_fields`].
    pub malformed: usize,
    /// The next page, on the same origin.
    pub next: Option<Url>,
    /// A next-page link that was refused (another origin, not a URL); the items of this page
    /// are still good.
    pub refused_next: Option<PaginationError>,
}

/// Reads a list response fetched from `page_url`.
pub(crate) fn read_list_page(
    result: Result<HttpResponse, TransportError>,
    page_url: &Url,
    tracking: &TrackingId,
    attempts: u32,
    now: SystemTime,
) -> Result<Page, Error> {
    let response = success_response(result, tracking, attempts, now)?;
    let list: RecordingList =
        serde_json::from_slice(response.body()).map_err(|e| Error::Decode {
            message: e.to_string(),
            tracking_id: tracking.clone(),
        })?;
    let (next, refused_next) = match next_page_url(page_url, response.headers()) {
        Ok(next) => (next, None),
        Err(refused) => (None, Some(refused)),
    };
    Ok(Page {
        malformed: list.malformed(),
        items: list.items,
        unreadable: list.unreadable,
        next,
        refused_next,
    })
}

/// Reads the answer of a recording's details.
pub(crate) fn read_recording(
    result: Result<HttpResponse, TransportError>,
    tracking: &TrackingId,
    attempts: u32,
    now: SystemTime,
) -> Result<Recording, Error> {
    let response = success_response(result, tracking, attempts, now)?;
    serde_json::from_slice(response.body()).map_err(|e| Error::Decode {
        message: e.to_string(),
        tracking_id: tracking.clone(),
    })
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
