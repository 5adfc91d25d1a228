//! The async client for the Webex Converged Recordings recycle bin, on reqwest.
//!
//! It checks every request against the API's rules before sending, retries what is safe to
//! retry (the three operations are idempotent in effect) within a shared budget, splits bulk
//! jobs into legal batches run concurrently, and accounts for every ID. All decisions are
//! [`recycle_core`]'s; this crate moves the bytes.
//!
//! ```no_run
//! use recycle_async::{Client, core::{ListQuery, RecordingStatus, Restore, TrashRequest}};
//! use futures_util::StreamExt;
//!
//! # async fn run() -> Result<(), recycle_async::core::Error> {
//! let client = Client::builder()
//!     .token(std::env::var("WEBEX_TOKEN").unwrap_or_default().into())
//!     .build()?;
//!
//! // One request: at most 100 IDs, checked before sending.
//! let receipt = client.trash(&TrashRequest::by_ids(["rec-1", "rec-2"])?).await?;
//! println!("trashed (TrackingID {})", receipt.tracking_id);
//!
//! // Any number of IDs: batches of 100, four at a time, every ID accounted for.
//! let ids: Vec<String> = (0..1_000).map(|i| format!("rec-{i}")).collect();
//! let report = client.bulk(Restore, ids, |p| eprintln!("{}/{}", p.succeeded + p.failed, p.total)).await?;
//! println!("{} restored, {} failed", report.succeeded.len(), report.failed.len());
//!
//! // The recycle bin, across pages.
//! let mut bin = client.list(&ListQuery::new().status(RecordingStatus::Deleted))?;
//! while let Some(recording) = bin.next().await {
//!     println!("{:?}", recording?.topic);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! TLS is rustls with the ring provider (installed as the process default if none is, see
//! [`install_ring_provider`]), the same provider the blocking client's ureq uses, so using
//! both builds one crypto library.

mod client;
mod transport;

pub use client::{Client, ClientBuilder, Listing, Reqwest};
pub use transport::{ReqwestTransport, install_ring_provider};

pub use recycle_core as core;
pub use recycle_core::{BulkReport, Error, Progress, Receipt};
