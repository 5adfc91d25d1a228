//! The core's cost of one call before anything is sent: a 100-ID request validated and
//! serialized, a TrackingID made, the `http::Request` built (`Engine::operation`).
//!
//! This machine runs some processes at about half the speed of others (a whole process,
//! any code: the control below, which has nothing to do with the request, slows down with
//! it), so the figure is measured in several child processes: the fastest is the figure,
//! and every run's figure and control are kept beside it.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use recycle_core::{ClientBuilder, TrashRequest};
use serde_json::{Map, Value, json};

use crate::{median, round3};

/// Child processes measured.
const PROCESSES: usize = 5;

/// The argument that makes `recycle-bench` measure once and print one JSON line.
pub(crate) const ONCE: &str = "--build-once";

/// Measures in child processes (this executable with [`ONCE`]).
pub(crate) fn run(quick: bool) -> Map<String, Value> {
    let mut runs: Vec<Map<String, Value>> = Vec::new();
    let exe = std::env::current_exe();
    for _ in 0..if quick { 2 } else { PROCESSES } {
        let Ok(exe) = &exe else { break };
        let mut cmd = Command::new(exe);
        cmd.arg(ONCE);
        if quick {
            cmd.arg("--quick");
        }
        let Ok(out) = cmd.output() else { continue };
        if let Ok(Value::Object(run)) = serde_json::from_slice(&out.stdout) {
            runs.push(run);
        }
    }
    let column = |key: &str| -> Vec<f64> {
        runs.iter()
            .filter_map(|r| r.get(key).and_then(Value::as_f64))
            .map(|v| (v * 1000.0).round() / 1000.0)
            .collect()
    };
    let fastest = |key: &str| column(key).into_iter().reduce(f64::min);
    let mut out = Map::new();
    out.insert(
        "core_build_100_ids_us".into(),
        fastest("build_us").map_or(Value::Null, round3),
    );
    let mut medians = column("build_us");
    out.insert(
        "core_build_100_ids_us_median_of_runs".into(),
        if medians.is_empty() {
            Value::Null
        } else {
            round3(median(&mut medians))
        },
    );
    out.insert(
        "core_build_100_ids_with_drop_us".into(),
        fastest("build_with_drop_us").map_or(Value::Null, round3),
    );
    out.insert(
        "core_build_100_ids_us_runs".into(),
        json!(column("build_us")),
    );
    out.insert(
        "core_build_control_ns_runs".into(),
        json!(column("control_ns")),
    );
    out
}

/// One process's figures: medians over rounds of the build (its result dropped after the
/// clock stops, as divan does), of the build and drop, and of the control.
pub(crate) fn once(quick: bool) -> Value {
    let (rounds, builds) = if quick { (5, 2_000) } else { (15, 20_000) };
    let (engine, _) = ClientBuilder::<()>::new()
        .base_url("http://127.0.0.1:9/v1")
        .token("bench-token".to_owned().into())
        .into_parts()
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
    let build = || {
        let request = TrashRequest::by_ids(black_box(&ids).iter().map(String::as_str))
            .unwrap_or_else(|e| panic!("{e}"));
        engine.operation(&request).unwrap_or_else(|e| panic!("{e}"))
    };
    drop(build());
    // Results are kept and dropped a hundred at a time, outside the clock.
    let mut kept = Vec::with_capacity(100);
    let (mut build_us, mut with_drop_us, mut control_ns) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        let mut spent = Duration::ZERO;
        for _ in 0..builds / 100 {
            let start = Instant::now();
            for _ in 0..100 {
                kept.push(build());
            }
            spent += start.elapsed();
            kept.clear();
        }
        build_us.push(per(spent, builds / 100 * 100) * 1e6);
        let start = Instant::now();
        for _ in 0..builds {
            drop(black_box(build()));
        }
        with_drop_us.push(per(start.elapsed(), builds) * 1e6);
        control_ns.push(crate::machine::control_ns());
    }
    json!({
        "build_us": median(&mut build_us),
        "build_with_drop_us": median(&mut with_drop_us),
        "control_ns": median(&mut control_ns),
    })
}

fn per(elapsed: Duration, count: usize) -> f64 {
    elapsed.as_secs_f64() / count as f64
}
