//! Scripted faults, the rate limit and the request log, over HTTP and in-process.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::{Env, ids_body, read, webex_error};
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::{FaultResponse, RateLimit, RetryAfterStyle, SimConfig};
use serde_json::json;

const SOFT: &str = "/convergedRecordings/softDelete";

async fn queue(env: &Env, spec: serde_json::Value) -> reqwest::StatusCode {
    env.http
        .post(env.root("/_sim/faults"))
        .json(&spec)
        .send()
        .await
        .expect("response")
        .status()
}

#[tokio::test]
async fn scripted_answers_come_in_order_then_normal_behaviour_resumes() {
    let env = Env::new().await;
    let spec = json!({"path": SOFT, "responses": [
        {"status": 429, "retryAfter": "2"},
        {"status": 503},
        {"status": 502, "body": "<html><body>Bad gateway</body></html>"},
        {"status": 429, "retryAfter": "rand(30),add(30)"},
    ]});
    assert_eq!(queue(&env, spec).await, 200);
    let (_, pending) = read(
        env.http
            .get(env.root("/_sim/faults"))
            .send()
            .await
            .expect("response"),
    )
    .await;
    assert_eq!(
        pending["faults"][0]["responses"].as_array().map(Vec::len),
        Some(4)
    );
    let id = env.ids("alice", Available)[0].clone();

    let r = env.post(SOFT, "alice", &ids_body(&[&id])).await;
    assert_eq!(r.headers()["retry-after"], "2");
    webex_error(r, 429).await;
    webex_error(env.post(SOFT, "alice", &ids_body(&[&id])).await, 503).await;
    let r = env.post(SOFT, "alice", &ids_body(&[&id])).await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["content-type"].to_str().ok()
        ),
        (502, Some("text/html"))
    );
    assert_eq!(
        r.text().await.expect("body"),
        "<html><body>Bad gateway</body></html>"
    );
    let r = env.post(SOFT, "alice", &ids_body(&[&id])).await;
    assert_eq!(
        r.headers()["retry-after"],
        "rand(30),add(30)",
        "garbage is sent verbatim"
    );
    assert_eq!(
        env.state_of(&id),
        Available,
        "faults without apply change nothing"
    );
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[&id])).await.status(),
        204
    );
    assert_eq!(env.state_of(&id), Deleted);
}

#[tokio::test]
async fn faults_can_be_configured_from_the_start() {
    let config = SimConfig::new(7).fault(SOFT, vec![FaultResponse::status(423).retry_after("1")]);
    let env = Env::start(config).await;
    let id = env.ids("alice", Available)[0].clone();
    let locked = env.post(SOFT, "alice", &ids_body(&[&id])).await;
    assert_eq!(locked.headers()["retry-after"], "1");
    webex_error(locked, 423).await;
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[&id])).await.status(),
        204
    );
}

#[tokio::test]
async fn faults_match_only_their_path() {
    let env = Env::new().await;
    env.sim.inject(
        "/v1/convergedRecordings/purge",
        vec![FaultResponse::status(500)],
    );
    let id = env.ids("alice", Available)[0].clone();
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[id])).await.status(),
        204
    );
    let (_, body) = read(env.get(&env.url("/convergedRecordings"), "alice").await).await;
    assert!(body["items"].is_array());
    let deleted = env.ids("alice", Deleted);
    webex_error(
        env.post("/convergedRecordings/purge", "alice", &ids_body(&deleted))
            .await,
        500,
    )
    .await;
}

#[tokio::test]
async fn dropped_connections_get_no_answer() {
    let env = Env::new().await;
    assert_eq!(
        queue(&env, json!({"path": SOFT, "responses": [{"drop": true}]})).await,
        200
    );
    let id = env.ids("alice", Available)[0].clone();
    let err = env
        .http
        .post(env.url(SOFT))
        .bearer_auth(env.token("alice"))
        .header("content-type", "application/json")
        .body(ids_body(&[&id]))
        .send()
        .await
        .expect_err("no answer");
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    assert_eq!(env.state_of(&id), Available);
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[id])).await.status(),
        204,
        "the next request is answered"
    );
}

