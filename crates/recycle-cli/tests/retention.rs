//! Selection jobs through the real binary, on both transports, each report checked against
//! the simulator's state: the three scopes, every status direction, windows of several
//! pages, faults on the list and the operation paths, lists that see changes late, the moving
//! pagination a naive loop falls into, dry runs, and resuming with a journal.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::{Env, Output, finish, signal, strings};
use recycle_core::{ListQuery, RecordingStatus, Timestamp, TrashRequest};
use recycle_sim::RecordingState::{self, Available, Deleted, Purged};
use recycle_sim::{FaultResponse, SimConfig};

const TRANSPORTS: [&str; 2] = ["async", "blocking"];
/// The simulator's fixed "now": its recordings are created in the year before.
const NOW: &str = "2026-06-01T00:00:00Z";
/// The cutoff the tests select before.
const CUTOFF: &str = "2026-01-01";
const ALICE: &str = "alice@example.com";

fn unix(t: &str) -> i64 {
    Timestamp::parse(t).expect("time").unix_seconds()
}

/// A simulator at [`NOW`] with `per_person` recordings for alice and bob (some other owners
/// have the standard 12).
fn sim(per_person: usize) -> SimConfig {
    SimConfig::new(11)
        .recordings_for("alice", per_person)
        .recordings_for("bob", per_person)
        .now(Timestamp::parse(NOW).expect("now"))
}

/// Every recording's state, by ID, with its owner and creation time.
fn snapshot(env: &Env) -> HashMap<String, (String, i64, RecordingState)> {
    env.sim
        .recordings()
        .into_iter()
        .map(|r| {
            let created = unix(&r.create_time);
            (r.id, (r.owner_email, created, r.state))
        })
        .collect()
}

