//! Integration scenarios, written once and run against both clients over real loopback
//! sockets with the simulator: `blocking::*` on ureq, `asynchronous::*` on reqwest.

#[macro_use]
mod harness;

use std::collections::HashSet;
use std::time::Duration;

use harness::{Adapter, Async, Blocking, Env, Opts};
use recycle_core::{
    BaseUrlError, CallerRole, Clock, Email, Error, ListQuery, ManualClock, Purge, PurgeRequest,
    RecordingId, Restore, RestoreRequest, TransportErrorKind, Trash, TrashRequest, ValidationError,
};
use recycle_sim::RecordingState::{Available, Deleted, Purged};
use recycle_sim::{FaultResponse, SimConfig};

const SOFT: &str = "/convergedRecordings/softDelete";

for_both_clients!(
    happy_paths_of_all_three_operations,
    a_next_page_on_another_origin_is_refused_after_the_items,
    rate_limit_waits_for_retry_after_seconds,
    rate_limit_waits_for_retry_after_http_date,
    garbage_retry_after_falls_back_to_backoff,
    locked_is_retried,
    unavailable_twice_then_success,
    bad_gateway_html_until_attempts_run_out,
    dropped_connection_once_then_success,
    apply_then_fail_is_retried_safely,
    dropped_after_apply_ends_as_outcome_unknown,
    bisection_isolates_malformed_and_unknown_ids,
    unauthorized_mid_job_stops_the_job,
    redirects_are_not_followed,
    plain_http_to_a_remote_host_is_refused,
    bulk_of_250_with_duplicates_partitions_exactly,
    bulk_of_10000_with_duplicates_partitions_exactly,
    invalid_ids_refuse_the_whole_job,
    bad_input_of_every_kind_sends_nothing,
    role_rule_is_checked_before_sending,
    tracking_ids_are_unique_per_request_and_kept_on_retries,
    the_token_never_shows,
    slow_answers_time_out_and_are_retried,
    oversized_bodies_are_refused_not_retried,
    the_retry_budget_bounds_retries,
    tracing_reports_attempts_and_waits,
);

fn ids(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn happy_paths_of_all_three_operations<A: Adapter>() {
    let env = Env::new();
    let alice = env.client::<A>("alice", &Opts::default());
    let two: Vec<String> = env.ids("alice", Available).into_iter().take(2).collect();
    let receipt = alice
        .execute(&TrashRequest::by_ids(ids(&two)).expect("ids"))
        .expect("trash");
    assert_eq!((receipt.status, receipt.attempts), (204, 1));
    assert!(
        receipt
            .server_tracking_id
            .is_some_and(|t| t.starts_with("ROUTER_"))
    );
    assert!(two.iter().all(|id| env.state_of(id) == Some(Deleted)));

    alice
        .execute(&RestoreRequest::by_ids([two[0].as_str()]).expect("ids"))
        .expect("restore");
    assert_eq!(env.state_of(&two[0]), Some(Available));
    alice
        .execute(&PurgeRequest::by_ids([two[1].as_str()]).expect("ids"))
        .expect("purge");
    assert_eq!(env.state_of(&two[1]), Some(Purged));

    alice
        .execute(&TrashRequest::all_mine())
        .expect("trash all mine");
    assert!(env.ids("alice", Available).is_empty());
    let admin = env.client::<A>("admin", &Opts::default());
    let bob = Email::new("bob@example.com").expect("email");
    admin
        .execute(&RestoreRequest::all_of(bob))
        .expect("admin restores all of bob's");
    assert!(env.ids("bob", Deleted).is_empty());
}

fn a_next_page_on_another_origin_is_refused_after_the_items<A: Adapter>() {
    let env = Env::new();
    let page =
        serde_json::json!({"items": [{"id": "a".repeat(32)}, {"id": "b".repeat(32)}]}).to_string();
    let foreign = "<https://elsewhere.example/v1/convergedRecordings?offset=2>; rel=\"next\"";
    env.sim.inject(
        "/convergedRecordings",
        vec![
            FaultResponse::status(200)
                .body(&page)
                .header("link", foreign),
        ],
    );
    let alice = env.client::<A>("alice", &Opts::default());
    let results = alice.list(&ListQuery::new()).expect("query");
    assert_eq!(results.len(), 3, "two recordings, then the refusal");
    assert!(results[..2].iter().all(Result::is_ok));
    let Err(Error::Pagination(refused)) = &results[2] else {
        panic!("{:?}", results[2])
    };
    assert!(
        refused.to_string().contains("https://elsewhere.example"),
        "{refused}"
    );
    assert_eq!(
        env.requests_to("/convergedRecordings").len(),
        1,
        "never fetched"
    );
}

/// Options whose clock records the waits the client is told, and takes no time for them.
fn timed() -> (Opts, ManualClock) {
    let clock = ManualClock::starting_now();
    let opts = Opts {
        clock: Some(clock.clone()),
        ..Opts::default()
    };
    (opts, clock)
}

fn rate_limit_waits_for_retry_after_seconds<A: Adapter>() {
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(429).retry_after("1")]));
    let (opts, clock) = timed();
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 2);
    assert_eq!(
        clock.waited(),
        Duration::from_secs(1),
        "{:?}",
        clock.waits()
    );
}