#[tokio::test]
async fn apply_then_fail_changes_state_but_reports_failure() {
    let env = Env::new().await;
    let ids = env.ids("alice", Available);
    env.sim.inject(
        SOFT,
        vec![
            FaultResponse::status(500).after_applying().into(),
            FaultResponse::drop_after_applying(),
        ],
    );
    webex_error(env.post(SOFT, "alice", &ids_body(&ids[..1])).await, 500).await;
    assert_eq!(env.state_of(&ids[0]), Deleted, "applied despite the 500");
    let err = env
        .http
        .post(env.url(SOFT))
        .bearer_auth(env.token("alice"))
        .header("content-type", "application/json")
        .body(ids_body(&ids[1..2]))
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(
        env.state_of(&ids[1]),
        Deleted,
        "applied despite the dropped connection"
    );
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let env = Env::new().await;
    env.sim.inject(
        SOFT,
        vec![
            FaultResponse::delay_ms(300),
            FaultResponse::status(503).delayed_ms(200),
        ],
    );
    let id = env.ids("alice", Available)[0].clone();
    let start = Instant::now();
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[&id])).await.status(),
        204,
        "delay alone answers normally"
    );
    assert!(start.elapsed() >= Duration::from_millis(300));
    let start = Instant::now();
    webex_error(env.post(SOFT, "alice", &ids_body(&[id])).await, 503).await;
    assert!(start.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn invalid_fault_specs_are_refused_and_faults_can_be_cleared() {
    let env = Env::new().await;
    for bad in [
        json!({"path": SOFT, "responses": [{"status": 99}]}),
        json!({"path": SOFT, "responses": [{"drop": true, "status": 500}]}),
        json!({"path": SOFT, "responses": [{"apply": true}]}),
        json!({"path": SOFT, "responses": [{"body": "ignored without a status"}]}),
        json!({"path": SOFT, "responses": [{"drop": true, "retryAfter": "1"}]}),
        json!({"path": SOFT, "responses": [{"status": 500, "headers": {"bad name": "x"}}]}),
        json!({"path": SOFT, "responses": [{"delayMs": 60001}]}),
        json!({"path": SOFT, "responses": [{"status": 429, "retryAfter": "1\n2"}]}),
        json!({"path": SOFT, "responses": [{"status": 500, "headers": {"x-a": "b\u{1}"}}]}),
        json!({"path": SOFT, "responses": [{}]}),
        json!({"path": SOFT, "responses": [{"stauts": 500}]}),
        json!({"responses": []}),
    ] {
        assert_eq!(queue(&env, bad.clone()).await, 400, "{bad}");
    }
    assert_eq!(
        queue(&env, json!({"path": SOFT, "responses": [{"status": 500}]})).await,
        200
    );
    let r = env
        .http
        .delete(env.root("/_sim/faults"))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 204);
    let id = env.ids("alice", Available)[0].clone();
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[id])).await.status(),
        204
    );
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_seconds() {
    // One token a second: the third request is limited unless the first three take a whole
    // second, which leaves a wide margin on a busy machine.
    let mut limit = RateLimit::per_second(1.0);
    limit.burst = 2.0;
    let env = Env::start(SimConfig::new(7).rate_limit(limit)).await;
    let url = env.url("/convergedRecordings");
    assert_eq!(env.get(&url, "alice").await.status(), 200);
    assert_eq!(env.get(&url, "alice").await.status(), 200);
    let limited = env.get(&url, "alice").await;
    assert_eq!(limited.headers()["retry-after"], "1");
    webex_error(limited, 429).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        env.get(&url, "alice").await.status(),
        200,
        "tokens refill at the rate"
    );
}

