//! A bulk job stopped from outside keeps its report: through the library, for both clients.

#[macro_use]
mod harness;

use harness::{Adapter, Async, Blocking, Env, Opts};
use recycle_core::{StopHandle, Trash};
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::{FaultResponse, SimConfig};

const SOFT: &str = "/convergedRecordings/softDelete";

for_both_clients!(
    a_stopped_job_returns_its_report_with_the_rest_not_attempted,
    a_batch_waiting_to_retry_is_reported_by_what_it_may_have_done,
);

fn a_stopped_job_returns_its_report_with_the_rest_not_attempted<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 1_000));
    let opts = Opts {
        concurrency: 1,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let ids = env.ids("alice", Available);
    let stop = StopHandle::new();
    let mut batches = 0;
    let report = alice
        .bulk_until(Trash, ids.clone(), &stop, |_| {
            batches += 1;
            if batches == 2 {
                stop.stop();
            }
        })
        .expect("a report");
    assert_eq!(report.succeeded.len(), 200, "two batches, then nothing new");
    assert_eq!(report.not_attempted.len(), ids.len() - 200);
    assert!(report.failed.is_empty());
    assert!(
        report
            .succeeded
            .iter()
            .all(|id| env.state_of(id.as_str()) == Some(Deleted))
    );
    assert!(
        report
            .not_attempted
            .iter()
            .all(|id| env.state_of(id.as_str()) == Some(Available))
    );
}

fn a_batch_waiting_to_retry_is_reported_by_what_it_may_have_done<A: Adapter>() {
    for (fault, unknown) in [
        // Applied, then a 503: it may have been applied.
        (FaultResponse::status(503).after_applying(), true),
        // A 429 was not processed: nothing was applied.
        (FaultResponse::status(429).retry_after("30"), false),
    ] {
        let env = Env::with(SimConfig::new(7).fault(SOFT, vec![fault]));
        let opts = Opts {
            base_delay: std::time::Duration::from_secs(30),
            ..Opts::default()
        };
        let alice = env.client::<A>("alice", &opts);
        let ids: Vec<String> = env.ids("alice", Available).into_iter().take(5).collect();
        let stop = StopHandle::new();
        let stopper = stop.clone();
        let timer = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            stopper.stop();
        });
        let started = std::time::Instant::now();
        let report = alice
            .bulk_until(Trash, ids.clone(), &stop, |_| {})
            .expect("a report");
        timer.join().expect("timer");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "it stopped waiting"
        );
        if unknown {
            assert_eq!(report.failed.len(), 5);
            assert!(report.failed.iter().all(|f| f.failure.outcome_unknown));
        } else {
            assert_eq!(report.not_attempted.len(), 5, "{report:?}");
        }
    }
}
