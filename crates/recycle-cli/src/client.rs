//! Either client behind one interface, as `--transport` chooses.

use std::time::Duration;

use futures_util::StreamExt;
use recycle_core::secrecy::SecretString;
use recycle_core::serde_json;
use recycle_core::{
    BulkPlan, BulkReport, ClientBuilder, Coverage, Error, JobEvent, ListQuery, Operation, Progress,
    Receipt, Recording, Request, StopHandle,
};

use crate::cli::{Cli, TransportKind};

pub(crate) enum AnyClient {
    Async(recycle_async::Client, tokio::runtime::Runtime),
    Blocking(recycle_blocking::Client),
}

/// The global options, applied to either client's builder.
fn configure<B>(
    builder: ClientBuilder<B>,
    cli: &Cli,
    base_url: &str,
    token: SecretString,
    verify: bool,
) -> ClientBuilder<B> {
    let mut b = builder
        .base_url(base_url)
        .token(token)
        .user_agent(concat!("recycle-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(n) = cli.max_attempts {
        b = b.max_attempts(n);
    }
    if let Some(n) = cli.concurrency.and_then(|n| usize::try_from(n).ok()) {
        b = b.concurrency(n);
    }
    if let Some(secs) = cli.timeout {
        b = b.timeout(Duration::from_secs(secs));
    }
    if let Some(secs) = cli.max_wait {
        b = b.max_wait(Duration::from_secs(secs));
    }
    b.verify(verify)
}

impl AnyClient {
    pub(crate) fn new(
        cli: &Cli,
        base_url: &str,
        token: SecretString,
        verify: bool,
    ) -> Result<Self, Error> {
        match cli.transport {
            TransportKind::Async => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Setup {
                        message: format!("cannot start a runtime: {e}"),
                    })?;
                let client = configure(
                    recycle_async::Client::builder(),
                    cli,
                    base_url,
                    token,
                    verify,
                )
                .build()?;
                Ok(Self::Async(client, runtime))
            }
            TransportKind::Blocking => Ok(Self::Blocking(
                configure(
                    recycle_blocking::Client::builder(),
                    cli,
                    base_url,
                    token,
                    verify,
                )
                .build()?,
            )),
        }
    }

    pub(crate) fn send<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error> {
        match self {
            Self::Async(client, rt) => rt.block_on(client.execute(request)),
            Self::Blocking(client) => client.execute(request),
        }
    }

    pub(crate) fn bulk<O: Operation>(
        &self,
        operation: O,
        plan: BulkPlan,
        on_progress: impl FnMut(Progress),
    ) -> Result<BulkReport, Error> {
        match self {
            Self::Async(client, rt) => rt.block_on(client.bulk(operation, plan, on_progress)),
            Self::Blocking(client) => client.bulk(operation, plan, on_progress),
        }
    }

    /// A bulk job that `stop` can stop, telling `on_event` of each batch.
    pub(crate) fn bulk_until<O: Operation>(
        &self,
        operation: O,
        plan: BulkPlan,
        stop: &StopHandle,
        on_event: impl FnMut(JobEvent<'_>),
    ) -> Result<BulkReport, Error> {
        match self {
            Self::Async(client, rt) => {
                rt.block_on(client.bulk_until(operation, plan, stop, on_event))
            }
            Self::Blocking(client) => client.bulk_until(operation, plan, stop, on_event),
        }
    }

    /// Whether requests in flight can be given up at once (the async client's can).
    pub(crate) fn can_abandon(&self) -> bool {
        matches!(self, Self::Async(..))
    }

    /// Hands every recording of `query` to `each` as its page comes, until the end, an
    /// error, or `stop` (then the coverage says what was listed completely). The async
    /// client gives up a page in flight on a stop; the blocking one finishes it.
    pub(crate) fn scan(
        &self,
        query: &ListQuery,
        stop: &StopHandle,
        mut each: impl FnMut(Recording),
    ) -> Result<Scanned, Error> {
        let mut take = |item: Result<Recording, Error>| match item {
            Ok(recording) => {
                each(recording);
                None
            }
            Err(e) => Some(e),
        };
        match self {
            Self::Async(client, rt) => {
                let mut stream = client.list(query)?;
                // A stop gives up a page in flight (waiting out 429s included) at once.
                let error = rt.block_on(async {
                    loop {
                        let item = tokio::select! {
                            item = stream.next() => item,
                            () = stopped(stop) => return None,
                        };
                        match item {
                            Some(item) => {
                                if let Some(e) = take(item) {
                                    return Some(e);
                                }
                            }
                            None => return None,
                        }
                    }
                });
                Ok(Scanned {
                    coverage: stream.coverage(),
                    unreadable: stream.unreadable(),
                    error,
                })
            }
            Self::Blocking(client) => {
                let mut iter = client.list(query)?;
                let mut error = None;
                while !stop.is_stopped() {
                    match iter.next() {
                        Some(item) => {
                            if let Some(e) = take(item) {
                                error = Some(e);
                                break;
                            }
                        }
                        None => break,
                    }
                }
                Ok(Scanned {
                    coverage: iter.coverage().clone(),
                    unreadable: iter.unreadable().to_vec(),
                    error,
                })
            }
        }
    }

    /// One recording's details.
    pub(crate) fn get(&self, id: &recycle_core::RecordingId) -> Result<Recording, Error> {
        match self {
            Self::Async(client, rt) => rt.block_on(client.get(id)),
            Self::Blocking(client) => client.get(id),
        }
    }

    /// Every recording of every page of every window, what was covered, and the error
    /// that ended the listing early, if any.
    pub(crate) fn list(&self, query: &ListQuery) -> Result<Listed, Error> {
        let mut items = Vec::new();
        let scanned = self.scan(query, &StopHandle::new(), |r| items.push(r))?;
        Ok(Listed {
            items,
            coverage: scanned.coverage,
            unreadable: scanned.unreadable,
            error: scanned.error,
        })
    }
}

/// Resolves once `stop` is stopped.
async fn stopped(stop: &StopHandle) {
    while !stop.is_stopped() {
        tokio::time::sleep(recycle_core::adapter::STOP_CHECK_INTERVAL).await;
    }
}

/// What [`AnyClient::scan`] covered.
pub(crate) struct Scanned {
    pub(crate) coverage: Coverage,
    /// Items that were not JSON objects, as received (the first 100).
    pub(crate) unreadable: Vec<serde_json::Value>,
    /// The error that ended the listing early, if any.
    pub(crate) error: Option<Error>,
}

/// What `list` found.
pub(crate) struct Listed {
    pub(crate) items: Vec<Recording>,
    pub(crate) coverage: Coverage,
    pub(crate) unreadable: Vec<serde_json::Value>,
    pub(crate) error: Option<Error>,
}
