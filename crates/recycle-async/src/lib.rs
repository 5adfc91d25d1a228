//! The async client for the Webex Converged Recordings recycle bin, on reqwest.
//!
//! The client itself is not written yet; this crate re-exports [`recycle_core`], whose
//! request types, rules and retry policy it will drive.
//!
//! ```
//! use recycle_async::core::{PurgeRequest, ValidationError};
//!
//! let request = PurgeRequest::by_ids(["rec-1"])?;
//! assert_eq!(request.to_json(), br#"{"recordingIds":["rec-1"]}"#);
//! # Ok::<(), ValidationError>(())
//! ```

pub use recycle_core as core;