/// The IDs of `before` in `state`, owned by `owner` (any when `None`), created before
/// `cutoff` (and at or after `from`).
fn matching(
    before: &HashMap<String, (String, i64, RecordingState)>,
    owner: Option<&str>,
    state: RecordingState,
    (from, cutoff): (i64, i64),
) -> HashSet<String> {
    before
        .iter()
        .filter(|(_, (o, created, s))| {
            *s == state && owner.is_none_or(|w| w == o) && *created >= from && *created < cutoff
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// The report of a run that trashed what it selected: it exited 0, and every ID it reports
/// is in the state it says on the server.
fn trashed(env: &Env, out: &Output, what: &str) -> serde_json::Value {
    assert_eq!(out.code, 0, "{what}: {}", out.stderr);
    let doc = out.json();
    check_truth(env, &doc, Available, Deleted);
    doc
}

/// The IDs a report lists as succeeded.
fn succeeded(report: &serde_json::Value) -> HashSet<String> {
    strings(&report["succeeded"]).into_iter().collect()
}

fn failed_ids(report: &serde_json::Value) -> Vec<(String, bool)> {
    report["failed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["id"].as_str().expect("id").to_owned(),
                f["outcomeUnknown"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// Checks a report against the simulator: each ID once; succeeded ones in `target`;
/// failed ones not in `target` unless their outcome is unknown; not-attempted ones untouched.
fn check_truth(
    env: &Env,
    report: &serde_json::Value,
    source: RecordingState,
    target: RecordingState,
) {
    let succeeded = strings(&report["succeeded"]);
    let failed = failed_ids(report);
    let not_attempted = strings(&report["notAttempted"]);
    let mut seen = HashSet::new();
    for id in succeeded
        .iter()
        .chain(failed.iter().map(|(id, _)| id))
        .chain(&not_attempted)
    {
        assert!(seen.insert(id.clone()), "{id} is reported twice");
    }
    for id in &succeeded {
        assert_eq!(env.state_of(id), Some(target), "{id} reported succeeded");
    }
    for (id, unknown) in &failed {
        if !unknown {
            assert_ne!(env.state_of(id), Some(target), "{id} reported failed");
        }
    }
    for id in &not_attempted {
        assert_eq!(
            env.state_of(id),
            Some(source),
            "{id} reported not attempted"
        );
    }
}

/// What `recycle --transport T --json OP ARGS` does as `who`.
fn job(env: &Env, who: &str, transport: &str, args: &[&str]) -> Output {
    let mut all = vec!["--transport", transport, "--json"];
    all.extend_from_slice(args);
    env.run(Some(who), &all)
}

#[test]
fn three_scopes_and_every_direction_act_on_exactly_the_selection() {
    // (who, scope arguments, owner whose recordings are selected)
    let scopes: [(&str, &[&str], Option<&str>); 3] = [
        ("alice", &[], Some(ALICE)),
        ("admin", &["--owner", ALICE], Some(ALICE)),
        ("admin", &["--org"], None),
    ];
    let directions = [
        ("trash", Available, Deleted),
        ("restore", Deleted, Available),
        ("purge", Deleted, Purged),
    ];
    for transport in TRANSPORTS {
        for (who, scope, owner) in scopes {
            for (op, source, target) in directions {
                let env = Env::with(sim(90));
                let before = snapshot(&env);
                let want = matching(&before, owner, source, (0, unix(CUTOFF)));
                assert!(!want.is_empty());
                let mut args = vec![op, "--created-before", CUTOFF, "--max", "2"];
                args.extend_from_slice(scope);
                if op == "purge" {
                    args.push("--yes");
                }
                let out = job(&env, who, transport, &args);
                let what = format!("{transport} {who} {scope:?} {op}");
                assert_eq!(out.code, 0, "{what}: {}", out.stderr);
                let doc = out.json();
                let succeeded = succeeded(&doc);
                assert_eq!(succeeded, want, "{what}: the report is the selection");
                check_truth(&env, &doc, source, target);
                // Nothing else moved.
                for (id, (_, _, state)) in snapshot(&env) {
                    let expected = if want.contains(&id) {
                        target
                    } else {
                        before[&id].2
                    };
                    assert_eq!(state, expected, "{what}: {id}");
                }
                let selection = &doc["selection"];
                assert_eq!(selection["status"], source_status(source), "{what}");
                assert_eq!(selection["to"], "2026-01-01T00:00:00Z");
                assert_eq!(selection["complete"], true);
                let pages_with_offset = env
                    .sim
                    .requests()
                    .iter()
                    .filter(|r| {
                        r.method == "GET"
                            && r.query.as_deref().is_some_and(|q| q.contains("offset="))
                    })
                    .count();
                assert!(pages_with_offset > 0, "{what}: windows of several pages");
            }
        }
    }
}

fn source_status(state: RecordingState) -> &'static str {
    match state {
        Available => "available",
        Deleted => "deleted",
        Purged => "purged",
    }
}

#[test]
fn acting_while_paging_skips_recordings_and_a_selection_does_not() {
    let from = "2025-09-01";
    let to = "2025-09-30";
    let range = (unix(from), unix(to));
    // The naive loop: trash each page as it arrives, then follow the next-page link.
    let env = Env::with(sim(400));
    let before = snapshot(&env);
    let want = matching(&before, None, Available, range);
    assert!(want.len() > 20, "{} recordings in the window", want.len());
    let client = recycle_blocking::Client::builder()
        .base_url(env.sim.base_url())
        .token(env.token("admin").into())
        .build()
        .expect("client");
    let query = ListQuery::new()
        .admin()
        .status(RecordingStatus::Available)
        .from(Timestamp::parse(from).expect("from"))
        .to(Timestamp::parse(to).expect("to"))
        .max(5)
        .expect("max");
    let mut page = Vec::new();
    for r in client.list(&query).expect("list") {
        page.push(r.expect("recording").id.expect("id"));
        if page.len() == 5 {
            client
                .trash(&TrashRequest::by_ids(&page).expect("ids"))
                .expect("trash");
            page.clear();
        }
    }
    if !page.is_empty() {
        client
            .trash(&TrashRequest::by_ids(&page).expect("ids"))
            .expect("trash");
    }
    let left = want
        .iter()
        .filter(|id| env.state_of(id) == Some(Available))
        .count();
    assert!(left > 0, "the naive loop skipped none: {left}");

    for transport in TRANSPORTS {
        let env = Env::with(sim(400));
        let out = job(
            &env,
            "admin",
            transport,
            &["trash", "--org", "--from", from, "--to", to, "--max", "5"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let left = want
            .iter()
            .filter(|id| env.state_of(id) == Some(Available))
            .count();
        assert_eq!(left, 0, "{transport}: the selection skipped none");
        assert_eq!(strings(&out.json()["succeeded"]).len(), want.len());
    }
}

#[test]
fn faults_on_the_list_and_the_operation_paths_leave_a_true_report() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(150));
        let before = snapshot(&env);
        let want = matching(&before, Some(ALICE), Available, (0, unix(CUTOFF)));
        // Lists fail and are retried; batches fail before and after being applied.
        env.sim.inject(
            "/convergedRecordings",
            vec![
                FaultResponse::status(503).retry_after("0").into(),
                FaultResponse::drop_connection(),
            ],
        );
        env.sim.inject(
            "/convergedRecordings/softDelete",
            vec![
                FaultResponse::status(500).after_applying().into(),
                FaultResponse::status(503).retry_after("0").into(),
                FaultResponse::drop_after_applying(),
            ],
        );
        let out = job(
            &env,
            "alice",
            transport,
            &["trash", "--created-before", CUTOFF, "--max", "10"],
        );
        let doc = trashed(&env, &out, transport);
        let succeeded = succeeded(&doc);
        assert_eq!(succeeded, want, "{transport}");
        let faults = env
            .sim
            .requests()
            .iter()
            .filter(|r| r.fault.is_some())
            .count();
        assert_eq!(faults, 5, "{transport}: every fault was met");
    }
}

#[test]
fn a_list_that_keeps_failing_stops_the_job_with_what_was_done_reported() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(150));
        // The first window lists; every answer after fails.
        env.sim.inject(
            "/admin/convergedRecordings",
            std::iter::once(FaultResponse::delay_ms(0))
                .chain(std::iter::repeat_n(FaultResponse::status(500).into(), 40)),
        );
        let out = job(
            &env,
            "admin",
            transport,
            &[
                "--max-attempts",
                "2",
                "trash",
                "--owner",
                ALICE,
                "--created-before",
                "2026-06-01",
            ],
        );
        assert_eq!(out.code, 1, "{transport}: {}", out.stderr);
        assert!(out.stderr.contains("listing stopped"), "{}", out.stderr);
        let doc = out.json();
        assert_eq!(doc["selection"]["complete"], false);
        assert!(doc["selection"]["listError"].as_str().is_some());
        check_truth(&env, &doc, Available, Deleted);
        let acted = strings(&doc["succeeded"]).len();
        assert_eq!(
            Some(acted),
            doc["selection"]["windows"][0]["selected"]
                .as_u64()
                .map(|n| n as usize),
            "{transport}: the first window was acted on, nothing after"
        );
    }
}

/// alice trashes what she created before [`CUTOFF`] with `--verify`; the report, checked
/// against the simulator.
fn trash_and_verify(env: &Env, transport: &str, delay: &str) -> serde_json::Value {
    let args = [
        "trash",
        "--created-before",
        CUTOFF,
        "--verify",
        "--verify-delay",
        delay,
    ];
    let out = job(env, "alice", transport, &args);
    assert_eq!(out.code, 0, "{transport}: {}", out.stderr);
    let doc = out.json();
    check_truth(env, &doc, Available, Deleted);
    doc
}

#[test]
fn verify_catches_up_with_lists_that_see_changes_late() {
    for transport in TRANSPORTS {
        // Lists lag 800 ms: right after acting, everything still looks available.
        let env = Env::with(sim(60).list_lag_ms(800));
        let before = snapshot(&env);
        let want = matching(&before, Some(ALICE), Available, (0, unix(CUTOFF)));
        // Recordings restored just before the job are not listed yet on its first pass.
        let late: Vec<String> = matching(&before, Some(ALICE), Deleted, (0, unix(CUTOFF)))
            .into_iter()
            .take(3)
            .collect();
        assert!(!late.is_empty());
        let restore = env.run(Some("alice"), &["restore", "--ids", &late.join(",")]);
        assert_eq!(restore.code, 0, "{}", restore.stderr);
        let doc = trash_and_verify(&env, transport, "300ms");
        let succeeded = succeeded(&doc);
        let mut everything = want.clone();
        everything.extend(late.iter().cloned());
        assert_eq!(succeeded, everything, "{transport}: the late ones too");
        assert!(
            doc["selection"]["relists"].as_u64() >= Some(2),
            "{transport}"
        );

        // A lag longer than all the waits: the last listing is read back, and the report
        // follows the recordings' state, not the stale list.
        let env = Env::with(sim(60).list_lag_ms(30_000));
        let want = matching(&snapshot(&env), Some(ALICE), Available, (0, unix(CUTOFF)));
        let doc = trash_and_verify(&env, transport, "50ms");
        assert_eq!(doc["selection"]["relists"], 3);
        let verified: HashSet<String> = strings(&doc["verified"]).into_iter().collect();
        assert_eq!(
            verified, want,
            "{transport}: read back after the last listing"
        );
    }
}

#[test]
fn verify_reports_failed_what_a_server_accepted_but_never_applied() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(60));
        let range = (unix("2025-12-01"), unix(CUTOFF));
        let want = matching(&snapshot(&env), Some(ALICE), Available, range);
        assert!(!want.is_empty());
        // Every batch is answered 204 and nothing is applied.
        env.sim.inject(
            "/convergedRecordings/softDelete",
            vec![FaultResponse::status(204).body(""); 10],
        );
        let args = [
            "trash",
            "--from",
            "2025-12-01",
            "--created-before",
            CUTOFF,
            "--verify",
            "--verify-delay",
            "20ms",
        ];
        let out = job(&env, "alice", transport, &args);
        assert_eq!(out.code, 1, "{transport}: {}", out.stderr);
        let doc = out.json();
        check_truth(&env, &doc, Available, Deleted);
        assert!(strings(&doc["succeeded"]).is_empty(), "{transport}");
        let failed = failed_ids(&doc);
        assert_eq!(
            failed
                .iter()
                .map(|(id, _)| id.clone())
                .collect::<HashSet<_>>(),
            want,
            "{transport}"
        );
        assert!(
            failed.iter().all(|(_, unknown)| !unknown),
            "read back: known"
        );
        assert!(
            doc["failed"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("available")),
            "{}",
            doc["failed"][0]
        );
        assert_eq!(doc["selection"]["relists"], 3);
    }
}

