//! Listing through both clients: ranges of any length walked in windows of at most 30 days,
//! newest first; open ends; empty windows; faults mid-walk; odd items; details; errorCode.

#[macro_use]
mod harness;

use std::collections::HashSet;

use harness::{Adapter, Async, Blocking, Env, Opts};
use recycle_core::protocol::{LIST_FLOOR, WINDOW_SECONDS};
use recycle_core::{Email, Error, ListQuery, RecordingStatus, Timestamp, Windows};
use recycle_sim::RecordingState::{self, Available, Deleted, Purged};
use recycle_sim::{FaultResponse, SimConfig};

const NOW: &str = "2026-06-01T00:00:00Z";
const LIST: &str = "/convergedRecordings";
const ADMIN_LIST: &str = "/admin/convergedRecordings";

for_both_clients!(
    a_long_range_is_walked_in_windows_newest_first,
    no_range_means_everything_back_to_the_floor,
    an_admin_range_over_30_days_is_walked_not_refused,
    empty_windows_cost_one_request_each,
    a_failed_page_mid_walk_ends_the_listing_with_what_was_covered,
    a_transient_fault_mid_walk_is_retried_and_the_walk_goes_on,
    odd_items_never_discard_a_page,
    details_are_read_for_owner_admin_and_compliance_officer,
    error_codes_are_kept_in_failures,
);

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).expect("time")
}

fn days(n: i64) -> Timestamp {
    Timestamp::from_unix_seconds(t(NOW).unix_seconds() + n * 86_400)
}

fn env(records: usize) -> Env {
    Env::with(
        SimConfig::new(21)
            .now(t(NOW))
            .recordings_for("alice", records)
            .recordings_for("bob", records),
    )
}

/// `owner`'s recordings in `state` created in `[from, to)`, newest first.
fn expected(env: &Env, who: &str, state: RecordingState, from: i64, to: i64) -> Vec<String> {
    let email = env.sim.identity(who).expect("identity").email.clone();
    let mut rows: Vec<(i64, String)> = env
        .sim
        .recordings()
        .into_iter()
        .filter(|r| r.owner_email == email && r.state == state)
        .map(|r| (t(&r.create_time).unix_seconds(), r.id))
        .filter(|(c, _)| (from..to).contains(c))
        .collect();
    rows.sort_by(|a, b| b.cmp(a));
    rows.into_iter().map(|(_, id)| id).collect()
}

/// The `from` and `to` of every list request, in order.
fn windows_asked(env: &Env, path: &str) -> Vec<(i64, i64)> {
    env.requests_to(path)
        .iter()
        .filter_map(|r| {
            let query = r.query.as_deref()?;
            let pairs: Vec<(String, String)> =
                recycle_core::url::form_urlencoded::parse(query.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
            let get = |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| t(v).unix_seconds())
            };
            Some((get("from")?, get("to")?))
        })
        .collect()
}

fn ok_ids(items: Vec<Result<recycle_core::Recording, Error>>) -> Vec<String> {
    items
        .into_iter()
        .map(|r| r.expect("listed").id.expect("id"))
        .collect()
}

fn a_long_range_is_walked_in_windows_newest_first<A: Adapter>() {
    let env = env(300);
    let alice = env.client::<A>("alice", &Opts::default());
    let (from, to) = (days(-200), days(1));
    let query = ListQuery::new()
        .status(RecordingStatus::Available)
        .from(from.clone())
        .to(to.clone())
        .max(10)
        .expect("max");
    let (items, coverage) = alice.list_covered(&query).expect("query");
    let want = expected(
        &env,
        "alice",
        Available,
        from.unix_seconds(),
        to.unix_seconds(),
    );
    assert!(want.len() > 100, "{}", want.len());
    assert_eq!(
        ok_ids(items),
        want,
        "each once, newest first across windows"
    );

    let asked = windows_asked(&env, LIST);
    let planned: Vec<(i64, i64)> = Windows::new(&query, std::time::UNIX_EPOCH)
        .map(|(f, t)| (f.unix_seconds(), t.unix_seconds()))
        .collect();
    assert_eq!(planned.len(), 7);
    let distinct: Vec<(i64, i64)> = asked.iter().fold(Vec::new(), |mut v, w| {
        if v.last() != Some(w) {
            v.push(*w);
        }
        v
    });
    assert_eq!(distinct, planned, "windows in order, newest first");
    assert!(asked.iter().all(|(f, t)| t - f <= WINDOW_SECONDS));
    let pages: usize = planned
        .iter()
        .map(|(f, t)| {
            expected(&env, "alice", Available, *f, *t)
                .len()
                .div_ceil(10)
                .max(1)
        })
        .sum();
    assert_eq!(
        asked.len(),
        pages,
        "one request a page, one for an empty window"
    );
    assert!(coverage.is_complete());
    assert_eq!(coverage.covered_from, Some(from.clone()));
    assert_eq!((coverage.range_from, coverage.range_to), (from, to));
    assert_eq!(coverage.pages, pages);
}

