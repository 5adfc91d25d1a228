//! `recycle demo` and `recycle sim`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn the_demo_succeeds_on_both_transports() {
    for transport in ["async", "blocking"] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_recycle"));
        cmd.args(["--transport", transport, "demo"])
            .env_remove("WEBEX_TOKEN");
        let out = common::run(cmd, None);
        assert_eq!(out.code, 0, "{transport}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stdout
                .contains("9 of 9 checks agree with the simulator's state"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("MISMATCH"));
        assert!(
            out.stdout
                .contains("[ok] purged exactly the old part of the bin"),
            "the retention step ran: {}",
            out.stdout
        );
    }
}

#[test]
fn sim_serves_and_prints_its_startup_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recycle"))
        .args(["sim", "--port", "0", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(20));
    let info: Option<serde_json::Value> = line.ok().and_then(|l| serde_json::from_str(&l).ok());
    let base = info
        .as_ref()
        .and_then(|i| i["baseUrl"].as_str())
        .map(str::to_owned);
    let token = info
        .as_ref()
        .and_then(|i| i["identities"][1]["token"].as_str())
        .map(str::to_owned);
    let listed = match (&base, &token) {
        (Some(base), Some(token)) => {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_recycle"));
            cmd.args(["--base-url", base, "--json", "list"])
                .env("WEBEX_TOKEN", token);
            Some(common::run(cmd, None))
        }
        _ => None,
    };
    let _ = child.kill();
    let _ = child.wait();
    let listed = listed.expect("a startup line with baseUrl and tokens");
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        listed.json()["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );
}
