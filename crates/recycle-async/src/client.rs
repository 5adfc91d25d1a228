//! [`Client`]: the async client.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_util::future::Either;
use futures_util::stream::{self, BoxStream, FuturesUnordered, Stream, StreamExt};
use recycle_core::adapter::{Batch, Completed, Drive, Exchange, STOP_CHECK_INTERVAL};
use recycle_core::{
    AsyncTransport, BulkInput, BulkReport, Coverage, Error, JobEvent, ListQuery, Operation,
    Recording, StopHandle,
};
use tracing::Instrument;

use crate::ReqwestTransport;

recycle_core::adapter::client_surface! {
    /// Builds an async [`Client`] on reqwest.
    backend Reqwest;
    /// The async client. Cheap to clone; clones share the retry budget.
    client Client<T = ReqwestTransport> where [AsyncTransport + Sync];
    transport |settings| ReqwestTransport::new(settings);
    /// Up to the builder's `concurrency` batches are in flight at once (fewer while the
    /// server answers 429), and the read-back is concurrent too. Dropping the future
    /// cancels the job and leaves the client usable.
    bulk;
    async await
}

impl<T: AsyncTransport + Sync> Client<T> {
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

    /// Sends the exchange's request until the core says stop, sleeping as it says.
    async fn drive(&self, exchange: Exchange) -> Completed {
        Drive::run_to_end_async(exchange, |r| self.transport.send(r), tokio::time::sleep).await
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
