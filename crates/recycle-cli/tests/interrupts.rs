//! Signals and `--journal` through the real binary: SIGINT and SIGTERM stop a job and keep
//! its report (exit 130, 143), a second signal abandons what is in flight, and a journal
//! resumes a job after Ctrl-C or kill -9 without sending a journaled success again.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Env, finish, signal, strings};
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::{FaultResponse, RateLimit, SimConfig};

const TRANSPORTS: [&str; 2] = ["async", "blocking"];
const SOFT: &str = "/v1/convergedRecordings/softDelete";

/// A simulator at `per_second` requests a second (burst 1), alice holding 1,000 recordings.
fn limited(per_second: f64) -> Env {
    limited_with(per_second, 1_000)
}

/// [`limited`] with `recordings` for alice.
fn limited_with(per_second: f64, recordings: usize) -> Env {
    let limit = RateLimit {
        burst: 1.0,
        ..RateLimit::per_second(per_second)
    };
    Env::with(
        SimConfig::new(7)
            .recordings_for("alice", recordings)
            .rate_limit(limit),
    )
}

/// The IDs the simulator received in trash requests.
fn sent(env: &Env) -> Vec<String> {
    env.sim
        .requests()
        .iter()
        .filter(|r| r.path == SOFT)
        .filter_map(|r| serde_json::from_str::<serde_json::Value>(&r.body).ok())
        .flat_map(|b| {
            b["recordingIds"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
        })
        .collect()
}

/// Checks a printed report against the simulator: every ID once, succeeded ones deleted,
/// not-attempted ones untouched.
fn check_report(env: &Env, report: &serde_json::Value, ids: &[String]) {
    let succeeded = strings(&report["succeeded"]);
    let not_attempted = strings(&report["notAttempted"]);
    let failed: Vec<String> = report["failed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect();
    let mut all: Vec<&String> = succeeded
        .iter()
        .chain(&not_attempted)
        .chain(&failed)
        .collect();
    all.sort();
    let mut want: Vec<&String> = ids.iter().collect();
    want.sort();
    assert_eq!(all, want, "every ID exactly once");
    assert!(succeeded.iter().all(|id| env.state_of(id) == Some(Deleted)));
    assert!(
        not_attempted
            .iter()
            .all(|id| env.state_of(id) == Some(Available))
    );
}

#[test]
fn sigint_and_sigterm_stop_the_job_and_print_its_report() {
    for (transport, sig, code) in [
        ("async", "INT", 130),
        ("blocking", "INT", 130),
        ("async", "TERM", 143),
        ("blocking", "TERM", 143),
    ] {
        let env = limited(4.0);
        let ids = env.ids("alice", Available);
        let file = env.file("ids.txt", &ids.join("\n"));
        let child = env.spawn(
            "alice",
            &[
                "--transport",
                transport,
                "--json",
                "trash",
                "--ids-file",
                &file,
            ],
        );
        std::thread::sleep(Duration::from_millis(1_200));
        let pid = child.id();
        signal(pid, sig);
        let signalled = Instant::now();
        let out = finish(child);
        let took = signalled.elapsed();
        assert_eq!(out.code, code, "{transport} {sig}: {}", out.stderr);
        assert!(took < Duration::from_secs(2), "{transport} {sig}: {took:?}");
        let report = out.json();
        check_report(&env, &report, &ids);
        assert!(
            !strings(&report["succeeded"]).is_empty(),
            "some went through"
        );
        assert!(
            !strings(&report["notAttempted"]).is_empty(),
            "the rest was not sent"
        );
        assert!(out.stderr.contains("stopping"), "{}", out.stderr);
    }
}

#[test]
fn a_second_signal_abandons_what_is_in_flight() {
    for transport in TRANSPORTS {
        let env = Env::with(SimConfig::new(7).recordings_for("alice", 300));
        // The second batch hangs for ten seconds after being applied.
        env.sim.inject(
            "/convergedRecordings/softDelete",
            vec![FaultResponse::delay_ms(0), FaultResponse::delay_ms(10_000)],
        );
        let ids = env.ids("alice", Available);
        let file = env.file("ids.txt", &ids.join("\n"));
        let child = env.spawn(
            "alice",
            &[
                "--transport",
                transport,
                "--json",
                "--concurrency",
                "1",
                "trash",
                "--ids-file",
                &file,
            ],
        );
        std::thread::sleep(Duration::from_millis(800));
        signal(child.id(), "INT");
        std::thread::sleep(Duration::from_millis(300));
        let pid = child.id();
        signal(pid, "INT");
        let signalled = Instant::now();
        let out = finish(child);
        assert!(
            signalled.elapsed() < Duration::from_secs(2),
            "{transport}: at once"
        );
        assert_eq!(out.code, 130, "{transport}: {}", out.stderr);
        let report = out.json();
        let unknown: Vec<&serde_json::Value> = report["failed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["outcomeUnknown"] == true)
            .collect();
        assert_eq!(
            unknown.len(),
            100,
            "{transport}: the batch in flight: {report}"
        );
        assert_eq!(strings(&report["succeeded"]).len(), 100);
        assert!(!strings(&report["notAttempted"]).is_empty());
    }
}

#[test]
fn a_journal_resumes_after_ctrl_c_and_refuses_another_job() {
    for transport in TRANSPORTS {
        let env = limited(4.0);
        let ids = env.ids("alice", Available);
        let file = env.file("ids.txt", &ids.join("\n"));
        let journal = env.path("job.jsonl");
        let args = [
            "--transport",
            transport,
            "--json",
            "trash",
            "--ids-file",
            &file,
            "--journal",
            &journal,
        ];
        let child = env.spawn("alice", &args);
        std::thread::sleep(Duration::from_millis(1_200));
        signal(child.id(), "INT");
        let first = finish(child);
        assert_eq!(first.code, 130, "{}", first.stderr);
        let done_before: HashSet<String> =
            strings(&first.json()["succeeded"]).into_iter().collect();
        assert!(!done_before.is_empty());
        let sent_before = sent(&env).len();

        // Another operation, or other IDs, with the same journal: refused, nothing sent.
        let other = env.file("other.txt", &ids[..10].join("\n"));
        for refused in [
            vec![
                "--transport",
                transport,
                "restore",
                "--ids-file",
                &file,
                "--journal",
                &journal,
            ],
            vec![
                "--transport",
                transport,
                "trash",
                "--ids-file",
                &other,
                "--journal",
                &journal,
            ],
        ] {
            let out = env.run(Some("alice"), &refused);
            assert_eq!(out.code, 2, "{}", out.stderr);
            assert!(out.stderr.contains("refused"), "{}", out.stderr);
        }
        assert_eq!(
            sent(&env).len(),
            sent_before,
            "nothing sent by the refusals"
        );

        // A torn last line, as a crash mid-write leaves, is ignored.
        let mut text = std::fs::read_to_string(&journal).expect("journal");
        text.push_str("{\"succeeded\":[\"");
        std::fs::write(&journal, text).expect("write");
        let second = env.run(Some("alice"), &args);
        assert_eq!(second.code, 0, "{}", second.stderr);
        assert!(second.stderr.contains("resuming"), "{}", second.stderr);
        let report = second.json();
        check_report(&env, &report, &ids);
        assert_eq!(strings(&report["succeeded"]).len(), ids.len());
        let resent: Vec<String> = sent(&env)[sent_before..]
            .iter()
            .filter(|id| done_before.contains(*id))
            .cloned()
            .collect();
        assert!(
            resent.is_empty(),
            "{transport}: journaled successes sent again: {}",
            resent.len()
        );

        // Torn again after the resume: the earlier torn line was cut off, so the journal
        // still reads, and nothing is sent.
        let mut text = std::fs::read_to_string(&journal).expect("journal");
        text.push_str("{\"fail");
        std::fs::write(&journal, text).expect("write");
        let sent_now = sent(&env).len();
        let third = env.run(Some("alice"), &args);
        assert_eq!(third.code, 0, "{}", third.stderr);
        assert_eq!(sent(&env).len(), sent_now, "everything was journaled");
        assert_eq!(strings(&third.json()["succeeded"]).len(), ids.len());

        // A journal holding only a torn header starts afresh.
        let fresh = env.path("fresh.jsonl");
        std::fs::write(&fresh, "{\"journal\":\"recyc").expect("write");
        let few = env.file("few.txt", &ids[..3].join("\n"));
        let out = env.run(
            Some("alice"),
            &[
                "--transport",
                transport,
                "--json",
                "restore",
                "--ids-file",
                &few,
                "--journal",
                &fresh,
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::fs::read_to_string(&fresh).expect("journal");
        assert!(
            text.starts_with("{\"journal\":\"recycle-journal\""),
            "{text}"
        );
    }
}

/// Kills per transport: 4 in `cargo test`; `RECYCLE_KILLS` (set by `cargo xtask kills`) for
/// the long run, which also writes its section of docs/reliability.md.
fn kill_rounds() -> usize {
    std::env::var("RECYCLE_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

#[test]
fn kill_9_at_random_moments_then_resume_ends_with_every_id_trashed() {
    let mut rng = fastrand::Rng::with_seed(9);
    let rounds = kill_rounds();
    let mut lines = Vec::new();
    // The long run needs a job long enough for every kill to land before its end.
    let (rate, recordings) = if rounds > 4 {
        (2.0, 3_000)
    } else {
        (5.0, 1_000)
    };
    for transport in TRANSPORTS {
        let started = Instant::now();
        let mut resent_total = 0;
        let env = limited_with(rate, recordings);
        let ids = env.ids("alice", Available);
        let file = env.file("ids.txt", &ids.join("\n"));
        let journal = env.path("job.jsonl");
        let args = [
            "--transport",
            transport,
            "--json",
            "trash",
            "--ids-file",
            &file,
            "--journal",
            &journal,
        ];
        let mut kills = 0;
        let final_out = loop {
            let before = sent(&env).len();
            let journaled = journaled_successes(&journal);
            let child = env.spawn("alice", &args);
            // Kill only while there is work left, so that no kill lands after the end.
            if kills < rounds && journaled.len() < ids.len() {
                std::thread::sleep(Duration::from_millis(rng.u64(100..700)));
                signal(child.id(), "KILL");
                let out = child.wait_with_output().expect("exit");
                if std::os::unix::process::ExitStatusExt::signal(&out.status) != Some(9) {
                    // It finished before the kill: this round killed nothing.
                    break common::Output {
                        code: out.status.code().unwrap_or(-1),
                        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                    };
                }
                kills += 1;
            } else {
                break finish(child);
            }
            // What this run sent again had not been journaled as succeeded, and at most the
            // batches in flight at the kill (four of 100) were sent but not journaled.
            let this_run: Vec<String> = sent(&env)[before..].to_vec();
            assert!(
                this_run.iter().all(|id| !journaled.contains(id)),
                "{transport}: resent a journaled success"
            );
            let after = journaled_successes(&journal);
            let unjournaled = this_run.iter().filter(|id| !after.contains(*id)).count();
            let in_flight = if transport == "blocking" { 1 } else { 4 };
            assert!(
                unjournaled <= in_flight * 100,
                "{transport}: {unjournaled} sent but not journaled"
            );
            resent_total += unjournaled;
        };
        assert_eq!(final_out.code, 0, "{transport}: {}", final_out.stderr);
        assert!(
            kills >= rounds.min(3),
            "{transport}: only {kills} kills landed mid-job"
        );
        let report = final_out.json();
        check_report(&env, &report, &ids);
        assert_eq!(strings(&report["succeeded"]).len(), ids.len());
        assert!(ids.iter().all(|id| env.state_of(id) == Some(Deleted)));
        lines.push(format!(
            "| {transport} | {} | {kills} | {resent_total} | {} of {} | 0 | {:.1} s |",
            ids.len(),
            strings(&report["succeeded"]).len(),
            ids.len(),
            started.elapsed().as_secs_f64()
        ));
    }
    if let Ok(path) = std::env::var("RECYCLE_KILLS_DOC") {
        write_kill_section(&path, rounds, rate, &lines);
    }
}

/// Replaces the kill-and-resume section of docs/reliability.md.
fn write_kill_section(path: &str, rounds: usize, rate: f64, lines: &[String]) {
    const HEADING: &str = "## Kill and resume";
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let mut doc = old
        .find(HEADING)
        .map_or(old.clone(), |at| old[..at].to_owned());
    if !doc.ends_with("\n\n") {
        doc.push('\n');
    }
    doc.push_str(&format!(
        "{HEADING}\n\nGenerated by `cargo xtask kills` (the test \
         `kill_9_at_random_moments_then_resume_ends_with_every_id_trashed` of \
         `crates/recycle-cli/tests/interrupts.rs`; `cargo test` runs it with 4 kills per \
         transport on 1,000 recordings at 5 requests/s). The real `recycle` binary trashes \
         the IDs of a file with `--journal` against the simulator at {rate} requests/s; it is \
         killed with SIGKILL at a random moment (100 to 700 ms after it starts) up to {rounds} \
         times while the journal does not yet hold every ID (each kill checked to have landed \
         before the end), each time started again with the same command, and the last run goes \
         to the end. After every kill it checks that no ID the \
         journal recorded as succeeded was sent again, and that at most the batches in flight \
         (4 of 100 for the async client, 1 for the blocking one) were sent but not journaled; \
         kills stop once the journal holds every ID; at the end, that every ID is in the recycle \
         bin and reported succeeded.\n\n\
         | client | IDs | kills | IDs sent but not journaled before a kill (in all) | final report: succeeded | journaled successes sent again | time |\n\
         |---|---|---|---|---|---|---|\n{}\n",
        lines.join("\n")
    ));
    std::fs::write(path, doc).expect("write docs/reliability.md");
}

#[test]
fn kill_rounds_default_to_four() {
    if std::env::var("RECYCLE_KILLS").is_err() {
        assert_eq!(kill_rounds(), 4);
    }
}

/// The IDs a journal records as succeeded.
fn journaled_successes(path: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .flat_map(|v| strings(&v["succeeded"]))
        .collect()
}