fn no_range_means_everything_back_to_the_floor<A: Adapter>() {
    let env = Env::with(SimConfig::new(22).recordings_for("alice", 80));
    let alice = env.client::<A>("alice", &Opts::default());
    let query = ListQuery::new()
        .status(RecordingStatus::Deleted)
        .max(100)
        .expect("max");
    let (items, coverage) = alice.list_covered(&query).expect("query");
    let listed: HashSet<String> = ok_ids(items).into_iter().collect();
    let bin: HashSet<String> = env.ids("alice", Deleted).into_iter().collect();
    assert!(!bin.is_empty());
    assert_eq!(listed, bin, "not only the last 7 days");
    assert_eq!(coverage.range_from.as_str(), LIST_FLOOR);
    assert_eq!(
        coverage.covered_from.as_ref().map(Timestamp::as_str),
        Some(LIST_FLOOR)
    );
    assert!(coverage.is_complete());
    let asked = windows_asked(&env, LIST);
    assert_eq!(asked.len(), coverage.windows_total);
    assert_eq!(
        asked.last().map(|w| w.0),
        Some(t(LIST_FLOOR).unix_seconds())
    );
}

fn an_admin_range_over_30_days_is_walked_not_refused<A: Adapter>() {
    let env = env(150);
    let admin = env.client::<A>("admin", &Opts::default());
    let (from, to) = (days(-95), days(0));
    let query = ListQuery::new()
        .owner(Email::new("bob@example.com").expect("email"))
        .status(RecordingStatus::Available)
        .from(from.clone())
        .to(to.clone())
        .max(25)
        .expect("max");
    assert!(
        query.validate().is_err(),
        "one request may not cover 95 days"
    );
    let (items, coverage) = admin.list_covered(&query).expect("a walk may");
    assert_eq!(
        ok_ids(items),
        expected(
            &env,
            "bob",
            Available,
            from.unix_seconds(),
            to.unix_seconds()
        )
    );
    assert_eq!(coverage.windows, 4);
    let asked = windows_asked(&env, ADMIN_LIST);
    assert!(asked.iter().all(|(f, t)| t - f <= 30 * 86_400), "{asked:?}");
}

fn empty_windows_cost_one_request_each<A: Adapter>() {
    let env = env(50);
    let alice = env.client::<A>("alice", &Opts::default());
    let query = ListQuery::new().from(t("2021-01-01")).to(t("2021-04-11"));
    let (items, coverage) = alice.list_covered(&query).expect("query");
    assert!(items.is_empty());
    assert_eq!(env.requests_to(LIST).len(), 4);
    assert!(coverage.is_complete());
    assert_eq!((coverage.windows, coverage.pages), (4, 4));
    let equal = ListQuery::new().from(t("2021-01-01")).to(t("2021-01-01"));
    let (items, coverage) = alice.list_covered(&equal).expect("query");
    assert!(items.is_empty() && coverage.is_complete());
    assert_eq!(
        env.requests_to(LIST).len(),
        4,
        "an empty range sends nothing"
    );
}

