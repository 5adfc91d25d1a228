//! The transport-free core of `recycle`, a client for the Webex Converged Recordings recycle
//! bin: move recordings into it (trash), restore them, and purge them.
//!
//! This crate does no I/O. It knows the API's rules and turns typed requests into HTTP
//! requests, and HTTP responses into typed outcomes. Users hold a client of
//! `recycle-async` (reqwest) or `recycle-blocking` (ureq), built with the [`ClientBuilder`]
//! defined here; everything they pass to it and get back from it is at this crate's root.
//!
//! ```
//! use recycle_core::{BulkPlan, ListQuery, PurgeRequest, Timestamp, TrashRequest};
//!
//! // A request can only be built valid: 1..=100 unique, well-formed IDs, or "all".
//! let trash = TrashRequest::by_ids(["rec-1", "rec-2"])?;
//! assert_eq!(trash.to_json(), br#"{"recordingIds":["rec-1","rec-2"]}"#);
//! assert!(TrashRequest::by_ids(Vec::<String>::new()).is_err(), "nothing to send");
//! assert!(PurgeRequest::by_ids(["rec-1", "rec-1"]).is_err(), "a repeated ID");
//!
//! // A job of any size is planned first: repeats dropped, every ID checked, nothing sent.
//! let ids: Vec<String> = (0..250).map(|i| format!("rec-{i}")).chain(["rec-7".into()]).collect();
//! let plan = BulkPlan::new(ids)?;
//! assert_eq!((plan.ids().len(), plan.duplicates(), plan.batch_count(100)), (250, 1, 3));
//!
//! // Lists over any range; the client walks it in legal windows of at most 30 days.
//! let query = ListQuery::new().admin().from(Timestamp::parse("2025-01-01")?);
//! assert!(query.validate_walk().is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With a client, the same values travel over the network:
//! `client.bulk(Trash, plan, |progress| ...)` gives a [`BulkReport`] that puts every unique
//! ID in exactly one of succeeded, failed (with the server's words, and whether the outcome
//! is unknown) or not attempted.
//!
//! # Modules by audience
//!
//! - The root: what a library user needs (requests, IDs, reports, errors, list queries,
//!   the builder, the [`Clock`]).
//! - [`adapter`]: what a client crate is built from (the engine, exchanges, the one retry
//!   loop, bulk runs, pagers).
//! - [`protocol`]: the API's published rules as values (paths, headers, scopes, limits),
//!   for servers and tools that speak it.
//! - [`schema`]: the JSON Schemas of the wire and report types.
//!
//! # Features
//!
//! - `test-util`: `test_util::ScriptedTransport`, a transport that replays a script and
//!   records requests.

mod bulk;
mod client;
mod error;
mod list;
mod model;
mod policy;
pub mod schema;
mod wire;

// Every file by its short name inside the crate (`crate::id`, `crate::retry`, ...).
use model::{
    email, id, operation, recording, recording_ids, request, role, selection, timestamp, token,
    validation,
};
use policy::{budget, retry, rng};
use wire::{endpoint, error_body, excerpt, link, retry_after, status, tracking, transport};

#[cfg(any(test, feature = "test-util"))]
pub mod test_util;

