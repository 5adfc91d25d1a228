//! Scale: 1,000,000 IDs through the release CLI with --ids-file, and retention selections
//! (`--created-before`) over 100,000 and 1,000,000 recordings of one owner: time and peak
//! memory of the CLI process; and a selection under a rate limit against its floor.

use std::process::{Command, Stdio};
use std::time::Instant;

use recycle_sim::RecordingState;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

use crate::{alice_sim, round3};

pub(crate) fn run(runtime: &Runtime, cli: &str, quick: bool) -> Map<String, Value> {
    let ids = if quick { 100_000 } else { 1_000_000 };
    let (sim, token, all) = alice_sim(runtime, 11, ids, |c| c.log_capacity = 100);
    let email = "alice@example.com";
    let file = std::env::temp_dir().join(format!("recycle-bench-{}.txt", std::process::id()));
    std::fs::write(&file, all.join("\n")).unwrap_or_else(|e| panic!("{}: {e}", file.display()));

    let path = file.to_string_lossy().into_owned();
    let (code, seconds, peak, report) = cli_run(cli, &sim, &token, &["trash", "--ids-file", &path]);
    let _ = std::fs::remove_file(&file);
    let succeeded = report["succeeded"].as_array().map_or(0, Vec::len);
    let in_bin = sim.ids_of(email, RecordingState::Deleted).len();
    runtime.block_on(sim.stop());

    let mut result = Map::new();
    result.insert("cli_ids".into(), json!(ids));
    result.insert("cli_1m_seconds".into(), round3(seconds));
    result.insert("cli_1m_peak_rss_mb".into(), json!(peak));
    result.insert("cli_1m_exit_code".into(), json!(code));
    result.insert("cli_1m_ids_lost".into(), json!(ids - succeeded.min(in_bin)));
    result
}

/// Runs the release CLI as alice against `sim`; returns the exit code, the elapsed time,
/// the peak memory it reports (`-v`) and its JSON report.
fn cli_run(
    cli: &str,
    sim: &recycle_sim::SimHandle,
    token: &str,
    args: &[&str],
) -> (Option<i32>, f64, Option<u64>, Value) {
    let start = Instant::now();
    let out = Command::new(cli)
        .args(["--base-url", sim.base_url(), "-v", "--json"])
        .args(args)
        .env("WEBEX_TOKEN", token)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cli}: {e}"));
    let elapsed = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak: Option<u64> = stderr.lines().find_map(|l| {
        l.strip_prefix("peak memory: ")?
            .strip_suffix(" MiB")?
            .parse()
            .ok()
    });
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code(), elapsed, peak, report)
}

/// The recordings' cutoff: a day after the simulator's present (they are all older).
const CUTOFF: &str = "2026-06-02";

/// A selection job (`trash --created-before`) over `n` recordings of alice, no rate limit.
fn selection(runtime: &Runtime, cli: &str, n: usize, key: &str, out: &mut Map<String, Value>) {
    let (sim, token, _) = alice_sim(runtime, 13, n, |c| {
        c.log_capacity = 100;
        c.now = recycle_core::Timestamp::parse("2026-06-01").ok();
    });
    // A fifth of the generated recordings start in the bin: the selection is the rest.
    let email = "alice@example.com";
    let selected = sim.ids_of(email, RecordingState::Available).len();
    let (code, seconds, peak, report) = cli_run(
        cli,
        &sim,
        &token,
        &["trash", "--created-before", CUTOFF, "--max", "100"],
    );
    let succeeded = report["succeeded"].as_array().map_or(0, Vec::len);
    let still_available = sim.ids_of(email, RecordingState::Available).len();
    runtime.block_on(sim.stop());
    out.insert(format!("selection_{key}_recordings"), json!(n));
    out.insert(format!("selection_{key}_selected"), json!(selected));
    out.insert(format!("selection_{key}_seconds"), round3(seconds));
    out.insert(format!("selection_{key}_peak_rss_mb"), json!(peak));
    out.insert(format!("selection_{key}_exit_code"), json!(code));
    // Lost: selected and neither reported succeeded nor moved to the bin.
    let moved = selected - still_available.min(selected);
    out.insert(
        format!("selection_{key}_ids_lost"),
        json!(selected.saturating_sub(succeeded.min(moved))),
    );
}

/// A selection under a rate limit: elapsed against (list pages + batches - burst) / rate.
fn selection_paced(runtime: &Runtime, cli: &str, n: usize, out: &mut Map<String, Value>) {
    const RATE: f64 = 50.0;
    let (sim, token, _) = alice_sim(runtime, 17, n, |c| {
        c.log_capacity = 50_000;
        c.now = recycle_core::Timestamp::parse("2026-06-01").ok();
        c.rate_limit = Some(recycle_sim::RateLimit::per_second(RATE));
    });
    let (code, seconds, _, report) = cli_run(
        cli,
        &sim,
        &token,
        &["trash", "--created-before", CUTOFF, "--max", "100"],
    );
    let log = sim.requests();
    let answered = |method: &str| {
        log.iter()
            .filter(|r| r.method == method && r.status != Some(429))
            .count()
    };
    let (pages, batches) = (answered("GET"), answered("POST"));
    let limited = log.iter().filter(|r| r.status == Some(429)).count();
    let succeeded = report["succeeded"].as_array().map_or(0, Vec::len);
    runtime.block_on(sim.stop());
    let floor = ((pages + batches) as f64 - RATE) / RATE;
    out.insert("selection_paced_recordings".into(), json!(n));
    out.insert("selection_paced_rate_per_second".into(), json!(RATE));
    out.insert("selection_paced_list_pages".into(), json!(pages));
    out.insert("selection_paced_batches".into(), json!(batches));
    out.insert("selection_paced_429s".into(), json!(limited));
    out.insert("selection_paced_seconds".into(), round3(seconds));
    out.insert("selection_paced_exit_code".into(), json!(code));
    out.insert("selection_paced_succeeded".into(), json!(succeeded));
    out.insert(
        "selection_floor_ratio".into(),
        round3(seconds / floor.max(1.0 / RATE)),
    );
}

/// Every selection figure.
pub(crate) fn selections(runtime: &Runtime, cli: &str, quick: bool) -> Map<String, Value> {
    let mut out = Map::new();
    let (large, small, paced) = if quick {
        (100_000, 10_000, 5_000)
    } else {
        (1_000_000, 100_000, 20_000)
    };
    selection(runtime, cli, small, "100k", &mut out);
    selection(runtime, cli, large, "1m", &mut out);
    selection_paced(runtime, cli, paced, &mut out);
    out
}
