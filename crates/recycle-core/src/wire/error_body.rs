//! [`WebexErrorBody`]: tolerant reading of Webex error bodies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Webex error body as sent: the shape servers (the simulator among them) produce.
/// Clients read bodies with the tolerant [`WebexErrorBody::parse`] instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Details, one per problem (for a refused batch, one per offending ID).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDetail>,
    /// The server's tracking ID, to quote to Webex support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    /// A numeric code for the error, when the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
}

/// One entry of [`ErrorResponse::errors`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// The problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A numeric code for this problem, when the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
}

/// Bodies larger than this are not parsed as JSON; only an excerpt is kept.
pub(crate) const MAX_PARSED_BODY: usize = 1024 * 1024;
/// Longest text kept from any one field or from a non-JSON body, in characters.
const MAX_FIELD_CHARS: usize = 2048;

/// What a Webex error body says: `{"message", "errors": [{"description"}], "trackingId"}`.
///
/// Every field may be missing; gateways answer with HTML, plain text or nothing. Parsing never
/// fails and never panics: what cannot be read is left out.
///
/// ```
/// use recycle_core::WebexErrorBody;
///
/// let body = br#"{"message":"Invalid ID","errors":[{"description":"Invalid ID"}],"trackingId":"ROUTER_1"}"#;
/// let parsed = WebexErrorBody::parse(body);
/// assert_eq!(parsed.message.as_deref(), Some("Invalid ID"));
/// assert_eq!(parsed.tracking_id.as_deref(), Some("ROUTER_1"));
///
/// let html = WebexErrorBody::parse(b"<html><head><title>502</title></head><body><h1>502 Bad Gateway</h1></body></html>");
/// assert_eq!(html.message, None);
/// assert_eq!(html.summary().as_deref(), Some("502 502 Bad Gateway"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebexErrorBody {
    /// The top-level `message`.
    pub message: Option<String>,
    /// Each `errors[].description`, in order.
    pub descriptions: Vec<String>,
    /// The body's `trackingId`.
    pub tracking_id: Option<String>,
    /// When the body is not a JSON object: its start as text, whitespace folded.
    pub text: Option<String>,
    /// The body's `errorCode`, else the first `errors[].errorCode`, as text (a number or a
    /// string on the wire).
    pub error_code: Option<String>,
}

impl WebexErrorBody {
    /// Reads whatever `body` holds.
    pub fn parse(body: &[u8]) -> Self {
        let parsed = (body.len() <= MAX_PARSED_BODY)
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten();
        match parsed {
            Some(Value::Object(map)) => {
                let string = |v: Option<&Value>| v.and_then(Value::as_str).map(cut);
                let descriptions = map
                    .get("errors")
                    .and_then(Value::as_array)
                    .map(|errors| {
                        errors
                            .iter()
                            .filter_map(|e| string(e.get("description")))
                            .take(100)
                            .collect()
                    })
                    .unwrap_or_default();
                let code = |v: Option<&Value>| match v {
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(Value::String(s)) if !s.is_empty() => Some(cut(s)),
                    _ => None,
                };
                let error_code = code(map.get("errorCode")).or_else(|| {
                    map.get("errors")
                        .and_then(Value::as_array)
                        .and_then(|errors| errors.iter().find_map(|e| code(e.get("errorCode"))))
                });
                Self {
                    message: string(map.get("message")),
                    descriptions,
                    tracking_id: string(map.get("trackingId")),
                    text: None,
                    error_code,
                }
            }
            _ => Self {
                text: text_excerpt(body),
                ..Self::default()
            },
        }
    }

    /// The most useful one-line account: the message, else the first description, else the
    /// text of a non-JSON body.
    pub fn summary(&self) -> Option<String> {
        self.message
            .clone()
            .filter(|m| !m.is_empty())
            .or_else(|| self.descriptions.iter().find(|d| !d.is_empty()).cloned())
            .or_else(|| self.text.clone())
    }
}

fn cut(s: &str) -> String {
    s.chars().take(MAX_FIELD_CHARS).collect()
}

/// Longest excerpt of a body that is not JSON, in characters.
const MAX_TEXT_CHARS: usize = 200;

/// The visible text at the start of a body that is not JSON: markup (tags, comments,
/// scripts and styles) removed, a few entities decoded, whitespace folded, cut to 200
/// characters; `None` when there is no visible text.
fn text_excerpt(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(MAX_FIELD_CHARS * 8)];
    let text = String::from_utf8_lossy(head);
    let visible = strip_markup(&text);
    let folded: String = visible
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let folded: String = folded.chars().take(MAX_TEXT_CHARS).collect();
    (!folded.is_empty()).then_some(folded)
}

