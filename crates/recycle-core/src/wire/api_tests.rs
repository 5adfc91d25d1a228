//! Unit tests of the wire: requests as the adapters send them, and responses as the core reads them.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::TrackingId;
use crate::adapter::{Api, BatchResult, SharedRng};
use crate::test_util::ScriptedTransport;
use crate::url::Url;
use crate::{
    AccessToken, BaseUrl, Email, Error, HttpResponse, ListQuery, PaginationError, PurgeRequest,
    RecordingStatus, StatusClass, Transport, TransportError, TransportErrorKind, TrashRequest,
    attempt_outcome, batch_result, operation_result, read_list_page,
};
use crate::{Decision, RetryBudget, RetryPolicy, RetryState};

const SECRET: &str = "s3cr3t-t0ken-value";

fn api() -> Api {
    let base = BaseUrl::parse("http://127.0.0.1:8080/v1").expect("base");
    Api::new(
        base,
        AccessToken::new(SECRET.to_owned().into()).expect("token"),
    )
}

fn tracking() -> TrackingId {
    TrackingId::generate(&SharedRng::seeded(5))
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_445_412_450)
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).expect("response")
}

#[test]
fn operation_requests_carry_method_path_headers_and_canonical_body() {
    let t = tracking();
    let owner = Email::new("alice@example.com").expect("email");
    let req = api().operation(&PurgeRequest::all_of(owner), &t);
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(
        req.uri(),
        "http://127.0.0.1:8080/v1/convergedRecordings/purge"
    );
    assert_eq!(
        req.body(),
        br#"{"purgeAll":true,"ownerEmail":"alice@example.com"}"#
    );
    let h = req.headers();
    assert_eq!(h["content-type"], "application/json");
    assert_eq!(h["accept"], "application/json");
    assert_eq!(h["trackingid"], t.as_str());
    assert!(
        h["user-agent"]
            .to_str()
            .expect("ascii")
            .starts_with("recycle/")
    );
    assert!(h["authorization"].is_sensitive());
    assert!(
        !format!("{req:?}").contains(SECRET),
        "the token never shows in Debug"
    );
}

#[test]
fn list_requests_stay_on_the_base_origin() {
    let api = api();
    let url = ListQuery::new()
        .status(RecordingStatus::Deleted)
        .max(10)
        .expect("max")
        .to_url(api.base())
        .expect("url");
    let req = api.list_page(&url, &tracking(), None).expect("same origin");
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(
        req.uri(),
        "http://127.0.0.1:8080/v1/convergedRecordings?status=deleted&max=10"
    );
    let elsewhere = Url::parse("http://127.0.0.2:8080/v1/convergedRecordings").expect("url");
    assert!(matches!(
        api.list_page(&elsewhere, &tracking(), None),
        Err(PaginationError::CrossOrigin { .. })
    ));
}

#[test]
fn any_2xx_is_success_and_its_body_is_ignored() {
    for status in [200, 201, 202, 204, 299] {
        let r = operation_result(
            Ok(response(status, &[], "<not json>")),
            &tracking(),
            1,
            false,
            now(),
        );
        assert!(r.is_ok(), "{status}");
    }
}

#[test]
fn api_errors_keep_message_both_tracking_ids_and_retry_after() {
    let t = tracking();
    let body = r#"{"message":"Recording not found","errors":[{"description":"Recording not found"}],"trackingId":"ROUTER_BODY"}"#;
    let err = operation_result(
        Ok(response(404, &[("trackingid", "ROUTER_HEADER")], body)),
        &t,
        1,
        false,
        now(),
    )
    .expect_err("404");
    assert!(!err.is_retryable() && !err.is_auth() && !err.is_invalid_input());
    assert_eq!(err.status().map(|s| s.code()), Some(404));
    assert_eq!(
        err.server_tracking_id(),
        Some("ROUTER_BODY"),
        "the body's trackingId wins"
    );
    assert_eq!(err.request_tracking_id(), Some(&t));
    assert_eq!(
        err.to_string(),
        format!("404 Not Found: Recording not found (trackingId ROUTER_BODY) (TrackingID {t})")
    );

    let err = operation_result(
        Ok(response(
            429,
            &[("trackingid", "ROUTER_H"), ("retry-after", "7")],
            "",
        )),
        &t,
        4,
        false,
        now(),
    )
    .expect_err("429");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.tracking_id.as_deref(),
        Some("ROUTER_H"),
        "the header stands in for a missing body"
    );
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(api.status.class(), StatusClass::RateLimited);
    assert_eq!(api.message(), "Too Many Requests");
    assert!(err.is_retryable());
}