#[test]
fn a_dry_run_lists_the_selection_and_sends_no_operation() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(80));
        let before = snapshot(&env);
        let want = matching(&before, Some(ALICE), Deleted, (0, unix(CUTOFF)));
        let out = job(
            &env,
            "alice",
            transport,
            &["purge", "--created-before", CUTOFF, "--dry-run"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let doc = out.json();
        assert_eq!(doc["dryRun"], true);
        assert_eq!(doc["operation"], "purge");
        let windows = doc["selection"]["windows"].as_array().expect("windows");
        let selected: u64 = windows
            .iter()
            .map(|w| w["selected"].as_u64().expect("n"))
            .sum();
        assert_eq!(selected as usize, want.len());
        let shown: HashSet<String> = windows
            .iter()
            .flat_map(|w| strings(&w["firstIds"]))
            .collect();
        assert!(!shown.is_empty() && shown.is_subset(&want));
        let requests = env.sim.requests();
        assert!(requests.iter().all(|r| r.method == "GET"), "only lists");
        assert!(!requests.is_empty());
        assert_eq!(snapshot(&env), before, "nothing changed");
        let human = env.run(
            Some("alice"),
            &[
                "--transport",
                transport,
                "purge",
                "--created-before",
                CUTOFF,
                "--dry-run",
            ],
        );
        assert_eq!(human.code, 0);
        assert!(
            human.stdout.contains("dry run: no purge request was sent"),
            "{}",
            human.stdout
        );
    }
}

