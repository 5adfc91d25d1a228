//! The status-code taxonomy: every documented code as data, and a class for every other.

use std::fmt;

use serde::Serialize;

/// What kind of answer a status code is, which drives retries and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusClass {
    /// 2xx: the request was applied.
    Success,
    /// 1xx: not a final answer; never expected from this API.
    Informational,
    /// 3xx: a redirect, which the clients never follow.
    Redirect,
    /// 4xx the caller must fix; retrying the same request cannot help.
    Client,
    /// 401 and 403: credentials or scopes; a bulk job stops here.
    Auth,
    /// 429: the request was not processed; wait and retry.
    RateLimited,
    /// 423: the resource is temporarily unavailable; wait and retry.
    Locked,
    /// 5xx: a server-side failure that may pass; retried for these idempotent operations.
    TransientServer,
    /// Outside 100..=599: not an HTTP status.
    Invalid,
}

/// Whether a `Retry-After` header comes with a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RetryAfterUse {
    /// Not expected.
    Never,
    /// May be present (423).
    May,
    /// Should be present (429).
    Should,
}

/// One row of the documented status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    /// The HTTP status code.
    pub code: u16,
    /// Its reason phrase.
    pub name: &'static str,
    /// What the Webex documentation says it means.
    pub description: &'static str,
    /// Its class.
    pub class: StatusClass,
    /// Whether the clients retry it.
    pub retryable: bool,
    /// Whether `Retry-After` may come with it.
    pub retry_after: RetryAfterUse,
    /// Whether it blames the request's content (some IDs), so that splitting a failed
    /// batch can isolate the offending IDs.
    #[serde(skip)]
    pub blames_content: bool,
}

const fn row(
    code: u16,
    name: &'static str,
    class: StatusClass,
    retryable: bool,
    retry_after: RetryAfterUse,
    blames_content: bool,
    description: &'static str,
) -> StatusInfo {
    StatusInfo {
        code,
        name,
        description,
        class,
        retryable,
        retry_after,
        blames_content,
    }
}

use RetryAfterUse::{May, Never, Should};
use StatusClass::{Auth, Client, Locked, RateLimited, Success, TransientServer};

/// Every status code the Webex documentation lists for these endpoints, in code order.
pub const STATUS_TABLE: &[StatusInfo] = &[
    row(
        200,
        "OK",
        Success,
        false,
        Never,
        false,
        "Successful request with body content.",
    ),
    row(
        201,
        "Created",
        Success,
        false,
        Never,
        false,
        "The request succeeded and led to the creation of a resource.",
    ),
    row(
        202,
        "Accepted",
        Success,
        false,
        Never,
        false,
        "The request has been accepted for processing.",
    ),
    row(
        204,
        "No Content",
        Success,
        false,
        Never,
        false,
        "Successful request without body content; the usual answer of trash, restore and purge.",
    ),
    row(
        400,
        "Bad Request",
        Client,
        false,
        Never,
        true,
        "The request was invalid or cannot be otherwise served; the error message explains further.",
    ),
    row(
        401,
        "Unauthorized",
        Auth,
        false,
        Never,
        false,
        "Authentication credentials were missing or incorrect.",
    ),
    row(
        403,
        "Forbidden",
        Auth,
        false,
        Never,
        false,
        "The request is understood, but it has been refused or access is not allowed.",
    ),
    row(
        404,
        "Not Found",
        Client,
        false,
        Never,
        true,
        "The URI or a resource it names (such as a recording) does not exist; also returned when the requested format is not supported by the method.",
    ),
    row(
        405,
        "Method Not Allowed",
        Client,
        false,
        Never,
        false,
        "The request used an HTTP method the resource does not support.",
    ),
    row(
        409,
        "Conflict",
        Client,
        false,
        Never,
        true,
        "The request conflicts with an established rule of the system, such as the state of a recording.",
    ),
    row(
        410,
        "Gone",
        Client,
        false,
        Never,
        true,
        "The requested resource is no longer available.",
    ),
    row(
        415,
        "Unsupported Media Type",
        Client,
        false,
        Never,
        false,
        "The request had no media type, or one the resource does not support.",
    ),
    row(
        423,
        "Locked",
        Locked,
        true,
        May,
        false,
        "The resource is temporarily unavailable; a Retry-After header may say how many seconds to wait.",
    ),
    row(
        428,
        "Precondition Required",
        Client,
        false,
        Never,
        false,
        "File(s) cannot be scanned for malware and need to be force downloaded.",
    ),
    row(
        429,
        "Too Many Requests",
        RateLimited,
        true,
        Should,
        false,
        "Too many requests in a given amount of time; the request was not processed. A Retry-After header should say how many seconds to wait.",
    ),
    row(
        500,
        "Internal Server Error",
        TransientServer,
        true,
        Never,
        false,
        "Something went wrong on the server; retried because these operations are idempotent in effect.",
    ),
    row(
        502,
        "Bad Gateway",
        TransientServer,
        true,
        Never,
        false,
        "The server received an invalid response from an upstream server; try again later.",
    ),
    row(
        503,
        "Service Unavailable",
        TransientServer,
        true,
        Never,
        false,
        "The server is overloaded with requests; try again later.",
    ),
    row(
        504,
        "Gateway Timeout",
        TransientServer,
        true,
        Never,
        false,
        "An upstream server failed to respond in time; a query using max may succeed with a smaller value.",
    ),
];

