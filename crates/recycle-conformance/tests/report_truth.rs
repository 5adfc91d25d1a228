//! Every report is true: each ID ends in the report as it ended on the simulator, under
//! applied-then-failed attempts, throttling, partial refusals and every batch semantics.

#[macro_use]
mod harness;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use harness::{Adapter, Async, Blocking, Env, Opts};
use recycle_core::{BulkReport, Operation, Purge, Restore, Trash};
use recycle_sim::RecordingState::{self, Available, Deleted, Purged};
use recycle_sim::{BatchSemantics, FaultResponse, RateLimit, SimConfig};

const SOFT: &str = "/convergedRecordings/softDelete";
const PURGE: &str = "/convergedRecordings/purge";

for_both_clients!(
    applied_then_dropped_then_503_is_settled_by_reading_back,
    applied_then_5xx_single_call_says_outcome_unknown,
    dropped_then_429_does_not_use_up_attempts,
    twenty_bad_ids_fail_alone_and_the_rest_moves_at_once,
    a_purge_applied_then_answered_410_succeeded,
    a_steady_one_per_second_limit_fails_nothing,
    batch_semantics_atomic_partial_lenient,
    random_fault_scripts_end_in_true_reports,
    a_purge_refused_without_names_after_a_lost_attempt_is_not_called_done,
    refusals_that_name_nothing_end_not_isolated,
);

fn ids(v: &[recycle_core::RecordingId]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

/// Fails unless the report agrees with the simulator: succeeded IDs are in `target`, and
/// failed ones not marked unknown were not applied (still `before`, or unknown to it). With
/// `exact`, failed IDs are never in `target` either.
fn agrees(
    env: &Env,
    report: &BulkReport,
    target: RecordingState,
    before: RecordingState,
    exact: bool,
) {
    agrees_as(env, report, target, before, exact, true);
}

/// [`agrees`], checking the succeeded IDs only when `succeeded_checked`: a lenient server
/// answers 204 for IDs it ignored, which only reading back can tell.
fn agrees_as(
    env: &Env,
    report: &BulkReport,
    target: RecordingState,
    before: RecordingState,
    exact: bool,
    succeeded_checked: bool,
) {
    for id in report.succeeded.iter().filter(|_| succeeded_checked) {
        let state = env.state_of(id.as_str());
        // Without verification, an ID the server does not have has no state to contradict:
        // a lenient server's 204 says nothing about it.
        assert!(
            state == Some(target) || state.is_none() && (target == Purged || !exact),
            "{id} reported succeeded but is {state:?}"
        );
    }
    for f in &report.failed {
        let state = env.state_of(f.id.as_str());
        if exact || !f.failure.outcome_unknown {
            assert!(
                state != Some(target),
                "{} reported failed ({:?}) but is {state:?}",
                f.id,
                f.failure
            );
        }
        if !f.failure.outcome_unknown {
            assert!(
                state.is_none() || state == Some(before),
                "{} failed definitely but is {state:?}",
                f.id
            );
        }
    }
}

fn applied_then_dropped_then_503_is_settled_by_reading_back<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![
            FaultResponse::drop_after_applying(),
            FaultResponse::status(503).into(),
        ],
    ));
    let opts = Opts {
        attempts: 2,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let (report, _) = alice.bulk(Trash, vec![id.clone()]);
    let report = report.expect("report");
    assert_eq!(
        env.state_of(&id),
        Some(Deleted),
        "the first attempt moved it"
    );
    let only = vec![id];
    assert_eq!(ids(&report.succeeded), only, "not failed/503");
    assert_eq!(ids(&report.already_applied), only);
    assert_eq!(ids(&report.verified), only);
    agrees(&env, &report, Deleted, Available, true);
}

fn applied_then_5xx_single_call_says_outcome_unknown<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![
            FaultResponse::status(500).after_applying(),
            FaultResponse::status(503),
        ],
    ));
    let opts = Opts {
        attempts: 2,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let err = alice
        .execute(&recycle_core::TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("503 last");
    assert_eq!(err.status().map(|s| s.code()), Some(503));
    assert!(
        err.outcome_unknown(),
        "the 500 may have been applied: {err:?}"
    );
    assert_eq!(env.state_of(&id), Some(Deleted));
}

fn dropped_then_429_does_not_use_up_attempts<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![
            FaultResponse::drop_connection(),
            FaultResponse::status(429).retry_after("0").into(),
            FaultResponse::status(429).retry_after("0").into(),
            FaultResponse::status(429).retry_after("0").into(),
        ],
    ));
    let opts = Opts {
        attempts: 2,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let batch: Vec<String> = env.ids("alice", Available).into_iter().take(5).collect();
    let (report, _) = alice.bulk(Trash, batch.clone());
    let report = report.expect("report");
    assert_eq!(
        ids(&report.succeeded),
        batch,
        "two attempts, three 429s between"
    );
    assert_eq!(env.requests_to(SOFT).len(), 5);
    agrees(&env, &report, Deleted, Available, true);
}

