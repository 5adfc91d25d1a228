//! [`Client`]: the blocking client.

use std::collections::VecDeque;
use std::sync::Arc;

use recycle_core::adapter::{
    Backend, Completed, Drive, Engine, Exchange, Pager, TransportSettings,
};
use recycle_core::{
    BulkInput, BulkReport, Coverage, Error, JobEvent, ListQuery, Operation, Progress, PurgeRequest,
    Receipt, Recording, RecordingId, Request, RestoreRequest, StopHandle, Timezone, Transport,
    TrashRequest,
};

use crate::UreqTransport;

/// Builds a blocking [`Client`] on ureq.
#[derive(Debug, Clone, Copy)]
pub struct Ureq;

/// The builder of the blocking client.
pub type ClientBuilder = recycle_core::ClientBuilder<Ureq>;

impl Backend for Ureq {
    type Transport = UreqTransport;
    type Client = Client;
    fn transport(settings: &TransportSettings) -> Result<UreqTransport, Error> {
        Ok(UreqTransport::new(settings))
    }
    fn client(engine: Arc<Engine>, transport: UreqTransport) -> Client {
        Client { engine, transport }
    }
}

/// The blocking client. Cheap to clone; clones share the retry budget.
#[derive(Debug, Clone)]
pub struct Client<T = UreqTransport> {
    engine: Arc<Engine>,
    transport: T,
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl<T: Transport> Client<T> {
    /// A client that sends through `transport` (the builder's timeouts and body cap are then
    /// the transport's business).
    pub fn with_transport(builder: ClientBuilder, transport: T) -> Result<Self, Error> {
        let (engine, _) = builder.into_parts()?;
        Ok(Self {
            engine: Arc::new(engine),
            transport,
        })
    }

    /// Moves recordings into the recycle bin.
    pub fn trash(&self, request: &TrashRequest) -> Result<Receipt, Error> {
        self.execute(request)
    }

    /// Restores recordings from the recycle bin.
    pub fn restore(&self, request: &RestoreRequest) -> Result<Receipt, Error> {
        self.execute(request)
    }

    /// Purges recordings from the recycle bin for good.
    pub fn purge(&self, request: &PurgeRequest) -> Result<Receipt, Error> {
        self.execute(request)
    }

    /// Sends one request, with retries.
    pub fn execute<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error> {
        let exchange = self.engine.operation(request)?;
        self.drive(exchange).into_receipt()
    }

    /// Runs a bulk job of `operation` ([`Trash`](recycle_core::Trash),
    /// [`Restore`](recycle_core::Restore) or [`Purge`](recycle_core::Purge)) over `ids`: any
    /// collection of IDs, or a [`BulkPlan`](recycle_core::BulkPlan). The IDs are
    /// deduplicated and validated (any invalid ID refuses the whole job, nothing sent), sent
    /// in batches of up to 100 (one at a time), batches refused for their content are split,
    /// 401/403 stops the job, and the report accounts for every ID. IDs whose outcome is
    /// unknown are then read back (every ID with the builder's `verify`). `on_progress` is
    /// called after each batch.
    pub fn bulk<O: Operation>(
        &self,
        operation: O,
        ids: impl BulkInput,
        mut on_progress: impl FnMut(Progress),
    ) -> Result<BulkReport, Error> {
        self.bulk_until(operation, ids, &StopHandle::new(), |event| {
            if let JobEvent::Settled { progress, .. } = event {
                on_progress(progress);
            }
        })
    }

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
    /// is never fetched. [`Recordings::coverage`] says which range was listed.
    pub fn list(&self, query: &ListQuery) -> Result<Recordings<'_, T>, Error> {
        Ok(Recordings {
            client: self,
            pager: self.engine.pager(query)?,
            buffer: VecDeque::new(),
            ended: false,
        })
    }

    /// One recording's details (`GET /convergedRecordings/{recordingId}`), with retries.
    pub fn get(&self, id: &RecordingId) -> Result<Recording, Error> {
        self.drive(self.engine.details(id, None)).into_recording()
    }

    /// [`Client::get`], with the `timezone` header (the server's default is UTC).
    pub fn get_in_timezone(
        &self,
        id: &RecordingId,
        timezone: &Timezone,
    ) -> Result<Recording, Error> {
        self.drive(self.engine.details(id, Some(timezone)))
            .into_recording()
    }

    /// Sends the exchange's request until the core says stop, sleeping as it says.
    fn drive(&self, exchange: Exchange) -> Completed {
        let send = |request| self.transport.send(request);
        match Drive::new(exchange, None).run(send, std::thread::sleep) {
            Ok(done) => done,
            // Without a stop handle nothing interrupts the exchange; go on if it ever did.
            Err(exchange) => self.drive(*exchange),
        }
    }
}

/// The recordings of a list, fetched page by page as the iteration goes.
#[derive(Debug)]
pub struct Recordings<'c, T> {
    client: &'c Client<T>,
    pager: Pager<'c>,
    buffer: VecDeque<Recording>,
    ended: bool,
}

impl<T> Recordings<'_, T> {
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

impl<T: Transport> Iterator for Recordings<'_, T> {
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
