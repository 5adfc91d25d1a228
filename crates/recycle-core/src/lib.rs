//! The transport-free core of `recycle`, a client for the Webex Converged Recordings recycle
//! bin: move recordings into it (trash), restore them, and purge them.
//!
//! This crate does no I/O. It knows the API's rules and turns typed requests into
//! [`http::Request`]s and [`http::Response`]s into typed outcomes; the adapters
//! (`recycle-async` on reqwest, `recycle-blocking` on ureq) only move the bytes and sleep.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::SystemTime;
//! use recycle_core::*;
//!
//! // A request can only be built valid: 1..=100 unique, well-formed IDs, or "all".
//! let request = TrashRequest::by_ids(["rec-1", "rec-2"])?;
//! assert!(TrashRequest::by_ids(Vec::<String>::new()).is_err());
//!
//! let api = Api::new(BaseUrl::parse("http://127.0.0.1:8080/v1")?, AccessToken::new("t0ken".into())?);
//! let (policy, budget, rng) = (RetryPolicy::default(), Arc::new(RetryBudget::default()), Arc::new(SharedRng::seeded(7)));
//! let tracking = TrackingId::generate(&rng);
//!
//! // Any `Fn(HttpRequest) -> Result<HttpResponse, TransportError>` is a transport.
//! // This one is rate limited once, then succeeds.
//! let calls = std::cell::Cell::new(0);
//! let transport = |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     calls.set(calls.get() + 1);
//!     let status = if calls.get() == 1 { 429 } else { 204 };
//!     Ok(http::Response::builder().status(status).header("retry-after", "0").body(Vec::new()).unwrap())
//! };
//!
//! // What an adapter does: send, let the core decide, sleep, repeat.
//! let mut attempts = RetryState::new(policy, budget, rng.clone());
//! let result = loop {
//!     let result = transport.send(api.action(&request, &tracking));
//!     match attempts.record(&attempt_outcome(&result, SystemTime::now())) {
//!         Decision::Retry { after, .. } => std::thread::sleep(after),
//!         Decision::Stop(_) => break result,
//!     }
//! };
//! action_result(result, &tracking, attempts.attempts(), attempts.may_have_been_applied(), SystemTime::now())?;
//! assert_eq!(attempts.attempts(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Bulk jobs of any size go through [`BulkPlan`] (deduplicate, validate) and [`BulkJob`]
//! (batches of at most 100, splitting of batches that fail for their content, stop on
//! 401/403), which ends in a [`BulkReport`] that accounts for every ID.
//!
//! # Features
//!
//! - `test-util`: `test_util::ScriptedTransport`, a transport that replays a script and
//!   records requests.

mod budget;
mod bulk;
mod client;
mod email;
mod endpoint;
mod error;
mod error_body;
mod excerpt;
mod id;
mod link;
mod list;
mod operation;
mod recording;
mod recording_ids;
mod request;
mod retry;
mod retry_after;
mod rng;
mod role;
pub mod schema;
mod selection;
mod status;
mod timestamp;
mod token;
mod tracking;
mod transport;
mod validation;
mod wire;

#[cfg(any(test, feature = "test-util"))]
pub mod test_util;

pub use budget::{
    DEFAULT_BUDGET_CAPACITY, RETRY_COST, RetryBudget, SUCCESS_REFUND, TIMEOUT_RETRY_COST,
};
pub use bulk::{
    Batch, BatchFailure, BatchResult, BulkInput, BulkJob, BulkOptions, BulkPlan, BulkReport,
    FailedId, JOURNAL_MARK, JOURNAL_VERSION, JobEvent, JournalHeader, JournalLine, Progress,
    ReadBack, STOP_CHECK_INTERVAL, Settled, StopHandle, ids_digest, read_journal,
};
pub use client::{
    Backend, BulkRun, ClientBuilder, Completed, Engine, Exchange, Pacer, Pager, Receipt, Settling,
    Step, TransportSettings,
};
pub use email::{Email, EmailError, MAX_EMAIL_BYTES};
pub use endpoint::{BaseUrl, BaseUrlError, FEDRAMP_BASE_URL, WEBEX_BASE_URL, is_loopback};
pub use error::{ApiError, Error, MAX_KEPT_BODY};
pub use error_body::{ErrorDetail, ErrorResponse, MAX_PARSED_BODY, WebexErrorBody};
pub use id::{IdError, MAX_ID_BYTES, RecordingId};
pub use link::{Link, PaginationError, next_page_url, parse_link_header};
pub use list::{
    ADMIN_LIST_PATH, ADMIN_MAX_WINDOW_DAYS, CLOCK_SKEW_SECONDS, Coverage, DEFAULT_PAGE_SIZE,
    DEFAULT_SPAN_DAYS, InvalidTimezone, LIST_FLOOR, LIST_FLOOR_UNIX, LIST_PATH, ListQuery,
    ListQueryError, MAX_FILTER_CHARS, MAX_PAGE_SIZE, MAX_TIMEZONE_BYTES, OwnerType,
    RecordingFormat, RecordingStatus, ServiceType, StorageRegion, TIMEZONE_HEADER,
    TIMEZONE_PATTERN, Timezone, UnknownValue, WINDOW_SECONDS, Windows,
};
pub use operation::{Operation, OperationKind, Purge, Restore, Trash};
pub use recording::{Recording, RecordingList, ServiceData};
pub use recording_ids::RecordingIds;
pub use request::{PurgeRequest, Request, RestoreRequest, Target, TrashRequest};
pub use retry::{AttemptOutcome, Decision, RetryPolicy, RetryState, StopReason, WaitSource};
pub use retry_after::{parse_retry_after, retry_after_from_headers};
pub use rng::SharedRng;
pub use role::{
    ADMIN_READ_SCOPE, ADMIN_WRITE_SCOPE, COMPLIANCE_READ_SCOPE, CallerRole, ReaderRole,
    USER_READ_SCOPE, USER_WRITE_SCOPE,
};
pub use selection::{Scope, Selection, SelectionReport, SelectionSummary, WindowSelected};
pub use status::{RetryAfterUse, STATUS_TABLE, Status, StatusClass, StatusInfo};
pub use timestamp::{TIMESTAMP_PATTERN, Timestamp, TimestampError};
pub use token::{AccessToken, TokenError};
pub use tracking::{SERVER_TRACKING_ID_HEADER, TRACKING_ID_HEADER, TRACKING_ID_PREFIX, TrackingId};
pub use transport::{
    AsyncTransport, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
pub use validation::{InvalidIdAt, MAX_IDS_PER_REQUEST, ValidationError};
pub use wire::{
    Api, DEFAULT_USER_AGENT, Page, action_result, api_error, attempt_outcome, batch_result,
    read_list_page, read_recording,
};

// Re-exported so users need not depend on matching versions themselves.
pub use http;
pub use schemars;
pub use secrecy;
pub use serde_json;
pub use url;
