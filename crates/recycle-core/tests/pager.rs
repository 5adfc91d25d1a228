//! The `Pager` driven through a scripted transport: windows of at most 30 days, newest first,
//! each window's pages followed to the end, empty windows, and faults mid-walk.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use recycle_core::adapter::{Drive, Engine, Pager};
use recycle_core::test_util::ScriptedTransport;
use recycle_core::{ClientBuilder, Coverage, Error, ListQuery, ManualClock, Timestamp, Transport};

/// An engine whose clock stands at `now` and never moves but for the waits it is told.
fn engine_at(now: SystemTime) -> Engine {
    ClientBuilder::<()>::new()
        .clock(ManualClock::at(now))
        .base_url("http://127.0.0.1:9/v1")
        .token("t0ken".to_owned().into())
        .max_attempts(2)
        .backoff(Duration::ZERO, Duration::ZERO)
        .seed(3)
        .into_parts()
        .expect("engine")
        .0
}

fn page(ids: &[&str]) -> String {
    let items: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    serde_json::json!({ "items": items }).to_string()
}

/// Walks `pager` through `transport` as an adapter does (the waits pass on the manual clock): every item, the
/// error that ended the walk if any, and the coverage.
fn walk(pager: &mut Pager<'_>, transport: &ScriptedTransport) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    while let Some(next) = pager.next_exchange() {
        let exchange = match next {
            Ok(e) => e,
            Err(e) => return (ids, Some(e)),
        };
        let done = Drive::new(exchange, None)
            .run(
                |r| transport.send(r),
                |_| panic!("a manual clock never sleeps"),
            )
            .expect("nothing stops it");
        match pager.record(done) {
            Ok(items) => ids.extend(items.into_iter().filter_map(|r| r.id)),
            Err(e) => return (ids, Some(e)),
        }
    }
    (ids, None)
}

fn ranges(transport: &ScriptedTransport) -> Vec<(String, String)> {
    transport
        .requests()
        .iter()
        .map(|r| {
            let url = recycle_core::url::Url::parse(&r.uri().to_string()).expect("url");
            let get = |k: &str| {
                url.query_pairs()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            (get("from"), get("to"))
        })
        .collect()
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).expect("time")
}

#[test]
fn a_range_over_30_days_is_walked_newest_first_following_each_windows_pages() {
    let engine = engine_at(UNIX_EPOCH);
    let query = ListQuery::new()
        .admin()
        .from(t("2026-01-01"))
        .to(t("2026-03-01"));
    let next = r#"<http://127.0.0.1:9/v1/admin/convergedRecordings?offset=1>; rel="next""#;
    let transport = ScriptedTransport::new()
        .status(200, &[("link", next)], &page(&["new-1"]))
        .status(200, &[], &page(&["new-2"]))
        .status(200, &[], &page(&["old-1"]));
    let mut pager = engine.pager(&query).expect("a walk of 59 days");
    let (ids, error) = walk(&mut pager, &transport);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["new-1", "new-2", "old-1"]);
    let asked = ranges(&transport);
    assert_eq!(
        asked[0],
        ("2026-01-30T00:00:00Z".into(), "2026-03-01T00:00:00Z".into())
    );
    assert_eq!(
        asked[1],
        (String::new(), String::new()),
        "the Link as given"
    );
    assert_eq!(
        asked[2],
        ("2026-01-01T00:00:00Z".into(), "2026-01-30T00:00:00Z".into())
    );
    let c: &Coverage = pager.coverage();
    assert!(c.is_complete());
    assert_eq!((c.windows, c.windows_total, c.pages), (2, 2, 3));
    assert_eq!(c.covered_from, Some(t("2026-01-01T00:00:00Z")));
}

#[test]
fn open_ends_reach_from_the_floor_to_now_and_empty_windows_cost_one_request() {
    let now = UNIX_EPOCH + Duration::from_secs(1_580_864_000); // 2020-02-05T00:53:20Z
    let engine = engine_at(now);
    let transport = ScriptedTransport::new()
        .status(200, &[], &page(&[]))
        .status(200, &[], &page(&[]));
    let mut pager = engine.pager(&ListQuery::new()).expect("pager");
    let (ids, error) = walk(&mut pager, &transport);
    assert!(ids.is_empty() && error.is_none());
    let asked = ranges(&transport);
    assert_eq!(asked.len(), 2, "36 days with a day of skew: two windows");
    assert_eq!(asked[1].0, recycle_core::protocol::LIST_FLOOR);
    assert_eq!(asked[0].1, "2020-02-06T00:53:20Z");
    assert!(pager.coverage().is_complete());
}

