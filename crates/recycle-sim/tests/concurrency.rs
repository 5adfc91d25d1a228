//! Many clients at once lose no update (a small, bounded version of `cargo bench -p recycle-bench --bench sim_load`).

mod common;

#[path = "common/load.rs"]
mod load;

use common::Env;
use recycle_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_leave_a_consistent_state() {
    let env = Env::start(SimConfig::new(5).recordings_for("alice", 80)).await;
    let outcome = load::run(&env.sim, "alice", 8, 150).await;
    assert!(outcome.unexpected.is_empty(), "{:?}", outcome.unexpected);
    assert!(outcome.mismatched.is_empty(), "{:?}", outcome.mismatched);
    assert_eq!(outcome.requests, 8 * 150);
    assert_eq!(
        env.sim.requests().len(),
        outcome.requests,
        "every request was logged"
    );
}