fn a_failed_page_mid_walk_ends_the_listing_with_what_was_covered<A: Adapter>() {
    let env = env(100);
    let alice = env.client::<A>("alice", &Opts::default());
    let (from, to) = (days(-120), days(0));
    let query = ListQuery::new()
        .from(from.clone())
        .to(to.clone())
        .max(100)
        .expect("max");
    let windows: Vec<_> = Windows::new(&query, std::time::UNIX_EPOCH).collect();
    // Two windows answer normally, the third is refused for good.
    env.sim.inject(
        LIST,
        vec![
            FaultResponse::delay_ms(0),
            FaultResponse::delay_ms(0),
            FaultResponse::status(400)
                .body(r#"{"message":"refused"}"#)
                .into(),
        ],
    );
    let (items, coverage) = alice.list_covered(&query).expect("query");
    let (ok, errors): (Vec<_>, Vec<_>) = items.into_iter().partition(Result::is_ok);
    assert_eq!(errors.len(), 1, "the stream ends with the error");
    let first_two = expected(
        &env,
        "alice",
        Available,
        windows[1].0.unix_seconds(),
        to.unix_seconds(),
    );
    assert_eq!(ok_ids(ok), first_two);
    assert!(!coverage.is_complete());
    assert_eq!(coverage.windows, 2);
    assert_eq!(coverage.covered_from, Some(windows[1].0.clone()));
    assert_eq!(env.requests_to(LIST).len(), 3, "nothing after the failure");
}

fn a_transient_fault_mid_walk_is_retried_and_the_walk_goes_on<A: Adapter>() {
    let env = env(100);
    let alice = env.client::<A>("alice", &Opts::default());
    let (from, to) = (days(-90), days(0));
    let query = ListQuery::new()
        .from(from.clone())
        .to(to.clone())
        .max(100)
        .expect("max");
    env.sim.inject(
        LIST,
        vec![
            FaultResponse::delay_ms(0),
            FaultResponse::status(503).into(),
            FaultResponse::drop_connection(),
        ],
    );
    let (items, coverage) = alice.list_covered(&query).expect("query");
    assert_eq!(
        ok_ids(items),
        expected(
            &env,
            "alice",
            Available,
            from.unix_seconds(),
            to.unix_seconds()
        )
    );
    assert!(coverage.is_complete());
    assert_eq!(
        env.requests_to(LIST).len(),
        3 + 2,
        "three windows, two retries"
    );
}

fn odd_items_never_discard_a_page<A: Adapter>() {
    let env = env(10);
    let alice = env.client::<A>("alice", &Opts::default());
    let page = serde_json::json!({"items": [
        {"id": "a", "durationSeconds": "61.5", "sizeBytes": 1.5e3},
        {"id": "b", "sizeBytes": "lots", "topic": ["x"]},
        "not an item",
        {"id": "c"}
    ]})
    .to_string();
    env.sim
        .inject(LIST, vec![FaultResponse::status(200).body(&page)]);
    let query = ListQuery::new().from(days(-10)).to(days(0));
    let (items, coverage) = alice.list_covered(&query).expect("query");
    let items: Vec<_> = items.into_iter().map(|r| r.expect("item")).collect();
    let ids: Vec<_> = items.iter().filter_map(|r| r.id.clone()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        items[0].duration_seconds.as_ref().and_then(|n| n.as_f64()),
        Some(61.5)
    );
    assert_eq!(items[1].misread_fields(), ["topic", "sizeBytes"]);
    assert_eq!(items[1].extra["sizeBytes"], "lots", "kept as received");
    assert_eq!(coverage.malformed, 2);
    assert!(coverage.is_complete());
}

fn details_are_read_for_owner_admin_and_compliance_officer<A: Adapter>() {
    let env = env(40);
    let id = env.ids("alice", Available)[0].clone();
    for who in ["alice", "admin", "compliance"] {
        let client = env.client::<A>(who, &Opts::default());
        let recording = client.get(&id).expect("details");
        assert_eq!(recording.id.as_deref(), Some(id.as_str()), "{who}");
        assert_eq!(recording.status.as_deref(), Some("available"));
    }
    let alice = env.client::<A>("alice", &Opts::default());
    let berlin = alice
        .get_in_timezone(&id, "Europe/Berlin")
        .expect("a known zone");
    assert_eq!(berlin.id.as_deref(), Some(id.as_str()));
    let bob = env.client::<A>("bob", &Opts::default());
    match bob.get(&id) {
        Err(Error::Api(e)) => assert_eq!(e.status.code(), 404),
        other => panic!("{other:?}"),
    }
    let alice = env.client::<A>("alice", &Opts::default());
    let gone = env.ids("alice", Deleted)[0].clone();
    alice
        .execute(&recycle_core::PurgeRequest::by_ids([gone.as_str()]).expect("ids"))
        .expect("purge");
    assert_eq!(env.state_of(&gone), Some(Purged));
    let compliance = env.client::<A>("compliance", &Opts::default());
    assert_eq!(
        compliance
            .get(&gone)
            .expect("compliance sees purged")
            .status
            .as_deref(),
        Some("purged")
    );
    assert!(matches!(alice.get("has space"), Err(e) if e.is_invalid_input()));
}

fn error_codes_are_kept_in_failures<A: Adapter>() {
    let env = env(10);
    let alice = env.client::<A>("alice", &Opts::default());
    env.sim.inject(
        "/convergedRecordings/softDelete",
        vec![FaultResponse::status(403).body(
            r#"{"message":"No","errors":[{"description":"No","errorCode":1001}],"trackingId":"T"}"#,
        )],
    );
    let ids = env.ids("alice", Available);
    let (report, _) = alice.bulk(recycle_core::Trash, ids);
    let report = report.expect("report");
    let failure = &report.failed.first().expect("a failed batch").failure;
    assert_eq!(failure.error_code.as_deref(), Some("1001"));
    assert_eq!(failure.status, Some(403));
}
