//! `Retry-After`: delta-seconds or an HTTP-date; anything else counts as absent.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// Parses a `Retry-After` value relative to `now`.
///
/// Delta-seconds (`"30"`) and HTTP-dates (`"Wed, 21 Oct 2026 07:28:00 GMT"`, a date in the
/// past meaning zero) are understood. Anything else (negative, fractional, garbage such as
/// `rand(30),add(30)`) is `None`, so the caller falls back to its own backoff. Capping is the
/// caller's (the client's `ClientBuilder::retry_after_cap`).
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use recycle_core::protocol::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_445_412_450);
/// assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(30)));
/// assert_eq!(parse_retry_after("rand(30),add(30)", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim_matches(|c: char| c == ' ' || c == '\t');
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit is still "a very long time"; the caller's cap bounds it.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The first `Retry-After` header of a response, parsed; `None` when absent or unreadable.
pub fn retry_after_from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    const NOW: u64 = 1_445_412_450; // Wed, 21 Oct 2015 07:27:30 GMT

    fn at(value: &str) -> Option<Duration> {
        parse_retry_after(value, UNIX_EPOCH + Duration::from_secs(NOW))
    }

    #[test]
    fn delta_seconds() {
        assert_eq!(at("0"), Some(Duration::ZERO));
        assert_eq!(at("2"), Some(Duration::from_secs(2)));
        assert_eq!(at(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(at("007"), Some(Duration::from_secs(7)));
        assert_eq!(
            at("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn http_dates_in_all_three_formats() {
        let thirty = Some(Duration::from_secs(30));
        assert_eq!(at("Wed, 21 Oct 2015 07:28:00 GMT"), thirty);
        assert_eq!(at("Wednesday, 21-Oct-15 07:28:00 GMT"), thirty);
        assert_eq!(at("Wed Oct 21 07:28:00 2015"), thirty);
        assert_eq!(
            at("Wed, 21 Oct 2015 07:00:00 GMT"),
            Some(Duration::ZERO),
            "past date"
        );
    }

    #[test]
    fn garbage_is_absent() {
        for bad in [
            "",
            "   ",
            "-1",
            "1.5",
            "+3",
            "rand(30),add(30)",
            "30s",
            "Wed, 99 Oct 2015",
            "١٢",
        ] {
            assert_eq!(at(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn header_lookup_takes_the_first_value_and_skips_non_ascii() {
        let now = UNIX_EPOCH + Duration::from_secs(NOW);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after_from_headers(&h, now), None);
        h.append("retry-after", "5".parse().expect("header"));
        h.append("retry-after", "9".parse().expect("header"));
        assert_eq!(
            retry_after_from_headers(&h, now),
            Some(Duration::from_secs(5))
        );
        let mut h = HeaderMap::new();
        h.insert(
            "retry-after",
            http::HeaderValue::from_bytes(b"\xff5").expect("header"),
        );
        assert_eq!(retry_after_from_headers(&h, now), None);
    }
}
