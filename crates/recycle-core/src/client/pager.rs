//! [`Pager`]: the pages of a list, following `Link: rel="next"` on the same origin only.

use url::Url;

use super::{Completed, Engine, Exchange};
use crate::{Error, Recording};

/// The pages of a list query. Ask for the next page's [`Exchange`], drive it, and hand the
/// result to [`Pager::record`] for the recordings.
#[derive(Debug)]
pub struct Pager<'e> {
    engine: &'e Engine,
    next: Option<Url>,
    current: Option<Url>,
    refused: Option<Error>,
}

impl<'e> Pager<'e> {
    pub(super) fn new(engine: &'e Engine, first: Url) -> Self {
        Self {
            engine,
            next: Some(first),
            current: None,
            refused: None,
        }
    }

    /// The exchange that fetches the next page, or `None` after the last one.
    ///
    /// A refused next-page link (another origin) comes out here as an error, after the
    /// recordings of the page that announced it.
    pub fn next_exchange(&mut self) -> Option<Result<Exchange, Error>> {
        if let Some(refused) = self.refused.take() {
            return Some(Err(refused));
        }
        let url = self.next.take()?;
        let tracking = self.engine.tracking_id();
        let span = tracing::info_span!("recycle.list", tracking_id = %tracking, url = %url);
        let request = match self.engine.api().list_page(&url, &tracking) {
            Ok(r) => r,
            Err(e) => return Some(Err(e.into())),
        };
        self.current = Some(url);
        Some(Ok(self.engine.exchange(request, tracking, span)))
    }

    /// The recordings of the page just fetched; remembers the next page, if any. After an
    /// error there is no next page.
    pub fn record(&mut self, done: Completed) -> Result<Vec<Recording>, Error> {
        let url = self.current.take().ok_or_else(|| Error::Setup {
            message: "a page was recorded without being requested".into(),
        })?;
        let page = done.into_page(&url)?;
        self.next = page.next;
        self.refused = page.refused_next.map(Error::from);
        Ok(page.items)
    }
}
