//! `recycle demo`: the whole lifecycle against an embedded simulator, each step checked
//! against the simulator's own state.

use std::collections::HashSet;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use recycle_core::{
    BulkPlan, BulkReport, Email, ListQuery, Purge, RecordingStatus, Restore, Timestamp, Trash,
    TrashRequest,
};
use recycle_sim::{BackgroundSimulator, FaultResponse, RateLimit, RecordingState, SimConfig};

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::client::AnyClient;
use crate::client::Listed;
use crate::outcome::Stop;
use crate::output::line;
use crate::retention::{self, Done};

/// IDs alice trashes: more than one batch of 100.
const TRASHED: usize = 130;
const RESTORED: usize = 30;
const PURGED: usize = 60;

struct Demo {
    sim: BackgroundSimulator,
    steps: usize,
    failures: Vec<String>,
}

impl Demo {
    fn check(&mut self, what: &str, ok: bool, detail: String) {
        self.steps += 1;
        let mark = if ok { "ok" } else { "MISMATCH" };
        line(&format!("  [{mark}] {what}: {detail}"));
        if !ok {
            self.failures.push(what.to_owned());
        }
    }

    fn ids(&self, name: &str, state: RecordingState) -> Vec<String> {
        let email = self
            .sim
            .identity(name)
            .map(|i| i.email.clone())
            .unwrap_or_default();
        self.sim.ids_of(&email, state)
    }

    fn client(&self, cli: &Cli, name: &str) -> Result<AnyClient, Stop> {
        let token = self
            .sim
            .identity(name)
            .map(|i| i.token.clone())
            .unwrap_or_default();
        AnyClient::new(cli, self.sim.base_url(), token.into(), false)
            .map_err(|e| Stop::from_error(&e))
    }

    /// Whether every ID of the report is where its bucket says.
    fn agrees(&self, report: &BulkReport, done: RecordingState, before: RecordingState) -> bool {
        let state = |id: &str| self.sim.state_of(id);
        report
            .succeeded
            .iter()
            .all(|id| state(id.as_str()) == Some(done))
            && report
                .failed
                .iter()
                .filter(|f| !f.failure.outcome_unknown)
                .all(|f| state(f.id.as_str()) == Some(before))
    }
}

fn summary(report: &BulkReport) -> String {
    format!(
        "{} succeeded, {} failed, {} not attempted",
        report.succeeded.len(),
        report.failed.len(),
        report.not_attempted.len()
    )
}

pub(crate) fn run(cli: &Cli) -> Result<(), Stop> {
    let started = Instant::now();
    let limit = RateLimit {
        burst: 10.0,
        ..RateLimit::per_second(20.0)
    };
    let now = SystemTime::now();
    let config = SimConfig::new(7)
        .recordings_for("alice", 200)
        .rate_limit(limit)
        .now(Timestamp::from_unix_seconds(unix(now)));
    // The simulator's recordings are from the year before its "now": the lists walk that
    // year (and a little more), 30 days a request, instead of everything since 2020.
    let history_start = Timestamp::from_unix_seconds(unix(now) - 400 * 86_400);
    let sim = BackgroundSimulator::start(config)
        .map_err(|e| Stop::failed(format!("cannot start the simulator: {e}")))?;
    line(&format!(
        "Simulator on {} (rate limit 20 requests/s, burst 10)",
        sim.base_url()
    ));
    let mut demo = Demo {
        sim,
        steps: 0,
        failures: Vec::new(),
    };
    let alice = demo.client(cli, "alice")?;
    let admin = demo.client(cli, "admin")?;
    let fail = |e: recycle_core::Error| Stop::failed(e.to_string());

    line("\n1. alice lists her available recordings");
    let query = ListQuery::new()
        .status(RecordingStatus::Available)
        .from(history_start.clone())
        .max(50)
        .map_err(|e| Stop::failed(e.to_string()))?;
    let Listed {
        items: listed,
        error,
        ..
    } = alice.list(&query).map_err(fail)?;
    let expected = demo.ids("alice", RecordingState::Available);
    demo.check(
        "listed every page",
        error.is_none() && listed.len() == expected.len(),
        format!(
            "{} recordings, 30-day windows of the last 400 days in pages of 50",
            listed.len()
        ),
    );

    line(&format!(
        "\n2. alice trashes {TRASHED} of them by ID (two batches)"
    ));
    let chosen: Vec<String> = expected.iter().take(TRASHED).cloned().collect();
    let report = alice.bulk(Trash, plan(&chosen)?, |_| {}).map_err(fail)?;
    let ok = report.is_success()
        && demo.agrees(&report, RecordingState::Deleted, RecordingState::Available);
    demo.check("trashed", ok, summary(&report));

    line("\n3. alice lists her recycle bin");
    let bin = ListQuery::new()
        .status(RecordingStatus::Deleted)
        .from(history_start.clone())
        .max(100)
        .map_err(|e| Stop::failed(e.to_string()))?;
    let Listed {
        items: listed,
        error,
        ..
    } = alice.list(&bin).map_err(fail)?;
    let in_bin = demo.ids("alice", RecordingState::Deleted);
    let listed_ids: HashSet<String> = listed.into_iter().filter_map(|r| r.id).collect();
    let ok = error.is_none()
        && listed_ids == in_bin.iter().cloned().collect()
        && chosen.iter().all(|id| listed_ids.contains(id));
    demo.check(
        "the bin holds what was trashed",
        ok,
        format!("{} recordings in the bin", listed_ids.len()),
    );

    line(&format!("\n4. alice restores {RESTORED} of them"));
    let restored: Vec<String> = chosen.iter().take(RESTORED).cloned().collect();
    let report = alice
        .bulk(Restore, plan(&restored)?, |_| {})
        .map_err(fail)?;
    let ok = report.is_success()
        && demo.agrees(&report, RecordingState::Available, RecordingState::Deleted);
    demo.check("restored", ok, summary(&report));

    line(&format!(
        "\n5. alice purges {PURGED}, while the server answers 429 (Retry-After 1), 503 and drops a connection"
    ));
    demo.sim.inject(
        "/convergedRecordings/purge",
        vec![
            FaultResponse::status(429).retry_after("1").into(),
            FaultResponse::status(503).into(),
            FaultResponse::drop_connection(),
        ],
    );
    let purged: Vec<String> = chosen.iter().skip(RESTORED).take(PURGED).cloned().collect();
    let report = alice.bulk(Purge, plan(&purged)?, |_| {}).map_err(fail)?;
    let ok = report.is_success()
        && demo.agrees(&report, RecordingState::Purged, RecordingState::Deleted);
    demo.check("purged despite the faults", ok, summary(&report));
    let attempts = demo
        .sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/purge"))
        .count();
    demo.check(
        "the retries were needed",
        attempts == 4,
        format!("{attempts} attempts, the last one answered 204"),
    );

    line("\n6. the admin trashes all of bob's recordings (trashAll with ownerEmail)");
    let bob = Email::new("bob@example.com").map_err(|e| Stop::failed(e.to_string()))?;
    let result = admin.send(&TrashRequest::all_of(bob.clone()));
    let left = demo.ids("bob", RecordingState::Available).len();
    demo.check(
        "bob has nothing left outside the bin",
        result.is_ok() && left == 0,
        match &result {
            Ok(receipt) => format!(
                "status {}, TrackingID {}",
                receipt.status, receipt.tracking_id
            ),
            Err(e) => e.to_string(),
        },
    );

    line("\n7. the admin lists bob's recycle bin");
    let query = ListQuery::new()
        .status(RecordingStatus::Deleted)
        .from(history_start.clone())
        .owner(bob);
    let Listed {
        items: listed,
        error,
        ..
    } = admin.list(&query).map_err(fail)?;
    let expected = demo.ids("bob", RecordingState::Deleted);
    demo.check(
        "the admin sees all of them",
        error.is_none() && listed.len() == expected.len(),
        format!("{} recordings", listed.len()),
    );

    line("\n8. alice empties the part of her bin older than 90 days (a retention job)");
    retention_step(&mut demo, cli, &alice, &history_start, now)?;

    let requests = demo.sim.requests().len();
    let rate_limited = demo
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    line(&format!(
        "\n{} of {} checks agree with the simulator's state; {requests} requests ({rate_limited} answered 429) in {:.1?}",
        demo.steps - demo.failures.len(),
        demo.steps,
        started.elapsed()
    ));
    if demo.failures.is_empty() {
        Ok(())
    } else {
        Err(Stop::failed(format!(
            "the demo's results disagree with the simulator: {}",
            demo.failures.join(", ")
        )))
    }
}

