//! Load check of the simulator: 8 concurrent clients x 2,000 requests over loopback, state
//! checked afterwards, throughput printed. Run with `cargo bench -p recycle-bench --bench sim_load`.

#![allow(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

#[path = "../../recycle-sim/tests/common/load.rs"]
mod load;

use std::process::ExitCode;

use recycle_sim::{SimConfig, Simulator};

const CLIENTS: usize = 8;
const PER_CLIENT: usize = 2_000;
const TARGET_PER_SECOND: f64 = 10_000.0;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut config = SimConfig::new(1).recordings_for("alice", 400);
        config.log_capacity = 1_000;
        let sim = Simulator::start(config).await.expect("simulator");
        let outcome = load::run(&sim, "alice", CLIENTS, PER_CLIENT).await;
        println!(
            "{} requests from {CLIENTS} clients in {:.2?}: {:.0} requests/s (target >= {TARGET_PER_SECOND:.0}); \
             {} unexpected answers, {} state mismatches",
            outcome.requests,
            outcome.elapsed,
            outcome.per_second(),
            outcome.unexpected.len(),
            outcome.mismatched.len()
        );
        let ok = outcome.unexpected.is_empty() && outcome.mismatched.is_empty() && outcome.per_second() >= TARGET_PER_SECOND;
        sim.stop().await;
        if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    })
}
