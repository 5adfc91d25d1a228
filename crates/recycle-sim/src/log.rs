//! The request log: what clients sent, never their credentials.

use std::collections::VecDeque;

use serde::Serialize;

/// One logged request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path, such as `/v1/convergedRecordings/purge`.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Body as text (invalid UTF-8 replaced; cut at 64 KiB).
    pub body: String,
    /// The client's `TrackingID` header.
    pub tracking_id: Option<String>,
    /// The `trackingid` the simulator answered with.
    pub server_tracking_id: String,
    /// Status answered; `None` when the connection was dropped (or the answer is pending).
    pub status: Option<u16>,
    /// The scripted fault used, if any.
    pub fault: Option<String>,
}

const MAX_LOGGED_BODY: usize = 64 * 1024;

/// A bounded log: the newest `capacity` requests.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    capacity: usize,
    total: u64,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            total: 0,
        }
    }

    /// Records a request; returns its sequence number.
    pub(crate) fn push(&mut self, mut entry: LoggedRequest, body: &[u8]) -> u64 {
        self.total += 1;
        entry.seq = self.total;
        entry.body = String::from_utf8_lossy(&body[..body.len().min(MAX_LOGGED_BODY)]).into_owned();
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        self.total
    }

    /// Updates a logged request's outcome.
    pub(crate) fn finish(&mut self, seq: u64, status: Option<u16>, fault: Option<String>) {
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = status;
            e.fault = fault;
        }
    }

    pub(crate) fn entries(&self) -> Vec<LoggedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
