//! [`Client`]: the async client.

use std::sync::Arc;

use futures_util::stream::{self, FuturesUnordered, Stream, StreamExt};
use recycle_core::{
    AsyncTransport, Backend, BulkInput, BulkReport, Completed, Engine, Error, Exchange, ListQuery,
    Operation, Progress, PurgeRequest, Receipt, Recording, Request, RestoreRequest, Step,
    TransportSettings, TrashRequest,
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
        let exchange = self.engine.action(request)?;
        self.drive(exchange).await.into_action()
    }

    /// Runs a bulk job of `operation` ([`Trash`](recycle_core::Trash),
    /// [`Restore`](recycle_core::Restore) or [`Purge`](recycle_core::Purge)) over `ids`: any
    /// collection of IDs, or a [`BulkPlan`](recycle_core::BulkPlan). The IDs are
    /// deduplicated and validated (any invalid ID refuses the whole job, nothing sent), sent
    /// in batches of up to 100 (up to `concurrency` in flight), batches refused for their content are split,
    /// 401/403 stops the job, and the report accounts for every ID. `on_progress` is called
    /// after each batch.
    /// Dropping the future cancels the job and leaves the client usable.
    pub async fn bulk<O: Operation>(
        &self,
        _operation: O,
        ids: impl BulkInput,
        mut on_progress: impl FnMut(Progress),
    ) -> Result<BulkReport, Error> {
        let mut run = self.engine.bulk::<O>(ids)?;
        let span = run.span().clone();
        async {
            let mut in_flight = FuturesUnordered::new();
            loop {
                while in_flight.len() < self.engine.concurrency() {
                    let Some((batch, exchange)) = run.next_batch() else {
                        break;
                    };
                    in_flight.push(async move { (batch, self.drive(exchange).await) });
                }
                let Some((batch, done)) = in_flight.next().await else {
                    break;
                };
                on_progress(run.complete(batch, done));
            }
            Ok(run.into_report())
        }
        .instrument(span)
        .await
    }

    /// The recordings a list query selects, across all pages. The stream ends after an
    /// error; a next page on another origin is such an error and is never fetched.
    pub fn list(
        &self,
        query: &ListQuery,
    ) -> Result<impl Stream<Item = Result<Recording, Error>> + Send + Unpin + '_, Error> {
        let pager = self.engine.pager(query)?;
        let pages = stream::unfold(Some(pager), move |state| async move {
            let mut pager = state?;
            let page = match pager.next_exchange()? {
                Ok(exchange) => pager.record(self.drive(exchange).await),
                Err(e) => Err(e),
            };
            Some(match page {
                Ok(items) => (items.into_iter().map(Ok).collect::<Vec<_>>(), Some(pager)),
                Err(e) => (vec![Err(e)], None),
            })
        });
        Ok(Box::pin(pages.flat_map(stream::iter)))
    }

    /// Sends the exchange's request until the core says stop, sleeping as it says.
    async fn drive(&self, mut exchange: Exchange) -> Completed {
        let span = exchange.span().clone();
        async move {
            loop {
                let result = self.transport.send(exchange.request()).await;
                match exchange.record(result) {
                    Step::Wait(pause) => tokio::time::sleep(pause).await,
                    Step::Done(done) => return done,
                }
            }
        }
        .instrument(span)
        .await
    }
}
