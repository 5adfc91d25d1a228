//! The HTTP side: routes, the per-request pipeline, handlers and the accept loop.

mod api;
mod control;
mod pipeline;
mod reply;
pub(crate) mod server;

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};

use crate::state::Shared;

/// The `/_sim` routes, for loopback callers only.
fn control_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/_sim/faults",
            post(control::add_faults)
                .get(control::list_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/_sim/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route("/_sim/recordings", get(control::recordings))
        .route("/_sim/identities", get(control::identities))
        .route_layer(from_fn(control::loopback_only))
}

/// Every route of the simulator.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/convergedRecordings/softDelete", post(api::trash))
        .route("/v1/convergedRecordings/restore", post(api::restore))
        .route("/v1/convergedRecordings/purge", post(api::purge))
        .route("/v1/convergedRecordings", get(api::list_mine))
        .route("/v1/convergedRecordings/{recording_id}", get(api::details))
        .route("/v1/admin/convergedRecordings", get(api::list_admin))
        .merge(control_routes())
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(from_fn_with_state(shared.clone(), pipeline::pipeline))
        .with_state(shared)
}