#[tokio::test]
async fn the_rate_limit_can_answer_with_an_http_date() {
    let limit = RateLimit {
        per_second: 1.0,
        burst: 1.0,
        retry_after: RetryAfterStyle::HttpDate,
    };
    let env = Env::start(SimConfig::new(7).rate_limit(limit)).await;
    let url = env.url("/convergedRecordings");
    assert_eq!(env.get(&url, "alice").await.status(), 200);
    let limited = env.get(&url, "alice").await;
    assert_eq!(limited.status(), 429);
    let value = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let wait =
        recycle_core::protocol::parse_retry_after(&value, SystemTime::now()).expect("an HTTP-date");
    assert!(wait <= Duration::from_secs(2), "{value}");
    assert!(httpdate::parse_http_date(&value).is_ok(), "{value}");
}

#[tokio::test]
async fn the_request_log_records_what_was_sent_but_never_the_token() {
    let env = Env::new().await;
    let id = env.ids("alice", Available)[0].clone();
    env.sim.inject(SOFT, vec![FaultResponse::drop_connection()]);
    let dropped = env
        .http
        .post(env.url(SOFT))
        .bearer_auth(env.token("alice"))
        .header("content-type", "application/json")
        .header("TrackingID", "RECYCLE_test")
        .body(ids_body(&[&id]))
        .send()
        .await;
    assert!(dropped.is_err());
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&[&id])).await.status(),
        204
    );
    let _ = env.get(&env.url("/convergedRecordings?max=3"), "bob").await;
    let resp = env
        .http
        .get(env.root("/_sim/requests"))
        .send()
        .await
        .expect("response");
    let text = resp.text().await.expect("body");
    for name in ["alice", "bob"] {
        assert!(
            !text.contains(&env.token(name)),
            "the log never holds a token"
        );
    }
    let log: serde_json::Value = serde_json::from_str(&text).expect("json");
    let requests = log["requests"].as_array().expect("requests");
    assert_eq!((log["total"].as_u64(), requests.len()), (Some(3), 3));
    assert_eq!(requests[0]["method"], "POST");
    assert_eq!(requests[0]["path"], "/v1/convergedRecordings/softDelete");
    assert_eq!(requests[0]["body"], ids_body(&[id]));
    assert_eq!(requests[0]["trackingId"], "RECYCLE_test");
    assert!(requests[0]["status"].is_null(), "dropped: no status");
    assert_eq!(requests[1]["status"], 204);
    assert_eq!(requests[2]["query"], "max=3");
    assert_eq!(env.sim.requests().len(), 3);
    assert_eq!(
        env.http
            .delete(env.root("/_sim/requests"))
            .send()
            .await
            .expect("response")
            .status(),
        204
    );
    assert!(env.sim.requests().is_empty());
}

#[tokio::test]
async fn truncated_bodies_break_off() {
    let env = Env::new().await;
    env.sim.inject(
        SOFT,
        vec![
            FaultResponse::status(200)
                .body(r#"{"items": [1, 2, 3]}"#)
                .truncated(),
        ],
    );
    let id = env.ids("alice", Available)[0].clone();
    let resp = env.post(SOFT, "alice", &ids_body(&[&id])).await;
    assert_eq!(
        resp.headers()["content-length"],
        (r#"{"items": [1, 2, 3]}"#.len() + 64).to_string()
    );
    assert!(
        resp.bytes().await.is_err(),
        "the body ends before its promised length"
    );
}

#[tokio::test]
async fn chaos_injects_faults_at_the_rate_given() {
    let env = Env::start(SimConfig::new(7).chaos(0.5, 42)).await;
    let url = env.url("/convergedRecordings");
    let mut answered = 0;
    for _ in 0..200 {
        if let Ok(resp) = env
            .http
            .get(&url)
            .bearer_auth(env.token("alice"))
            .send()
            .await
        {
            answered += usize::from(resp.status() == 200);
        }
    }
    let faulted = env
        .sim
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(
        (60..=140).contains(&faulted),
        "{faulted} of 200 faulted at 50%"
    );
    assert_eq!(
        answered + faulted,
        200,
        "every request either answered normally or faulted"
    );
}
