//! Bulk under a rate limit: N IDs against the simulator limited to R requests/s, for both
//! clients and for the naive loop (sequential batches, retrying 429 only, by sleeping
//! Retry-After), each against a fresh simulator. The true floor is what the bucket allows:
//! its initial burst at once, then R a second: (batches - burst) / R.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use recycle_core::{BulkReport, RecordingId, Trash};
use recycle_sim::{RateLimit, RecordingState, SimHandle};
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

use crate::{DEADLINE, alice_sim, round3};

const RATE: f64 = 100.0;
/// The slow rate, and the IDs sent at it.
const SLOW_RATE: f64 = 5.0;
/// 400 requests: enough that the few 429s any client needs to learn a limit it was not told
/// weigh under 1% (a 60-request job pays 3-4 of them, 5-6% of its requests).
const SLOW_IDS: usize = 40_000;

struct Run {
    elapsed: Duration,
    lost: usize,
    failed: usize,
    rate_limited: usize,
    requests: usize,
}

fn simulator(runtime: &Runtime, ids: usize, rate: f64) -> (SimHandle, String, Vec<String>) {
    alice_sim(runtime, 3, ids, |c| {
        c.rate_limit = Some(RateLimit::per_second(rate));
        c.log_capacity = 50_000;
    })
}

/// Seconds the simulator's bucket needs for `ids` IDs in batches of 100 at `rate`: its
/// burst (one second's worth) at once, then `rate` a second.
fn floor_seconds(ids: usize, rate: f64) -> f64 {
    let batches = (ids as f64 / 100.0).ceil();
    ((batches - rate.max(1.0)) / rate).max(1.0 / rate)
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

fn requests(sim: &SimHandle) -> usize {
    sim.requests().iter().filter(|r| r.method == "POST").count()
}

fn ours(runtime: &Runtime, ids: usize, asynchronous: bool, rate: f64) -> Run {
    let (sim, token, all) = simulator(runtime, ids, rate);
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
        requests: requests(&sim),
    };
    runtime.block_on(sim.stop());
    run
}

/// What SDK users write by hand: batches of 100 in order, and on 429 sleep Retry-After.
fn naive(runtime: &Runtime, ids: usize) -> Run {
    let (sim, token, all) = simulator(runtime, ids, RATE);
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
        requests: requests(&sim),
    };
    runtime.block_on(sim.stop());
    run
}

/// The floor ratio and 429 share of each client at `rate` over `ids` IDs, under `suffix`.
/// `together` runs the two clients at once, each against its own simulator (at a rate low
/// enough that they do not compete for the machine).
fn paced(
    runtime: &Runtime,
    ids: usize,
    rate: f64,
    suffix: &str,
    together: bool,
    out: &mut Map<String, Value>,
) {
    let floor = floor_seconds(ids, rate);
    out.insert(format!("bulk_floor_seconds{suffix}"), round3(floor));
    let runs = std::thread::scope(|scope| {
        let beside = together.then(|| scope.spawn(|| ours(runtime, ids, false, rate)));
        let asynchronous = ours(runtime, ids, true, rate);
        let blocking = match beside {
            Some(run) => run.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            None => ours(runtime, ids, false, rate),
        };
        [("async", asynchronous), ("blocking", blocking)]
    });
    for (name, run) in runs {
        let seconds = run.elapsed.as_secs_f64();
        out.insert(
            format!("bulk_floor_ratio_{name}{suffix}"),
            round3(seconds / floor),
        );
        out.insert(
            format!("bulk_429_share_{name}{suffix}"),
            round3(run.rate_limited as f64 / run.requests.max(1) as f64),
        );
        out.insert(format!("bulk_{name}_seconds{suffix}"), round3(seconds));
        out.insert(format!("bulk_{name}_requests{suffix}"), json!(run.requests));
        out.insert(format!("bulk_{name}_429s{suffix}"), json!(run.rate_limited));
        out.insert(format!("bulk_{name}_ids_lost{suffix}"), json!(run.lost));
        out.insert(format!("bulk_{name}_ids_failed{suffix}"), json!(run.failed));
    }
}

pub(crate) fn run(runtime: &Runtime, quick: bool) -> Map<String, Value> {
    let ids = if quick { 10_000 } else { 100_000 };
    let slow_ids = if quick { 1_500 } else { SLOW_IDS };
    let mut out = Map::new();
    out.insert("bulk_ids".into(), json!(ids));
    out.insert("bulk_rate_per_second".into(), json!(RATE));
    out.insert("bulk_ids_5rps".into(), json!(slow_ids));
    paced(runtime, ids, RATE, "", false, &mut out);
    paced(runtime, slow_ids, SLOW_RATE, "_5rps", true, &mut out);
    let naive = naive(runtime, ids);
    let floor = floor_seconds(ids, RATE);
    out.insert("naive_seconds".into(), round3(naive.elapsed.as_secs_f64()));
    out.insert(
        "naive_floor_ratio".into(),
        round3(naive.elapsed.as_secs_f64() / floor),
    );
    out.insert("naive_ids_lost".into(), json!(naive.lost));
    out.insert("naive_429s".into(), json!(naive.rate_limited));
    out.insert(
        "naive_429_share".into(),
        round3(naive.rate_limited as f64 / naive.requests.max(1) as f64),
    );
    let lost: u64 = out
        .iter()
        .filter(|(k, _)| k.starts_with("bulk_") && k.contains("_ids_lost"))
        .filter_map(|(_, v)| v.as_u64())
        .sum();
    out.insert("bulk_ids_lost".into(), json!(lost));
    out
}
