//! The two clients behind one interface, so that each scenario is written once.

#![allow(dead_code, unreachable_pub, unused_macros)]

use std::time::Duration;

use futures_util::StreamExt;
use recycle_core::{
    BulkReport, CallerRole, ClientBuilder, Coverage, Error, JobEvent, ListQuery, ManualClock,
    Operation, Receipt, Recording, RecordingId, Request, StopHandle,
};

/// The items of a listing and its coverage.
pub type Listed = (Vec<Result<Recording, Error>>, Coverage);
use recycle_conformance::SimEnv;
use recycle_sim::SimConfig;

/// Client settings a scenario may change; short delays keep the suite fast.
#[derive(Debug, Clone)]
pub struct Opts {
    pub attempts: u32,
    pub base_delay: Duration,
    pub timeout: Duration,
    pub retry_after_cap: Duration,
    pub budget: u32,
    pub max_body: usize,
    pub role: Option<CallerRole>,
    pub verify: bool,
    pub concurrency: usize,
    /// A manual clock: waits take no time and are recorded for the scenario to assert.
    pub clock: Option<ManualClock>,
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(5),
            timeout: Duration::from_secs(10),
            retry_after_cap: Duration::from_secs(5),
            budget: 500,
            max_body: 1024 * 1024,
            role: None,
            verify: false,
            concurrency: 4,
            clock: None,
        }
    }
}

/// Applies `opts` to either client's builder (they share the core's builder).
pub fn configure<B>(
    builder: ClientBuilder<B>,
    base_url: &str,
    token: &str,
    opts: &Opts,
) -> ClientBuilder<B> {
    let mut b = builder
        .base_url(base_url)
        .token(token.to_owned().into())
        .max_attempts(opts.attempts)
        .backoff(opts.base_delay, opts.base_delay * 8)
        .timeout(opts.timeout)
        .connect_timeout(Duration::from_secs(2))
        .retry_after_cap(opts.retry_after_cap)
        .retry_budget(opts.budget)
        .max_body_bytes(opts.max_body)
        .verify(opts.verify)
        .concurrency(opts.concurrency)
        .seed(1);
    if let Some(role) = opts.role {
        b = b.role(role);
    }
    if let Some(clock) = &opts.clock {
        b = b.clock(clock.clone());
    }
    b
}

/// What a scenario does with a client.
pub trait Adapter: Sized {
    fn connect(base_url: &str, token: &str, opts: &Opts) -> Result<Self, Error>;
    fn execute<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error>;
    /// The report (or the refusal) and how many progress calls were made.
    fn bulk<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
    ) -> (Result<BulkReport, Error>, usize);
    /// A bulk job that `stop` can stop; `on_settled` hears the count settled by each batch.
    fn bulk_until<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
        stop: &StopHandle,
        on_settled: impl FnMut(usize),
    ) -> Result<BulkReport, Error>;
    fn list(&self, query: &ListQuery) -> Result<Vec<Result<Recording, Error>>, Error> {
        Ok(self.list_covered(query)?.0)
    }
    /// The listing and what it says it covered.
    fn list_covered(&self, query: &ListQuery) -> Result<Listed, Error>;
    fn get(&self, id: &str) -> Result<Recording, Error>;
    fn get_in_timezone(&self, id: &str, timezone: &str) -> Result<Recording, Error>;
    fn debug(&self) -> String;
}

pub struct Blocking(recycle_blocking::Client);