/// `recycle purge --from <history> --older-than 90d --yes --verify`, run by the code behind
/// the command, checked against the simulator: exactly alice's recordings in the bin
/// created more than 90 days ago are purged, and the report says so.
fn retention_step(
    demo: &mut Demo,
    cli: &Cli,
    alice: &AnyClient,
    history_start: &Timestamp,
    now: SystemTime,
) -> Result<(), Stop> {
    let args = [
        "recycle",
        "purge",
        "--from",
        history_start.as_str(),
        "--older-than",
        "90d",
        "--yes",
        "--verify",
        "--verify-delay",
        "200ms",
    ];
    line(&format!("   {}", args.join(" ")));
    let parsed = Cli::try_parse_from(args).map_err(|e| Stop::failed(e.to_string()))?;
    let Command::Purge(purge) = parsed.command else {
        return Err(Stop::failed("the retention step is a purge"));
    };
    let cutoff = unix(now) - 90 * 86_400;
    let email = demo
        .sim
        .identity("alice")
        .map(|i| i.email.clone())
        .unwrap_or_default();
    let (old, recent): (Vec<_>, Vec<_>) = demo
        .sim
        .recordings()
        .into_iter()
        .filter(|r| r.owner_email == email && r.state == RecordingState::Deleted)
        .partition(|r| Timestamp::parse(&r.create_time).is_ok_and(|t| t.unix_seconds() < cutoff));
    let prepared = retention::prepare(cli, &purge.targets, recycle_core::OperationKind::Purge)?;
    let (done, _runner) = retention::execute(cli, &purge.targets, Purge, alice, prepared)?;
    let Done::Report(doc) = done else {
        return Err(Stop::failed("the retention step is not a dry run"));
    };
    let succeeded: HashSet<&str> = doc.report.succeeded.iter().map(|id| id.as_str()).collect();
    let ok = doc.report.is_success()
        && doc.selection.complete
        && succeeded.len() == old.len()
        && old.iter().all(|r| {
            succeeded.contains(r.id.as_str())
                && demo.sim.state_of(&r.id) == Some(RecordingState::Purged)
        })
        && recent
            .iter()
            .all(|r| demo.sim.state_of(&r.id) == Some(RecordingState::Deleted));
    demo.check(
        "purged exactly the old part of the bin",
        ok,
        format!(
            "{} purged in {} windows, {} newer ones left in the bin, listed again {} time(s)",
            succeeded.len(),
            doc.selection.windows.len(),
            recent.len(),
            doc.selection.relists
        ),
    );
    Ok(())
}

fn plan(ids: &[String]) -> Result<BulkPlan, Stop> {
    BulkPlan::new(ids.iter().cloned()).map_err(|e| Stop::failed(e.to_string()))
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
