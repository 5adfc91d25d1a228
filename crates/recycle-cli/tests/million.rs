//! A million IDs from a file, through the binary, against the simulator: an exact report,
//! and the CLI's peak memory under 256 MiB.

mod common;

use std::time::Instant;

use common::Env;
use recycle_sim::RecordingState::Available;
use recycle_sim::SimConfig;

const IDS: usize = 1_000_000;
const PEAK_MIB_LIMIT: u64 = 256;

/// About 20 s in a debug build; `--release --nocapture` shows the figures of an optimised run.
#[test]
fn a_million_ids_from_a_file() {
    let mut config = SimConfig::new(11).recordings_for("alice", IDS);
    config.recordings_per_identity = 0;
    config.log_capacity = 100;
    let env = Env::with(config);
    let ids = env.all_ids("alice");
    assert_eq!(ids.len(), IDS);
    let path = env.file("million.txt", &ids.join("\n"));

    let start = Instant::now();
    let out = env.run(
        Some("alice"),
        &["-v", "--json", "trash", "--ids-file", &path],
    );
    let elapsed = start.elapsed();
    assert_eq!(
        out.code,
        0,
        "{}",
        out.stderr
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let report = out.json();
    assert_eq!(report["succeeded"].as_array().map(Vec::len), Some(IDS));
    assert_eq!(report["failed"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["notAttempted"].as_array().map(Vec::len), Some(0));
    assert!(
        env.ids("alice", Available).is_empty(),
        "every recording is in the bin"
    );
    let peak: u64 = out
        .stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("peak memory: ")?
                .strip_suffix(" MiB")?
                .parse()
                .ok()
        })
        .expect("-v reports the peak memory");
    eprintln!("1,000,000 IDs: {elapsed:.1?}, CLI peak memory {peak} MiB");
    assert!(peak <= PEAK_MIB_LIMIT, "{peak} MiB");
}
