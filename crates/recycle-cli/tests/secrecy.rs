//! The token never appears in any output: stdout, stderr, progress, -v and -vv detail.

mod common;

use common::Env;
use recycle_sim::RecordingState::Available;
use recycle_sim::{FaultResponse, SimConfig};

#[test]
fn the_token_appears_nowhere() {
    let env = Env::with(SimConfig::new(7));
    let token = env.token("alice");
    let token_file = env.file("token", &format!("{token}\n"));
    let ids = env.ids("alice", Available).join(",");
    for transport in ["async", "blocking"] {
        for verbosity in ["-v", "-vv"] {
            let faults = vec![
                FaultResponse::status(503).into(),
                FaultResponse::drop_connection(),
            ];
            env.sim.inject("/convergedRecordings/softDelete", faults);
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_recycle"));
            cmd.args([
                "--base-url",
                env.sim.base_url(),
                "--token-file",
                &token_file,
                "--transport",
                transport,
                verbosity,
                "trash",
                "--ids",
                &ids,
            ]);
            cmd.env_remove("WEBEX_TOKEN");
            let out = common::run(cmd, None);
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(
                out.stderr.contains("retrying"),
                "-v shows the retries: {}",
                out.stderr
            );
            assert!(
                !out.stdout.contains(&token) && !out.stderr.contains(&token),
                "{transport} {verbosity}"
            );
        }
    }
    let wrong = env.file("wrong-token", "WRONG-secret-token-value");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_recycle"));
    cmd.args([
        "--base-url",
        env.sim.base_url(),
        "--token-file",
        &wrong,
        "-vv",
        "--json",
        "trash",
        "--ids",
        &ids,
    ]);
    let out = common::run(cmd, None);
    assert_eq!(out.code, 1, "401");
    assert!(!out.stdout.contains("WRONG-secret") && !out.stderr.contains("WRONG-secret"));
}
