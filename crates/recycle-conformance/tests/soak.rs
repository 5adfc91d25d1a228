//! The soak: concurrent bulk jobs on both clients against a rate-limited simulator that
//! injects random faults. Afterwards every report partitions its job's IDs and agrees with
//! the simulator's state. `cargo test` runs 4 jobs of 1,000 IDs with faults in 20% of
//! requests (so that its few dozen requests meet some); `cargo xtask soak` (RECYCLE_SOAK=full)
//! runs 16 jobs of 5,000 with faults in 5%.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use recycle_core::{BulkReport, RecordingId, Trash};
use recycle_sim::{BackgroundSimulator, RateLimit, RecordingState, SimConfig};

struct Size {
    jobs: usize,
    ids_per_job: usize,
    rate: f64,
    fault_rate: f64,
    deadline: Duration,
}

fn size() -> Size {
    if std::env::var("RECYCLE_SOAK").is_ok_and(|v| v == "full") {
        Size {
            jobs: 16,
            ids_per_job: 5_000,
            rate: 200.0,
            fault_rate: 0.05,
            deadline: Duration::from_secs(300),
        }
    } else {
        Size {
            jobs: 4,
            ids_per_job: 1_000,
            rate: 100.0,
            fault_rate: 0.2,
            deadline: Duration::from_secs(60),
        }
    }
}

#[test]
fn concurrent_jobs_under_random_faults_account_for_every_id() {
    let size = size();
    let total = size.jobs * size.ids_per_job;
    let limit = RateLimit {
        burst: size.rate / 4.0,
        ..RateLimit::per_second(size.rate)
    };
    let mut config = SimConfig::new(13)
        .recordings_for("alice", total)
        .rate_limit(limit)
        .chaos(size.fault_rate, 99);
    config.recordings_per_identity = 0;
    config.log_capacity = 50_000;
    let sim = BackgroundSimulator::start(config).expect("simulator");
    let token = sim.identity("alice").expect("alice").token.clone();
    let all = sim.ids_owned_by("alice@example.com");
    let jobs: Vec<Vec<String>> = all
        .chunks(size.ids_per_job)
        .map(<[String]>::to_vec)
        .collect();

    let start = Instant::now();
    let async_client =
        harness_free::configure(recycle_async::Client::builder(), sim.base_url(), &token)
            .build()
            .expect("async client");
    let blocking_client =
        harness_free::configure(recycle_blocking::Client::builder(), sim.base_url(), &token)
            .build()
            .expect("blocking client");
    let (async_jobs, blocking_jobs) = jobs.split_at(jobs.len() / 2);
    let reports: Vec<(Vec<String>, BulkReport)> = std::thread::scope(|scope| {
        let threads: Vec<_> = blocking_jobs
            .iter()
            .map(|ids| {
                let client = &blocking_client;
                scope.spawn(move || {
                    (
                        ids.clone(),
                        client.bulk(Trash, ids.clone(), |_| {}).expect("report"),
                    )
                })
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let mut out: Vec<(Vec<String>, BulkReport)> = runtime.block_on(async {
            let tasks = async_jobs.iter().map(|ids| {
                let client = &async_client;
                async move {
                    (
                        ids.clone(),
                        client
                            .bulk(Trash, ids.clone(), |_| {})
                            .await
                            .expect("report"),
                    )
                }
            });
            futures_util::future::join_all(tasks).await
        });
        out.extend(threads.into_iter().map(|t| t.join().expect("job thread")));
        out
    });
    let elapsed = start.elapsed();
    assert!(elapsed < size.deadline, "the soak took {elapsed:?}");

    let states: HashMap<String, RecordingState> = sim
        .recordings()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    let (mut succeeded, mut failed, mut unknown) = (0, 0, 0);
    for (ids, report) in &reports {
        let unique: Vec<RecordingId> = ids
            .iter()
            .map(|i| RecordingId::new(i.as_str()).expect("id"))
            .collect();
        assert!(
            report.partitions(&unique),
            "a job's report does not partition its IDs"
        );
        for id in &report.succeeded {
            assert_eq!(
                states.get(id.as_str()),
                Some(&RecordingState::Deleted),
                "{id} succeeded but was not applied"
            );
        }
        for f in &report.failed {
            match f.failure.status {
                // A definite refusal: the change was not made.
                Some(s) if (400..500).contains(&s) => {
                    assert_ne!(
                        states.get(f.id.as_str()),
                        Some(&RecordingState::Deleted),
                        "{} refused yet applied",
                        f.id
                    );
                }
                _ => unknown += 1,
            }
        }
        succeeded += report.succeeded.len();
        failed += report.failed.len();
        assert!(report.not_attempted.is_empty(), "nothing stops these jobs");
    }
    let log = sim.requests();
    let faulted = log.iter().filter(|r| r.fault.is_some()).count();
    let limited = log
        .iter()
        .filter(|r| r.status == Some(429) && r.fault.is_none())
        .count();
    eprintln!(
        "soak: {} jobs x {} IDs in {elapsed:.1?}, {} requests ({faulted} with a random fault, {limited} rate-limited): \
         {succeeded} succeeded, {failed} failed ({unknown} with an unknown outcome)",
        size.jobs,
        size.ids_per_job,
        log.len()
    );
    assert!(faulted > 0, "the soak injected no fault");
    assert_eq!(succeeded + failed, total);
}

/// Client settings for the soak: short backoff, enough attempts to ride out the limiter.
mod harness_free {
    use std::time::Duration;

    use recycle_core::ClientBuilder;

    pub(super) fn configure<B>(
        builder: ClientBuilder<B>,
        base_url: &str,
        token: &str,
    ) -> ClientBuilder<B> {
        builder
            .base_url(base_url)
            .token(token.to_owned().into())
            .max_attempts(8)
            .backoff(Duration::from_millis(5), Duration::from_millis(100))
            .retry_after_cap(Duration::from_secs(2))
            .seed(5)
    }
}
