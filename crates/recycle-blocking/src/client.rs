//! [`Client`]: the blocking client.

use std::collections::VecDeque;

use recycle_core::adapter::{Completed, Drive, Exchange, Pager};
use recycle_core::{
    BulkInput, BulkReport, Coverage, Error, JobEvent, ListQuery, Operation, Recording, StopHandle,
    Transport,
};

use crate::UreqTransport;

recycle_core::adapter::client_surface! {
    /// Builds a blocking [`Client`] on ureq.
    backend Ureq;
    /// The blocking client. Cheap to clone; clones share the retry budget.
    client Client<T = UreqTransport> where [Transport];
    transport |settings| Ok(UreqTransport::new(settings));
    /// The batches are sent one at a time.
    bulk;
}

impl<T: Transport> Client<T> {
    /// [`Client::bulk`], stoppable from another thread with `stop` (see [`StopHandle`]):
    /// no new batch is sent, a batch waiting to retry stops waiting, and the report comes
    /// back with the unsent IDs `notAttempted`. (A request in flight finishes first, bounded
    /// by the attempt timeout: a blocking call cannot be abandoned.) `on_event` hears of each
    /// batch about to be sent and of what each finished batch settled, before the next
    /// batch is sent: a journal written there is never more than one batch behind.
    pub fn bulk_until<O: Operation>(
        &self,
        _operation: O,
        ids: impl BulkInput,
        stop: &StopHandle,
        on_event: impl FnMut(JobEvent<'_>),
    ) -> Result<BulkReport, Error> {
        let run = self.engine.bulk::<O>(ids)?;
        let send = |request| self.transport.send(request);
        Ok(run.run(stop, send, std::thread::sleep, on_event))
    }

    /// The recordings a list query selects, across its whole range (windows of at most 30
    /// days, newest first; open ends are the fixed floor and the present) and all pages.
    /// The iterator ends after an error; a next page on another origin is such an error and
    /// is never fetched. [`Listing::coverage`] says which range was listed.
    pub fn list(&self, query: &ListQuery) -> Result<Listing<'_, T>, Error> {
        Ok(Listing {
            client: self,
            pager: self.engine.pager(query)?,
            buffer: VecDeque::new(),
            ended: false,
        })
    }

    /// Sends the exchange's request until the core says stop, sleeping as it says.
    fn drive(&self, exchange: Exchange) -> Completed {
        Drive::run_to_end(exchange, |r| self.transport.send(r), std::thread::sleep)
    }
}

/// The recordings of a list, fetched page by page as the iteration goes.
#[derive(Debug)]
pub struct Listing<'c, T> {
    client: &'c Client<T>,
    pager: Pager<'c>,
    buffer: VecDeque<Recording>,
    ended: bool,
}

impl<T> Listing<'_, T> {
    /// What has been listed so far: the range asked for, the part listed completely, pages
    /// and items that could not be read in full.
    pub fn coverage(&self) -> &Coverage {
        self.pager.coverage()
    }

    /// Items that were not JSON objects, as received (the first 100).
    pub fn unreadable(&self) -> &[recycle_core::serde_json::Value] {
        self.pager.unreadable()
    }
}

impl<T: Transport> Iterator for Listing<'_, T> {
    type Item = Result<Recording, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(recording) = self.buffer.pop_front() {
                return Some(Ok(recording));
            }
            if self.ended {
                return None;
            }
            let page = match self.pager.next_exchange()? {
                Ok(exchange) => self.pager.record(self.client.drive(exchange)),
                Err(e) => Err(e),
            };
            match page {
                Ok(items) => self.buffer.extend(items),
                Err(e) => {
                    self.ended = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
