//! Scale: 1,000,000 IDs through the release CLI with --ids-file: time and peak memory.

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

    let start = Instant::now();
    let out = Command::new(cli)
        .args([
            "--base-url",
            sim.base_url(),
            "-v",
            "--json",
            "trash",
            "--ids-file",
        ])
        .arg(&file)
        .env("WEBEX_TOKEN", token)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cli}: {e}"));
    let elapsed = start.elapsed();
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak: Option<u64> = stderr.lines().find_map(|l| {
        l.strip_prefix("peak memory: ")?
            .strip_suffix(" MiB")?
            .parse()
            .ok()
    });
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let succeeded = report["succeeded"].as_array().map_or(0, Vec::len);
    let in_bin = sim.ids_of(email, RecordingState::Deleted).len();
    runtime.block_on(sim.stop());

    let mut result = Map::new();
    result.insert("cli_ids".into(), json!(ids));
    result.insert("cli_1m_seconds".into(), round3(elapsed.as_secs_f64()));
    result.insert("cli_1m_peak_rss_mb".into(), json!(peak));
    result.insert("cli_1m_exit_code".into(), json!(out.status.code()));
    result.insert("cli_1m_ids_lost".into(), json!(ids - succeeded.min(in_bin)));
    result
}
