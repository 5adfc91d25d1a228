//! [`Timestamp`]: an ISO 8601 instant as the list endpoints take it.

use std::fmt;

/// Why a timestamp is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not an ISO 8601 time such as 2026-01-31T09:30:00Z or 2026-01-31", crate::excerpt::excerpt(.input))]
pub struct TimestampError {
    /// The input.
    pub input: String,
}

/// The pattern of the times [`Timestamp::parse`] accepts, for JSON Schema and OpenAPI: every
/// accepted text matches it (a match may still be refused, such as February 30).
pub const TIMESTAMP_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2})?(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$";

/// An ISO 8601 date or date-time, kept as given for the wire and as seconds since the Unix
/// epoch for comparisons.
///
/// Accepted: `YYYY-MM-DD` (midnight UTC) and `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by
/// `Z` or `±HH:MM`.
///
/// ```
/// use recycle_core::Timestamp;
///
/// let t = Timestamp::parse("2026-02-01T00:00:00+01:00")?;
/// assert_eq!(t.unix_seconds(), Timestamp::parse("2026-01-31T23:00:00Z")?.unix_seconds());
/// assert!(Timestamp::parse("yesterday").is_err());
/// # Ok::<(), recycle_core::TimestampError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    unix: i64,
}

impl Timestamp {
    /// Parses `input`.
    pub fn parse(input: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            input: input.to_owned(),
        };
        let unix = parse_unix(input).ok_or_else(err)?;
        Ok(Self {
            text: input.to_owned(),
            unix,
        })
    }

    /// The UTC instant `unix` seconds after the epoch, as `YYYY-MM-DDTHH:MM:SSZ`.
    ///
    /// ```
    /// use recycle_core::Timestamp;
    ///
    /// assert_eq!(Timestamp::from_unix_seconds(1_445_412_480).as_str(), "2015-10-21T07:28:00Z");
    /// ```
    pub fn from_unix_seconds(unix: i64) -> Self {
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        Self { text, unix }
    }

    /// The text as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }
}

/// Serialized as its text.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read from its text, with the rules of [`Timestamp::parse`].
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An ISO 8601 date (midnight UTC) or date-time with a zone, such as 2026-01-31 or 2026-01-31T09:30:00Z.",
            "pattern": TIMESTAMP_PATTERN,
        })
    }
}

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn parse_unix(s: &str) -> Option<i64> {
    if !s.is_ascii() || s.len() < 10 {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (
        digits(&date[0..4])?,
        digits(&date[5..7])?,
        digits(&date[8..10])?,
    );
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if rest.is_empty() {
        return Some(days * 86_400);
    }
    let rest = rest.strip_prefix(['T', 't'])?;
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => return None,
    };
    let offset_secs = match offset {
        "Z" | "z" => 0,
        _ => {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (oh, om) = offset[1..].split_once(':')?;
            if oh.len() != 2 || om.len() != 2 {
                return None;
            }
            let (oh, om) = (digits(oh)?, digits(om)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let (h, mi, sec) = match parts.as_slice() {
        [h, mi] => (digits(h)?, digits(mi)?, 0),
        [h, mi, sec] => (digits(h)?, digits(mi)?, digits(sec)?),
        _ => return None,
    };
    if parts.iter().any(|p| p.len() != 2) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset_secs)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(s: &str) -> Option<i64> {
        Timestamp::parse(s).ok().map(|t| t.unix_seconds())
    }

    #[test]
    fn known_instants() {
        assert_eq!(unix("1970-01-01"), Some(0));
        assert_eq!(unix("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix("2015-10-21T07:28:00Z"), Some(1_445_412_480));
        assert_eq!(unix("2015-10-21T07:28Z"), Some(1_445_412_480));
        assert_eq!(unix("2015-10-21T09:28:00.123+02:00"), Some(1_445_412_480));
        assert_eq!(unix("2015-10-21T02:28:00-05:00"), Some(1_445_412_480));
        assert_eq!(unix("2024-02-29"), Some(1_709_164_800));
    }

    #[test]
    fn formatting_round_trips_through_parsing() {
        for secs in [
            0,
            1,
            86_399,
            951_782_400,
            1_709_164_800,
            1_445_412_480,
            4_102_444_799,
            -86_400,
        ] {
            let t = Timestamp::from_unix_seconds(secs);
            assert_eq!(unix(t.as_str()), Some(secs), "{t}");
        }
        assert_eq!(
            Timestamp::from_unix_seconds(951_782_400).as_str(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn malformed_times_are_refused() {
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "2023-02-29",
            "2026-01-32",
            "2026/01/01",
            "2026-01-01T",
            "2026-01-01T25:00:00Z",
            "2026-01-01T10:00:00",
            "2026-01-01T10:00:00+1",
            "2026-01-01 10:00:00Z",
            "2026-01-01T10:00:00.Z",
            "2026-01-01T1:00:00Z",
            "２０２６-01-01",
        ] {
            assert_eq!(unix(bad), None, "{bad:?}");
        }
    }
}