#[test]
fn gateway_html_and_auth_errors_read_sensibly() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = operation_result(Ok(response(502, &[], html)), &tracking(), 4, false, now())
        .expect_err("502");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.message(),
        "Bad Gateway (the body said: 502 Bad Gateway)"
    );
    assert!(!err.to_string().contains('<'), "no markup: {err}");
    assert_eq!(api.raw_body, html.as_bytes(), "the raw body is kept apart");
    let huge = "x".repeat(crate::error::MAX_KEPT_BODY * 3);
    let err = operation_result(Ok(response(500, &[], &huge)), &tracking(), 4, false, now())
        .expect_err("500");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.raw_body.len(),
        crate::error::MAX_KEPT_BODY,
        "kept bodies are capped"
    );
    let err = operation_result(Ok(response(401, &[], "")), &tracking(), 1, false, now())
        .expect_err("401");
    assert!(err.is_auth());
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.advice().contains("token"));
}

#[test]
fn redirects_are_failures_naming_the_location_origin() {
    let err = operation_result(
        Ok(response(
            307,
            &[(
                "location",
                "https://evil.example:8443/v1/convergedRecordings/purge",
            )],
            "",
        )),
        &tracking(),
        1,
        false,
        now(),
    )
    .expect_err("3xx");
    assert!(
        err.to_string()
            .contains("redirect to https://evil.example:8443 not followed"),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[test]
fn transport_failures_keep_kind_attempts_and_tracking_id() {
    let t = tracking();
    let err = operation_result(
        Err(TransportError::new(
            TransportErrorKind::ConnectionDropped,
            "reset by peer",
        )),
        &t,
        4,
        false,
        now(),
    )
    .expect_err("dropped");
    assert!(err.is_retryable());
    assert_eq!(err.request_tracking_id(), Some(&t));
    assert!(err.to_string().contains("after 4 attempt(s)"), "{err}");
}

#[test]
fn batch_results_mark_unknown_outcomes() {
    let t = tracking();
    let BatchResult::Failed(f) = batch_result(
        Err(TransportError::new(TransportErrorKind::Timeout, "slow")),
        &t,
        false,
        now(),
    ) else {
        panic!("timeout is a failure")
    };
    assert!(f.outcome_unknown && f.status.is_none());
    let BatchResult::Failed(f) = batch_result(
        Err(TransportError::new(TransportErrorKind::Connect, "refused")),
        &t,
        false,
        now(),
    ) else {
        panic!("connect is a failure")
    };
    assert!(!f.outcome_unknown, "nothing was sent");
    let BatchResult::Failed(f) = batch_result(
        Ok(response(
            409,
            &[],
            r#"{"message":"not in the recycle bin"}"#,
        )),
        &t,
        false,
        now(),
    ) else {
        panic!("409 is a failure")
    };
    assert_eq!(
        (f.status, f.message.as_deref()),
        (Some(409), Some("not in the recycle bin"))
    );
    assert_eq!(f.request_tracking_id.as_deref(), Some(t.as_str()));
    assert_eq!(
        batch_result(Ok(response(204, &[], "")), &t, false, now()),
        BatchResult::Succeeded
    );
}

#[test]
fn list_pages_parse_items_and_follow_only_same_origin_links() {
    let page_url = Url::parse("http://127.0.0.1:8080/v1/convergedRecordings?max=1").expect("url");
    let body = r#"{"items":[{"id":"r1","status":"deleted","topic":"Weekly"}]}"#;
    let link = r#"<http://127.0.0.1:8080/v1/convergedRecordings?max=1&offset=1>; rel="next""#;
    let page = read_list_page(
        Ok(response(200, &[("link", link)], body)),
        &page_url,
        &tracking(),
        1,
        now(),
    )
    .expect("page");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].topic.as_deref(), Some("Weekly"));
    assert_eq!(
        page.next.map(String::from).as_deref(),
        Some("http://127.0.0.1:8080/v1/convergedRecordings?max=1&offset=1")
    );

    let foreign = r#"<https://attacker.example/v1/convergedRecordings>; rel="next""#;
    let page = read_list_page(
        Ok(response(200, &[("link", foreign)], body)),
        &page_url,
        &tracking(),
        1,
        now(),
    )
    .expect("the page itself is good");
    assert_eq!(page.items.len(), 1, "its items are kept");
    assert_eq!(page.next, None, "the foreign link is not followed");
    assert!(
        matches!(page.refused_next, Some(PaginationError::CrossOrigin { .. })),
        "{:?}",
        page.refused_next
    );
    let err = read_list_page(
        Ok(response(200, &[], "{\"items\": [")),
        &page_url,
        &tracking(),
        1,
        now(),
    )
    .expect_err("truncated");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

/// The retry loop by hand (what `Drive` does, without pace or clock), against a scripted
/// transport: the core decides each step.
fn send_with_retries(
    transport: &ScriptedTransport,
    policy: &RetryPolicy,
) -> (Result<(), Error>, Vec<Duration>, u32) {
    let (api, budget, rng, t) = (
        api(),
        Arc::new(RetryBudget::default()),
        Arc::new(SharedRng::seeded(11)),
        tracking(),
    );
    let req = TrashRequest::by_ids(["r1"]).expect("ids");
    let mut state = RetryState::new(*policy, budget, rng);
    let mut waits = Vec::new();
    let result = loop {
        let result = transport.send(api.operation(&req, &t));
        match state.record(&attempt_outcome(&result, now())) {
            Decision::Retry { after, .. } => waits.push(after),
            Decision::Stop(_) => break result,
        }
    };
    (
        operation_result(
            result,
            &t,
            state.attempts(),
            state.may_have_been_applied(),
            now(),
        ),
        waits,
        state.attempts(),
    )
}

#[test]
fn scripted_sequences_end_as_the_policy_says() {
    let policy = RetryPolicy::default();
    let t = ScriptedTransport::new()
        .status(429, &[("retry-after", "Wed, 21 Oct 2015 07:27:33 GMT")], "")
        .status(503, &[], "")
        .error(TransportErrorKind::ConnectionDropped)
        .status(204, &[], "");
    let (result, waits, attempts) = send_with_retries(&t, &policy);
    assert!(result.is_ok());
    assert_eq!(attempts, 4);
    assert_eq!(
        waits[0],
        Duration::from_secs(3),
        "HTTP-date relative to now"
    );
    assert!(waits[1] <= policy.base_delay * 2 && waits[2] <= policy.base_delay * 4);
    assert_eq!(t.remaining(), 0);

    let t = ScriptedTransport::new()
        .status(502, &[], "<html>")
        .status(502, &[], "")
        .status(502, &[], "")
        .status(502, &[], "")
        .status(204, &[], "");
    let (result, _, attempts) = send_with_retries(&t, &policy);
    assert_eq!(attempts, 4, "max attempts");
    assert_eq!(
        result.expect_err("502").status().map(|s| s.code()),
        Some(502)
    );
    assert_eq!(t.remaining(), 1, "the fifth answer is never asked for");

    let t = ScriptedTransport::new().status(400, &[], r#"{"message":"bad"}"#);
    let (result, waits, _) = send_with_retries(&t, &policy);
    assert!(waits.is_empty());
    assert_eq!(
        result.expect_err("400").to_string().split(':').next(),
        Some("400 Bad Request")
    );

    let t = ScriptedTransport::new()
        .status(429, &[("retry-after", "rand(30),add(30)")], "")
        .status(204, &[], "");
    let (result, waits, _) = send_with_retries(&t, &policy);
    assert!(result.is_ok());
    assert!(
        waits[0] <= policy.base_delay,
        "garbage Retry-After falls back to backoff"
    );
}
