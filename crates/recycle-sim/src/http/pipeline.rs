//! What every request goes through: a tracking ID, the request log, scripted faults and the
//! rate limit, around the handlers.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use recycle_core::protocol::{SERVER_TRACKING_ID_HEADER, TRACKING_ID_HEADER};

use super::reply;
use super::server::ConnCtx;
use crate::faults::{Answer, FaultKind, FaultResponse, normalize};
use crate::log::LoggedRequest;
use crate::state::{Shared, lock};
use crate::{RateLimit, RetryAfterStyle};

/// The simulator's tracking ID of the request being answered.
#[derive(Debug, Clone)]
pub(crate) struct ServerTrackingId(pub(crate) String);

pub(crate) async fn pipeline(
    State(shared): State<Arc<Shared>>,
    mut req: Request,
    next: Next,
) -> Response {
    let tracking = shared.next_tracking_id();
    if req.uri().path().starts_with("/_sim/") {
        req.extensions_mut()
            .insert(ServerTrackingId(tracking.clone()));
        return with_tracking(next.run(req).await, &tracking);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, shared.max_body_bytes).await else {
        let message = format!("The request body exceeds {} bytes", shared.max_body_bytes);
        return with_tracking(reply::error(413, &message, &[], &tracking), &tracking);
    };
    let seq = lock(&shared.log).push(
        LoggedRequest {
            seq: 0,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            body: String::new(),
            tracking_id: parts
                .headers
                .get(TRACKING_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            server_tracking_id: tracking.clone(),
            status: None,
            fault: None,
        },
        &bytes,
    );
    let conn = parts.extensions.get::<ConnCtx>().cloned();
    let api_path = parts.uri.path().strip_prefix("/v1").map(normalize);
    let mut req = Request::from_parts(parts, Body::from(bytes));
    req.extensions_mut()
        .insert(ServerTrackingId(tracking.clone()));

    let queued = api_path
        .as_deref()
        .and_then(|p| lock(&shared.faults).next(p));
    let random = || {
        api_path
            .is_some()
            .then(|| shared.random_faults.as_ref()?.draw())
            .flatten()
    };
    let fault = queued.or_else(random);
    let label = fault.as_ref().and_then(|f| serde_json::to_string(f).ok());
    if let Some(ms) = fault.as_ref().and_then(|f| f.delay_ms) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    // A fault with only a delay is answered normally once the delay is over.
    let resp = match fault.as_ref().map(FaultResponse::kind) {
        None | Some(FaultKind::Delay) => rate_limited(&shared, req, next, &tracking).await,
        Some(FaultKind::Answer(answer)) => {
            if answer.apply {
                let _ = rate_limited(&shared, req, next, &tracking).await;
            }
            scripted(answer, &tracking)
        }
        Some(FaultKind::Drop { apply }) => {
            if *apply {
                let _ = rate_limited(&shared, req, next, &tracking).await;
            }
            lock(&shared.log).finish(seq, None, label);
            return drop_connection(conn, &tracking).await;
        }
    };
    lock(&shared.log).finish(seq, Some(resp.status().as_u16()), label);
    with_tracking(resp, &tracking)
}

fn scripted(fault: &Answer, tracking: &str) -> Response {
    let status = fault.status;
    let body = fault.body.as_deref();
    let mut resp = reply::scripted(status, body, fault.retry_after.as_deref(), tracking);
    for (name, value) in &fault.headers {
        let name = header::HeaderName::from_bytes(name.as_bytes());
        if let (Ok(name), Ok(value)) = (name, HeaderValue::from_str(value)) {
            resp.headers_mut().insert(name, value);
        }
    }
    if fault.truncate {
        // A stream that ends in an error makes hyper close the connection mid-body, short of
        // the promised length.
        let sent = body.unwrap_or_default().as_bytes().to_vec();
        let promised = sent.len() + 64;
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(sent),
            Err(std::io::Error::other("truncated by a scripted fault")),
        ];
        let (mut parts, _) = resp.into_parts();
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(promised));
        // The pause lets the head and the first chunk reach the client before the break.
        let paced =
            futures_util::StreamExt::then(futures_util::stream::iter(chunks), |chunk| async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                chunk
            });
        return Response::from_parts(parts, Body::from_stream(paced));
    }
    resp
}

/// Closes the connection without answering; the future never completes.
async fn drop_connection(conn: Option<ConnCtx>, tracking: &str) -> Response {
    match conn {
        Some(conn) => {
            conn.kill();
            std::future::pending::<Response>().await
        }
        None => with_tracking(
            reply::error(
                500,
                "A dropped connection needs the simulator's own server",
                &[],
                tracking,
            ),
            tracking,
        ),
    }
}

async fn rate_limited(shared: &Shared, req: Request, next: Next, tracking: &str) -> Response {
    if let Some(limiter) = &shared.limiter {
        let verdict = {
            let mut bucket = lock(limiter);
            bucket
                .take(Instant::now())
                .map_err(|wait| (wait, bucket.limit()))
        };
        if let Err((wait, limit)) = verdict {
            let value = retry_after(wait, limit);
            let message = "Too many requests have been sent in a given amount of time";
            let mut resp = reply::error(429, message, &[], tracking);
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return resp;
        }
    }
    next.run(req).await
}

/// Whole seconds (rounded up, at least 1), or the HTTP-date that many seconds ahead.
fn retry_after(wait: Duration, limit: RateLimit) -> String {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    match limit.retry_after {
        RetryAfterStyle::Seconds => secs.to_string(),
        RetryAfterStyle::HttpDate => {
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
        }
    }
}

fn with_tracking(mut resp: Response, tracking: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(tracking) {
        resp.headers_mut().insert(SERVER_TRACKING_ID_HEADER, v);
    }
    resp
}
