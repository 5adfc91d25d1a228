//! `recycle-bench`: the measurements of `cargo xtask bench`, as one JSON object on stdout.
//!
//! Every figure is a ratio measured side by side in this run (interleaved rounds, medians),
//! since absolute times on a shared machine are noise. Every loop has a count and a deadline.

mod build;
mod bulk;
mod machine;
mod overhead;
mod scale;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::{Map, Value, json};

/// Anything that runs longer than this is cut short and reported as such.
pub(crate) const DEADLINE: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = args
        .windows(2)
        .find(|w| w[0] == "--cli")
        .map(|w| w[1].clone());
    let quick = args.iter().any(|a| a == "--quick");
    if args.iter().any(|a| a == build::ONCE) {
        // A child of the build measurement.
        let line = build::once(quick).to_string();
        return match writeln!(std::io::stdout().lock(), "{line}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    // `--only overhead` (or build, bulk, scale): one part, for a profiler.
    let only = args
        .windows(2)
        .find(|w| w[0] == "--only")
        .map(|w| w[1].clone());
    let wanted = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let mut results = Map::new();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("recycle-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    recycle_async::install_ring_provider();
    let mut part = |name: &str, run: &mut dyn FnMut() -> Map<String, Value>| {
        results.insert(
            format!("machine_control_ns_{name}"),
            round3(machine::control_ns()),
        );
        let watch = machine::Watch::start();
        results.extend(run());
        let steal = watch.steal_share().map_or(Value::Null, round3);
        results.insert(format!("machine_steal_share_{name}"), steal);
    };
    if wanted("build") {
        eprintln!("building a 100-ID request...");
        part("build", &mut || build::run(quick));
    }
    if wanted("overhead") {
        eprintln!("client overhead...");
        part("overhead", &mut || overhead::run(&runtime, quick));
    }
    if wanted("bulk") {
        eprintln!("bulk under a rate limit...");
        part("bulk", &mut || bulk::run(&runtime, quick));
    }
    match cli.filter(|_| wanted("scale")) {
        Some(path) => {
            eprintln!("1,000,000 IDs through the CLI...");
            part("scale", &mut || {
                let mut out = scale::run(&runtime, &path, quick);
                eprintln!("retention selections through the CLI...");
                out.extend(scale::selections(&runtime, &path, quick));
                out
            });
        }
        None => eprintln!("no --cli PATH: skipping the CLI scale run"),
    }
    let json = serde_json::to_string_pretty(&Value::Object(results)).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{json}").is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// A simulator where only alice owns recordings, `ids` of them, with `tweak` applied to
/// its configuration; returns it with alice's token and recording IDs.
pub(crate) fn alice_sim(
    runtime: &tokio::runtime::Runtime,
    seed: u64,
    ids: usize,
    tweak: impl FnOnce(&mut recycle_sim::SimConfig),
) -> (recycle_sim::SimHandle, String, Vec<String>) {
    let mut config = recycle_sim::SimConfig::new(seed).recordings_for("alice", ids);
    config.recordings_per_identity = 0;
    tweak(&mut config);
    let sim = runtime
        .block_on(recycle_sim::Simulator::start(config))
        .unwrap_or_else(|e| panic!("simulator: {e}"));
    let alice = sim
        .identity("alice")
        .map(|i| (i.token.clone(), i.email.clone()));
    let (token, email) = alice.unwrap_or_default();
    let all = sim.ids_owned_by(&email);
    (sim, token, all)
}

/// The median of `values` (which must not be empty).
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

pub(crate) fn round3(x: f64) -> Value {
    json!((x * 1000.0).round() / 1000.0)
}