fn rate_limit_waits_for_retry_after_http_date<A: Adapter>() {
    let env = Env::new();
    let (opts, clock) = timed();
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    // Three seconds ahead of the client's clock, cut to whole seconds by the date format.
    let at = httpdate::fmt_http_date(clock.now() + Duration::from_secs(3));
    env.sim
        .inject(SOFT, vec![FaultResponse::status(429).retry_after(&at)]);
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 2);
    let waited = clock.waited();
    assert!(
        waited > Duration::from_secs(2) && waited <= Duration::from_secs(3),
        "{waited:?}"
    );
}

fn garbage_retry_after_falls_back_to_backoff<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![FaultResponse::status(429).retry_after("rand(30),add(30)")],
    ));
    let (opts, clock) = timed();
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 2);
    let waited = clock.waited();
    assert!(
        waited > Duration::ZERO && waited <= Opts::default().base_delay * 2,
        "own backoff (base 5 ms, jittered), not 30 s: {waited:?}"
    );
}

fn locked_is_retried<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![
            FaultResponse::status(423),
            FaultResponse::status(423).retry_after("0"),
        ],
    ));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 3);
    assert_eq!(env.state_of(&id), Some(Deleted));
}

fn unavailable_twice_then_success<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(
        SOFT,
        vec![FaultResponse::status(503), FaultResponse::status(503)],
    ));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 3);
    assert_eq!(env.requests_to(SOFT).len(), 3);
}

fn bad_gateway_html_until_attempts_run_out<A: Adapter>() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(502).body(html); 5]));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let err = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("502s");
    assert_eq!(err.status().map(|s| s.code()), Some(502));
    assert!(err.is_retryable());
    assert!(
        err.to_string()
            .contains("502 Bad Gateway: Bad Gateway (the body said: 502 Bad Gateway)"),
        "{err}"
    );
    assert!(!err.to_string().contains('<'), "no markup: {err}");
    assert!(err.outcome_unknown(), "a 502 may have been applied");
    assert_eq!(env.requests_to(SOFT).len(), 4, "max attempts, then stop");
    assert_eq!(env.state_of(&id), Some(Available));
}

fn dropped_connection_once_then_success<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::drop_connection()]));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("trash");
    assert_eq!(receipt.attempts, 2);
    assert_eq!(env.state_of(&id), Some(Deleted));
}

fn apply_then_fail_is_retried_safely<A: Adapter>() {
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(500).after_applying()]));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("the retry succeeds");
    assert_eq!(
        receipt.attempts, 2,
        "trashing what is already in the bin succeeds"
    );
    assert_eq!(env.state_of(&id), Some(Deleted));
}

