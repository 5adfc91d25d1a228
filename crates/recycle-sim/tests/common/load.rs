//! A bounded load: `clients` concurrent clients, each sending `per_client` requests that
//! alternately trash and restore its own disjoint IDs, then a check that the simulator's
//! state is exactly what the answers imply.

#![allow(
    dead_code,
    reason = "shared by the concurrency test and the load benchmark, which read different parts"
)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use recycle_sim::{RecordingState, SimHandle};

/// What a load run measured.
pub(crate) struct LoadOutcome {
    pub(crate) requests: usize,
    pub(crate) elapsed: Duration,
    pub(crate) unexpected: Vec<String>,
    pub(crate) mismatched: Vec<String>,
}

impl LoadOutcome {
    pub(crate) fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs the load as `owner` (whose recordings must number at least `clients * 2`).
pub(crate) async fn run(
    sim: &SimHandle,
    owner: &str,
    clients: usize,
    per_client: usize,
) -> LoadOutcome {
    let identity = sim.identity(owner).expect("identity").clone();
    let ids = sim.ids_owned_by(&identity.email);
    let chunk = ids.len() / clients;
    assert!(chunk >= 2, "need at least two recordings per client");
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("client");
    let base = sim.base_url().to_owned();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..clients {
        let mine: Vec<String> = ids[k * chunk..(k + 1) * chunk].to_vec();
        let (http, base, token) = (http.clone(), base.clone(), identity.token.clone());
        tasks.push(tokio::spawn(async move {
            let mut unexpected = Vec::new();
            let mut last = HashMap::new();
            for i in 0..per_client {
                let (path, state) = if i % 2 == 0 {
                    ("softDelete", RecordingState::Deleted)
                } else {
                    ("restore", RecordingState::Available)
                };
                // Each request acts on a rotating window of this client's IDs.
                let window: Vec<&String> = mine
                    .iter()
                    .cycle()
                    .skip(i % mine.len())
                    .take(mine.len().min(5))
                    .collect();
                let body = serde_json::json!({ "recordingIds": window }).to_string();
                let resp = http
                    .post(format!("{base}/convergedRecordings/{path}"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status() == 204 => {
                        for id in window {
                            last.insert(id.clone(), state);
                        }
                    }
                    Ok(r) => unexpected.push(format!("{path}: {}", r.status())),
                    Err(e) => unexpected.push(format!("{path}: {e}")),
                }
            }
            (unexpected, last)
        }));
    }
    let mut unexpected = Vec::new();
    let mut expected = HashMap::new();
    for task in tasks {
        let (u, last) = task.await.expect("client task");
        unexpected.extend(u);
        expected.extend(last);
    }
    let elapsed = start.elapsed();
    let mut mismatched = Vec::new();
    let states: HashMap<String, RecordingState> = sim
        .recordings()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    assert_eq!(
        states.len(),
        sim.recordings().len(),
        "every recording in exactly one state"
    );
    for (id, want) in &expected {
        if states.get(id) != Some(want) {
            mismatched.push(format!(
                "{id}: expected {want:?}, found {:?}",
                states.get(id)
            ));
        }
    }
    LoadOutcome {
        requests: clients * per_client,
        elapsed,
        unexpected,
        mismatched,
    }
}
