//! trash, restore and purge through the binary: inputs, reports, exit codes, both transports.

mod common;

use common::Env;
use recycle_sim::RecordingState::{Available, Deleted, Purged};
use recycle_sim::{FaultResponse, SimConfig};

const TRANSPORTS: [&str; 2] = ["async", "blocking"];

#[test]
fn trash_by_ids_reports_json_on_both_transports() {
    for transport in TRANSPORTS {
        let env = Env::new();
        let ids: Vec<String> = env.ids("alice", Available).into_iter().take(3).collect();
        let out = env.run(
            Some("alice"),
            &[
                "--transport",
                transport,
                "--json",
                "trash",
                "--ids",
                &format!(" {} ,{},{}", ids[0], ids[1], ids[2]),
            ],
        );
        assert_eq!(out.code, 0, "{transport}: {}", out.stderr);
        let report = out.json();
        assert_eq!(report["operation"], "trash");
        assert_eq!(report["succeeded"], serde_json::json!(ids));
        assert_eq!(
            (
                report["failed"].as_array().map(Vec::len),
                report["notAttempted"].as_array().map(Vec::len)
            ),
            (Some(0), Some(0))
        );
        assert!(
            ids.iter().all(|id| env.state_of(id) == Some(Deleted)),
            "{transport}"
        );
    }
}

