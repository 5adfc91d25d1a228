//! Bad input exits 2 with a one-line reason, and nothing is sent, not even the valid IDs.

mod common;

use common::Env;
use recycle_sim::RecordingState::Available;

#[test]
fn bad_input_is_refused_before_sending_anything() {
    let env = Env::new();
    let good = env.ids("alice", Available)[0].clone();
    let long = "x".repeat(1025);
    let crlf_file = env.file("crlf.txt", &format!("{good}\nbad\u{0}id\r\n"));
    let space_file = env.file("space.txt", &format!("{good}\n\n# fine\nwith space\n"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["trash".into(), "--ids".into(), format!("{good},{long}")],
            "1025 bytes",
        ),
        (
            vec!["trash".into(), "--ids".into(), format!("{good},a\u{1b}b")],
            "control character",
        ),
        (
            vec!["trash".into(), "--ids".into(), format!("{good},,x")],
            "#2 \"\": the ID is empty",
        ),
        (vec!["trash".into(), "--ids-file".into(), crlf_file], "#2"),
        (
            vec!["trash".into(), "--ids-file".into(), space_file],
            "#4 \"with space\"",
        ),
        (
            vec![
                "trash".into(),
                "--ids-file".into(),
                "/nonexistent/ids.txt".into(),
            ],
            "cannot read",
        ),
        (
            vec![
                "trash".into(),
                "--all".into(),
                "--owner".into(),
                "not-an-email".into(),
            ],
            "--owner",
        ),
        (
            vec![
                "trash".into(),
                "--owner".into(),
                "a@example.com".into(),
                "--ids".into(),
                good.clone(),
            ],
            "--owner goes with --all",
        ),
        (vec!["list".into(), "--max".into(), "101".into()], "--max"),
        (
            vec!["list".into(), "--from".into(), "yesterday".into()],
            "--from",
        ),
        (
            vec!["list".into(), "--status".into(), "purged".into()],
            "administrators' list",
        ),
        (
            vec!["list".into(), "--topic".into(), String::new()],
            "topic must be 1 to 1024 characters",
        ),
        (
            vec!["list".into(), "--timezone".into(), "Mars Base".into()],
            "--timezone",
        ),
        (
            vec![
                "list".into(),
                "--from".into(),
                "2026-03-01".into(),
                "--to".into(),
                "2026-01-01".into(),
            ],
            "is after",
        ),
    ];
    for (args, reason) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(Some("alice"), &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(reason), "{args:?}: {}", out.stderr);
        assert_eq!(
            out.stderr.trim().lines().count(),
            1,
            "one line: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
    // Usage errors from the argument parser also exit 2.
    for args in [
        vec!["trash", "--ids", "a", "--all"],
        vec!["trash"],
        vec!["frobnicate"],
        vec!["--transport", "carrier-pigeon", "trash", "--all"],
    ] {
        assert_eq!(env.run(Some("alice"), &args).code, 2, "{args:?}");
    }
    assert!(env.sim.requests().is_empty(), "nothing was sent");
}

#[test]
fn no_token_or_a_remote_http_url_is_refused() {
    let env = Env::new();
    let good = env.ids("alice", Available)[0].clone();
    let out = env.run(None, &["trash", "--ids", &good]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no token"), "{}", out.stderr);
    let bad_token = env.file("token.txt", "abc\ndef\n");
    let out = env.run(None, &["--token-file", &bad_token, "trash", "--ids", &good]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains("abc"),
        "never the token: {}",
        out.stderr
    );
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_recycle"));
    cmd.args([
        "--base-url",
        "http://webexapis.com/v1",
        "trash",
        "--ids",
        &good,
    ])
    .env("WEBEX_TOKEN", env.token("alice"));
    let out = common::run(cmd, None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("plain http is allowed only to loopback"),
        "{}",
        out.stderr
    );
    assert!(env.sim.requests().is_empty());
}
