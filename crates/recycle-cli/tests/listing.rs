//! `list`: all pages, the recycle bin, an owner's recordings (admin), JSON and table.

mod common;

use std::collections::HashSet;

use common::Env;
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::SimConfig;

#[test]
fn lists_every_page_as_json_on_both_transports() {
    for transport in ["async", "blocking"] {
        let env = Env::with(SimConfig::new(5).recordings_for("alice", 60));
        let out = env.run(
            Some("alice"),
            &["--transport", transport, "--json", "list", "--max", "7"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let ids: Vec<String> = out.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(ids.len(), env.ids("alice", Available).len());
        assert_eq!(
            ids.into_iter().collect::<HashSet<_>>(),
            env.ids("alice", Available).into_iter().collect()
        );
        let pages = env.sim.requests().len();
        assert_eq!(pages, env.ids("alice", Available).len().div_ceil(7));
    }
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
}