#[test]
fn a_journaled_selection_resumes_after_kill_9() {
    for transport in TRANSPORTS {
        // Each batch takes 400 ms, so that the kill lands mid-job.
        let env = Env::with(sim(900).fault(
            "/convergedRecordings/softDelete",
            vec![FaultResponse::delay_ms(400); 12],
        ));
        let before = snapshot(&env);
        let want = matching(
            &before,
            Some(ALICE),
            Available,
            (unix("2025-06-01"), unix(CUTOFF)),
        );
        let journal = env.path(&format!("retention-{transport}.jsonl"));
        let args = [
            "--transport",
            transport,
            "--json",
            "trash",
            "--from",
            "2025-06-01",
            "--created-before",
            CUTOFF,
            "--max",
            "20",
            "--journal",
            &journal,
        ];
        let child = env.spawn("alice", &args);
        // Wait until some batches went through, then kill -9.
        env.wait_for(&format!("{transport}: two batches through"), |log| {
            log.iter()
                .filter(|r| r.method == "POST" && r.status == Some(204))
                .count()
                >= 2
        });
        signal(child.id(), "KILL");
        let killed = finish(child);
        assert_ne!(killed.code, 0);
        let journaled: HashSet<String> = std::fs::read_to_string(&journal)
            .expect("journal")
            .lines()
            .skip(1)
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .flat_map(|l| strings(&l["succeeded"]))
            .collect();
        assert!(!journaled.is_empty(), "{transport}: batches were journaled");
        let sent_before = env.sim.requests().len();

        let out = env.run(Some("alice"), &args);
        let doc = trashed(&env, &out, transport);
        let succeeded = succeeded(&doc);
        assert_eq!(
            succeeded, want,
            "{transport}: journaled and new successes, all of them"
        );
        assert!(journaled.is_subset(&succeeded));
        let resent: Vec<String> = env.sim.requests()[sent_before..]
            .iter()
            .filter(|r| r.method == "POST")
            .flat_map(|r| {
                serde_json::from_str::<serde_json::Value>(&r.body)
                    .map(|b| strings(&b["recordingIds"]))
                    .unwrap_or_default()
            })
            .filter(|id| journaled.contains(id))
            .collect();
        assert!(
            resent.is_empty(),
            "{transport}: journaled successes sent again: {resent:?}"
        );
    }
}