fn twenty_bad_ids_fail_alone_and_the_rest_moves_at_once<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 120));
    let alice = env.client::<A>("alice", &Opts::default());
    let good: Vec<String> = env.ids("alice", Available).into_iter().take(80).collect();
    assert_eq!(good.len(), 80);
    let bad: Vec<String> = (0..20).map(|i| format!("{i:032x}")).collect();
    let mut batch = good.clone();
    for (n, b) in bad.iter().enumerate() {
        batch.insert(n * 4, b.clone());
    }
    let (report, _) = alice.bulk(Trash, batch.clone());
    let report = report.expect("report");
    assert_eq!(
        ids(&report.succeeded).into_iter().collect::<HashSet<_>>(),
        good.iter().cloned().collect::<HashSet<_>>()
    );
    assert_eq!(report.failed.len(), 20);
    let all: HashSet<&str> = batch.iter().map(String::as_str).collect();
    for f in &report.failed {
        assert_eq!(f.failure.status, Some(404));
        let message = f.failure.message.as_deref().unwrap_or_default();
        assert!(message.contains(f.id.as_str()), "{message}");
        for other in &all {
            assert!(
                *other == f.id.as_str() || !message.contains(other),
                "{} names {other}: {message}",
                f.id
            );
        }
        assert!(!f.failure.not_isolated);
    }
    assert_eq!(
        env.requests_to(SOFT).len(),
        2,
        "refused once, the rest resent at once"
    );
    agrees(&env, &report, Deleted, Available, true);
}

fn a_purge_applied_then_answered_410_succeeded<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 60));
    let bin: Vec<String> = env.ids("alice", Deleted).into_iter().take(5).collect();
    assert!(!bin.is_empty());
    env.sim
        .inject(PURGE, vec![FaultResponse::drop_after_applying()]);
    let alice = env.client::<A>("alice", &Opts::default());
    let (report, _) = alice.bulk(Purge, bin.clone());
    let report = report.expect("report");
    assert_eq!(ids(&report.succeeded), bin);
    assert_eq!(ids(&report.already_applied), bin, "found already purged");
    assert!(report.failed.is_empty());
    assert_eq!(ids(&report.verified), bin, "read back to confirm");
    agrees(&env, &report, Purged, Deleted, true);
}

fn a_steady_one_per_second_limit_fails_nothing<A: Adapter>() {
    let limit = RateLimit {
        burst: 1.0,
        ..RateLimit::per_second(1.0)
    };
    let env = Env::with(
        SimConfig::new(7)
            .recordings_for("bob", 1_000)
            .rate_limit(limit),
    );
    let opts = Opts {
        attempts: 2,
        ..Opts::default()
    };
    let bob = env.client::<A>("bob", &opts);
    let all = env.ids("bob", Available);
    let batches = all.len().div_ceil(100);
    let started = Instant::now();
    let (report, _) = bob.bulk(Trash, all.clone());
    let elapsed = started.elapsed();
    let report = report.expect("report");
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    assert_eq!(report.succeeded.len(), all.len());
    let floor = Duration::from_secs((batches - 1) as u64);
    assert!(
        elapsed <= floor.mul_f64(1.2) + Duration::from_millis(300),
        "{elapsed:?} for {batches} batches at 1/s"
    );
    let throttled = env
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    let statuses: Vec<String> = env
        .sim
        .requests()
        .iter()
        .map(|r| format!("{}", r.status.unwrap_or(0)))
        .collect();
    assert!(
        throttled < batches,
        "{throttled} 429s for {batches} batches in {elapsed:?}: {}",
        statuses.join(" ")
    );
}

/// The job of `op` over `ids` under `semantics`, with and without verification.
fn semantics_case<A: Adapter, O: Operation + Copy>(
    semantics: BatchSemantics,
    op: O,
    pick: impl Fn(&Env) -> Vec<String>,
    target: RecordingState,
    before: RecordingState,
) {
    for verify in [false, true] {
        let env = Env::with(
            SimConfig::new(9)
                .recordings_for("alice", 60)
                .batch_semantics(semantics),
        );
        let opts = Opts {
            verify,
            ..Opts::default()
        };
        let alice = env.client::<A>("alice", &opts);
        let (report, _) = alice.bulk(op, pick(&env));
        let report = report.expect("report");
        let lenient_unverified = semantics == BatchSemantics::Lenient && !verify;
        agrees_as(&env, &report, target, before, verify, !lenient_unverified);
        if verify {
            assert_eq!(
                report.verified.len(),
                report.succeeded.len() + report.failed.len(),
                "{semantics:?}: every ID sent is read back"
            );
        }
    }
}

fn batch_semantics_atomic_partial_lenient<A: Adapter>() {
    for semantics in [
        BatchSemantics::Atomic,
        BatchSemantics::Partial,
        BatchSemantics::Lenient,
    ] {
        // Trash: good IDs and unknown ones.
        semantics_case::<A, _>(
            semantics,
            Trash,
            |env| {
                let mut v: Vec<String> = env.ids("alice", Available).into_iter().take(30).collect();
                v.extend((0..5).map(|i| format!("{i:032x}")));
                v
            },
            Deleted,
            Available,
        );
        // Purge: recordings in the bin and available ones (409 where refused).
        semantics_case::<A, _>(
            semantics,
            Purge,
            |env| {
                let mut v: Vec<String> = env.ids("alice", Deleted);
                v.extend(env.ids("alice", Available).into_iter().take(5));
                v
            },
            Purged,
            Available,
        );
    }
}

