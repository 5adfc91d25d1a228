//! [`Windows`]: a list over any range, cut into windows the API accepts, newest first.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::ListQuery;
use crate::Timestamp;

/// Where a list with no `from` starts: a fixed date, never relative to today, so that a
/// listing of "everything" means the same on every run. Pass `from` to reach further back.
pub const LIST_FLOOR: &str = "2020-01-01T00:00:00Z";
/// [`LIST_FLOOR`] in seconds since the Unix epoch.
pub(crate) const LIST_FLOOR_UNIX: i64 = 1_577_836_800;
/// The widest window one request asks for: 30 days, the administrators' limit, used for
/// both lists.
pub const WINDOW_SECONDS: i64 = 30 * 86_400;
/// How far past the client's clock a list with no `to` reaches, so that a server whose
/// clock runs ahead loses nothing: one day.
pub(crate) const CLOCK_SKEW_SECONDS: i64 = 86_400;

/// The windows of a list, newest first: `[to - 30 days, to)`, then the 30 days before, down
/// to `from`. An open `from` is [`LIST_FLOOR`]; an open `to` is the present plus one day
/// (a server whose clock runs ahead loses nothing).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use recycle_core::{ListQuery, Timestamp, Windows};
///
/// let q = ListQuery::new()
///     .from(Timestamp::parse("2026-01-01")?)
///     .to(Timestamp::parse("2026-03-01")?);
/// let windows: Vec<(String, String)> = Windows::new(&q, UNIX_EPOCH)
///     .map(|(from, to)| (from.to_string(), to.to_string()))
///     .collect();
/// assert_eq!(windows, [
///     ("2026-01-30T00:00:00Z".to_owned(), "2026-03-01T00:00:00Z".to_owned()),
///     ("2026-01-01T00:00:00Z".to_owned(), "2026-01-30T00:00:00Z".to_owned()),
/// ]);
/// # Ok::<(), recycle_core::TimestampError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Windows {
    from: i64,
    to: i64,
    next_to: i64,
}

impl Windows {
    /// The windows of `query`'s range, open ends resolved against `now`.
    pub fn new(query: &ListQuery, now: SystemTime) -> Self {
        let now_unix = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let from = query
            .from_time()
            .map_or(LIST_FLOOR_UNIX, Timestamp::unix_seconds);
        let to = query.to_time().map_or_else(
            || now_unix.saturating_add(CLOCK_SKEW_SECONDS),
            Timestamp::unix_seconds,
        );
        Self {
            from,
            to,
            next_to: to,
        }
    }

    /// The whole range walked, `[from, to)`.
    pub fn range(&self) -> (Timestamp, Timestamp) {
        (
            Timestamp::from_unix_seconds(self.from),
            Timestamp::from_unix_seconds(self.to),
        )
    }

    /// How many windows the whole range takes.
    pub fn total(&self) -> usize {
        let span = (self.to - self.from).max(0);
        usize::try_from((span + WINDOW_SECONDS - 1) / WINDOW_SECONDS).unwrap_or(usize::MAX)
    }
}

impl Iterator for Windows {
    type Item = (Timestamp, Timestamp);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next_to <= self.from {
            return None;
        }
        let to = self.next_to;
        let from = to.saturating_sub(WINDOW_SECONDS).max(self.from);
        self.next_to = from;
        Some((
            Timestamp::from_unix_seconds(from),
            Timestamp::from_unix_seconds(to),
        ))
    }
}

/// What a list walked: the range asked for, the part of it listed completely (newest first,
/// so the covered part runs from some time up to the range's end), and counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// The start of the range asked for.
    pub range_from: Timestamp,
    /// The end of the range asked for (exclusive).
    pub range_to: Timestamp,
    /// The oldest time listed completely: everything from here to `range_to` was listed.
    /// `None` until the first window is complete.
    pub covered_from: Option<Timestamp>,
    /// Windows listed completely.
    pub windows: usize,
    /// Windows in the whole range.
    pub windows_total: usize,
    /// Pages fetched.
    pub pages: usize,
    /// Items that could not be read in full (fields kept raw in `Recording::extra`).
    pub malformed: usize,
}

impl Coverage {
    pub(crate) fn new(windows: &Windows) -> Self {
        let (range_from, range_to) = windows.range();
        Self {
            range_from,
            range_to,
            covered_from: None,
            windows: 0,
            windows_total: windows.total(),
            pages: 0,
            malformed: 0,
        }
    }

    /// Whether the whole range was listed.
    pub fn is_complete(&self) -> bool {
        self.windows == self.windows_total
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).expect("time")
    }

    fn unix(s: &str) -> i64 {
        at(s).unix_seconds()
    }

    #[test]
    fn open_ends_are_the_floor_and_the_present_plus_skew() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let w = Windows::new(&ListQuery::new(), now);
        let (from, to) = w.range();
        assert_eq!(from.as_str(), LIST_FLOOR);
        assert_eq!(to.unix_seconds(), 1_800_000_000 + CLOCK_SKEW_SECONDS);
        let all: Vec<_> = w.clone().collect();
        assert_eq!(all.len(), w.total());
        assert_eq!(all.last().map(|(f, _)| f.as_str()), Some(LIST_FLOOR));
        for pair in all.windows(2) {
            assert_eq!(pair[0].0, pair[1].1, "windows tile the range, newest first");
        }
        for (f, t) in &all {
            assert!(t.unix_seconds() - f.unix_seconds() <= WINDOW_SECONDS);
        }
    }

    #[test]
    fn short_empty_and_exact_ranges() {
        let q = |f: &str, t: &str| ListQuery::new().from(at(f)).to(at(t));
        let one: Vec<_> = Windows::new(&q("2026-01-01", "2026-01-02"), UNIX_EPOCH).collect();
        assert_eq!(one.len(), 1);
        assert_eq!(
            Windows::new(&q("2026-01-01", "2026-01-01"), UNIX_EPOCH).total(),
            0
        );
        assert_eq!(
            Windows::new(&q("2026-01-01", "2026-01-01"), UNIX_EPOCH).next(),
            None
        );
        let exact = Windows::new(&q("2026-01-01", "2026-01-31"), UNIX_EPOCH);
        assert_eq!(exact.total(), 1);
        let just_over = Windows::new(&q("2026-01-01", "2026-01-31T00:00:01Z"), UNIX_EPOCH);
        let w: Vec<_> = just_over.collect();
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].1.unix_seconds() - w[1].0.unix_seconds(), 1);
    }

    #[test]
    fn only_from_runs_to_the_present_and_only_to_runs_from_the_floor() {
        let now = UNIX_EPOCH + Duration::from_secs(unix("2026-06-01").unsigned_abs());
        let from_only = Windows::new(&ListQuery::new().from(at("2026-05-01")), now);
        assert_eq!(
            from_only.range().1.unix_seconds(),
            unix("2026-06-01") + CLOCK_SKEW_SECONDS
        );
        let to_only = Windows::new(&ListQuery::new().to(at("2020-02-15")), now);
        assert_eq!(to_only.range().0.as_str(), LIST_FLOOR);
        assert_eq!(to_only.total(), 2);
    }
}