// What a library user needs: requests, IDs, reports, errors, list queries, configuration.
pub use bulk::{
    BatchFailure, BulkInput, BulkOptions, BulkPlan, BulkReport, FailedId, JobEvent,
    JournalContents, JournalHeader, JournalLine, Progress, SelectedLine, Settled, StopHandle,
    read_journal,
};
pub use client::{ClientBuilder, Clock, ManualClock, Receipt, SystemClock};
pub use email::{Email, EmailError};
pub use endpoint::{BaseUrl, BaseUrlError, FEDRAMP_BASE_URL, WEBEX_BASE_URL};
pub use error::{ApiError, Error};
pub use error_body::WebexErrorBody;
pub use id::{IdError, RecordingId};
pub use link::PaginationError;
pub use list::{
    Coverage, InvalidTimezone, ListQuery, ListQueryError, OwnerType, RecordingFormat,
    RecordingStatus, ServiceType, StorageRegion, Timezone, UnknownValue, Windows,
};
pub use operation::{Operation, OperationKind, Purge, Restore, Trash};
pub use recording::{Recording, ServiceData};
pub use recording_ids::{RecordingIds, RecordingIdsIter};
pub use request::{PurgeRequest, Request, RestoreRequest, Target, TrashRequest};
pub use role::{CallerRole, ReaderRole};
pub use selection::{Scope, Selection, SelectionReport, SelectionSummary, WindowSelected};
pub use status::{Status, StatusClass};
pub use timestamp::{Timestamp, TimestampError};
pub use token::{AccessToken, TokenError};
pub use tracking::TrackingId;
pub use transport::{
    AsyncTransport, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
pub use validation::{InvalidIdAt, MAX_IDS_PER_REQUEST, ValidationError};

/// For adapter authors: what `recycle-async` and `recycle-blocking` are built from.
///
/// A client is an [`Engine`] (configuration, retry budget, pace, clock) and a transport.
/// Each call asks the engine for an [`Exchange`] (the attempts of one request), runs it with
/// a [`Drive`] (the one retry loop, given a way to send and a way to sleep) and reads the
/// [`Completed`] result. Bulk jobs are a [`BulkRun`] then a [`Settling`] (the read-back);
/// lists are a [`Pager`]. [`Backend`] lets [`ClientBuilder::build`](crate::ClientBuilder::build)
/// make a client type of the adapter's own. docs/architecture.md says which word means what.
pub mod adapter {
    pub use crate::bulk::{Batch, BatchResult, BulkJob, ReadBack, STOP_CHECK_INTERVAL};
    pub use crate::client::{
        Backend, BulkRun, Completed, Drive, Engine, Exchange, Pacer, Pager, Settling, Step,
        TransportSettings,
    };
    #[doc(inline)]
    pub use crate::client_surface;
    pub use crate::rng::SharedRng;
    pub use crate::wire::api::Api;
}

/// The API's published rules as values, for servers and tools that speak it (the simulator,
/// the schema generator): paths, headers, scopes, limits, patterns, the status table, and
/// the parsers of `Retry-After` and `Link`.
pub mod protocol {
    pub use crate::bulk::{JOURNAL_MARK, JOURNAL_VERSION, ids_digest};
    pub use crate::email::MAX_EMAIL_BYTES;
    pub use crate::endpoint::is_loopback;
    pub use crate::error_body::{ErrorDetail, ErrorResponse};
    pub use crate::id::MAX_ID_BYTES;
    pub use crate::link::{Link, next_page_url, parse_link_header};
    pub use crate::list::{
        ADMIN_LIST_PATH, ADMIN_MAX_WINDOW_DAYS, DEFAULT_PAGE_SIZE, DEFAULT_SPAN_DAYS, LIST_FLOOR,
        LIST_PATH, MAX_FILTER_CHARS, MAX_PAGE_SIZE, MAX_TIMEZONE_BYTES, TIMEZONE_HEADER,
        TIMEZONE_PATTERN, WINDOW_SECONDS,
    };
    pub use crate::recording::RecordingList;
    pub use crate::retry_after::{parse_retry_after, retry_after_from_headers};
    pub use crate::role::{
        ADMIN_READ_SCOPE, ADMIN_WRITE_SCOPE, COMPLIANCE_READ_SCOPE, USER_READ_SCOPE,
        USER_WRITE_SCOPE,
    };
    pub use crate::status::{RetryAfterUse, STATUS_TABLE, StatusInfo};
    pub use crate::timestamp::TIMESTAMP_PATTERN;
    pub use crate::tracking::{SERVER_TRACKING_ID_HEADER, TRACKING_ID_HEADER};
}

// Inside the crate, every item by its plain name.
pub(crate) use adapter::*;
pub(crate) use budget::RetryBudget;
pub(crate) use protocol::*;
pub(crate) use retry::{AttemptOutcome, Decision, RetryPolicy, RetryState};
pub(crate) use wire::api::{
    Page, attempt_outcome, batch_result, operation_result, read_list_page, read_recording,
};

// Re-exported so users need not depend on matching versions themselves.
pub use http;
pub use schemars;
pub use secrecy;
pub use serde_json;
pub use url;
