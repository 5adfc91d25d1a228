//! The wire: requests as bytes and responses read back, the transport contract, statuses,
//! error bodies, headers (`Retry-After`, `Link`, `TrackingID`) and the base URL.

pub(crate) mod api;
pub(crate) mod endpoint;
pub(crate) mod error_body;
pub(crate) mod excerpt;
pub(crate) mod link;
pub(crate) mod retry_after;
pub(crate) mod status;
pub(crate) mod tracking;
pub(crate) mod transport;
