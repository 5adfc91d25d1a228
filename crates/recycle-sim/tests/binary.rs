//! The `recycle-sim` binary: its first stdout line says where it listens and who may call.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[tokio::test]
async fn prints_base_url_and_identities_first_then_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recycle-sim"))
        .args(["--port", "0", "--seed", "11", "--rate-limit", "100/s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("a first line within 20 s");
    let info: serde_json::Value = serde_json::from_str(&line).expect("one JSON object");
    let base = info["baseUrl"].as_str().expect("baseUrl").to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"),
        "{base}"
    );
    let identities = info["identities"].as_array().expect("identities");
    let scopes = |name: &str| -> Vec<String> {
        let i = identities
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert!(i["email"].as_str().is_some_and(|e| e.contains('@')) && i["token"].is_string());
        i["scopes"]
            .as_array()
            .expect("scopes")
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        scopes("admin"),
        [
            "spark-admin:recordings_write",
            "spark-admin:recordings_read"
        ]
    );
    assert_eq!(
        scopes("alice"),
        ["spark:recordings_write", "spark:recordings_read"]
    );
    assert_eq!(
        scopes("bob"),
        ["spark:recordings_write", "spark:recordings_read"]
    );
    assert_eq!(scopes("readonly"), ["spark:recordings_read"]);
    let alice = identities
        .iter()
        .find(|i| i["name"] == "alice")
        .and_then(|i| i["token"].as_str())
        .expect("token");
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let resp = reqwest::Client::new()
        .get(format!(
            "{base}/convergedRecordings?from=2020-01-01&to=2100-01-01"
        ))
        .bearer_auth(alice)
        .send()
        .await;
    let _ = child.kill();
    let _ = child.wait();
    let resp = resp.expect("the binary serves");
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(body["items"].as_array().is_some_and(|i| !i.is_empty()));
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let a =
        recycle_sim::BackgroundSimulator::start(recycle_sim::SimConfig::new(42)).expect("start");
    let b =
        recycle_sim::BackgroundSimulator::start(recycle_sim::SimConfig::new(42)).expect("start");
    let c =
        recycle_sim::BackgroundSimulator::start(recycle_sim::SimConfig::new(43)).expect("start");
    assert_eq!(a.recordings(), b.recordings());
    assert_ne!(a.recordings(), c.recordings());
    assert_eq!(
        a.identity("alice").map(|i| &i.token),
        b.identity("alice").map(|i| &i.token)
    );
    for name in ["admin", "alice", "bob", "readonly"] {
        let email = &a.identity(name).expect("identity").email;
        assert!(
            a.recordings()
                .iter()
                .filter(|r| &r.owner_email == email)
                .count()
                >= 5,
            "{name} owns at least 5"
        );
    }
    a.stop();
}
