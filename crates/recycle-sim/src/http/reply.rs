//! Webex-shaped answers: `{"message", "errors": [{"description"}], "trackingId"}`.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use recycle_core::Status;
use recycle_core::protocol::{ErrorDetail, ErrorResponse};

/// A Webex error answer naming `descriptions` (one per offending item, or the message).
pub(crate) fn error(
    status: u16,
    message: &str,
    descriptions: &[String],
    tracking_id: &str,
) -> Response {
    let details: Vec<&str> = if descriptions.is_empty() {
        vec![message]
    } else {
        descriptions.iter().take(100).map(String::as_str).collect()
    };
    let body = ErrorResponse {
        message: Some(message.to_owned()),
        errors: details
            .into_iter()
            .map(|d| ErrorDetail {
                description: Some(d.to_owned()),
                error_code: None,
            })
            .collect(),
        tracking_id: Some(tracking_id.to_owned()),
        error_code: None,
    };
    json_response(
        status,
        &serde_json::to_value(body).expect("an error body has only string keys"),
    )
}

/// A JSON answer.
pub(crate) fn json_response(status: u16, body: &serde_json::Value) -> Response {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = code(status);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// An answer with no body.
pub(crate) fn empty(status: u16) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = code(status);
    resp
}

/// A scripted answer: `body` verbatim (typed by its look), or a Webex error body.
pub(crate) fn scripted(
    status: u16,
    body: Option<&str>,
    retry_after: Option<&str>,
    tracking_id: &str,
) -> Response {
    let mut resp = match body {
        Some(text) => {
            let kind = if serde_json::from_str::<serde_json::Value>(text).is_ok() {
                "application/json"
            } else if text.trim_start().starts_with('<') {
                "text/html"
            } else {
                "text/plain"
            };
            let mut r = Response::new(Body::from(text.to_owned()));
            *r.status_mut() = code(status);
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            r
        }
        None if status < 300 => empty(status),
        None => error(status, Status::from_code(status).name(), &[], tracking_id),
    };
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, value);
    }
    resp
}

fn code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
