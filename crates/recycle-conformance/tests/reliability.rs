//! The fault matrix: every fault x (a single call, a bulk job of 1,000 IDs) x both clients,
//! against the simulator. Every cell must lose no ID: each ends succeeded (and applied),
//! failed, or not attempted. With `RECYCLE_WRITE_RELIABILITY=1` (`cargo xtask reliability`)
//! the table is written to docs/reliability.md.

mod harness;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use harness::{Adapter, Async, Blocking, Env, Opts};
use recycle_core::{RecordingId, Trash, TrashRequest};
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::{FaultResponse, RecordingState, SimConfig};

const SOFT: &str = "/convergedRecordings/softDelete";
const BULK: usize = 1_000;

struct Fault {
    name: &'static str,
    single: Vec<FaultResponse>,
    bulk: Vec<FaultResponse>,
    opts: Opts,
}

fn fault<F: Into<FaultResponse>>(name: &'static str, script: Vec<F>) -> Fault {
    let script: Vec<FaultResponse> = script.into_iter().map(Into::into).collect();
    Fault {
        name,
        single: script.clone(),
        bulk: script,
        opts: Opts::default(),
    }
}

fn faults() -> Vec<Fault> {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let normal = FaultResponse::delay_ms(0);
    let mid_job = |status| Fault {
        name: if status == 401 {
            "401 mid-job"
        } else {
            "403 mid-job"
        },
        single: vec![FaultResponse::status(status).into()],
        bulk: vec![
            normal.clone(),
            normal.clone(),
            FaultResponse::status(status).into(),
        ],
        opts: Opts::default(),
    };
    vec![
        fault(
            "429, Retry-After: 1",
            vec![FaultResponse::status(429).retry_after("1")],
        ),
        fault(
            "429, Retry-After as an HTTP-date",
            vec![FaultResponse::status(429).retry_after(&date)],
        ),
        fault(
            "429, Retry-After garbage",
            vec![FaultResponse::status(429).retry_after("rand(30),add(30)")],
        ),
        fault("423 Locked", vec![FaultResponse::status(423)]),
        fault("500", vec![FaultResponse::status(500)]),
        fault(
            "502 with an HTML body",
            vec![FaultResponse::status(502).body(html)],
        ),
        fault("503 three times", vec![FaultResponse::status(503); 3]),
        fault(
            "503 five times (more than the attempts)",
            vec![FaultResponse::status(503); 5],
        ),
        fault("504", vec![FaultResponse::status(504)]),
        fault(
            "connection dropped before the response",
            vec![FaultResponse::drop_connection()],
        ),
        fault(
            "connection dropped after applying",
            vec![FaultResponse::drop_after_applying()],
        ),
        Fault {
            opts: Opts {
                timeout: Duration::from_millis(400),
                ..Opts::default()
            },
            ..fault(
                "slow answer past the timeout",
                vec![FaultResponse::delay_ms(1_500)],
            )
        },
        fault(
            "307 redirect",
            vec![
                FaultResponse::status(307)
                    .location("https://elsewhere.example/v1/convergedRecordings/softDelete"),
            ],
        ),
        Fault {
            opts: Opts {
                max_body: 64 * 1024,
                ..Opts::default()
            },
            ..fault(
                "huge body (2 MiB)",
                vec![FaultResponse::status(500).body(&"x".repeat(2 * 1024 * 1024))],
            )
        },
        fault(
            "malformed JSON error body",
            vec![FaultResponse::status(400).body(r#"{"message": "tru"#)],
        ),
        fault(
            "truncated body",
            vec![
                FaultResponse::status(200)
                    .body(r#"{"ok": true}"#)
                    .truncated(),
            ],
        ),
        mid_job(401),
        mid_job(403),
    ]
}

struct Cell {
    attempts: usize,
    outcome: String,
    lost: usize,
}

fn single<A: Adapter>(f: &Fault) -> Cell {
    let env = Env::with(SimConfig::new(5).fault(SOFT, f.single.clone()));
    let client = env.client::<A>("alice", &f.opts);
    let id = env.ids("alice", Available)[0].clone();
    let result = client.execute(&TrashRequest::by_ids([id.as_str()]).expect("ids"));
    let attempts = env.requests_to(SOFT).len();
    let applied = env.state_of(&id) == Some(Deleted);
    let (outcome, lost) = match result {
        Ok(_) => ("succeeded".to_owned(), usize::from(!applied)),
        Err(e) => {
            let what = match e.status() {
                Some(s) => format!("failed: {}", s.code()),
                None => format!(
                    "failed: {}",
                    e.to_string().split(':').next().unwrap_or("error")
                ),
            };
            (
                if applied {
                    format!("{what} (applied: outcome unknown)")
                } else {
                    what
                },
                0,
            )
        }
    };
    Cell {
        attempts,
        outcome,
        lost,
    }
}

fn bulk<A: Adapter>(f: &Fault) -> Cell {
    let env = Env::with(
        SimConfig::new(5)
            .recordings_for("alice", BULK)
            .fault(SOFT, f.bulk.clone()),
    );
    let client = env.client::<A>("alice", &f.opts);
    let ids = env.all_ids("alice");
    let (report, _) = client.bulk(Trash, ids.clone());
    let report = report.expect("a report");
    let unique: Vec<RecordingId> = ids
        .iter()
        .map(|i| RecordingId::new(i.as_str()).expect("id"))
        .collect();
    let states: HashMap<String, RecordingState> = env
        .sim
        .recordings()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    let unapplied = report
        .succeeded
        .iter()
        .filter(|id| states.get(id.as_str()) != Some(&Deleted))
        .count();
    let lost = usize::from(!report.partitions(&unique)) * ids.len() + unapplied;
    let mut statuses: Vec<String> = report
        .failed
        .iter()
        .map(|f| {
            f.failure
                .status
                .map_or_else(|| "no response".to_owned(), |s| s.to_string())
        })
        .collect();
    statuses.dedup();
    let failed = if report.failed.is_empty() {
        String::new()
    } else {
        format!(" ({})", statuses.join(", "))
    };
    let outcome = format!(
        "{} succeeded, {} failed{failed}, {} not attempted",
        report.succeeded.len(),
        report.failed.len(),
        report.not_attempted.len()
    );
    Cell {
        attempts: env.requests_to(SOFT).len(),
        outcome,
        lost,
    }
}

fn matrix<A: Adapter>(client: &str) -> Vec<String> {
    let mut rows = Vec::new();
    for f in faults() {
        let (s, b) = (single::<A>(&f), bulk::<A>(&f));
        assert_eq!(s.lost + b.lost, 0, "{client}, {}: IDs lost", f.name);
        rows.push(format!(
            "| {} | {client} | {} | {} | {} | {} | {} |",
            f.name,
            s.attempts,
            s.outcome,
            b.attempts,
            b.outcome,
            s.lost + b.lost
        ));
    }
    rows
}

#[test]
fn every_fault_loses_no_id_with_either_client() {
    let (blocking, asynchronous) = std::thread::scope(|scope| {
        let b = scope.spawn(|| matrix::<Blocking>("blocking"));
        let a = scope.spawn(|| matrix::<Async>("async"));
        (
            b.join().expect("blocking matrix"),
            a.join().expect("async matrix"),
        )
    });
    if std::env::var("RECYCLE_WRITE_RELIABILITY").is_ok_and(|v| v == "1") {
        let mut rows: Vec<String> = blocking
            .into_iter()
            .zip(asynchronous)
            .flat_map(|(b, a)| [b, a])
            .collect();
        rows.insert(0, "| fault | client | single call: requests | single call: outcome | bulk of 1,000: requests | bulk of 1,000: outcome | IDs lost |".into());
        rows.insert(1, "|---|---|---|---|---|---|---|".into());
        let mut doc = format!("{}\n{}\n\n{}", HEADER.trim_end(), rows.join("\n"), FOOTER);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/reliability.md");
        // The kill-and-resume section is written by `cargo xtask kills`; keep it.
        let old = std::fs::read_to_string(path).unwrap_or_default();
        if let Some(at) = old.find(KILL_SECTION) {
            doc.push('\n');
            doc.push_str(&old[at..]);
        }
        std::fs::write(path, doc).expect("write docs/reliability.md");
    }
}

/// The heading of the section `cargo xtask kills` writes.
const KILL_SECTION: &str = "## Kill and resume";

const HEADER: &str = "# Reliability: the fault matrix

Generated by `cargo xtask reliability` (the test `every_fault_loses_no_id_with_either_client`
in `crates/recycle-conformance/tests/reliability.rs`, which `cargo test` runs on every change
without writing this file). Each fault is scripted on `POST /convergedRecordings/softDelete` of
the simulator for the next requests, then normal behaviour resumes. A single call trashes one
ID; a bulk job trashes 1,000 IDs (10 batches; the async client runs 4 at a time). Defaults: 4
attempts, `Retry-After` capped at 60 s; the slow-answer rows use a 400 ms timeout and the huge
body rows a 64 KiB body cap. \"Requests\" counts what reached the server, retries included.

An ID is lost when the report does not account for it, or says it succeeded while the
simulator did not apply it. Every cell must be 0, and the test fails otherwise.
";

const FOOTER: &str =
    "Notes: a redirect, an oversized body and 4xx answers are final, so their batch fails and
the rest of the job goes on; a batch refused with 400 is split, and its halves succeed once
the scripted fault is spent. 401 and 403 stop a bulk job; batches already in flight still
complete, which is why the async client attempts more of the job than the blocking one. A
connection dropped after the server applied the change is retried and succeeds, because
trashing is idempotent; had the attempts run out, the IDs would be read back and settled
by the server's state. Failed batches whose attempts may have been applied (a 5xx, no
answer, an oversized body) are read back after the job: their IDs already in the recycle bin
(one in five of the simulator's recordings starts there) are reported succeeded, listed in
`alreadyApplied`.

Report truth beyond the matrix (`crates/recycle-conformance/tests/report_truth.rs`, both
clients, in `cargo test`): applied-then-dropped-then-503 and applied-then-500 end settled by
reading back (or `outcomeUnknown` on a single call); a dropped connection then 429s uses no
more attempts; 20 unknown IDs in a batch of 100 fail alone, each with a message naming only
itself, and the 80 others move with one more request; a purge applied then answered 410
succeeds as `alreadyApplied`; a steady 1 request/s limit fails nothing; each of the
simulator's batch semantics (`atomic`, `partial`, `lenient`) for trash and purge, with and
without verification; and 12 random fault scripts (503, 500, 502 HTML, dropped connections,
429s and delays, each applied or not) on a job of about 200 IDs. In every case each ID's
bucket is checked against the simulator's state: `succeeded` IDs are in the target state,
definite failures were not applied, and with verification no failed ID is in the target
state. The one case only verification makes exact: a server that answers 204 for a batch
whose unacceptable IDs it silently ignored (`lenient`).

Selection jobs (`crates/recycle-cli/tests/retention.rs`, the real binary on both transports,
in `cargo test`): the three scopes (own, `--owner`, `--org`) times the three directions
(trash, restore, purge) in windows of several pages; 503s and dropped connections on the list
path with 500-after-applying, 503 and drop-after-applying on the operation path; a list that
keeps failing (the job stops with the windows listed so far acted on, `complete` false, exit
1); lists that see changes 800 ms and 30 s late, with `--verify`; a dry run; kill -9 then
resume with `--journal`. After each run the report is checked against the simulator: every
selected ID once, `succeeded` ones in the target state, definite failures not applied, and
nothing outside the selection moved. A naive loop that acts on each page before reading the
next skips recordings on the same data; the selection skips none.
";