#[test]
fn a_success_found_by_reading_back_is_journaled_and_kept_on_resume() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(60));
        let range = (unix("2025-12-01"), unix(CUTOFF));
        let want = matching(&snapshot(&env), Some(ALICE), Available, range);
        // The first batch is applied, then answered 500: its outcome is unknown until read
        // back.
        env.sim.inject(
            "/convergedRecordings/softDelete",
            vec![FaultResponse::status(500).after_applying()],
        );
        let journal = env.path(&format!("read-back-{transport}.jsonl"));
        let args = [
            "--transport",
            transport,
            "--json",
            "--max-attempts",
            "1",
            "trash",
            "--from",
            "2025-12-01",
            "--created-before",
            CUTOFF,
            "--journal",
            &journal,
        ];
        let first = env.run(Some("alice"), &args);
        let doc = trashed(&env, &first, transport);
        assert!(
            !strings(&doc["verified"]).is_empty(),
            "{transport}: read back"
        );
        // Run again with the journal: nothing is listed any more, and the report keeps
        // every success, the ones found by reading back included.
        let again = env.run(Some("alice"), &args);
        assert_eq!(again.code, 0, "{transport}: {}", again.stderr);
        let doc = again.json();
        let succeeded = succeeded(&doc);
        assert_eq!(succeeded, want, "{transport}");
    }
}

#[test]
fn ids_acted_on_by_a_run_that_died_before_journaling_them_are_read_back_on_resume() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(120));
        let range = (unix("2025-10-01"), unix(CUTOFF));
        let want = matching(&snapshot(&env), Some(ALICE), Available, range);
        let journal = env.path(&format!("in-doubt-{transport}.jsonl"));
        let args = [
            "--transport",
            transport,
            "--json",
            "trash",
            "--from",
            "2025-10-01",
            "--created-before",
            CUTOFF,
            "--journal",
            &journal,
        ];
        let first = env.run(Some("alice"), &args);
        assert_eq!(first.code, 0, "{transport}: {}", first.stderr);
        // As if the first run died after the server applied every batch and before it
        // journaled any outcome: the header and the selected windows stay, nothing else.
        let text = std::fs::read_to_string(&journal).expect("journal");
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(n, l)| *n == 0 || l.starts_with("{\"selected\""))
            .map(|(_, l)| l)
            .collect();
        assert!(kept.len() > 1, "{transport}: windows journaled: {text}");
        std::fs::write(&journal, kept.join("\n") + "\n").expect("rewrite");
        env.sim.clear_requests();

        let again = env.run(Some("alice"), &args);
        let doc = trashed(&env, &again, transport);
        let succeeded = succeeded(&doc);
        assert_eq!(
            succeeded, want,
            "{transport}: every selected ID, found by reading back"
        );
        let requests = env.sim.requests();
        assert!(
            requests.iter().all(|r| r.method == "GET"),
            "{transport}: nothing sent again"
        );
        let reads = requests
            .iter()
            .filter(|r| r.path.starts_with("/v1/convergedRecordings/"))
            .count();
        assert_eq!(reads, want.len(), "{transport}: each in-doubt ID read once");
    }
}

