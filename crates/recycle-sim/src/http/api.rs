//! The `/v1` endpoints: trash, restore, purge, and the two lists.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;
use recycle_core::protocol::{
    ADMIN_LIST_PATH, ADMIN_READ_SCOPE, COMPLIANCE_READ_SCOPE, LIST_PATH, TIMEZONE_HEADER,
    USER_READ_SCOPE,
};
use recycle_core::url::form_urlencoded;
use recycle_core::{
    CallerRole, ListQuery, Operation, Purge, ReaderRole, RecordingStatus, Request, Restore,
    Timezone, Trash,
};
use serde_json::json;

use super::pipeline::ServerTrackingId;
use super::reply;
use crate::Identity;
use crate::state::{Shared, lock};
use crate::store::{Caller, RecordingState, is_recording_id};

type Tracking = Extension<ServerTrackingId>;

pub(crate) async fn trash(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    operation::<Trash>(&s, &t.0, &h, &body)
}

pub(crate) async fn restore(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    operation::<Restore>(&s, &t.0, &h, &body)
}

pub(crate) async fn purge(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    operation::<Purge>(&s, &t.0, &h, &body)
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

fn operation<O: Operation>(
    s: &Shared,
    tracking: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
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
        s.batch_semantics,
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

/// The value of the `timezone` header, if any; `Err` when it is not text.
fn timezone(headers: &HeaderMap) -> Result<Option<&str>, String> {
    headers
        .get(TIMEZONE_HEADER)
        .map(|v| {
            v.to_str()
                .map_err(|_| "the timezone header is not text".to_owned())
        })
        .transpose()
}

/// The read role of an authenticated caller, or the 403 that refuses it.
fn reader(caller: &Identity, tracking: &str) -> Result<ReaderRole, Box<Response>> {
    ReaderRole::from_scopes(&caller.scopes).ok_or_else(|| {
        let message = format!(
            "The token lacks the {USER_READ_SCOPE}, {ADMIN_READ_SCOPE} or {COMPLIANCE_READ_SCOPE} scope"
        );
        Box::new(reply::error(403, &message, &[], tracking))
    })
}

fn list(
    s: &Shared,
    tracking: &str,
    headers: &HeaderMap,
    raw: Option<&str>,
    admin: bool,
) -> Response {
    let Some(caller) = authenticate(s, headers) else {
        return unauthorized(tracking);
    };
    let role = match reader(caller, tracking) {
        Ok(role) => role,
        Err(refused) => return *refused,
    };
    let allowed = if admin {
        role.reads_org()
    } else {
        caller.has_scope(USER_READ_SCOPE)
    };
    if !allowed {
        let needs = if admin {
            format!("{ADMIN_READ_SCOPE} or {COMPLIANCE_READ_SCOPE}")
        } else {
            USER_READ_SCOPE.to_owned()
        };
        return reply::error(
            403,
            &format!("The token lacks the {needs} scope"),
            &[],
            tracking,
        );
    }
    let raw = raw.unwrap_or_default();
    let query = match timezone(headers)
        .and_then(|tz| ListQuery::from_query(admin, raw, tz).map_err(|e| e.to_string()))
    {
        Ok(q) => q,
        Err(message) => return reply::error(400, &message, &[], tracking),
    };
    if query.status_filter() == Some(RecordingStatus::Purged)
        && role != ReaderRole::ComplianceOfficer
    {
        let message = "Only a compliance officer may list purged recordings";
        return reply::error(403, message, &[], tracking);
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let offset = match pairs.iter().find(|(k, _)| k == "offset") {
        None => 0,
        Some((_, v)) => match v.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                let message = format!("offset {v:?} is not a page position");
                return reply::error(400, &message, &[], tracking);
            }
        },
    };
    let max = query.page_size().map_or(s.default_page_size, usize::from);
    let range = query.server_range(s.now_unix());
    let owner = (!admin).then_some(caller.email.as_str());
    // The listing, whatever page: the query without its offset, and whose list it is.
    let key = {
        let mut k = form_urlencoded::Serializer::new(String::new());
        k.extend_pairs(pairs.iter().filter(|(k, _)| k != "offset"));
        format!("{admin} {} {range:?} {}", caller.email, k.finish())
    };
    let (items, more) = lock(&s.store).page(&key, &query, owner, range, offset, max);
    let mut resp = reply::json_response(200, &json!({ "items": items }));
    if more {
        let mut next = form_urlencoded::Serializer::new(String::new());
        next.extend_pairs(pairs.iter().filter(|(k, _)| k != "offset"));
        next.append_pair("offset", &(offset + max).to_string());
        let path = if admin { ADMIN_LIST_PATH } else { LIST_PATH };
        let link = format!("<{}{path}?{}>; rel=\"next\"", s.base_url, next.finish());
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

/// `GET /convergedRecordings/{recordingId}`: one recording, for its owner, an administrator
/// (not purged ones) or a compliance officer (purged ones too); anyone else gets 404.
pub(crate) async fn details(
    State(s): State<Arc<Shared>>,
    Extension(t): Tracking,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let tracking = &t.0;
    let Some(caller) = authenticate(&s, &h) else {
        return unauthorized(tracking);
    };
    let role = match reader(caller, tracking) {
        Ok(role) => role,
        Err(refused) => return *refused,
    };
    if let Err(message) =
        timezone(&h).and_then(|tz| tz.map(Timezone::new).transpose().map_err(|e| e.to_string()))
    {
        return reply::error(400, &message, &[], tracking);
    }
    if !is_recording_id(&id) {
        let message = format!("Invalid recording ID: {id}");
        return reply::error(400, &message, &[], tracking);
    }
    let found = lock(&s.store).get(&id).cloned().filter(|r| match role {
        ReaderRole::ComplianceOfficer => true,
        ReaderRole::Admin => r.state != RecordingState::Purged,
        ReaderRole::User => {
            r.state != RecordingState::Purged && r.owner_email.eq_ignore_ascii_case(&caller.email)
        }
    });
    match found {
        Some(r) => reply::json_response(200, &json!(r.to_api())),
        None => reply::error(404, &format!("Recording not found: {id}"), &[], tracking),
    }
}