fn dropped_after_apply_ends_as_outcome_unknown<A: Adapter>() {
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::drop_after_applying(); 4]));
    let alice = env.client::<A>("alice", &Opts::default());
    let batch: Vec<String> = env.ids("alice", Available).into_iter().take(3).collect();
    let (report, _) = alice.bulk(Trash, batch.clone());
    let report = report.expect("a report");
    assert!(
        batch.iter().all(|id| env.state_of(id) == Some(Deleted)),
        "applied although no answer came"
    );
    // No attempt was answered, so the three were read back and found applied.
    let ids = |v: &[recycle_core::RecordingId]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&report.succeeded), batch);
    assert_eq!(ids(&report.already_applied), batch);
    assert_eq!(ids(&report.verified), batch);
    assert!(report.failed.is_empty());
    let reads = batch
        .iter()
        .map(|id| env.requests_to(&format!("/convergedRecordings/{id}")).len())
        .sum::<usize>();
    assert_eq!(reads, 3, "one read each");

    // Unreadable too: the failure stays, marked unknown.
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::drop_after_applying(); 4]));
    let first = env.ids("alice", Available)[0].clone();
    env.sim.inject(
        &format!("/convergedRecordings/{first}"),
        vec![FaultResponse::status(503); 4],
    );
    let alice = env.client::<A>("alice", &Opts::default());
    let (report, _) = alice.bulk(Trash, vec![first.clone()]);
    let report = report.expect("a report");
    assert_eq!(report.failed.len(), 1);
    assert!(report.failed[0].failure.outcome_unknown && report.failed[0].failure.status.is_none());
    assert!(report.verified.is_empty());
    assert_eq!(env.state_of(&first), Some(Deleted));
}

fn bisection_isolates_malformed_and_unknown_ids<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 260));
    let alice = env.client::<A>("alice", &Opts::default());
    let mut input: Vec<String> = env.ids("alice", Available).into_iter().take(200).collect();
    let bobs = env.ids("bob", Available)[0].clone();
    let unknown = "0".repeat(32);
    input.insert(17, "not-a-recording-id".into()); // 400: malformed
    input.insert(150, bobs.clone()); // 404: another user's
    input.push(unknown.clone()); // 404: no such recording
    let (report, progress_calls) = alice.bulk(Trash, input.clone());
    let report = report.expect("a report");
    let failed: HashSet<(&str, Option<u16>)> = report
        .failed
        .iter()
        .map(|f| (f.id.as_str(), f.failure.status))
        .collect();
    let expected = HashSet::from([
        ("not-a-recording-id", Some(400)),
        (bobs.as_str(), Some(404)),
        (unknown.as_str(), Some(404)),
    ]);
    assert_eq!(failed, expected);
    assert!(report.failed.iter().all(|f| {
        f.failure
            .message
            .as_deref()
            .is_some_and(|m| m.contains(f.id.as_str()))
    }));
    assert_eq!(report.succeeded.len(), 200);
    assert!(
        report
            .succeeded
            .iter()
            .all(|id| env.state_of(id.as_str()) == Some(Deleted))
    );
    assert_eq!(env.state_of(&bobs), Some(Available));
    assert!(progress_calls >= 3);
    assert!(report.partitions(&unique(&input)));
}

fn unique(input: &[String]) -> Vec<RecordingId> {
    let mut seen = HashSet::new();
    input
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(|id| RecordingId::new(id.clone()).expect("valid"))
        .collect()
}

