//! [`Pager`]: the pages of a list, window by window, following `Link: rel="next"` on the
//! same origin only.

use std::time::SystemTime;

use serde_json::Value;
use url::Url;

use super::{Completed, Engine, Exchange};
use crate::{Coverage, Error, ListQuery, Recording, Timestamp, Windows};

/// Raw items that were not JSON objects, kept for inspection; more are only counted.
const MAX_KEPT_UNREADABLE: usize = 100;

/// The pages of a list query over its whole range: the range is cut into [`Windows`] of at
/// most 30 days, newest first, and each window's pages are followed to the end before the
/// next window. Ask for the next page's [`Exchange`], drive it, and hand the result to
/// [`Pager::record`] for the recordings; [`Pager::coverage`] says what was listed.
#[derive(Debug)]
pub struct Pager<'e> {
    engine: &'e Engine,
    query: ListQuery,
    windows: Windows,
    window_from: Option<Timestamp>,
    next: Option<Url>,
    refused: Option<Error>,
    finished: bool,
    coverage: Coverage,
    unreadable: Vec<Value>,
}

impl<'e> Pager<'e> {
    pub(super) fn new(engine: &'e Engine, query: ListQuery, now: SystemTime) -> Self {
        let windows = Windows::new(&query, now);
        Self {
            engine,
            coverage: Coverage::new(&windows),
            query,
            windows,
            window_from: None,
            next: None,
            refused: None,
            finished: false,
            unreadable: Vec::new(),
        }
    }

    /// The exchange that fetches the next page, or `None` after the last page of the last
    /// window, or after an error.
    ///
    /// A refused next-page link (another origin) comes out here as an error, after the
    /// recordings of the page that announced it.
    pub fn next_exchange(&mut self) -> Option<Result<Exchange, Error>> {
        if let Some(refused) = self.refused.take() {
            return Some(Err(refused));
        }
        if self.finished {
            return None;
        }
        let url = match self.next.take() {
            Some(url) => url,
            None => {
                let (from, to) = self.windows.next()?;
                self.window_from = Some(from.clone());
                match self
                    .query
                    .with_range(from, to)
                    .to_url(self.engine.api().base())
                {
                    Ok(url) => url,
                    Err(e) => {
                        self.finished = true;
                        return Some(Err(e.into()));
                    }
                }
            }
        };
        let tracking = self.engine.tracking_id();
        let span = tracing::info_span!("recycle.list", tracking_id = %tracking, url = %url);
        let request =
            match self
                .engine
                .api()
                .list_page(&url, &tracking, self.query.timezone_header())
            {
                Ok(r) => r,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e.into()));
                }
            };
        Some(Ok(self.engine.exchange(request, tracking, span)))
    }

    /// The recordings of the page just fetched; remembers the next page, if any. After an
    /// error there is no next page, and the coverage stays at the last complete window.
    pub fn record(&mut self, done: Completed) -> Result<Vec<Recording>, Error> {
        let page = match done.into_page() {
            Ok(page) => page,
            Err(e) => {
                self.finished = true;
                return Err(e);
            }
        };
        self.coverage.pages += 1;
        self.coverage.malformed += page.malformed;
        let room = MAX_KEPT_UNREADABLE.saturating_sub(self.unreadable.len());
        self.unreadable
            .extend(page.unreadable.into_iter().take(room));
        self.next = page.next;
        if let Some(refused) = page.refused_next {
            self.refused = Some(refused.into());
            self.finished = true;
        } else if self.next.is_none() {
            self.coverage.windows += 1;
            self.coverage.covered_from = self.window_from.clone();
        }
        Ok(page.items)
    }

    /// What has been listed so far.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// Items that were not JSON objects, as received (the first 100).
    pub fn unreadable(&self) -> &[Value] {
        &self.unreadable
    }
}
