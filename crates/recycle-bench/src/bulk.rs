//! Bulk under a rate limit: N IDs against the simulator limited to R requests/s, for both
//! clients and for the naive loop (sequential batches, retrying 429 only, by sleeping
//! Retry-After), each against a fresh simulator.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use recycle_core::{BulkReport, RecordingId, Trash};
use recycle_sim::{RateLimit, RecordingState, SimHandle};
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

use crate::{DEADLINE, alice_sim, round3};

const RATE: f64 = 100.0;

struct Run {
    elapsed: Duration,
    lost: usize,
    failed: usize,
    rate_limited: usize,
}

fn simulator(runtime: &Runtime, ids: usize) -> (SimHandle, String, Vec<String>) {
    alice_sim(runtime, 3, ids, |c| {
        c.rate_limit = Some(RateLimit::per_second(RATE));
        c.log_capacity = 50_000;
    })
}

/// IDs unaccounted for by the report, or reported as succeeded but not in the bin.
fn lost(sim: &SimHandle, ids: &[String], report: &BulkReport) -> usize {
    let unique: Vec<RecordingId> = ids
        .iter()
        .filter_map(|i| RecordingId::new(i.as_str()).ok())
        .collect();
    let unaccounted = if report.partitions(&unique) {
        0
    } else {
        unique.len().abs_diff(report.total()).max(1)
    };
    let states: HashMap<String, RecordingState> = sim
        .recordings()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    let wrong = report
        .succeeded
        .iter()
        .filter(|id| states.get(id.as_str()) != Some(&RecordingState::Deleted))
        .count();
    unaccounted + wrong
}

fn rate_limited(sim: &SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count()
}

fn ours(runtime: &Runtime, ids: usize, asynchronous: bool) -> Run {
    let (sim, token, all) = simulator(runtime, ids);
    let start = Instant::now();
    let report = if asynchronous {
        let client = recycle_async::Client::builder()
            .base_url(sim.base_url())
            .token(token.into())
            .build();
        let client = client.unwrap_or_else(|e| panic!("{e}"));
        runtime.block_on(client.bulk(Trash, all.clone(), |_| {}))
    } else {
        let client = recycle_blocking::Client::builder()
            .base_url(sim.base_url())
            .token(token.into())
            .build();
        client
            .unwrap_or_else(|e| panic!("{e}"))
            .bulk(Trash, all.clone(), |_| {})
    };
    let elapsed = start.elapsed();
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    let run = Run {
        elapsed,
        lost: lost(&sim, &all, &report),
        failed: report.failed.len(),
        rate_limited: rate_limited(&sim),
    };
    runtime.block_on(sim.stop());
    run
}

/// What SDK users write by hand: batches of 100 in order, and on 429 sleep Retry-After.
fn naive(runtime: &Runtime, ids: usize) -> Run {
    let (sim, token, all) = simulator(runtime, ids);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/convergedRecordings/softDelete", sim.base_url());
    let start = Instant::now();
    let mut failed = 0;
    for chunk in all.chunks(100) {
        let body = json!({ "recordingIds": chunk }).to_string();
        loop {
            let resp = agent
                .post(&url)
                .header("authorization", &format!("Bearer {token}"))
                .header("content-type", "application/json")
                .send(body.as_str());
            let Ok(mut resp) = resp else {
                failed += chunk.len();
                break;
            };
            let _ = resp.body_mut().read_to_vec();
            if resp.status() != 429 || start.elapsed() > DEADLINE {
                if resp.status() != 204 {
                    failed += chunk.len();
                }
                break;
            }
            let wait = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            std::thread::sleep(Duration::from_secs(wait));
        }
    }
    let elapsed = start.elapsed();
    let done = sim
        .ids_of("alice@example.com", RecordingState::Deleted)
        .len();
    let run = Run {
        elapsed,
        lost: all.len() - done - failed,
        failed,
        rate_limited: rate_limited(&sim),
    };
    runtime.block_on(sim.stop());
    run
}

pub(crate) fn run(runtime: &Runtime, quick: bool) -> Map<String, Value> {
    let ids = if quick { 10_000 } else { 100_000 };
    let minimum = (ids as f64 / 100.0).ceil() / RATE;
    let mut out = Map::new();
    out.insert("bulk_ids".into(), json!(ids));
    out.insert("bulk_rate_per_second".into(), json!(RATE));
    out.insert("bulk_minimum_seconds".into(), json!(minimum));
    for (name, run) in [
        ("async", ours(runtime, ids, true)),
        ("blocking", ours(runtime, ids, false)),
    ] {
        out.insert(
            format!("bulk_{name}_seconds"),
            round3(run.elapsed.as_secs_f64()),
        );
        out.insert(
            format!("bulk_{name}_ratio_to_min"),
            round3(run.elapsed.as_secs_f64() / minimum),
        );
        out.insert(format!("bulk_{name}_ids_lost"), json!(run.lost));
        out.insert(format!("bulk_{name}_ids_failed"), json!(run.failed));
        out.insert(format!("bulk_{name}_429s"), json!(run.rate_limited));
    }
    let naive = naive(runtime, ids);
    out.insert("naive_seconds".into(), round3(naive.elapsed.as_secs_f64()));
    out.insert(
        "naive_ratio_to_min".into(),
        round3(naive.elapsed.as_secs_f64() / minimum),
    );
    out.insert("naive_ids_lost".into(), json!(naive.lost));
    out.insert("naive_429s".into(), json!(naive.rate_limited));
    let worst = ["async", "blocking"]
        .iter()
        .filter_map(|n| {
            out.get(&format!("bulk_{n}_ratio_to_min"))
                .and_then(Value::as_f64)
        })
        .fold(0.0, f64::max);
    let lost: u64 = ["async", "blocking"]
        .iter()
        .filter_map(|n| {
            out.get(&format!("bulk_{n}_ids_lost"))
                .and_then(Value::as_u64)
        })
        .sum();
    let limited: u64 = ["async", "blocking"]
        .iter()
        .filter_map(|n| out.get(&format!("bulk_{n}_429s")).and_then(Value::as_u64))
        .sum();
    out.insert("bulk_ratio_to_min".into(), json!(worst));
    out.insert("bulk_ids_lost".into(), json!(lost));
    out.insert("bulk_429s".into(), json!(limited));
    out
}