fn unauthorized_mid_job_stops_the_job<A: Adapter>() {
    let normal = FaultResponse::delay_ms(0);
    let config = SimConfig::new(7).recordings_for("alice", 1_000).fault(
        SOFT,
        vec![normal.clone(), normal, FaultResponse::status(401).into()],
    );
    let env = Env::with(config);
    let alice = env.client::<A>("alice", &Opts::default());
    // Ten batches: whatever was already in flight when the 401 came (up to the concurrency)
    // still completes; nothing after it is sent.
    let input = env.all_ids("alice");
    assert_eq!(input.len(), 1_000);
    let before: std::collections::HashMap<String, _> = env
        .sim
        .recordings()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    let (report, _) = alice.bulk(Trash, input.clone());
    let report = report.expect("a report");
    assert_eq!(report.failed.len(), 100, "the refused batch");
    assert!(report.failed.iter().all(|f| f.failure.status == Some(401)));
    assert!(
        report.not_attempted.len() >= 300,
        "the job stopped: {}",
        report.not_attempted.len()
    );
    assert_eq!(
        env.requests_to(SOFT).len(),
        10 - report.not_attempted.len() / 100
    );
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
            .all(|id| env.state_of(id.as_str()) == before.get(id.as_str()).copied()),
        "what was not attempted is untouched"
    );
    assert!(report.partitions(&unique(&input)));
}

fn redirects_are_not_followed<A: Adapter>() {
    let redirect = FaultResponse::status(307)
        .location("https://elsewhere.example:8443/v1/convergedRecordings/softDelete");
    let env = Env::with(SimConfig::new(7).fault(SOFT, vec![redirect]));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let err = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("a redirect");
    assert!(
        err.to_string()
            .contains("redirect to https://elsewhere.example:8443 not followed"),
        "{err}"
    );
    assert_eq!(env.requests_to(SOFT).len(), 1, "not retried either");
}

fn plain_http_to_a_remote_host_is_refused<A: Adapter>() {
    let err = A::connect("http://webexapis.com/v1", "token", &Opts::default())
        .err()
        .expect("refused");
    assert!(
        matches!(err, Error::BaseUrl(BaseUrlError::InsecureHttp { .. })),
        "{err:?}"
    );
    assert!(err.is_invalid_input());
}

fn bulk_of_250_with_duplicates_partitions_exactly<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 250));
    let alice = env.client::<A>("alice", &Opts::default());
    let all = env.ids("alice", Available);
    let mut input = all.clone();
    input.extend(all.iter().take(40).cloned());
    let (report, _) = alice.bulk(Trash, input.clone());
    let report = report.expect("a report");
    assert_eq!(
        report.succeeded,
        unique(&input),
        "every unique ID, in input order"
    );
    assert!(report.failed.is_empty() && report.not_attempted.is_empty());
    assert!(all.iter().all(|id| env.state_of(id) == Some(Deleted)));
    assert_eq!(env.requests_to(SOFT).len(), all.len().div_ceil(100));
}

fn bulk_of_10000_with_duplicates_partitions_exactly<A: Adapter>() {
    let env = Env::with(SimConfig::new(8).recordings_for("alice", 10_000));
    let alice = env.client::<A>("alice", &Opts::default());
    let mut input = env.all_ids("alice");
    let total = input.len();
    input.extend(input[..2_000].to_vec());
    let (report, progress_calls) = alice.bulk(Restore, input.clone());
    let report = report.expect("a report");
    assert!(report.partitions(&unique(&input)));
    assert_eq!(report.succeeded.len(), total);
    assert_eq!(progress_calls, total.div_ceil(100));
    assert!(env.ids("alice", Deleted).is_empty());
}

fn invalid_ids_refuse_the_whole_job<A: Adapter>() {
    let env = Env::new();
    let alice = env.client::<A>("alice", &Opts::default());
    let mut input: Vec<String> = env.ids("alice", Available);
    input.insert(1, "has space".into());
    input.push(String::new());
    input.push("crlf\r\n".into());
    input.push("x".repeat(5_000));
    let (report, calls) = alice.bulk(Purge, input.clone());
    let Err(Error::Invalid(ValidationError::InvalidIds { invalid })) = report else {
        panic!("refused whole: {report:?}");
    };
    let positions: Vec<usize> = invalid.iter().map(|i| i.position).collect();
    let n = input.len();
    assert_eq!(positions, [2, n - 2, n - 1, n]);
    assert_eq!(calls, 0);
    assert!(
        env.sim.requests().is_empty(),
        "nothing sent, not even the valid IDs"
    );
}

