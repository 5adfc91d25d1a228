//! Scripted faults: answers queued per path for the next matching requests.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

/// Longest scripted delay.
const MAX_DELAY_MS: u64 = 60_000;

/// One scripted fault for the next matching request. Only valid faults can be built: the
/// kind is a [`FaultKind`], an answer's status is in 100..=599 and its header names are
/// valid, and JSON (`POST /_sim/faults`, `--faults`) goes through the same checks.
///
/// ```
/// use recycle_sim::FaultResponse;
///
/// let f: FaultResponse = serde_json::from_str(r#"{"status": 429, "retryAfter": "2"}"#)?;
/// assert_eq!(f, FaultResponse::status(429).retry_after("2").into());
/// let invalid = serde_json::from_str::<FaultResponse>(r#"{"drop": true, "status": 500}"#);
/// assert!(invalid.is_err(), "a dropped connection has no status");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FaultWire", into = "FaultWire")]
pub struct FaultResponse {
    pub(crate) kind: FaultKind,
    /// Milliseconds to wait before the fault (at most 60 000).
    pub(crate) delay_ms: Option<u64>,
}

/// What a fault does with the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this instead of the simulator's own answer.
    Answer(Answer),
    /// Close the connection without answering; with `apply`, after processing the request.
    Drop {
        /// Whether the request's change is made first.
        apply: bool,
    },
    /// Only the delay: the request is then answered normally.
    Delay,
}

/// A scripted answer: a status (a Webex error body unless a body is given), and what goes
/// with it. With `apply`, the request is processed first (its change is made) and the client
/// sees this answer instead: the "outcome unknown" case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: Option<String>,
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) apply: bool,
    pub(crate) truncate: bool,
}

impl FaultResponse {
    /// Answer with `status`; the [`Answer`]'s methods add to it.
    ///
    /// # Panics
    ///
    /// On a status outside 100..=599: a mistake in the test itself.
    pub fn status(status: u16) -> Answer {
        assert!(
            (100..=599).contains(&status),
            "status {status} is not between 100 and 599"
        );
        Answer {
            status,
            retry_after: None,
            body: None,
            headers: BTreeMap::new(),
            apply: false,
            truncate: false,
        }
    }

    /// Close the connection without answering.
    pub fn drop_connection() -> Self {
        Self {
            kind: FaultKind::Drop { apply: false },
            delay_ms: None,
        }
    }

    /// Process the request (make its change), then close the connection without answering.
    pub fn drop_after_applying() -> Self {
        Self {
            kind: FaultKind::Drop { apply: true },
            delay_ms: None,
        }
    }

    /// Wait `ms` milliseconds, then answer normally.
    ///
    /// # Panics
    ///
    /// Above 60 000 ms (the JSON form refuses it too): a mistake in the test itself.
    pub fn delay_ms(ms: u64) -> Self {
        Self {
            kind: FaultKind::Delay,
            delay_ms: None,
        }
        .delayed_ms(ms)
    }

    /// Waits `ms` milliseconds before the fault (a dropped connection too).
    ///
    /// # Panics
    ///
    /// Above 60 000 ms (the JSON form refuses it too): a mistake in the test itself.
    pub fn delayed_ms(mut self, ms: u64) -> Self {
        assert!(
            ms <= MAX_DELAY_MS,
            "a delay of {ms} ms is over {MAX_DELAY_MS} ms"
        );
        self.delay_ms = Some(ms);
        self
    }

    /// What the fault does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }
}

impl From<Answer> for FaultResponse {
    fn from(answer: Answer) -> Self {
        Self {
            kind: FaultKind::Answer(answer),
            delay_ms: None,
        }
    }
}

impl Answer {
    /// The status answered.
    pub fn code(&self) -> u16 {
        self.status
    }

    /// Adds a `Retry-After` value, sent verbatim (garbage included).
    ///
    /// # Panics
    ///
    /// On a value HTTP cannot carry (control characters): a mistake in the test itself.
    pub fn retry_after(mut self, value: &str) -> Self {
        if let Err(e) = check_header("retry-after", value) {
            panic!("{e}");
        }
        self.retry_after = Some(value.to_owned());
        self
    }

    /// Promises more body than is sent, then closes the connection.
    pub fn truncated(mut self) -> Self {
        self.truncate = true;
        self
    }

    /// Adds a response header.
    ///
    /// # Panics
    ///
    /// On a name or value HTTP cannot carry: a mistake in the test itself.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Err(e) = check_header(name, value) {
            panic!("{e}");
        }
        self.headers.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Adds a `Location` header, for a scripted redirect.
    pub fn location(self, url: &str) -> Self {
        self.header("location", url)
    }

    /// Sends `body` verbatim instead of a Webex error body.
    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }

    /// Applies the request's change before answering.
    pub fn after_applying(mut self) -> Self {
        self.apply = true;
        self
    }

    /// Waits `ms` milliseconds before answering (see [`FaultResponse::delayed_ms`]).
    pub fn delayed_ms(self, ms: u64) -> FaultResponse {
        FaultResponse::from(self).delayed_ms(ms)
    }
}