impl Adapter for Blocking {
    fn connect(base_url: &str, token: &str, opts: &Opts) -> Result<Self, Error> {
        configure(recycle_blocking::Client::builder(), base_url, token, opts)
            .build()
            .map(Self)
    }
    fn execute<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error> {
        self.0.execute(request)
    }
    fn bulk<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
    ) -> (Result<BulkReport, Error>, usize) {
        let mut calls = 0;
        let report = self.0.bulk(operation, ids, |_| calls += 1);
        (report, calls)
    }
    fn bulk_until<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
        stop: &StopHandle,
        mut on_settled: impl FnMut(usize),
    ) -> Result<BulkReport, Error> {
        self.0.bulk_until(operation, ids, stop, |e| {
            if let JobEvent::Settled { settled, .. } = e {
                on_settled(settled.succeeded.len() + settled.failed.len());
            }
        })
    }
    fn list_covered(&self, query: &ListQuery) -> Result<Listed, Error> {
        let mut iter = self.0.list(query)?;
        let items = iter.by_ref().collect();
        Ok((items, iter.coverage().clone()))
    }
    fn get(&self, id: &str) -> Result<Recording, Error> {
        self.0.get(&recording_id(id)?)
    }
    fn get_in_timezone(&self, id: &str, timezone: &str) -> Result<Recording, Error> {
        let tz =
            recycle_core::Timezone::new(timezone).map_err(recycle_core::ListQueryError::from)?;
        self.0.get_in_timezone(&recording_id(id)?, &tz)
    }
    fn debug(&self) -> String {
        format!("{:?}", self.0)
    }
}

pub struct Async(recycle_async::Client, tokio::runtime::Runtime);

impl Adapter for Async {
    fn connect(base_url: &str, token: &str, opts: &Opts) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let client = configure(recycle_async::Client::builder(), base_url, token, opts).build()?;
        Ok(Self(client, runtime))
    }
    fn execute<O: Operation>(&self, request: &Request<O>) -> Result<Receipt, Error> {
        self.1.block_on(self.0.execute(request))
    }
    fn bulk<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
    ) -> (Result<BulkReport, Error>, usize) {
        let mut calls = 0;
        let report = self.1.block_on(self.0.bulk(operation, ids, |_| calls += 1));
        (report, calls)
    }
    fn bulk_until<O: Operation>(
        &self,
        operation: O,
        ids: Vec<String>,
        stop: &StopHandle,
        mut on_settled: impl FnMut(usize),
    ) -> Result<BulkReport, Error> {
        self.1
            .block_on(self.0.bulk_until(operation, ids, stop, |e| {
                if let JobEvent::Settled { settled, .. } = e {
                    on_settled(settled.succeeded.len() + settled.failed.len());
                }
            }))
    }
    fn list_covered(&self, query: &ListQuery) -> Result<Listed, Error> {
        let mut stream = self.0.list(query)?;
        let items = self.1.block_on((&mut stream).collect());
        Ok((items, stream.coverage()))
    }
    fn get(&self, id: &str) -> Result<Recording, Error> {
        self.1.block_on(self.0.get(&recording_id(id)?))
    }
    fn get_in_timezone(&self, id: &str, timezone: &str) -> Result<Recording, Error> {
        let tz =
            recycle_core::Timezone::new(timezone).map_err(recycle_core::ListQueryError::from)?;
        self.1
            .block_on(self.0.get_in_timezone(&recording_id(id)?, &tz))
    }
    fn debug(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// Runs each scenario (a function generic over [`Adapter`]) once per client, as a test
/// named after it in the modules `blocking` and `asynchronous`.
macro_rules! for_both_clients {
    ($($scenario:ident),* $(,)?) => {
        mod blocking {
            $(#[test] fn $scenario() { super::$scenario::<super::Blocking>() })*
        }
        mod asynchronous {
            $(#[test] fn $scenario() { super::$scenario::<super::Async>() })*
        }
    };
}

/// `id` as a [`RecordingId`], refused as a client would refuse it.
fn recording_id(id: &str) -> Result<RecordingId, Error> {
    RecordingId::new(id).map_err(|reason| {
        Error::Invalid(recycle_core::ValidationError::InvalidId {
            position: 1,
            id: id.to_owned(),
            reason,
        })
    })
}

/// A simulator and helpers to look at it ([`SimEnv`]), and clients of it.
pub struct Env {
    base: SimEnv,
}

impl std::ops::Deref for Env {
    type Target = SimEnv;
    fn deref(&self) -> &SimEnv {
        &self.base
    }
}

impl Env {
    pub fn new() -> Self {
        Self::with(SimConfig::new(7))
    }

    pub fn with(config: SimConfig) -> Self {
        Self {
            base: SimEnv::with(config),
        }
    }

    pub fn client<A: Adapter>(&self, who: &str, opts: &Opts) -> A {
        A::connect(self.sim.base_url(), &self.token(who), opts).expect("client")
    }
}