fn bad_input_of_every_kind_sends_nothing<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 250));
    for token in ["abc\ndef", "abc\r\n", " ", ""] {
        let err = A::connect(env.sim.base_url(), token, &Opts::default())
            .err()
            .expect("refused");
        assert!(matches!(err, Error::Token(_)), "{token:?}: {err:?}");
    }
    let alice = env.client::<A>("alice", &Opts::default());
    let (empty, _) = alice.bulk(Trash, Vec::new());
    assert!(
        matches!(empty, Err(Error::Invalid(ValidationError::EmptyJob))),
        "{empty:?}"
    );
    let ids = |n: usize| (0..n).map(|i| format!("{i:032x}")).collect::<Vec<_>>();
    assert!(TrashRequest::by_ids(ids(1)).is_ok() && TrashRequest::by_ids(ids(100)).is_ok());
    assert!(matches!(
        TrashRequest::by_ids(ids(101)),
        Err(ValidationError::TooManyIds { count: 101 })
    ));
    assert!(matches!(
        TrashRequest::by_ids(ids(0)),
        Err(ValidationError::NoIds)
    ));
    for bad in [
        "x".repeat(5_000),
        "a\r\nb".to_owned(),
        "a\0b".to_owned(),
        String::new(),
    ] {
        let (report, _) = alice.bulk(Trash, vec!["0".repeat(32), bad.clone()]);
        assert!(
            matches!(
                report,
                Err(Error::Invalid(ValidationError::InvalidIds { .. }))
            ),
            "{bad:?}"
        );
    }
    for email in [
        "alice",
        "alice@localhost",
        "al ice@example.com",
        "alice@example.com\n",
    ] {
        assert!(Email::new(email).is_err(), "{email:?}");
    }
    assert!(env.sim.requests().is_empty(), "nothing was sent");
    // 250 IDs with repeats are a legal bulk job: three batches.
    let mut many = env.all_ids("alice");
    assert_eq!(many.len(), 250);
    many.extend(many[..50].to_vec());
    let (report, _) = alice.bulk(Trash, many);
    assert_eq!(report.expect("a report").succeeded.len(), 250);
    assert_eq!(env.requests_to(SOFT).len(), 3);
}

fn role_rule_is_checked_before_sending<A: Adapter>() {
    let env = Env::new();
    let opts = Opts {
        role: Some(CallerRole::User),
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let bob = Email::new("bob@example.com").expect("email");
    let err = alice
        .execute(&TrashRequest::all_of(bob))
        .expect_err("a user names no owner");
    assert!(
        matches!(err, Error::Invalid(ValidationError::RoleMismatch { .. })),
        "{err:?}"
    );
    assert!(env.sim.requests().is_empty());
}

fn tracking_ids_are_unique_per_request_and_kept_on_retries<A: Adapter>() {
    let env = Env::with(
        SimConfig::new(7)
            .recordings_for("alice", 300)
            .fault(SOFT, vec![FaultResponse::status(503)]),
    );
    let alice = env.client::<A>("alice", &Opts::default());
    let all = env.ids("alice", Available);
    alice
        .execute(&TrashRequest::by_ids([all[0].as_str()]).expect("ids"))
        .expect("trash");
    let log = env.requests_to(SOFT);
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0].tracking_id, log[1].tracking_id,
        "a retry keeps its TrackingID"
    );
    assert!(
        log[0]
            .tracking_id
            .as_deref()
            .is_some_and(|t| t.starts_with("RECYCLE_"))
    );
    env.sim.clear_requests();
    let (report, _) = alice.bulk(Trash, all[1..].to_vec());
    assert!(report.expect("report").is_success());
    let distinct: HashSet<_> = env
        .requests_to(SOFT)
        .into_iter()
        .map(|r| r.tracking_id)
        .collect();
    assert_eq!(
        distinct.len(),
        (all.len() - 1).div_ceil(100),
        "one TrackingID per batch"
    );
    env.sim.inject(SOFT, vec![FaultResponse::status(400)]);
    let err = alice
        .execute(&TrashRequest::by_ids([all[0].as_str()]).expect("ids"))
        .expect_err("400");
    let sent = env
        .requests_to(SOFT)
        .last()
        .and_then(|r| r.tracking_id.clone());
    assert_eq!(
        err.request_tracking_id().map(|t| t.to_string()),
        sent,
        "errors keep the TrackingID"
    );
    assert!(
        err.server_tracking_id()
            .is_some_and(|t| t.starts_with("ROUTER_"))
    );
}

