//! The client machinery driven without a socket or a real wait: an engine on a manual clock,
//! a scripted transport, and the core's own loops (`Drive`, `BulkRun::run`, `Settling::run`).

use std::cell::Cell;
use std::time::{Duration, UNIX_EPOCH};

use recycle_core::adapter::Engine;
use recycle_core::test_util::ScriptedTransport;
use recycle_core::{
    BulkReport, ClientBuilder, Clock, ManualClock, StopHandle, Transport, TransportErrorKind, Trash,
};

fn engine(clock: &ManualClock, attempts: u32) -> Engine {
    ClientBuilder::<()>::new()
        .base_url("http://127.0.0.1:9/v1")
        .token("t0ken".to_owned().into())
        .max_attempts(attempts)
        .backoff(Duration::from_millis(200), Duration::from_secs(2))
        .clock(clock.clone())
        .seed(11)
        .into_parts()
        .expect("engine")
        .0
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("rec-{i:03}")).collect()
}

fn no_sleep(_: Duration) {
    panic!("a manual clock never asks the adapter to sleep")
}

/// Runs a trash job of `n` IDs through `transport`; `after_send` sees the request count.
fn trash(
    engine: &Engine,
    n: usize,
    transport: &ScriptedTransport,
    stop: &StopHandle,
    after_send: impl Fn(usize),
) -> BulkReport {
    let run = engine.bulk::<Trash>(ids(n)).expect("a valid job");
    let send = |request| {
        let result = transport.send(request);
        after_send(transport.requests().len());
        result
    };
    run.run(stop, send, no_sleep, |_| {})
}

#[test]
fn a_bulk_run_waits_as_the_server_says_on_the_clock_and_accounts_for_every_id() {
    let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let engine = engine(&clock, 4);
    let transport = ScriptedTransport::new()
        .status(429, &[("retry-after", "7")], "")
        .status(204, &[], "")
        .status(204, &[], "")
        .status(204, &[], "");
    let report = trash(&engine, 250, &transport, &StopHandle::new(), |_| {});
    assert_eq!(report.succeeded.len(), 250);
    assert!(report.failed.is_empty() && report.not_attempted.is_empty());
    assert_eq!(
        transport.requests().len(),
        4,
        "3 batches, one of them twice"
    );
    let waited = clock.waited();
    assert!(
        waited >= Duration::from_secs(7) && waited < Duration::from_secs(8),
        "the 7 s asked for, and the pace learned after it: {waited:?}"
    );
    assert_eq!(
        clock.now(),
        UNIX_EPOCH + Duration::from_secs(1_800_000_000) + waited,
        "time moved only by the waits"
    );
}

#[test]
fn a_stop_while_a_batch_waits_to_retry_leaves_it_unknown_and_the_rest_unsent() {
    let clock = ManualClock::starting_now();
    let engine = engine(&clock, 4);
    let transport = ScriptedTransport::new()
        .status(204, &[], "")
        .status(503, &[], "")
        .status(204, &[], "");
    let stop = StopHandle::new();
    let report = trash(&engine, 250, &transport, &stop, |sent| {
        if sent == 2 {
            stop.stop(); // as a signal would, while the 503's retry waits
        }
    });
    assert_eq!(transport.requests().len(), 2, "nothing sent after the stop");
    assert_eq!(report.succeeded.len(), 100);
    assert_eq!(report.failed.len(), 100);
    assert!(
        report.failed.iter().all(|f| f.failure.outcome_unknown),
        "a 503 may have been applied"
    );
    assert_eq!(report.not_attempted.len(), 50);
    assert!(
        clock.waits().is_empty(),
        "a stopped job waits for nothing: {:?}",
        clock.waits()
    );
}

#[test]
fn unknown_outcomes_are_read_back_and_settled_by_the_servers_state() {
    let clock = ManualClock::starting_now();
    let engine = engine(&clock, 1);
    let details =
        |id: &str, status: &str| serde_json::json!({ "id": id, "status": status }).to_string();
    let transport = ScriptedTransport::new()
        .error(TransportErrorKind::ConnectionDropped)
        .status(200, &[], &details("rec-000", "deleted"))
        .status(200, &[], &details("rec-001", "available"));
    let report = trash(&engine, 2, &transport, &StopHandle::new(), |_| {});
    let sent: Vec<String> = transport
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method(), r.uri().path()))
        .collect();
    assert_eq!(
        sent,
        [
            "POST /v1/convergedRecordings/softDelete",
            "GET /v1/convergedRecordings/rec-000",
            "GET /v1/convergedRecordings/rec-001",
        ]
    );
    let succeeded: Vec<&str> = report.succeeded.iter().map(|id| id.as_str()).collect();
    assert_eq!(succeeded, ["rec-000"], "read back in the bin");
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].id.as_str(), "rec-001");
    assert!(
        !report.failed[0].failure.outcome_unknown,
        "read back: not applied, for certain"
    );
}

#[test]
fn a_single_call_passes_its_pace_and_backoff_on_the_clock() {
    let clock = ManualClock::starting_now();
    let engine = engine(&clock, 3);
    let transport = ScriptedTransport::new()
        .status(500, &[], "")
        .status(502, &[], "")
        .status(204, &[], "");
    let request = recycle_core::TrashRequest::by_ids(["rec-1"]).expect("ids");
    let calls = Cell::new(0);
    let done = recycle_core::adapter::Drive::new(engine.operation(&request).expect("ok"), None)
        .run(
            |r| {
                calls.set(calls.get() + 1);
                transport.send(r)
            },
            no_sleep,
        )
        .expect("not stopped");
    let receipt = done.into_receipt().expect("the third attempt succeeds");
    assert_eq!((receipt.attempts, calls.get()), (3, 3));
    let waits = clock.waits();
    assert_eq!(waits.len(), 2, "one backoff before each retry: {waits:?}");
    assert!(
        waits.iter().all(|p| *p <= Duration::from_millis(800)),
        "full jitter under 200 ms, then 400 ms: {waits:?}"
    );
}
