//! A Webex-compatible Converged Recordings recycle-bin server, for tests, demos and CI.
//!
//! It keeps recordings in memory and answers like the Webex API: the same paths, body rules,
//! scopes, error bodies, `trackingid` headers and `Link` pagination, with an optional rate
//! limit and scripted faults (statuses, `Retry-After`, dropped connections, delays, "apply
//! then fail"). See `docs/simulator.md` for the behaviours chosen where Webex's documents are
//! silent.
//!
//! ```
//! use recycle_sim::{SimConfig, Simulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let sim = Simulator::start(SimConfig::new(7)).await?;
//! assert!(sim.base_url().starts_with("http://127.0.0.1:"));
//! let alice = sim.identity("alice").expect("a standard identity");
//! assert!(sim.recordings().iter().any(|r| r.owner_email == alice.email));
//! sim.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! From blocking code, [`BackgroundSimulator`] runs the same server on its own runtime.

mod config;
mod faults;
mod http;
mod identity;
mod log;
mod rate_limit;
mod seed;
mod state;
mod store;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{Chaos, RateLimit, RetryAfterStyle, SimConfig, parse_rate};
pub use faults::{Answer, FaultKind, FaultResponse, FaultSpec};
pub use identity::{Identity, default_identities};
pub use log::LoggedRequest;
pub use store::{BatchSemantics, RecordingState, RecordingSummary};

use state::{Shared, lock};

/// What the `recycle-sim` binary prints first: where it listens and who may call it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartupInfo {
    /// `http://127.0.0.1:PORT/v1`.
    pub base_url: String,
    /// The identities, with their tokens.
    pub identities: Vec<Identity>,
}

/// Serves a simulator until interrupted (Ctrl-C): writes the [`StartupInfo`] as one JSON line
/// to `out` first, then a note to stderr. This is what the `recycle-sim` binary and
/// `recycle sim` run.
pub fn serve_until_interrupted(config: SimConfig, out: &mut impl io::Write) -> io::Result<()> {
    let port = config.port;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let sim = Simulator::start(config).await.map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on 127.0.0.1:{port}: {e}"))
        })?;
        let line = serde_json::to_string(&sim.startup_info()).map_err(io::Error::other)?;
        writeln!(out, "{line}")?;
        out.flush()?;
        eprintln!("serving {} until interrupted", sim.base_url());
        tokio::signal::ctrl_c().await?;
        sim.stop().await;
        Ok(())
    })
}

/// Starts simulators.
#[derive(Debug)]
pub struct Simulator;

impl Simulator {
    /// Binds 127.0.0.1 (on `config.port`, 0 for any free port) and serves on the current
    /// tokio runtime until the handle is stopped or dropped.
    pub async fn start(config: SimConfig) -> io::Result<SimHandle> {
        let listener =
            TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port))).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}/v1");
        let shared = Arc::new(Shared::new(&config, base_url.clone()));
        let (shutdown, rx) = watch::channel(false);
        let task = tokio::spawn(http::server::serve(
            listener,
            http::router(shared.clone()),
            rx,
        ));
        Ok(SimHandle {
            base_url,
            addr,
            shared,
            shutdown,
            task,
        })
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    base_url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The identities it knows.
    pub fn identities(&self) -> &[Identity] {
        &self.shared.identities
    }

    /// The identity called `name`.
    pub fn identity(&self, name: &str) -> Option<&Identity> {
        self.shared.identities.iter().find(|i| i.name == name)
    }

    /// The startup line of the binary.
    pub fn startup_info(&self) -> StartupInfo {
        StartupInfo {
            base_url: self.base_url.clone(),
            identities: self.shared.identities.clone(),
        }
    }

    /// Queues scripted answers for the next requests to `path` (below `/v1`), as
    /// `POST /_sim/faults` does.
    pub fn inject<F: Into<FaultResponse>>(
        &self,
        path: &str,
        responses: impl IntoIterator<Item = F>,
    ) {
        lock(&self.shared.faults).push(FaultSpec {
            path: path.to_owned(),
            responses: responses.into_iter().map(Into::into).collect(),
        });
    }

    /// The request log, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).entries()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Every recording's ID, owner and state, purged ones included, in creation order.
    pub fn recordings(&self) -> Vec<RecordingSummary> {
        lock(&self.shared.store).summaries()
    }

    /// IDs of all of `owner`'s recordings that are not purged, in creation order.
    pub fn ids_owned_by(&self, owner: &str) -> Vec<String> {
        self.recordings()
            .into_iter()
            .filter(|r| r.owner_email == owner && r.state != RecordingState::Purged)
            .map(|r| r.id)
            .collect()
    }

    /// Where the recording `id` is, if it exists.
    pub fn state_of(&self, id: &str) -> Option<RecordingState> {
        lock(&self.shared.store).state_of(id)
    }

    /// IDs of `owner`'s recordings in `state`.
    pub fn ids_of(&self, owner: &str, state: RecordingState) -> Vec<String> {
        self.recordings()
            .into_iter()
            .filter(|r| r.owner_email == owner && r.state == state)
            .map(|r| r.id)
            .collect()
    }

    /// Stops the server and waits for it.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// A simulator on its own runtime, for blocking code and command-line tools. Dropping it
/// stops the server. Do not drop it inside an async context.
#[derive(Debug)]
pub struct BackgroundSimulator {
    handle: SimHandle,
    runtime: tokio::runtime::Runtime,
}

impl BackgroundSimulator {
    /// Starts a simulator on a new two-thread runtime.
    pub fn start(config: SimConfig) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("recycle-sim")
            .enable_all()
            .build()?;
        let handle = runtime.block_on(Simulator::start(config))?;
        Ok(Self { handle, runtime })
    }

    /// The running simulator.
    pub fn handle(&self) -> &SimHandle {
        &self.handle
    }

    /// Stops the server and waits for it.
    pub fn stop(self) {
        let Self { handle, runtime } = self;
        runtime.block_on(handle.stop());
    }
}

impl std::ops::Deref for BackgroundSimulator {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}