/// Whether HTTP can carry this header (a name of token characters, a value without control
/// characters).
fn check_header(name: &str, value: &str) -> Result<(), String> {
    if axum::http::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(format!("{name:?} is not a header name"));
    }
    if axum::http::HeaderValue::from_str(value).is_err() {
        return Err(format!("{value:?} is not a value of header {name:?}"));
    }
    Ok(())
}

/// A fault as JSON writes it: flat, every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultWire {
    /// Answer with this status (a Webex error body unless `body` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// `Retry-After` header value, sent verbatim (garbage included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<String>,
    /// Body sent verbatim instead of a Webex error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    /// Extra response headers, such as `Location` for a redirect or `Link` for a page.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    /// Close the connection without answering.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    drop: bool,
    /// Wait this long first; alone, the request is then answered normally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
    /// Process the request (apply its change) before answering with this fault.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    apply: bool,
    /// Promise a longer body than is sent (`Content-Length` too large), then close.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    truncate: bool,
}

impl TryFrom<FaultWire> for FaultResponse {
    type Error = String;

    fn try_from(w: FaultWire) -> Result<Self, String> {
        if w.delay_ms.is_some_and(|d| d > MAX_DELAY_MS) {
            return Err(format!("delayMs is at most {MAX_DELAY_MS}"));
        }
        let answer_only = w.retry_after.is_some() || w.body.is_some() || !w.headers.is_empty();
        let kind = match (w.status, w.drop) {
            (Some(_), true) => return Err("a dropped connection has no status".into()),
            (None, true) if answer_only || w.truncate => {
                return Err("a dropped connection has no body, headers or truncation".into());
            }
            (None, true) => FaultKind::Drop { apply: w.apply },
            (None, false) if answer_only || w.truncate || w.apply => {
                return Err("body, headers, retryAfter, truncate and apply need a status".into());
            }
            (None, false) if w.delay_ms.is_none() => {
                return Err("a fault needs a status, drop or delayMs".into());
            }
            (None, false) => FaultKind::Delay,
            (Some(status), false) => {
                if !(100..=599).contains(&status) {
                    return Err(format!("status {status} is not between 100 and 599"));
                }
                for (name, value) in &w.headers {
                    check_header(name, value)?;
                }
                if let Some(value) = &w.retry_after {
                    check_header("retry-after", value)?;
                }
                FaultKind::Answer(Answer {
                    status,
                    retry_after: w.retry_after,
                    body: w.body,
                    headers: w.headers,
                    apply: w.apply,
                    truncate: w.truncate,
                })
            }
        };
        Ok(Self {
            kind,
            delay_ms: w.delay_ms,
        })
    }
}

impl From<FaultResponse> for FaultWire {
    fn from(f: FaultResponse) -> Self {
        let mut w = FaultWire {
            delay_ms: f.delay_ms,
            ..FaultWire::default()
        };
        match f.kind {
            FaultKind::Answer(a) => {
                w.status = Some(a.status);
                w.retry_after = a.retry_after;
                w.body = a.body;
                w.headers = a.headers;
                w.apply = a.apply;
                w.truncate = a.truncate;
            }
            FaultKind::Drop { apply } => {
                w.drop = true;
                w.apply = apply;
            }
            FaultKind::Delay => {}
        }
        w
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
            0 => FaultResponse::status(503).into(),
            1 => FaultResponse::status(502)
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
                .into(),
            2 => FaultResponse::status(429).retry_after("0").into(),
            3 => FaultResponse::drop_connection(),
            4 => FaultResponse::status(500).after_applying().into(),
            _ => FaultResponse::drop_after_applying(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Rust builds, JSON reads back the same: the two forms accept the same faults.
    #[test]
    fn every_fault_built_in_rust_reads_back_from_its_json() {
        let built: Vec<FaultResponse> = vec![
            FaultResponse::status(429).retry_after("2").into(),
            FaultResponse::status(502)
                .body("<html>x</html>")
                .header("x-a", "b")
                .into(),
            FaultResponse::status(200).body("{}").truncated().into(),
            FaultResponse::status(500).after_applying().delayed_ms(10),
            FaultResponse::drop_connection(),
            FaultResponse::drop_after_applying().delayed_ms(60_000),
            FaultResponse::delay_ms(0),
        ];
        for fault in built {
            let json = serde_json::to_string(&fault).expect("serialises");
            let back: FaultResponse = serde_json::from_str(&json).expect("valid JSON form");
            assert_eq!(back, fault, "{json}");
        }
    }

    #[test]
    #[should_panic(expected = "over 60000 ms")]
    fn a_delay_over_a_minute_is_a_mistake() {
        let _ = FaultResponse::delay_ms(60_001);
    }
}
