//! The blocking client for the Webex Converged Listing recycle bin, on ureq.
//!
//! It checks every request against the API's rules before sending, retries what is safe to
//! retry (the three operations are idempotent in effect) within a shared budget, splits bulk
//! jobs into legal batches, and accounts for every ID. All decisions are [`recycle_core`]'s;
//! this crate moves the bytes.
//!
//! ```no_run
//! use recycle_blocking::{Client, core::{ListQuery, RecordingStatus, Restore, TrashRequest}};
//!
//! # fn run() -> Result<(), recycle_blocking::core::Error> {
//! let client = Client::builder()
//!     .token(std::env::var("WEBEX_TOKEN").unwrap_or_default().into())
//!     .build()?;
//!
//! // One request: at most 100 IDs, checked before sending.
//! let receipt = client.trash(&TrashRequest::by_ids(["rec-1", "rec-2"])?)?;
//! println!("trashed (TrackingID {})", receipt.tracking_id);
//!
//! // Any number of IDs: batches of 100, every ID accounted for.
//! let ids: Vec<String> = (0..1_000).map(|i| format!("rec-{i}")).collect();
//! let report = client.bulk(Restore, ids, |p| eprintln!("{}/{}", p.succeeded + p.failed, p.total))?;
//! println!("{} restored, {} failed", report.succeeded.len(), report.failed.len());
//!
//! // The recycle bin, across pages.
//! for recording in client.list(&ListQuery::new().status(RecordingStatus::Deleted))? {
//!     println!("{:?}", recording?.topic);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! TLS is rustls with the ring provider (ureq's default), as in the async client.

mod client;
mod transport;

pub use client::{Client, ClientBuilder, Listing, Ureq};
pub use transport::UreqTransport;

pub use recycle_core as core;
pub use recycle_core::{BulkReport, Error, Progress, Receipt};