#[test]
fn ids_files_skip_comments_and_blanks_and_warn_about_duplicates() {
    let env = Env::with(SimConfig::new(7).recordings_for("alice", 150));
    let ids = env.ids("alice", Available);
    let mut text = String::from("# recordings to trash\n\n");
    for id in &ids {
        text.push_str(&format!("  {id}\t\n"));
    }
    text.push_str(&format!("{}\n", ids[0]));
    let path = env.file("ids.txt", &text);
    let out = env.run(Some("alice"), &["--json", "trash", "--ids-file", &path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("1 duplicate ID(s) ignored"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.json()["succeeded"].as_array().map(Vec::len),
        Some(ids.len())
    );
    assert!(env.ids("alice", Available).is_empty());
    let restored = env.run_with_stdin(Some("alice"), &["restore", "--ids-file", "-"], Some(&text));
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert!(
        restored.stdout.starts_with(&format!(
            "restore: {} succeeded, 0 failed, 0 not attempted",
            ids.len()
        )),
        "{}",
        restored.stdout
    );
}

#[test]
fn failed_ids_exit_1_and_are_reported() {
    for transport in TRANSPORTS {
        let env = Env::new();
        let good = env.ids("alice", Available)[0].clone();
        let unknown = "0".repeat(32);
        let ids = format!("{good},{unknown}");
        let out = env.run(
            Some("alice"),
            &["--transport", transport, "--json", "trash", "--ids", &ids],
        );
        assert_eq!(out.code, 1, "{transport}: {}", out.stderr);
        let report = out.json();
        assert_eq!(report["succeeded"], serde_json::json!([good]));
        let failed = &report["failed"][0];
        assert_eq!(
            (failed["id"].as_str(), failed["status"].as_u64()),
            (Some(unknown.as_str()), Some(404))
        );
        assert!(
            failed["message"]
                .as_str()
                .is_some_and(|m| m.contains(&unknown))
        );
        assert!(
            failed["trackingId"]
                .as_str()
                .is_some_and(|t| t.starts_with("ROUTER_"))
        );
        let human = env.run(
            Some("alice"),
            &["--transport", transport, "trash", "--ids", &ids],
        );
        assert_eq!(human.code, 1);
        assert!(
            human.stdout.contains(&format!("failed {unknown}: 404")),
            "{}",
            human.stdout
        );
    }
}

#[test]
fn purge_needs_yes() {
    let env = Env::new();
    let deleted = env.ids("alice", Deleted);
    let ids = deleted.join(",");
    let out = env.run(Some("alice"), &["purge", "--ids", &ids]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert!(env.sim.requests().is_empty(), "nothing sent");
    let out = env.run(Some("alice"), &["purge", "--ids", &ids, "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(deleted.iter().all(|id| env.state_of(id) == Some(Purged)));
}

#[test]
fn all_acts_for_the_caller_and_all_with_owner_for_an_admin() {
    for transport in TRANSPORTS {
        let env = Env::new();
        let out = env.run(
            Some("alice"),
            &["--transport", transport, "--json", "trash", "--all"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let result = out.json();
        assert_eq!(
            (result["all"].as_bool(), result["status"].as_u64()),
            (Some(true), Some(204))
        );
        assert!(env.ids("alice", Available).is_empty());
        let out = env.run(
            Some("admin"),
            &[
                "--transport",
                transport,
                "restore",
                "--all",
                "--owner",
                "alice@example.com",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(env.ids("alice", Deleted).is_empty());
        let refused = env.run(
            Some("alice"),
            &[
                "--transport",
                transport,
                "--json",
                "trash",
                "--all",
                "--owner",
                "bob@example.com",
            ],
        );
        assert_eq!(refused.code, 1, "the server refuses a user naming an owner");
        assert_eq!(refused.json()["status"], 400);
    }
}

#[test]
fn a_401_mid_job_stops_it_and_the_rest_is_not_attempted() {
    let normal = FaultResponse::delay_ms(0);
    let config = SimConfig::new(7).recordings_for("alice", 500).fault(
        "/convergedRecordings/softDelete",
        vec![normal, FaultResponse::status(401).into()],
    );
    let env = Env::with(config);
    let ids = env.all_ids("alice");
    let path = env.file("ids.txt", &ids.join("\n"));
    let out = env.run(
        Some("alice"),
        &[
            "--transport",
            "blocking",
            "--json",
            "trash",
            "--ids-file",
            &path,
        ],
    );
    assert_eq!(out.code, 1);
    let report = out.json();
    assert_eq!(report["succeeded"].as_array().map(Vec::len), Some(100));
    assert_eq!(report["failed"].as_array().map(Vec::len), Some(100));
    assert_eq!(report["notAttempted"].as_array().map(Vec::len), Some(300));
}

#[test]
fn dry_run_prints_the_plan_needs_no_token_and_sends_nothing() {
    let env = Env::new();
    let ids: Vec<String> = (0..150).map(|i| format!("{i:032x}")).collect();
    let out = env.run(None, &["trash", "--ids", &ids.join(","), "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "two batches and a summary: {}", out.stdout);
    assert!(lines[0].starts_with(&format!(
        "POST {}/convergedRecordings/softDelete {{\"recordingIds\":[",
        env.sim.base_url()
    )));
    let out = env.run(None, &["--json", "purge", "--all", "--dry-run"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.json()["requests"][0]["body"],
        serde_json::json!({"purgeAll": true})
    );
    assert!(env.sim.requests().is_empty());
}

#[test]
fn an_applied_then_failed_batch_is_reported_as_the_server_says() {
    for transport in TRANSPORTS {
        let env = Env::new();
        env.sim.inject(
            "/convergedRecordings/softDelete",
            vec![
                FaultResponse::drop_after_applying(),
                FaultResponse::status(503).into(),
            ],
        );
        let id = env.ids("alice", Available)[0].clone();
        let out = env.run(
            Some("alice"),
            &[
                "--transport",
                transport,
                "--json",
                "--max-attempts",
                "2",
                "trash",
                "--ids",
                &id,
            ],
        );
        assert_eq!(out.code, 0, "{transport}: {}", out.stderr);
        let report = out.json();
        assert_eq!(report["succeeded"], serde_json::json!([id]), "{report}");
        assert_eq!(report["alreadyApplied"], serde_json::json!([id]));
        assert_eq!(env.state_of(&id), Some(Deleted));
    }
}

#[test]
fn verify_reads_every_id_back() {
    for transport in TRANSPORTS {
        let env =
            Env::with(SimConfig::new(7).batch_semantics(recycle_sim::BatchSemantics::Lenient));
        let good: Vec<String> = env.ids("alice", Available).into_iter().take(3).collect();
        let unknown = "0".repeat(32);
        let list = format!("{},{unknown}", good.join(","));
        let args = [
            "--transport",
            transport,
            "--json",
            "--max-wait",
            "60",
            "trash",
            "--ids",
            &list,
        ];
        let plain = env.run(Some("alice"), &args);
        assert_eq!(plain.code, 0, "a lenient server says 204: {}", plain.stderr);
        let mut verified_args = args.to_vec();
        verified_args.push("--verify");
        env.sim.clear_requests();
        let out = env.run(Some("alice"), &verified_args);
        assert_eq!(out.code, 1, "{}", out.stderr);
        let report = out.json();
        assert_eq!(report["succeeded"], serde_json::json!(good));
        assert_eq!(report["failed"][0]["id"], unknown.as_str());
        assert!(
            report["failed"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not found")),
            "{report}"
        );
        assert_eq!(report["verified"].as_array().map(Vec::len), Some(4));
        let reads = env
            .sim
            .requests()
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        assert_eq!(reads, 4, "one read per ID");
    }
}

#[test]
fn global_options_come_after_the_command_too_and_a_byte_order_mark_is_skipped() {
    let env = Env::new();
    let ids: Vec<String> = env.ids("alice", Available).into_iter().take(2).collect();
    let file = env.file("bom.txt", &format!("\u{feff}{}\n{}\n", ids[0], ids[1]));
    let out = env.run(
        Some("alice"),
        &[
            "trash",
            "--ids-file",
            &file,
            "--json",
            "--transport",
            "blocking",
            "-q",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["succeeded"], serde_json::json!(ids));
    let listed = env.run(Some("alice"), &["list", "--deleted", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.json()["items"].is_array());
}
