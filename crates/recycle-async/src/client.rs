//! [`Client`]: the async client.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_util::future::Either;
use futures_util::stream::{self, BoxStream, FuturesUnordered, Stream, StreamExt};
use recycle_core::adapter::{
    Backend, Batch, Completed, Drive, Engine, Exchange, STOP_CHECK_INTERVAL, TransportSettings,
};
use recycle_core::{
    AsyncTransport, BulkInput, BulkReport, Coverage, Error, JobEvent, ListQuery, Operation,
    Progress, PurgeRequest, Receipt, Recording, RecordingId, Request, RestoreRequest, StopHandle,
    Timezone, TrashRequest,
};
use tracing::Instrument;

use crate::ReqwestTransport;

/// Builds an async [`Client`] on reqwest.
#[derive(Debug, Clone, Copy)]
pub struct Reqwest;

/// The builder of the async client.
pub type ClientBuilder = recycle_core::ClientBuilder<Reqwest>;

impl Backend for Reqwest {
    type Transport = ReqwestTransport;
    type Client = Client;
    fn transport(settings: &TransportSettings) -> Result<ReqwestTransport, Error> {
        ReqwestTransport::new(settings)
    }
    fn client(engine: Arc<Engine>, transport: ReqwestTransport) -> Client {
        Client { engine, transport }
    }
}

