//! `list`: all pages, the recycle bin, an owner's recordings (admin), JSON and table.

mod common;

use std::collections::HashSet;

use common::Env;
use recycle_core::Timestamp;
use recycle_core::protocol::LIST_FLOOR;
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::SimConfig;

#[test]
fn lists_everything_back_to_the_floor_on_both_transports_and_says_so() {
    for transport in ["async", "blocking"] {
        let env = Env::with(SimConfig::new(5).recordings_for("alice", 60));
        let out = env.run(
            Some("alice"),
            &["--transport", transport, "--json", "list", "--max", "7"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let doc = out.json();
        let ids: Vec<String> = doc["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(
            ids.len(),
            env.ids("alice", Available).len(),
            "not only 7 days"
        );
        assert_eq!(
            ids.into_iter().collect::<HashSet<_>>(),
            env.ids("alice", Available).into_iter().collect()
        );
        assert_eq!(doc["coverage"]["rangeFrom"], LIST_FLOOR);
        assert_eq!(doc["coverage"]["coveredFrom"], LIST_FLOOR);
        let windows = doc["coverage"]["windowsTotal"].as_u64().expect("windows");
        assert_eq!(doc["coverage"]["windows"].as_u64(), Some(windows));
        assert!(
            out.stderr.starts_with(&format!("listed {LIST_FLOOR} to ")),
            "{}",
            out.stderr
        );
        let requests = env.sim.requests().len() as u64;
        assert!(
            requests >= windows && requests <= windows + 60 / 7,
            "{requests} requests for {windows} windows"
        );
    }
}

#[test]
fn a_range_of_any_length_and_every_filter_reach_the_server() {
    let env = Env::with(
        SimConfig::new(6)
            .recordings_for("alice", 100)
            .now(Timestamp::parse("2026-06-01T00:00:00Z").expect("now")),
    );
    let out = env.run(
        Some("admin"),
        &[
            "--json",
            "list",
            "--owner",
            "alice@example.com",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-01",
            "--service-type",
            "calling",
            "--format",
            "MP3",
            "--owner-type",
            "user",
            "--storage-region",
            "US",
            "--topic",
            "call",
            "--timezone",
            "Europe/Berlin",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let requests = env.sim.requests();
    assert_eq!(
        requests.len(),
        6,
        "151 days: six windows of at most 30 days"
    );
    for r in &requests {
        let q = r.query.as_deref().unwrap_or_default();
        for part in [
            "ownerEmail=alice%40example.com",
            "serviceType=calling",
            "format=MP3",
            "ownerType=user",
            "storageRegion=US",
            "topic=call",
        ] {
            assert!(q.contains(part), "{part} in {q}");
        }
    }
    for item in out.json()["items"].as_array().expect("items") {
        assert_eq!(item["serviceType"], "calling");
        assert_eq!(item["storageRegion"], "US");
        assert!(
            item["topic"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().contains("call"))
        );
    }
    assert!(
        out.stderr
            .contains("listed 2026-01-01T00:00:00Z to 2026-06-01T00:00:00Z (6 of 6 windows"),
        "{}",
        out.stderr
    );
}

#[test]
fn lists_the_bin_and_an_owners_recordings() {
    let env = Env::new();
    let out = env.run(Some("alice"), &["--json", "list", "--deleted"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.json()["items"].as_array().map(Vec::len),
        Some(env.ids("alice", Deleted).len())
    );
    let out = env.run(Some("admin"), &["list", "--owner", "bob@example.com"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let count = env.ids("bob", Available).len();
    assert!(
        out.stdout.ends_with(&format!("{count} recording(s)\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .lines()
            .take(count)
            .all(|l| l.contains("bob@example.com"))
    );
    let out = env.run(Some("alice"), &["list", "--owner", "bob@example.com"]);
    assert_eq!(
        out.code, 1,
        "a user may not use the admin list: {}",
        out.stderr
    );
    assert!(out.stderr.contains("403"), "{}", out.stderr);
}

#[test]
fn a_next_page_on_another_origin_is_not_followed() {
    let env = Env::new();
    let page =
        serde_json::json!({"items": [{"id": "a".repeat(32), "topic": "first page"}]}).to_string();
    let foreign = "<https://elsewhere.example/v1/convergedRecordings?offset=1>; rel=\"next\"";
    let fault = recycle_sim::FaultResponse::status(200)
        .body(&page)
        .header("link", foreign);
    env.sim.inject("/convergedRecordings", vec![fault]);
    let out = env.run(Some("alice"), &["--json", "list"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.json()["items"][0]["topic"],
        "first page",
        "the items so far are printed"
    );
    assert!(
        out.stderr.contains("https://elsewhere.example"),
        "{}",
        out.stderr
    );
    assert_eq!(
        env.sim.requests().len(),
        1,
        "the foreign link was not fetched"
    );
    assert!(
        out.stderr.contains("listed nothing completely"),
        "{}",
        out.stderr
    );
}