/// A status code with its place in the taxonomy; any `u16` has one.
///
/// ```
/// use recycle_core::{Status, StatusClass};
///
/// let s = Status::from_code(429);
/// assert_eq!((s.name(), s.class(), s.is_retryable()), ("Too Many Requests", StatusClass::RateLimited, true));
/// let unknown = Status::from_code(599);
/// assert!(!unknown.is_documented());
/// assert_eq!(unknown.class(), StatusClass::TransientServer);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    code: u16,
    info: Option<&'static StatusInfo>,
}

impl Status {
    /// Classifies `code`.
    pub fn from_code(code: u16) -> Self {
        let info = STATUS_TABLE
            .binary_search_by_key(&code, |row| row.code)
            .ok()
            .map(|i| &STATUS_TABLE[i]);
        Self { code, info }
    }

    /// The numeric code.
    pub fn code(self) -> u16 {
        self.code
    }

    /// The table row, for documented codes.
    pub fn info(self) -> Option<&'static StatusInfo> {
        self.info
    }

    /// Whether the code is in [`STATUS_TABLE`].
    pub fn is_documented(self) -> bool {
        self.info.is_some()
    }

    /// The reason phrase, or `"Unknown"`.
    pub fn name(self) -> &'static str {
        self.info.map_or("Unknown", |i| i.name)
    }

    /// The class: from the table, else by the code's range. Any undocumented 2xx is a
    /// success, 4xx a client error, 5xx transient.
    pub fn class(self) -> StatusClass {
        if let Some(info) = self.info {
            return info.class;
        }
        match self.code {
            100..=199 => StatusClass::Informational,
            200..=299 => StatusClass::Success,
            300..=399 => StatusClass::Redirect,
            400..=499 => StatusClass::Client,
            500..=599 => StatusClass::TransientServer,
            _ => StatusClass::Invalid,
        }
    }

    /// Whether the clients retry this status.
    pub fn is_retryable(self) -> bool {
        match self.info {
            Some(info) => info.retryable,
            None => self.class() == StatusClass::TransientServer,
        }
    }

    /// Whether the request was applied.
    pub fn is_success(self) -> bool {
        self.class() == StatusClass::Success
    }

    /// Whether this is 401 or 403.
    pub fn is_auth(self) -> bool {
        self.class() == StatusClass::Auth
    }

    /// Whether a `Retry-After` header is expected with it.
    pub fn retry_after(self) -> RetryAfterUse {
        self.info.map_or(RetryAfterUse::Never, |i| i.retry_after)
    }

    /// Whether the status blames some of the request's IDs (400, 404, 409, 410), so that a
    /// failed batch is worth splitting.
    pub fn blames_content(self) -> bool {
        self.info.is_some_and(|i| i.blames_content)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        let codes: Vec<u16> = STATUS_TABLE.iter().map(|r| r.code).collect();
        assert_eq!(
            codes,
            [
                200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 410, 415, 423, 428, 429, 500,
                502, 503, 504
            ]
        );
    }

    #[test]
    fn every_documented_code_has_its_class_and_retry_rule() {
        use StatusClass as C;
        let expected: [(u16, C, bool, RetryAfterUse, bool); 19] = [
            (200, C::Success, false, Never, false),
            (201, C::Success, false, Never, false),
            (202, C::Success, false, Never, false),
            (204, C::Success, false, Never, false),
            (400, C::Client, false, Never, true),
            (401, C::Auth, false, Never, false),
            (403, C::Auth, false, Never, false),
            (404, C::Client, false, Never, true),
            (405, C::Client, false, Never, false),
            (409, C::Client, false, Never, true),
            (410, C::Client, false, Never, true),
            (415, C::Client, false, Never, false),
            (423, C::Locked, true, May, false),
            (428, C::Client, false, Never, false),
            (429, C::RateLimited, true, Should, false),
            (500, C::TransientServer, true, Never, false),
            (502, C::TransientServer, true, Never, false),
            (503, C::TransientServer, true, Never, false),
            (504, C::TransientServer, true, Never, false),
        ];
        for (code, class, retryable, retry_after, blames) in expected {
            let s = Status::from_code(code);
            assert!(s.is_documented(), "{code}");
            assert_eq!(s.class(), class, "{code}");
            assert_eq!(s.is_retryable(), retryable, "{code}");
            assert_eq!(s.retry_after(), retry_after, "{code}");
            assert_eq!(s.blames_content(), blames, "{code}");
            assert_eq!(s.is_success(), code < 300, "{code}");
            assert_eq!(s.is_auth(), code == 401 || code == 403, "{code}");
        }
    }

    #[test]
    fn undocumented_codes_fall_into_their_range() {
        use StatusClass as C;
        let cases = [
            (0, C::Invalid, false),
            (99, C::Invalid, false),
            (100, C::Informational, false),
            (206, C::Success, false),
            (301, C::Redirect, false),
            (308, C::Redirect, false),
            (418, C::Client, false),
            (451, C::Client, false),
            (501, C::TransientServer, true),
            (599, C::TransientServer, true),
            (600, C::Invalid, false),
            (u16::MAX, C::Invalid, false),
        ];
        for (code, class, retryable) in cases {
            let s = Status::from_code(code);
            assert!(!s.is_documented(), "{code}");
            assert_eq!(
                (s.class(), s.is_retryable(), s.name()),
                (class, retryable, "Unknown"),
                "{code}"
            );
        }
    }

    #[test]
    fn display_names_the_code() {
        assert_eq!(Status::from_code(423).to_string(), "423 Locked");
        assert_eq!(Status::from_code(499).to_string(), "499 Unknown");
    }
}
