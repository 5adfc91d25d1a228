//! RFC 8288 `Link` headers and the next page they announce.

use http::HeaderMap;
use url::Url;

/// One link of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target as written between `<` and `>`.
    pub target: String,
    /// The relation types of the `rel` parameter, lowercased.
    pub rels: Vec<String>,
}

/// Why a next page is not followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaginationError {
    /// The next link points to another origin; the token must not go there.
    #[error(
        "the next-page link points to {next_origin}, not to {expected_origin}; it was not followed"
    )]
    CrossOrigin {
        /// Origin of the refused link.
        next_origin: String,
        /// Origin of the page that announced it.
        expected_origin: String,
    },
    /// The next link is not a URL.
    #[error("the next-page link {target:?} is not a valid URL")]
    InvalidTarget {
        /// The link's target.
        target: String,
    },
}

/// Parses one `Link` header value into its links. Malformed links are skipped; parameters
/// may be quoted or not, and `rel` may hold several space-separated types.
///
/// ```
/// use recycle_core::protocol::parse_link_header;
///
/// let links = parse_link_header(r#"<https://a/p?x=1,2>; rel="next prev", <https://a/f>; rel=first"#);
/// assert_eq!(links[0].target, "https://a/p?x=1,2");
/// assert_eq!(links[0].rels, ["next", "prev"]);
/// assert_eq!(links[1].rels, ["first"]);
/// ```
pub fn parse_link_header(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(after_lt) = rest.strip_prefix('<') else {
            // Not a link start: skip to the next top-level comma.
            match skip_to_comma(rest) {
                Some(next) => {
                    rest = next;
                    continue;
                }
                None => break,
            }
        };
        let Some(end) = after_lt.find('>') else {
            break;
        };
        let target = after_lt[..end].trim().to_owned();
        let (params, next) = split_params(&after_lt[end + 1..]);
        rest = next;
        let rels = params
            .into_iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("rel"))
            .take(1) // RFC 8288: only the first rel counts
            .flat_map(|(_, v)| {
                v.split_ascii_whitespace()
                    .map(str::to_ascii_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        links.push(Link { target, rels });
        if rest.is_empty() {
            break;
        }
    }
    links
}

/// Splits `; name=value` parameters up to the next top-level comma; returns them and the rest.
fn split_params(s: &str) -> (Vec<(String, String)>, &str) {
    let mut params = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let Some(after_semi) = rest.strip_prefix(';') else {
            let next = match rest.strip_prefix(',') {
                Some(next) => next,
                None => skip_to_comma(rest).unwrap_or(""),
            };
            return (params, next);
        };
        let after_semi = after_semi.trim_start();
        let name_end = after_semi
            .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_whitespace())
            .unwrap_or(after_semi.len());
        let name = after_semi[..name_end].to_owned();
        let mut tail = after_semi[name_end..].trim_start();
        let mut value = String::new();
        if let Some(v) = tail.strip_prefix('=') {
            let v = v.trim_start();
            if let Some(quoted) = v.strip_prefix('"') {
                let mut chars = quoted.char_indices();
                let mut consumed = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => {
                            consumed = i + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                tail = &quoted[consumed..];
            } else {
                let end = v.find([';', ',']).unwrap_or(v.len());
                value = v[..end].trim().to_owned();
                tail = &v[end..];
            }
        }
        if !name.is_empty() {
            params.push((name, value));
        }
        rest = tail;
    }
}

fn skip_to_comma(s: &str) -> Option<&str> {
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => return Some(&s[i + 1..]),
            _ => {}
        }
    }
    None
}