#[test]
fn sigint_mid_selection_stops_it_with_a_true_report() {
    for transport in TRANSPORTS {
        let env = Env::with(sim(900).fault(
            "/convergedRecordings/softDelete",
            vec![FaultResponse::delay_ms(400); 12],
        ));
        let child = env.spawn(
            "alice",
            &[
                "--transport",
                transport,
                "--json",
                "trash",
                "--created-before",
                CUTOFF,
                "--max",
                "20",
            ],
        );
        env.wait_for(&format!("{transport}: a batch sent"), |log| {
            log.iter().any(|r| r.method == "POST")
        });
        signal(child.id(), "INT");
        let out = finish(child);
        assert_eq!(out.code, 130, "{transport}: {}", out.stderr);
        let doc = out.json();
        check_truth(&env, &doc, Available, Deleted);
        assert_eq!(doc["selection"]["complete"], false, "{transport}");
        let selected: u64 = doc["selection"]["windows"]
            .as_array()
            .expect("windows")
            .iter()
            .map(|w| w["selected"].as_u64().expect("n"))
            .sum();
        let reported = strings(&doc["succeeded"]).len()
            + failed_ids(&doc).len()
            + strings(&doc["notAttempted"]).len();
        assert_eq!(
            reported as u64, selected,
            "{transport}: every selected ID once"
        );
        assert!(!strings(&doc["succeeded"]).is_empty(), "{transport}");
    }
}

#[test]
fn sigint_while_a_list_waits_out_a_429_stops_at_once_on_the_async_transport() {
    let env = Env::with(sim(60).fault(
        "/convergedRecordings",
        vec![FaultResponse::status(429).retry_after("30")],
    ));
    let child = env.spawn("alice", &["--json", "trash", "--created-before", CUTOFF]);
    env.wait_for("a list answered 429", |log| {
        log.iter().any(|r| r.status == Some(429))
    });
    let signalled = std::time::Instant::now();
    signal(child.id(), "INT");
    let out = finish(child);
    assert_eq!(out.code, 130, "{}", out.stderr);
    assert!(
        signalled.elapsed() < Duration::from_secs(3),
        "{:?}",
        signalled.elapsed()
    );
    let doc = out.json();
    assert_eq!(doc["selection"]["complete"], false);
    assert!(
        env.sim.requests().iter().all(|r| r.method == "GET"),
        "nothing acted on"
    );
}

#[test]
fn selections_refuse_what_does_not_go_together_and_send_nothing() {
    let env = Env::with(sim(12));
    for args in [
        &["trash", "--ids", "a", "--older-than", "90d"][..],
        &["trash", "--all", "--from", "2025-01-01"],
        &["trash", "--org"],
        &["trash", "--ids", "a", "--topic", "x"],
        &["trash", "--older-than", "90"],
        &[
            "trash",
            "--created-before",
            "2025-01-01",
            "--to",
            "2025-02-01",
        ],
        &["trash", "--created-before", "yesterday"],
        &[
            "trash",
            "--older-than",
            "90d",
            "--verify",
            "--verify-delay",
            "2h",
        ],
        &["trash", "--from", "2025-02-01", "--to", "2025-01-01"],
        &["trash", "--older-than", "90d", "--max", "101"],
        &["trash", "--owner", "not an email", "--older-than", "90d"],
        &["purge", "--older-than", "90d"],
    ] {
        let out = env.run(Some("admin"), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
    assert!(env.sim.requests().is_empty(), "nothing was sent");
    // A cutoff before the floor selects nothing: a retention rule, not a mistake.
    let out = env.run(Some("alice"), &["--json", "trash", "--older-than", "3650d"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["selection"]["windowsTotal"], 0);
    assert!(strings(&doc["succeeded"]).is_empty());
    assert!(env.sim.requests().is_empty(), "nothing to list");
    // A user may not list the organization: the first list is refused, nothing is acted on.
    let out = env.run(
        Some("alice"),
        &["--json", "trash", "--org", "--older-than", "30d"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(env.sim.requests().iter().all(|r| r.method == "GET"));
}
