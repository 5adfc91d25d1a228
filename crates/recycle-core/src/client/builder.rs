//! [`ClientBuilder`]: one configuration surface for both clients.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use super::{Clock, Engine, Pacer, SystemClock};
use crate::{
    AccessToken, Api, BaseUrl, BulkOptions, CallerRole, Error, RetryBudget, RetryPolicy, SharedRng,
    TokenError, WEBEX_BASE_URL,
};

/// What a client crate supplies to [`ClientBuilder::build`]: its transport, and its client
/// made of the shared engine and that transport.
pub trait Backend: Sized {
    /// The default transport.
    type Transport;
    /// The client it builds.
    type Client;
    /// Sets up the transport.
    fn transport(settings: &TransportSettings) -> Result<Self::Transport, Error>;
    /// Assembles the client.
    fn client(engine: Arc<Engine>, transport: Self::Transport) -> Self::Client;
}

/// What a transport needs to know: its timeouts and body cap (the user agent is a header
/// of each request, set by [`Api`](crate::Api)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportSettings {
    /// Longest wait for a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Longest wait for a whole exchange, response body included.
    pub timeout: Duration,
    /// Largest response body read; a larger one is a `BodyTooLarge` failure.
    pub max_body_bytes: usize,
}

/// Configuration of a client; `B` says which client `build` makes.
///
/// Defaults: base URL `https://webexapis.com/v1`, connect timeout 10 s, overall timeout 60 s,
/// 4 attempts, backoff from 200 ms up to 20 s, `Retry-After` capped at 60 s, a retry budget of
/// 500 tokens, batches of 100 IDs, 4 batches at once (async client), bodies up to 1 MiB.
pub struct ClientBuilder<B> {
    base_url: String,
    token: Option<SecretString>,
    role: Option<CallerRole>,
    user_agent: Option<String>,
    policy: RetryPolicy,
    budget: u32,
    bulk: BulkOptions,
    concurrency: usize,
    seed: Option<u64>,
    clock: Arc<dyn Clock>,
    transport: TransportSettings,
    backend: PhantomData<fn() -> B>,
}

impl<B> Default for ClientBuilder<B> {
    fn default() -> Self {
        Self {
            base_url: WEBEX_BASE_URL.to_owned(),
            token: None,
            role: None,
            user_agent: None,
            policy: RetryPolicy::default(),
            budget: crate::budget::DEFAULT_BUDGET_CAPACITY,
            bulk: BulkOptions::default(),
            concurrency: 4,
            seed: None,
            clock: Arc::new(SystemClock),
            transport: TransportSettings {
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(60),
                max_body_bytes: 1024 * 1024,
            },
            backend: PhantomData,
        }
    }
}

impl<B> fmt::Debug for ClientBuilder<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("role", &self.role)
            .field("policy", &self.policy)
            .field("budget", &self.budget)
            .field("bulk", &self.bulk)
            .field("concurrency", &self.concurrency)
            .field("clock", &self.clock)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl<B: Backend> ClientBuilder<B> {
    /// Checks the configuration and builds the client. Nothing is sent.
    pub fn build(self) -> Result<B::Client, Error> {
        let (engine, settings) = self.into_parts()?;
        Ok(B::client(Arc::new(engine), B::transport(&settings)?))
    }
}

impl<B> ClientBuilder<B> {
    /// A builder with the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API's base URL: https, or http to a loopback host (for the simulator).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The bearer token (required).
    pub fn token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The caller's role, if known: requests that break the role rule (a user naming an
    /// owner, an administrator acting on all without one) are then refused before sending.
    pub fn role(mut self, role: CallerRole) -> Self {
        self.role = Some(role);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Longest wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport.connect_timeout = timeout;
        self
    }

    /// Longest wait for one attempt, response body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport.timeout = timeout;
        self
    }

    /// Largest response body read.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.transport.max_body_bytes = bytes;
        self
    }

    /// Most attempts per request, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.policy.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry (doubled for each further one) and its ceiling.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.policy.base_delay = base;
        self.policy.max_delay = max.max(base);
        self
    }

    /// Longest `Retry-After` honoured.
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.policy.retry_after_cap = cap;
        self
    }

    /// Tokens of the retry budget shared by all calls of the client.
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }

    /// How bulk jobs are cut (batch size, splitting cap).
    pub fn bulk_options(mut self, options: BulkOptions) -> Self {
        self.bulk = options;
        self
    }

    /// Reads every ID of a bulk job back after it (one request each) and reports what the
    /// server's state says; see [`BulkOptions::verify`].
    pub fn verify(mut self, verify: bool) -> Self {
        self.bulk.verify = verify;
        self
    }

    /// Longest total wait of one request on 429 and 423 answers (they do not count as
    /// attempts). Default 15 minutes.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.policy.max_wait = wait;
        self
    }

    /// Batches in flight at once in a bulk job (async client; the blocking client sends one
    /// at a time). At least 1.
    pub fn concurrency(mut self, batches: usize) -> Self {
        self.concurrency = batches.max(1);
        self
    }

    /// Seeds the jitter and tracking IDs, for reproducible tests.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The clock the client reads and waits on ([`SystemClock`] by default). A
    /// [`ManualClock`](crate::ManualClock) makes every wait instant and records it, for tests.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// For adapters: checks the configuration (base URL, token, user agent) and splits it
    /// into the shared [`Engine`] and what the transport needs.
    pub fn into_parts(self) -> Result<(Engine, TransportSettings), Error> {
        let base = BaseUrl::parse(&self.base_url)?;
        let token = AccessToken::new(self.token.ok_or(TokenError::Missing)?)?;
        let mut api = Api::new(base, token);
        if let Some(ua) = &self.user_agent {
            api = api.with_user_agent(ua).map_err(|_| Error::Setup {
                message: format!("user agent {ua:?} is not a valid header value"),
            })?;
        }
        let rng = self.seed.map_or_else(SharedRng::new, SharedRng::seeded);
        let engine = Engine {
            api,
            policy: self.policy,
            budget: Arc::new(RetryBudget::new(self.budget)),
            rng: Arc::new(rng),
            role: self.role,
            bulk: self.bulk,
            concurrency: self.concurrency,
            pacer: Arc::new(Pacer::new(self.concurrency)),
            clock: self.clock,
        };
        Ok((engine, self.transport))
    }
}