fn the_token_never_shows<A: Adapter>() {
    let env = Env::new();
    let secret = "S3CRET-never-print-me";
    let client = A::connect(env.sim.base_url(), secret, &Opts::default()).expect("client");
    assert!(!client.debug().contains(secret), "{}", client.debug());
    let id = env.ids("alice", Available)[0].clone();
    let err = client
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("401");
    assert!(err.is_auth());
    assert!(!format!("{err} {err:?}").contains(secret));
    let (report, _) = client.bulk(Trash, vec![id]);
    let report = report.expect("report");
    assert_eq!(report.failed[0].failure.status, Some(401));
    assert!(
        !serde_json::to_string(&report)
            .expect("json")
            .contains(secret)
    );
    assert!(!format!("{report:?}").contains(secret));
    let log = serde_json::to_string(&env.sim.requests()).expect("json");
    assert!(!log.contains(secret));
}

fn slow_answers_time_out_and_are_retried<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::delay_ms(1_500)]));
    let opts = Opts {
        timeout: Duration::from_millis(400),
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let receipt = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect("the retry is answered");
    assert_eq!(receipt.attempts, 2);
}

fn oversized_bodies_are_refused_not_retried<A: Adapter>() {
    let huge = "x".repeat(300 * 1024);
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(500).body(&huge)]));
    let opts = Opts {
        max_body: 64 * 1024,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let err = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("too large");
    let Error::Transport {
        source, attempts, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (source.kind(), *attempts),
        (TransportErrorKind::BodyTooLarge, 1)
    );
}

fn the_retry_budget_bounds_retries<A: Adapter>() {
    let env = Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(503); 4]));
    let opts = Opts {
        budget: 5,
        ..Opts::default()
    };
    let alice = env.client::<A>("alice", &opts);
    let id = env.ids("alice", Available)[0].clone();
    let err = alice
        .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
        .expect_err("budget spent");
    assert_eq!(err.status().map(|s| s.code()), Some(503));
    assert_eq!(
        env.requests_to(SOFT).len(),
        2,
        "one retry was all the budget allowed"
    );
}

fn tracing_reports_attempts_and_waits<A: Adapter>() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let env =
        Env::with(SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(429).retry_after("0")]));
    let alice = env.client::<A>("alice", &Opts::default());
    let id = env.ids("alice", Available)[0].clone();
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        // Other tests' threads may have cached these callsites as unwanted before this
        // subscriber existed.
        tracing::callsite::rebuild_interest_cache();
        alice
            .execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"))
            .expect("trash");
    });
    let text = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf8");
    assert!(text.contains("recycle.request"), "{text}");
    assert!(text.contains("operation=trash"), "{text}");
    assert!(text.contains("tracking_id=RECYCLE_"), "{text}");
    assert!(
        text.contains("status=429") && text.contains("status=204"),
        "{text}"
    );
    assert!(
        text.contains("retrying") && text.contains("wait_ms=0"),
        "{text}"
    );
    assert!(text.contains("server_tracking_id=ROUTER_SIM"), "{text}");
    assert!(!text.contains(&env.token("alice")), "never the token");
}
