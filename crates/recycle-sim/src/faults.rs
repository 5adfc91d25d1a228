//! Scripted faults: answers queued per path for the next matching requests.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

/// One scripted answer. With `apply`, the request is processed first (its change is made)
/// and the client sees this answer instead: the "outcome unknown" case.
///
/// ```
/// use recycle_sim::FaultResponse;
///
/// let f: FaultResponse = serde_json::from_str(r#"{"status": 429, "retryAfter": "2"}"#)?;
/// assert_eq!(f, FaultResponse::status(429).retry_after("2"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultResponse {
    /// Answer with this status (a Webex error body unless `body` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `Retry-After` header value, sent verbatim (garbage included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// Body sent verbatim instead of a Webex error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Extra response headers, such as `Location` for a redirect or `Link` for a page.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Close the connection without answering.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop: bool,
    /// Wait this long first; alone, the request is then answered normally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Process the request (apply its change) before answering with this fault.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub apply: bool,
    /// Promise a longer body than is sent (`Content-Length` too large), then close: the
    /// client sees a truncated response.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncate: bool,
}

impl FaultResponse {
    /// Answer with `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }

    /// Close the connection without answering.
    pub fn drop_connection() -> Self {
        Self {
            drop: true,
            ..Self::default()
        }
    }

    /// Wait `ms` milliseconds, then answer normally.
    pub fn delay_ms(ms: u64) -> Self {
        Self {
            delay_ms: Some(ms),
            ..Self::default()
        }
    }

    /// Adds a `Retry-After` value.
    pub fn retry_after(mut self, value: &str) -> Self {
        self.retry_after = Some(value.to_owned());
        self
    }

    /// Promises more body than is sent, then closes the connection.
    pub fn truncated(mut self) -> Self {
        self.truncate = true;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Adds a `Location` header, for a scripted redirect.
    pub fn location(self, url: &str) -> Self {
        self.header("location", url)
    }

    /// Sends `body` verbatim.
    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }

    /// Applies the request's change before failing.
    pub fn after_applying(mut self) -> Self {
        self.apply = true;
        self
    }

    /// Checks the fault makes sense.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(s) = self.status {
            if !(100..=599).contains(&s) {
                return Err(format!("status {s} is not between 100 and 599"));
            }
        }
        if self.drop && (self.status.is_some() || self.body.is_some()) {
            return Err("a dropped connection has no status or body".into());
        }
        if self.truncate && (self.drop || self.status.is_none()) {
            return Err("truncate needs a status and no drop".into());
        }
        if self.apply && self.status.is_none() && !self.drop {
            return Err("apply needs a status or drop to fail with".into());
        }
        if let Some(name) = self
            .headers
            .keys()
            .find(|n| axum::http::HeaderName::from_bytes(n.as_bytes()).is_err())
        {
            return Err(format!("{name:?} is not a header name"));
        }
        if self.delay_ms.is_some_and(|d| d > 60_000) {
            return Err("delayMs is at most 60000".into());
        }
        Ok(())
    }
}

/// A request to queue faults, as `POST /_sim/faults` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// Path below `/v1`, such as `/convergedRecordings/softDelete` (a leading `/v1` is
    /// accepted too).
    pub path: String,
    /// Answers for the next matching requests, in order.
    pub responses: Vec<FaultResponse>,
}

/// Queues of scripted answers by path.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queues: HashMap<String, VecDeque<FaultResponse>>,
}

/// The key a path is queued under: below `/v1`, no trailing slash.
pub(crate) fn normalize(path: &str) -> String {
    let p = path.strip_prefix("/v1").unwrap_or(path);
    let p = p.trim_end_matches('/');
    if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/{p}")
    }
}

impl Faults {
    pub(crate) fn with(specs: Vec<FaultSpec>) -> Self {
        let mut faults = Self::default();
        for spec in specs {
            faults.push(spec);
        }
        faults
    }

    pub(crate) fn push(&mut self, spec: FaultSpec) {
        self.queues
            .entry(normalize(&spec.path))
            .or_default()
            .extend(spec.responses);
    }

    /// The next scripted answer for `path` (below `/v1`), if any.
    pub(crate) fn next(&mut self, path: &str) -> Option<FaultResponse> {
        if self.queues.is_empty() {
            return None;
        }
        let queue = self.queues.get_mut(path)?;
        let next = queue.pop_front();
        if queue.is_empty() {
            self.queues.remove(path);
        }
        next
    }

    pub(crate) fn pending(&self) -> Vec<FaultSpec> {
        self.queues
            .iter()
            .map(|(path, q)| FaultSpec {
                path: path.clone(),
                responses: q.iter().cloned().collect(),
            })
            .collect()
    }

    pub(crate) fn clear(&mut self) {
        self.queues.clear();
    }
}

/// The random faults of a [`Chaos`](crate::Chaos) setting.
#[derive(Debug)]
pub(crate) struct RandomFaults {
    probability: f64,
    rng: std::sync::Mutex<fastrand::Rng>,
}

impl RandomFaults {
    pub(crate) fn new(chaos: crate::Chaos) -> Self {
        Self {
            probability: chaos.probability.clamp(0.0, 1.0),
            rng: std::sync::Mutex::new(fastrand::Rng::with_seed(chaos.seed)),
        }
    }

    /// A fault, or none, for the next request.
    pub(crate) fn draw(&self) -> Option<FaultResponse> {
        let mut rng = crate::state::lock(&self.rng);
        if rng.f64() >= self.probability {
            return None;
        }
        Some(match rng.u8(0..6) {
            0 => FaultResponse::status(503),
            1 => FaultResponse::status(502)
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>"),
            2 => FaultResponse::status(429).retry_after("0"),
            3 => FaultResponse::drop_connection(),
            4 => FaultResponse::status(500).after_applying(),
            _ => FaultResponse::drop_connection().after_applying(),
        })
    }
}