/// `text` without anything between `<` and `>` (nor the insides of `<script>` and
/// `<style>`); `&amp;`, `&nbsp;`, `&quot;` and `&#39;` decoded, `&lt;` and `&gt;` dropped so
/// that no tag can come back.
fn strip_markup(text: &str) -> String {
    if !text.contains('<') && !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        let lower: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            find_ci(tag, "</script>").map(|i| i + "</script>".len())
        } else if lower.starts_with("<style") {
            find_ci(tag, "</style>").map(|i| i + "</style>".len())
        } else if tag.starts_with("<!--") {
            tag.find("-->").map(|i| i + 3)
        } else {
            tag.find('>').map(|i| i + 1)
        };
        match skip_to {
            Some(n) => {
                out.push(' ');
                rest = &tag[n..];
            }
            // An unclosed tag: what follows is not text.
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", " ")
        .replace("&gt;", " ")
        .replace("&amp;", "&")
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> WebexErrorBody {
        WebexErrorBody::parse(s.as_bytes())
    }

    #[test]
    fn full_webex_body() {
        let b = parse(
            r#"{"message":"Unable to find recording","errors":[{"description":"Unable to find recording"},{"description":"second"}],"trackingId":"ROUTER_6571"}"#,
        );
        assert_eq!(b.message.as_deref(), Some("Unable to find recording"));
        assert_eq!(b.descriptions, ["Unable to find recording", "second"]);
        assert_eq!(b.tracking_id.as_deref(), Some("ROUTER_6571"));
        assert_eq!(b.text, None);
        assert_eq!(b.error_code, None);
    }

    #[test]
    fn error_codes_top_level_first_then_the_details() {
        assert_eq!(
            parse(r#"{"errorCode":1001,"errors":[{"errorCode":7}]}"#)
                .error_code
                .as_deref(),
            Some("1001")
        );
        assert_eq!(
            parse(r#"{"errors":[{"description":"x"},{"errorCode":"E7"}]}"#)
                .error_code
                .as_deref(),
            Some("E7")
        );
        assert_eq!(
            parse(r#"{"errorCode":null,"errors":[{"errorCode":[]}]}"#).error_code,
            None
        );
    }

    #[test]
    fn partial_and_oddly_typed_fields() {
        let b = parse(r#"{"errors":[{"description":"only this"},{"code":1},"str",null]}"#);
        assert_eq!(b.message, None);
        assert_eq!(b.summary().as_deref(), Some("only this"));
        let b = parse(r#"{"message":42,"errors":"nope","trackingId":["x"]}"#);
        assert_eq!(b, WebexErrorBody::default());
        assert_eq!(b.summary(), None);
    }

    #[test]
    fn non_json_bodies_keep_their_text() {
        assert_eq!(parse("").summary(), None);
        assert_eq!(parse("  \r\n ").summary(), None);
        assert_eq!(
            parse("upstream\n  timed out").summary().as_deref(),
            Some("upstream timed out")
        );
        assert_eq!(
            parse(r#"{"message": "trunc"#).text.as_deref(),
            Some(r#"{"message": "trunc"#)
        );
        assert_eq!(parse("[1,2]").text.as_deref(), Some("[1,2]"));
        let b = WebexErrorBody::parse(&[0xff, 0xfe, b'o', b'k']);
        assert_eq!(b.summary().as_deref(), Some("\u{fffd}\u{fffd}ok"));
    }

    #[test]
    fn markup_is_stripped_from_non_json_bodies() {
        let page = "<!DOCTYPE html><html><head><style>p{color:red}</style><script>alert('<b>')</script>\
                    <title>Service Unavailable</title></head><body><!-- <p>hidden</p> --><h1>Oops &amp; sorry</h1>\
                    <p>Try&nbsp;again &lt;soon&gt;</p></body></html>";
        let text = parse(page).text.expect("visible text");
        assert_eq!(text, "Service Unavailable Oops & sorry Try again soon");
        assert!(!text.contains('<') && !text.contains('>'));
        assert_eq!(
            parse("<html><body>unclosed <b").text.as_deref(),
            Some("unclosed")
        );
        assert_eq!(parse("<p></p>").text, None);
        let long = format!("<p>{}</p>", "word ".repeat(500));
        assert!(parse(&long).text.is_some_and(|t| t.chars().count() <= 200));
    }

    #[test]
    fn huge_bodies_are_not_parsed_and_are_cut() {
        let huge = format!(r#"{{"message":"{}"}}"#, "m".repeat(MAX_PARSED_BODY));
        let b = parse(&huge);
        assert_eq!(b.message, None);
        assert_eq!(b.text.map(|t| t.chars().count()), Some(MAX_TEXT_CHARS));
        let long_message = format!(r#"{{"message":"{}"}}"#, "m".repeat(10_000));
        assert_eq!(
            parse(&long_message).message.map(|m| m.len()),
            Some(MAX_FIELD_CHARS)
        );
    }
}
