//! The values users build and read: IDs, emails, timestamps, tokens, roles, operations and
//! their requests, recordings, and retention selections. Constructors only make valid values.

pub(crate) mod email;
pub(crate) mod id;
pub(crate) mod operation;
pub(crate) mod recording;
pub(crate) mod recording_ids;
pub(crate) mod request;
pub(crate) mod role;
pub(crate) mod selection;
pub(crate) mod timestamp;
pub(crate) mod token;
pub(crate) mod validation;
