//! What only the async client has: concurrent batches, bounded, and cancellation by
//! dropping the future.

use std::time::{Duration, Instant};

use recycle_async::Client;
use recycle_async::core::{RecordingId, Trash, TrashRequest};
use recycle_sim::{FaultResponse, RecordingState, SimConfig, Simulator};

const SOFT: &str = "/convergedRecordings/softDelete";

fn client(base_url: &str, token: &str, concurrency: usize) -> Client {
    Client::builder()
        .base_url(base_url)
        .token(token.to_owned().into())
        .concurrency(concurrency)
        .backoff(Duration::from_millis(5), Duration::from_millis(40))
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_run_concurrently_but_never_more_than_the_bound() {
    let sim = Simulator::start(SimConfig::new(2).recordings_for("alice", 800))
        .await
        .expect("sim");
    sim.inject(SOFT, vec![FaultResponse::delay_ms(200); 8]);
    let alice = sim.identity("alice").expect("alice").clone();
    let ids = sim.ids_owned_by(&alice.email);
    assert_eq!(ids.len(), 800);
    let client = client(sim.base_url(), &alice.token, 4);
    let start = Instant::now();
    let report = client.bulk(Trash, ids, |_| {}).await.expect("report");
    let elapsed = start.elapsed();
    assert!(report.is_success());
    // Eight batches of 200 ms with at most four in flight take at least two rounds.
    assert!(elapsed >= Duration::from_millis(390), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_bulk_job_leaves_the_client_usable() {
    let sim = Simulator::start(SimConfig::new(4).recordings_for("alice", 1_000))
        .await
        .expect("sim");
    sim.inject(SOFT, vec![FaultResponse::delay_ms(300); 6]);
    let alice = sim.identity("alice").expect("alice").clone();
    let ids = sim.ids_owned_by(&alice.email);
    let client = client(sim.base_url(), &alice.token, 4);

    let cancelled = tokio::time::timeout(
        Duration::from_millis(100),
        client.bulk(Trash, ids.clone(), |_| {}),
    )
    .await;
    assert!(
        cancelled.is_err(),
        "the job was still running and got dropped"
    );

    // The same client (and a clone sharing its budget) keeps working.
    let receipt = client
        .trash(&TrashRequest::by_ids([ids[0].as_str()]).expect("ids"))
        .await
        .expect("trash");
    assert_eq!(receipt.status, 204);
    let report = client
        .clone()
        .bulk(Trash, ids.clone(), |_| {})
        .await
        .expect("report");
    let unique: Vec<RecordingId> = ids
        .iter()
        .map(|i| RecordingId::new(i.clone()).expect("id"))
        .collect();
    assert!(report.partitions(&unique));
    assert!(report.is_success(), "{:?}", report.failed.first());
    assert!(
        sim.ids_of(&alice.email, RecordingState::Available)
            .is_empty()
    );
}
