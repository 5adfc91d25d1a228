//! The `/_sim` endpoints: faults, the request log, the state. Loopback callers only; no auth.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use super::pipeline::ServerTrackingId;
use super::reply;
use super::server::ConnCtx;
use crate::faults::FaultSpec;
use crate::state::{Shared, lock};

type SharedState = State<Arc<Shared>>;

/// Refuses callers that are not on a loopback address.
pub(crate) async fn loopback_only(req: Request, next: Next) -> Response {
    if req
        .extensions()
        .get::<ConnCtx>()
        .is_some_and(|c| c.peer.ip().is_loopback())
    {
        return next.run(req).await;
    }
    let tracking = req
        .extensions()
        .get::<ServerTrackingId>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    reply::error(
        403,
        "The /_sim endpoints answer loopback callers only",
        &[],
        &tracking,
    )
}

/// `POST /_sim/faults`: queues scripted answers.
pub(crate) async fn add_faults(
    State(s): SharedState,
    Extension(t): Extension<ServerTrackingId>,
    body: Bytes,
) -> Response {
    let spec: FaultSpec = match serde_json::from_slice(&body) {
        Ok(spec) => spec,
        Err(e) => return reply::error(400, &format!("Invalid fault spec: {e}"), &[], &t.0),
    };
    let queued = spec.responses.len();
    lock(&s.faults).push(spec);
    reply::json_response(200, &json!({ "queued": queued }))
}

/// `GET /_sim/faults`: the answers still queued.
pub(crate) async fn list_faults(State(s): SharedState) -> Response {
    let pending = lock(&s.faults).pending();
    reply::json_response(200, &json!({ "faults": pending }))
}

/// `DELETE /_sim/faults`: drops every queued answer.
pub(crate) async fn clear_faults(State(s): SharedState) -> Response {
    lock(&s.faults).clear();
    reply::empty(204)
}

/// `GET /_sim/requests`: the request log.
pub(crate) async fn requests(State(s): SharedState) -> Response {
    let log = lock(&s.log);
    reply::json_response(
        200,
        &json!({ "total": log.total(), "requests": log.entries() }),
    )
}

/// `DELETE /_sim/requests`: empties the request log.
pub(crate) async fn clear_requests(State(s): SharedState) -> Response {
    lock(&s.log).clear();
    reply::empty(204)
}

/// `GET /_sim/recordings`: every recording's ID, owner, creation time and state.
pub(crate) async fn recordings(State(s): SharedState) -> Response {
    let all = lock(&s.store).summaries();
    reply::json_response(200, &json!({ "recordings": all }))
}

/// `GET /_sim/identities`: the startup information.
pub(crate) async fn identities(State(s): SharedState) -> Response {
    reply::json_response(
        200,
        &json!({ "baseUrl": s.base_url, "identities": s.identities }),
    )
}