/// The async client. Cheap to clone; clones share the retry budget.
#[derive(Debug, Clone)]
pub struct Client<T = ReqwestTransport> {
    engine: Arc<Engine>,
    transport: T,
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl<T: AsyncTransport + Sync> Client<T> {
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
    pub async fn trash(&self, request: &TrashRequest) -> Result<Receipt, Error> {
        self.execute(request).await
    }

    /// Restores recordings from the recycle bin.
    pub async fn restore(&self, request: &RestoreRequest) -> Result<Receipt, Error> {
        self.execute(request).await
    }

    /// Purges recordings from the recycle bin for good.
    pub async fn purge(&self, request: &PurgeRequest) -> Result<Receipt, Error> {
        self.execute(request).await
    }

    /// Sends one request, with retries.
    pub async fn execute<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error> {
        let exchange = self.engine.operation(request)?;
        self.drive(exchange).await.into_receipt()
    }

    /// Runs a bulk job of `operation` ([`Trash`](recycle_core::Trash),
    /// [`Restore`](recycle_core::Restore) or [`Purge`](recycle_core::Purge)) over `ids`: any
    /// collection of IDs, or a [`BulkPlan`](recycle_core::BulkPlan). The IDs are
    /// deduplicated and validated (any invalid ID refuses the whole job, nothing sent), sent
    /// in batches of up to 100 (up to `concurrency` in flight), batches refused for their content are split,
    /// 401/403 stops the job, and the report accounts for every ID. IDs whose outcome is
    /// unknown are then read back, concurrently (every ID with the builder's `verify`).
    /// `on_progress` is called after each batch.
    /// Dropping the future cancels the job and leaves the client usable.
    pub async fn bulk<O: Operation>(
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
        .await
    }

    /// [`Client::bulk`], stoppable from outside with `stop` (see [`StopHandle`]): after
    /// [`StopHandle::stop`] no new batch is sent, batches in flight finish, a batch waiting
    /// to retry stops waiting, and the report comes back with the unsent IDs
    /// `notAttempted`; after [`StopHandle::abandon`] the batches in flight are dropped at
    /// once and their IDs failed with `outcomeUnknown`. `on_event` hears of each batch
    /// about to be sent and of what each finished batch settled, before the batch's place
    /// is given to the next one: a journal written there is never more than `concurrency`
    /// batches behind.
    pub async fn bulk_until<O: Operation>(
        &self,
        _operation: O,
        ids: impl BulkInput,
        stop: &StopHandle,
        mut on_event: impl FnMut(JobEvent<'_>),
    ) -> Result<BulkReport, Error> {
        let mut run = self.engine.bulk::<O>(ids)?;
        let span = run.span().clone();
        async {
            // Each batch in flight, and whether an attempt of it has gone out.
            let mut waiting: HashMap<u64, (Batch<O>, Arc<AtomicBool>)> = HashMap::new();
            let mut in_flight = FuturesUnordered::new();
            let mut next_key = 0_u64;
            loop {
                if stop.is_stopped() {
                    run.stop();
                }
                // The concurrency drops on 429s and recovers on successes.
                while !stop.is_stopped() && in_flight.len() < self.engine.pacer().concurrency() {
                    let Some((batch, exchange)) = run.next_exchange() else {
                        break;
                    };
                    on_event(JobEvent::Sending(&run.ids_of(&batch)));
                    let key = next_key;
                    next_key += 1;
                    let sent = Arc::new(AtomicBool::new(false));
                    waiting.insert(key, (batch, sent.clone()));
                    in_flight.push(async move {
                        let driven = Drive::new(exchange, Some(stop))
                            .flag_sent(sent)
                            .run_async(|r| self.transport.send(r), tokio::time::sleep)
                            .await;
                        (key, driven)
                    });
                }
                if in_flight.is_empty() {
                    break;
                }
                let next =
                    futures_util::future::select(in_flight.next(), Box::pin(abandoned(stop))).await;
                let Either::Left((Some((key, driven)), _)) = next else {
                    break; // abandoned: what is still in flight is given up below
                };
                let Some((batch, _)) = waiting.remove(&key) else {
                    continue;
                };
                run.record(batch, driven, &mut on_event);
            }
            drop(in_flight);
            if !waiting.is_empty() {
                // A batch given up before any attempt went out was not sent at all.
                for (_, (batch, sent)) in waiting.drain() {
                    run.interrupt(batch, sent.load(Ordering::SeqCst));
                }
                let settled = run.take_settled();
                on_event(JobEvent::Settled {
                    settled: &settled,
                    progress: run.progress(),
                });
            }
            let mut settling = run.into_settling();
            let mut reads = FuturesUnordered::new();
            loop {
                // What is not read when the job is stopped stays as the batches left it.
                while !stop.is_stopped() && reads.len() < self.engine.pacer().concurrency() {
                    let Some((id, exchange)) = settling.next_exchange() else {
                        break;
                    };
                    reads.push(async move { (id, self.drive(exchange).await) });
                }
                let next =
                    futures_util::future::select(reads.next(), Box::pin(abandoned(stop))).await;
                let Either::Left((Some((id, done)), _)) = next else {
                    break;
                };
                settling.record(&id, done);
            }
            drop(reads);
            Ok(settling.into_report())
        }
        .instrument(span)
        .await
    }

    /// The recordings a list query selects, across its whole range (windows of at most 30
    /// days, newest first; open ends are the fixed floor and the present) and all pages.
    /// The stream ends after an error; a next page on another origin is such an error and
    /// is never fetched. [`Listing::coverage`] says which range was listed.
    pub fn list(&self, query: &ListQuery) -> Result<Listing<'_>, Error> {
        let pager = self.engine.pager(query)?;
        let shared = Arc::new(Mutex::new(Listed {
            coverage: pager.coverage().clone(),
            unreadable: Vec::new(),
        }));
        let seen = shared.clone();
        let pages = stream::unfold(Some(pager), move |state| {
            let seen = seen.clone();
            async move {
                let mut pager = state?;
                let page = match pager.next_exchange()? {
                    Ok(exchange) => pager.record(self.drive(exchange).await),
                    Err(e) => Err(e),
                };
                if let Ok(mut listed) = seen.lock() {
                    listed.coverage = pager.coverage().clone();
                    listed.unreadable = pager.unreadable().to_vec();
                }
                Some(match page {
                    Ok(items) => (items.into_iter().map(Ok).collect::<Vec<_>>(), Some(pager)),
                    Err(e) => (vec![Err(e)], None),
                })
            }
        });
        Ok(Listing {
            items: Box::pin(pages.flat_map(stream::iter)),
            shared,
        })
    }

    /// One recording's details (`GET /convergedRecordings/{recordingId}`), with retries.
    pub async fn get(&self, id: &RecordingId) -> Result<Recording, Error> {
        self.drive(self.engine.details(id, None))
            .await
            .into_recording()
    }

    /// [`Client::get`], with the `timezone` header (the server's default is UTC).
    pub async fn get_in_timezone(
        &self,
        id: &RecordingId,
        timezone: &Timezone,
    ) -> Result<Recording, Error> {
        self.drive(self.engine.details(id, Some(timezone)))
            .await
            .into_recording()
    }

    /// Sends the exchange's request until the core says stop, sleeping as it says.
    async fn drive(&self, exchange: Exchange) -> Completed {
        let send = |request| self.transport.send(request);
        match Box::pin(Drive::new(exchange, None).run_async(send, tokio::time::sleep)).await {
            Ok(done) => done,
            // Without a stop handle nothing interrupts the exchange; go on if it ever did.
            Err(exchange) => Box::pin(self.drive(*exchange)).await,
        }
    }
}

/// Completes once `stop` is abandoned.
async fn abandoned(stop: &StopHandle) {
    while !stop.is_abandoned() {
        tokio::time::sleep(STOP_CHECK_INTERVAL).await;
    }
}

/// What a listing has seen so far.
#[derive(Debug)]
struct Listed {
    coverage: Coverage,
    unreadable: Vec<recycle_core::serde_json::Value>,
}

/// The recordings of a list, fetched page by page as the stream is polled.
pub struct Listing<'c> {
    items: BoxStream<'c, Result<Recording, Error>>,
    shared: Arc<Mutex<Listed>>,
}

impl Listing<'_> {
    /// What has been listed so far: the range asked for, the part listed completely, pages
    /// and items that could not be read in full.
    pub fn coverage(&self) -> Coverage {
        match self.shared.lock() {
            Ok(listed) => listed.coverage.clone(),
            Err(poisoned) => poisoned.into_inner().coverage.clone(),
        }
    }

    /// Items that were not JSON objects, as received (the first 100).
    pub fn unreadable(&self) -> Vec<recycle_core::serde_json::Value> {
        match self.shared.lock() {
            Ok(listed) => listed.unreadable.clone(),
            Err(poisoned) => poisoned.into_inner().unreadable.clone(),
        }
    }
}

impl std::fmt::Debug for Listing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("coverage", &self.coverage())
            .finish_non_exhaustive()
    }
}

impl Stream for Listing<'_> {
    type Item = Result<Recording, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_next_unpin(cx)
    }
}
