//! One set of integration scenarios, run against both clients (`recycle-async` on reqwest,
//! `recycle-blocking` on ureq) and the simulator over real loopback sockets; the scenarios
//! are in `tests/`. The library is what those scenarios and the `recycle` command's own
//! tests share: [`SimEnv`], a simulator with helpers to look at it by identity.
//!
//! ```
//! use recycle_conformance::SimEnv;
//! use recycle_sim::RecordingState::Available;
//!
//! let env = SimEnv::new();
//! let first = env.ids("alice", Available)[0].clone();
//! assert_eq!(env.state_of(&first), Some(Available));
//! assert!(!env.token("alice").is_empty());
//! ```

use recycle_sim::{BackgroundSimulator, LoggedRequest, RecordingState, SimConfig};

/// A simulator on a loopback port, and what tests ask of it by identity name.
#[derive(Debug)]
pub struct SimEnv {
    /// The simulator itself (faults, request log, state).
    pub sim: BackgroundSimulator,
}

impl SimEnv {
    /// A simulator with the default configuration (seed 7).
    pub fn new() -> Self {
        Self::with(SimConfig::new(7))
    }

    /// A simulator with `config`.
    ///
    /// # Panics
    ///
    /// When the simulator cannot start (no loopback port): the test cannot run.
    pub fn with(config: SimConfig) -> Self {
        Self {
            sim: BackgroundSimulator::start(config).expect("simulator"),
        }
    }

    /// The bearer token of identity `who`.
    pub fn token(&self, who: &str) -> String {
        self.identity_field(who, |i| i.token.clone())
    }

    /// The IDs of `who`'s recordings in `state`.
    pub fn ids(&self, who: &str, state: RecordingState) -> Vec<String> {
        self.sim
            .ids_of(&self.identity_field(who, |i| i.email.clone()), state)
    }

    /// The state of recording `id`, if it exists.
    pub fn state_of(&self, id: &str) -> Option<RecordingState> {
        self.sim.state_of(id)
    }

    /// All of `who`'s recordings that are not purged.
    pub fn all_ids(&self, who: &str) -> Vec<String> {
        self.sim
            .ids_owned_by(&self.identity_field(who, |i| i.email.clone()))
    }

    /// Requests the simulator received on `path` (below `/v1`).
    pub fn requests_to(&self, path: &str) -> Vec<LoggedRequest> {
        let full = format!("/v1{path}");
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.path == full)
            .collect()
    }

    fn identity_field<T>(&self, who: &str, field: impl Fn(&recycle_sim::Identity) -> T) -> T {
        let identity = self
            .sim
            .identity(who)
            .unwrap_or_else(|| panic!("no identity {who:?} in the simulator"));
        field(identity)
    }
}

impl Default for SimEnv {
    fn default() -> Self {
        Self::new()
    }
}
