//! The `/v1` endpoints: trash, restore, purge, and the two lists.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;
use recycle_core::url::form_urlencoded;
use recycle_core::{
    ADMIN_LIST_PATH, ADMIN_MAX_WINDOW_DAYS, ADMIN_READ_SCOPE, CallerRole, LIST_PATH, MAX_PAGE_SIZE,
    Operation, Purge, Request, Restore, Timestamp, Trash, USER_READ_SCOPE,
};
use serde_json::json;

use super::pipeline::ServerTrackingId;
use super::reply;
use crate::Identity;
use crate::state::{Shared, lock};
use crate::store::{Caller, ListFilter, RecordingState};

type Tracking = Extension<ServerTrackingId>;

pub(crate) async fn trash(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    action::<Trash>(&s, &t.0, &h, &body)
}

pub(crate) async fn restore(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    action::<Restore>(&s, &t.0, &h, &body)
}

pub(crate) async fn purge(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    action::<Purge>(&s, &t.0, &h, &body)
}

pub(crate) async fn list_mine(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    list(&s, &t.0, &h, q.as_deref(), false)
}

pub(crate) async fn list_admin(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    list(&s, &t.0, &h, q.as_deref(), true)
}

pub(crate) async fn not_found(Extension(t): Tracking) -> Response {
    reply::error(404, "The requested resource could not be found", &[], &t.0)
}

pub(crate) async fn method_not_allowed(Extension(t): Tracking, method: Method) -> Response {
    reply::error(
        405,
        &format!("Method {method} is not supported by this resource"),
        &[],
        &t.0,
    )
}

/// The identity whose bearer token the request carries.
fn authenticate<'a>(s: &'a Shared, headers: &HeaderMap) -> Option<&'a Identity> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)?;
    s.identities.iter().find(|i| i.token == token)
}

fn unauthorized(tracking: &str) -> Response {
    let message =
        "The request requires a valid access token set in the Authorization request header.";
    reply::error(401, message, &[], tracking)
}

fn action<O: Operation>(s: &Shared, tracking: &str, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(caller) = authenticate(s, headers) else {
        return unauthorized(tracking);
    };
    let Some(role) = CallerRole::from_scopes(&caller.scopes) else {
        let message =
            "The token lacks the spark:recordings_write or spark-admin:recordings_write scope";
        return reply::error(403, message, &[], tracking);
    };
    if !is_json(headers) {
        return reply::error(
            415,
            "The request body must be JSON (Content-Type: application/json)",
            &[],
            tracking,
        );
    }
    let request = match Request::<O>::from_json(body) {
        Ok(r) => r,
        Err(e) => return reply::error(400, &e.to_string(), &[], tracking),
    };
    if let Err(e) = request.check_role(role) {
        return reply::error(400, &e.to_string(), &[], tracking);
    }
    let result = lock(&s.store).apply(
        O::KIND,
        request.target(),
        Caller {
            email: &caller.email,
            role,
        },
    );
    match result {
        Ok(_) => reply::empty(204),
        Err(refusal) => reply::error(refusal.status, &refusal.message, &refusal.details, tracking),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// The parsed query of a list request.
struct ListParams {
    state: RecordingState,
    max: usize,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    owner: Option<String>,
    offset: usize,
    pairs: Vec<(String, String)>,
}

fn parse_list_query(
    query: Option<&str>,
    default_max: usize,
    admin: bool,
) -> Result<ListParams, String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut p = ListParams {
        state: RecordingState::Available,
        max: default_max,
        from: None,
        to: None,
        owner: None,
        offset: 0,
        pairs: Vec::new(),
    };
    for (key, value) in &pairs {
        match key.as_str() {
            "status" => {
                p.state = match value.as_str() {
                    "available" => RecordingState::Available,
                    "deleted" => RecordingState::Deleted,
                    _ => {
                        return Err(format!(
                            "status must be available or deleted, not {value:?}"
                        ));
                    }
                };
            }
            "max" => {
                p.max = value
                    .parse()
                    .ok()
                    .filter(|m| (1..=usize::from(MAX_PAGE_SIZE)).contains(m))
                    .ok_or_else(|| {
                        format!("max must be between 1 and {MAX_PAGE_SIZE}, not {value:?}")
                    })?;
            }
            "from" => p.from = Some(Timestamp::parse(value).map_err(|e| format!("from: {e}"))?),
            "to" => p.to = Some(Timestamp::parse(value).map_err(|e| format!("to: {e}"))?),
            "ownerEmail" if admin => p.owner = Some(value.clone()),
            "offset" => {
                p.offset = value
                    .parse()
                    .map_err(|_| format!("offset {value:?} is not a page position"))?
            }
            _ => {} // Unknown parameters are ignored, as Webex does.
        }
    }
    if let (Some(from), Some(to)) = (&p.from, &p.to) {
        let span = to.unix_seconds() - from.unix_seconds();
        if span < 0 {
            return Err("from must not be after to".into());
        }
        if admin && span > ADMIN_MAX_WINDOW_DAYS * 86_400 {
            return Err(format!(
                "from and to may be at most {ADMIN_MAX_WINDOW_DAYS} days apart"
            ));
        }
    }
    p.pairs = pairs.into_iter().filter(|(k, _)| k != "offset").collect();
    Ok(p)
}

fn list(
    s: &Shared,
    tracking: &str,
    headers: &HeaderMap,
    query: Option<&str>,
    admin: bool,
) -> Response {
    let Some(caller) = authenticate(s, headers) else {
        return unauthorized(tracking);
    };
    let scope = if admin {
        ADMIN_READ_SCOPE
    } else {
        USER_READ_SCOPE
    };
    if !caller.has_scope(scope) {
        return reply::error(
            403,
            &format!("The token lacks the {scope} scope"),
            &[],
            tracking,
        );
    }
    let params = match parse_list_query(query, s.default_page_size, admin) {
        Ok(p) => p,
        Err(message) => return reply::error(400, &message, &[], tracking),
    };
    let owner = if admin {
        params.owner.as_deref()
    } else {
        Some(caller.email.as_str())
    };
    let filter = ListFilter {
        owner,
        state: Some(params.state),
        from: params.from.as_ref().map(Timestamp::unix_seconds),
        to: params.to.as_ref().map(Timestamp::unix_seconds),
    };
    let (items, more) = {
        let store = lock(&s.store);
        let all = store.list(&filter);
        let page: Vec<_> = all
            .iter()
            .skip(params.offset)
            .take(params.max)
            .map(|r| r.to_api())
            .collect();
        (page, all.len() > params.offset.saturating_add(params.max))
    };
    let mut resp = reply::json_response(200, &json!({ "items": items }));
    if more {
        let mut next = form_urlencoded::Serializer::new(String::new());
        next.extend_pairs(&params.pairs);
        next.append_pair("offset", &(params.offset + params.max).to_string());
        let path = if admin { ADMIN_LIST_PATH } else { LIST_PATH };
        let link = format!("<{}{path}?{}>; rel=\"next\"", s.base_url, next.finish());
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}