fn random_fault_scripts_end_in_true_reports<A: Adapter>() {
    let mut rng = fastrand::Rng::with_seed(12);
    for round in 0..18 {
        let script: Vec<FaultResponse> = (0..rng.usize(1..7))
            .map(|_| {
                let pick = rng.u8(0..9);
                let apply = rng.bool();
                let answer = match pick {
                    0 => FaultResponse::status(503),
                    1 => FaultResponse::status(500),
                    2 => FaultResponse::status(502).body("<html><body>bad gateway</body></html>"),
                    3 if apply => return FaultResponse::drop_after_applying(),
                    3 => return FaultResponse::drop_connection(),
                    4 => FaultResponse::status(429).retry_after("0"),
                    5 => FaultResponse::status(410).body(r#"{"message":"Gone"}"#),
                    6 => FaultResponse::status(404).body(r#"{"message":"Not found"}"#),
                    7 => FaultResponse::status(400).body(r#"{"message":"Bad request"}"#),
                    _ => return FaultResponse::delay_ms(0),
                };
                // A refusal (4xx) after applying is a server that lies about a purge; only a
                // compliance officer could tell such a purge from an unknown ID.
                let lies = matches!(answer.code(), 400 | 404);
                if apply && !(lies && round % 3 == 1) {
                    answer.after_applying().into()
                } else {
                    answer.into()
                }
            })
            .collect();
        let verify = round % 2 == 1;
        let env = Env::with(SimConfig::new(round).recordings_for("alice", 260));
        let opts = Opts {
            attempts: 2,
            verify,
            ..Opts::default()
        };
        let alice = env.client::<A>("alice", &opts);
        let (report, batch, target, before) = match round % 3 {
            0 => {
                env.sim.inject(SOFT, script.clone());
                let batch = env.ids("alice", Available);
                (
                    alice.bulk(Trash, batch.clone()).0,
                    batch,
                    Deleted,
                    Available,
                )
            }
            1 => {
                env.sim.inject(PURGE, script.clone());
                let batch = env.ids("alice", Deleted);
                (alice.bulk(Purge, batch.clone()).0, batch, Purged, Deleted)
            }
            _ => {
                env.sim
                    .inject("/convergedRecordings/restore", script.clone());
                let batch = env.ids("alice", Deleted);
                (
                    alice.bulk(Restore, batch.clone()).0,
                    batch,
                    Available,
                    Deleted,
                )
            }
        };
        let report = report.expect("report");
        let all: Vec<recycle_core::RecordingId> = batch
            .iter()
            .map(|i| recycle_core::RecordingId::new(i.as_str()).expect("id"))
            .collect();
        assert!(report.partitions(&all), "round {round}");
        agrees(&env, &report, target, before, verify);
    }
}

fn a_purge_refused_without_names_after_a_lost_attempt_is_not_called_done<A: Adapter>() {
    let env = Env::with(SimConfig::new(8).recordings_for("alice", 60));
    let bin = env.ids("alice", Deleted);
    assert!(bin.len() > 2);
    // The first attempt is lost without being applied; the second is answered 410 naming
    // nothing: the recordings are still in the bin.
    env.sim.inject(
        PURGE,
        vec![
            FaultResponse::drop_connection(),
            FaultResponse::status(410)
                .body(r#"{"message":"Gone"}"#)
                .into(),
        ],
    );
    let alice = env.client::<A>("alice", &Opts::default());
    let (report, _) = alice.bulk(Purge, bin.clone());
    let report = report.expect("report");
    agrees(&env, &report, Purged, Deleted, false);
    assert!(
        bin.iter().all(|id| env.state_of(id) == Some(Purged)),
        "split, the halves went through"
    );
    assert_eq!(report.succeeded.len(), bin.len());
}

fn refusals_that_name_nothing_end_not_isolated<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 120));
    env.sim.inject(
        SOFT,
        vec![
            FaultResponse::status(400).body(r#"{"message":"Something in this batch is wrong"}"#);
            40
        ],
    );
    let alice = env.client::<A>("alice", &Opts::default());
    let batch: Vec<String> = env.ids("alice", Available).into_iter().take(100).collect();
    let (report, _) = alice.bulk(Trash, batch.clone());
    let report = report.expect("report");
    agrees(&env, &report, Deleted, Available, true);
    let not_isolated: Vec<_> = report
        .failed
        .iter()
        .filter(|f| f.failure.not_isolated)
        .collect();
    assert!(!not_isolated.is_empty(), "the splitting budget ran out");
    for f in &not_isolated {
        let message = f.failure.message.as_deref().unwrap_or_default();
        assert!(message.contains("not isolated"), "{message}");
        assert!(
            batch.iter().all(|id| !message.contains(id.as_str())),
            "{message}"
        );
    }
    assert_eq!(
        env.requests_to(SOFT).len(),
        1 + 16,
        "the first request and the budget"
    );
}