#[test]
fn a_fault_mid_walk_ends_it_and_the_coverage_says_how_far_it_got() {
    let engine = engine_at(UNIX_EPOCH);
    let query = ListQuery::new().from(t("2025-10-01")).to(t("2026-01-01"));
    let transport = ScriptedTransport::new()
        .status(200, &[], &page(&["a"]))
        .status(503, &[], "")
        .status(200, &[], &page(&["b"]))
        .status(404, &[], r#"{"message":"gone"}"#);
    let mut pager = engine.pager(&query).expect("pager");
    let (ids, error) = walk(&mut pager, &transport);
    assert_eq!(ids, ["a", "b"], "a 503 is retried, the walk goes on");
    assert!(matches!(error, Some(Error::Api(ref e)) if e.status.code() == 404));
    assert!(pager.next_exchange().is_none(), "nothing after the failure");
    let c = pager.coverage();
    assert!(!c.is_complete());
    assert_eq!((c.windows, c.windows_total), (2, 4));
    assert_eq!(c.covered_from, Some(t("2025-11-02T00:00:00Z")));
}

#[test]
fn rules_are_checked_before_anything_is_sent() {
    let engine = engine_at(UNIX_EPOCH);
    let reversed = ListQuery::new().from(t("2026-02-01")).to(t("2026-01-01"));
    assert!(matches!(engine.pager(&reversed), Err(Error::ListQuery(_))));
    let purged_on_user_list = ListQuery::new().status(recycle_core::RecordingStatus::Purged);
    assert!(engine.pager(&purged_on_user_list).is_err());
}

#[test]
fn the_timezone_header_goes_with_every_page_and_details() {
    let engine = engine_at(UNIX_EPOCH);
    let tz = recycle_core::Timezone::new("Europe/Berlin").expect("tz");
    let query = ListQuery::new()
        .from(t("2026-01-01"))
        .to(t("2026-01-02"))
        .timezone(tz.clone());
    let next = r#"<http://127.0.0.1:9/v1/convergedRecordings?offset=1>; rel="next""#;
    let transport = ScriptedTransport::new()
        .status(200, &[("link", next)], &page(&["a"]))
        .status(200, &[], &page(&["b"]));
    let mut pager = engine.pager(&query).expect("pager");
    let (ids, _) = walk(&mut pager, &transport);
    assert_eq!(ids, ["a", "b"]);
    let id = recycle_core::RecordingId::new("r1").expect("id");
    let details = engine.details(&id, Some(&tz)).request();
    for request in transport.requests().iter().chain([&details]) {
        assert_eq!(
            request
                .headers()
                .get("timezone")
                .and_then(|v| v.to_str().ok()),
            Some("Europe/Berlin")
        );
    }
    let plain = ListQuery::new().from(t("2026-01-01")).to(t("2026-01-02"));
    let transport = ScriptedTransport::new().status(200, &[], &page(&[]));
    walk(&mut engine.pager(&plain).expect("pager"), &transport);
    assert!(transport.requests()[0].headers().get("timezone").is_none());
}

#[test]
fn an_open_end_that_passes_the_other_is_refused_not_an_empty_success() {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let engine = engine_at(now);
    let before_floor = ListQuery::new().to(t("2019-06-01"));
    assert!(matches!(
        engine.pager(&before_floor),
        Err(Error::ListQuery(
            recycle_core::ListQueryError::EmptyRange { .. }
        ))
    ));
    let future = ListQuery::new().from(t("2099-01-01"));
    assert!(engine.pager(&future).is_err());
    let both = ListQuery::new().from(t("2019-01-01")).to(t("2019-06-01"));
    assert!(
        engine.pager(&both).is_ok(),
        "both ends given: below the floor is fine"
    );
}