/// The `rel="next"` target among all `Link` headers of a response, resolved against the
/// current page's URL, and refused if it leaves the current page's origin.
///
/// ```
/// use http::HeaderMap;
/// use recycle_core::protocol::next_page_url;
/// use url::Url;
///
/// let current = Url::parse("https://webexapis.com/v1/convergedRecordings?max=2")?;
/// let mut headers = HeaderMap::new();
/// headers.insert("link", r#"<https://webexapis.com/v1/convergedRecordings?max=2&cursor=x>; rel="next""#.parse()?);
/// let next = next_page_url(&current, &headers)?.expect("a next page");
/// assert_eq!(next.query(), Some("max=2&cursor=x"));
///
/// headers.insert("link", r#"<https://elsewhere.example/steal>; rel=next"#.parse()?);
/// assert!(next_page_url(&current, &headers).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn next_page_url(current: &Url, headers: &HeaderMap) -> Result<Option<Url>, PaginationError> {
    let next = headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(parse_link_header)
        .find(|l| l.rels.iter().any(|r| r == "next"));
    let Some(link) = next else {
        return Ok(None);
    };
    let url = current
        .join(&link.target)
        .map_err(|_| PaginationError::InvalidTarget {
            target: link.target.clone(),
        })?;
    if url.origin() != current.origin() {
        return Err(PaginationError::CrossOrigin {
            next_origin: url.origin().ascii_serialization(),
            expected_origin: current.origin().ascii_serialization(),
        });
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(value: &str) -> Vec<(String, Vec<String>)> {
        parse_link_header(value)
            .into_iter()
            .map(|l| (l.target, l.rels))
            .collect()
    }

    fn link(target: &str, rels: &[&str]) -> (String, Vec<String>) {
        (
            target.to_owned(),
            rels.iter().map(|r| (*r).to_owned()).collect(),
        )
    }

    #[test]
    fn link_header_forms() {
        assert_eq!(
            rels(r#"<https://x/a>; rel="next""#),
            [link("https://x/a", &["next"])]
        );
        assert_eq!(
            rels("<https://x/a>;rel=next"),
            [link("https://x/a", &["next"])]
        );
        assert_eq!(
            rels(r#"<https://x/a>; REL="Next""#),
            [link("https://x/a", &["next"])]
        );
        assert_eq!(
            rels(r#"<https://x/a>; title="a, b; c"; rel="prev next", <https://x/b>; rel=last"#),
            [
                link("https://x/a", &["prev", "next"]),
                link("https://x/b", &["last"])
            ]
        );
        assert_eq!(
            rels(r#"<https://x/a>; title="q\"uote"; rel=next"#),
            [link("https://x/a", &["next"])]
        );
        assert_eq!(rels("<https://x/a>"), [link("https://x/a", &[])]);
        assert_eq!(
            rels(r#"<https://x/a>; rel="first"; rel="next""#),
            [link("https://x/a", &["first"])]
        );
    }

    #[test]
    fn malformed_links_are_skipped() {
        assert_eq!(rels(""), []);
        assert_eq!(rels("garbage"), []);
        assert_eq!(rels("<unterminated; rel=next"), []);
        assert_eq!(
            rels(r#"junk, <https://x/b>; rel=next"#),
            [link("https://x/b", &["next"])]
        );
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(http::header::LINK, v.parse().expect("header"));
        }
        h
    }

    #[test]
    fn next_page_is_found_across_headers_and_resolved() {
        let current =
            Url::parse("http://127.0.0.1:8080/v1/convergedRecordings?max=2").expect("url");
        let h = headers(&[
            r#"<http://127.0.0.1:8080/v1/x?p=1>; rel="prev""#,
            "</v1/convergedRecordings?cursor=2>; rel=next",
        ]);
        assert_eq!(
            next_page_url(&current, &h)
                .expect("same origin")
                .map(String::from),
            Some("http://127.0.0.1:8080/v1/convergedRecordings?cursor=2".to_owned())
        );
        assert_eq!(next_page_url(&current, &headers(&[])), Ok(None));
        assert_eq!(
            next_page_url(&current, &headers(&["<http://127.0.0.1:8080/a>; rel=prev"])),
            Ok(None)
        );
    }

    #[test]
    fn next_page_on_another_origin_is_refused() {
        let current = Url::parse("http://127.0.0.1:8080/v1/convergedRecordings").expect("url");
        for other in [
            "http://127.0.0.1:8081/v1",
            "https://127.0.0.1:8080/v1",
            "http://localhost:8080/v1",
            "//evil.example/v1",
        ] {
            let h = headers(&[&format!("<{other}>; rel=next")]);
            assert!(
                matches!(
                    next_page_url(&current, &h),
                    Err(PaginationError::CrossOrigin { .. })
                ),
                "{other}"
            );
        }
        let h = headers(&["<http://[oops>; rel=next"]);
        assert!(matches!(
            next_page_url(&current, &h),
            Err(PaginationError::InvalidTarget { .. })
        ));
    }
}
