//! What the commands print: reports, receipts, planned requests and recordings. With
//! `--json`, stdout holds exactly one JSON document.

use std::io::{self, BufWriter, Write};

use recycle_core::{
    BulkReport, Coverage, Error, OperationKind, Receipt, SelectionReport, SelectionSummary,
};
use serde_json::{Value, json};

use crate::client::Listed;
use crate::outcome::Stop;

/// Failures listed in the human summary; `--json` has them all.
const SHOWN_FAILURES: usize = 10;

/// Writes to stdout; a closed pipe (`recycle list | head`) is not an error worth reporting.
fn emit(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    let mut out = BufWriter::new(io::stdout().lock());
    let _ = write(&mut out).and_then(|()| out.flush());
}

fn emit_json(value: &impl serde::Serialize) {
    emit(|out| {
        serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
        writeln!(out)
    });
}

/// A bulk job's report; exit 1 unless every ID succeeded.
pub(crate) fn report(report: &BulkReport, json: bool) -> Result<(), Stop> {
    if json {
        emit_json(report);
    } else {
        summary(report);
    }
    if report.is_success() {
        Ok(())
    } else {
        Err(Stop::failed_quietly())
    }
}

/// What was selected, in a line: scope, status, range, windows.
fn selection_line(s: &SelectionSummary) -> String {
    let sel = &s.selection;
    let whose = match (&sel.scope, &sel.owner_email) {
        (recycle_core::Scope::Owner, Some(owner)) => format!("{owner}'s"),
        (recycle_core::Scope::Owner, None) => "the owner's".to_owned(),
        (recycle_core::Scope::Org, _) => "the organization's".to_owned(),
        (recycle_core::Scope::Mine, _) => "your".to_owned(),
    };
    let filters = if sel.filters.is_empty() {
        String::new()
    } else {
        let f: Vec<String> = sel
            .filters
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(", {}", f.join(" "))
    };
    format!(
        "selected {} of {whose} {} recordings created {} to {}{filters} ({} of {} windows listed{})",
        s.selected(),
        sel.status,
        sel.from,
        sel.to,
        s.windows.len(),
        s.windows_total,
        if s.relists > 0 {
            format!(", listed again {} time(s)", s.relists)
        } else {
            String::new()
        }
    )
}

/// A selection job's report; exit 1 unless every ID succeeded and every window was listed.
pub(crate) fn selection_report(doc: &SelectionReport, json: bool) -> Result<(), Stop> {
    if json {
        emit_json(doc);
    } else {
        line(&selection_line(&doc.selection));
        if doc.selection.skipped > 0 {
            line(&format!(
                "  {} listed item(s) not acted on: no usable ID, another status, or created outside the window",
                doc.selection.skipped
            ));
        }
        summary(&doc.report);
    }
    if let Some(e) = &doc.selection.list_error {
        let when = if doc.selection.relists > 0 {
            "listing again to verify stopped"
        } else {
            "listing stopped; the windows after the last one reported were not acted on"
        };
        return Err(Stop::failed(format!("{when}: {e}")));
    }
    if !doc.selection.complete {
        return Err(Stop::failed(
            "the job stopped before every window was listed; run it again to go on",
        ));
    }
    if doc.report.is_success() {
        Ok(())
    } else {
        Err(Stop::failed_quietly())
    }
}

/// A selection's dry run: the windows with what they select; nothing was sent.
pub(crate) fn selection_dry_run(operation: OperationKind, s: &SelectionSummary, json: bool) {
    if json {
        emit_json(&json!({ "dryRun": true, "operation": operation, "selection": s }));
        return;
    }
    emit(|out| {
        for w in s.windows.iter().filter(|w| w.selected > 0) {
            let ids: Vec<&str> = w.first_ids.iter().map(|id| id.as_str()).collect();
            let more = if w.selected > ids.len() { ", ..." } else { "" };
            writeln!(
                out,
                "{} to {}: {} ({}{more})",
                w.from,
                w.to,
                w.selected,
                ids.join(", ")
            )?;
        }
        writeln!(out, "{}", selection_line(s))?;
        writeln!(out, "dry run: no {operation} request was sent")
    });
}

/// The human summary of a report.
fn summary(report: &BulkReport) {
    emit(|out| {
        writeln!(
            out,
            "{}: {} succeeded, {} failed, {} not attempted",
            report.operation,
            report.succeeded.len(),
            report.failed.len(),
            report.not_attempted.len()
        )?;
        if !report.verified.is_empty() || !report.already_applied.is_empty() {
            writeln!(
                out,
                "  {} read back from the server; {} found already applied",
                report.verified.len(),
                report.already_applied.len()
            )?;
        }
        for f in report.failed.iter().take(SHOWN_FAILURES) {
            let status = f
                .failure
                .status
                .map_or_else(|| "no response".to_owned(), |s| s.to_string());
            let unknown = if f.failure.outcome_unknown {
                " (outcome unknown: check its state)"
            } else if f.failure.not_isolated {
                " (not isolated: may be good, refused with its batch)"
            } else {
                ""
            };
            writeln!(
                out,
                "  failed {}: {status} {}{unknown} (trackingId {})",
                f.id,
                f.failure.message.as_deref().unwrap_or(""),
                f.failure
                    .tracking_id
                    .as_deref()
                    .or(f.failure.request_tracking_id.as_deref())
                    .unwrap_or("-"),
            )?;
        }
        if report.failed.len() > SHOWN_FAILURES {
            writeln!(
                out,
                "  ... and {} more failures (--json lists them all)",
                report.failed.len() - SHOWN_FAILURES
            )?;
        }
        Ok(())
    });
}

/// The result of an operation on all recordings (of the caller, or of an owner).
pub(crate) fn all(
    operation: OperationKind,
    owner: Option<&str>,
    result: Result<Receipt, Error>,
    json: bool,
) -> Result<(), Stop> {
    let whose = owner.map_or_else(
        || "your own recordings".to_owned(),
        |o| format!("all recordings of {o}"),
    );
    match result {
        Ok(receipt) => {
            if json {
                emit_json(&json!({
                    "operation": operation,
                    "all": true,
                    "ownerEmail": owner,
                    "status": receipt.status,
                    "trackingId": receipt.server_tracking_id,
                    "requestTrackingId": receipt.tracking_id,
                }));
            } else {
                emit(|out| {
                    writeln!(
                        out,
                        "{operation}: done for {whose} (status {}, TrackingID {})",
                        receipt.status, receipt.tracking_id
                    )
                });
            }
            Ok(())
        }
        Err(error) => {
            if json && !error.is_invalid_input() {
                emit_json(&json!({
                    "operation": operation,
                    "all": true,
                    "ownerEmail": owner,
                    "status": error.status().map(|s| s.code()),
                    "message": error.to_string(),
                    "trackingId": error.server_tracking_id(),
                    "requestTrackingId": error.request_tracking_id(),
                }));
            }
            Err(Stop::from_error(&error))
        }
    }
}

/// A request that `--dry-run` would have sent.
pub(crate) struct Planned {
    pub(crate) url: String,
    pub(crate) body: Vec<u8>,
}

pub(crate) fn dry_run(planned: &[Planned], json: bool) {
    if json {
        let requests: Vec<Value> = planned
            .iter()
            .map(|p| {
                let body: Value = serde_json::from_slice(&p.body).unwrap_or(Value::Null);
                json!({ "method": "POST", "url": p.url, "body": body })
            })
            .collect();
        emit_json(&json!({ "dryRun": true, "requests": requests }));
    } else {
        emit(|out| {
            for p in planned {
                writeln!(out, "POST {} {}", p.url, String::from_utf8_lossy(&p.body))?;
            }
            writeln!(
                out,
                "dry run: {} request(s) planned, nothing sent",
                planned.len()
            )
        });
    }
}

/// Recordings, as `{"items": [...], "coverage": {...}}` (plus `"unreadable"` when some items
/// were not JSON objects) or a table.
pub(crate) fn recordings(listed: &Listed, json: bool) {
    if json {
        let mut doc = json!({ "items": listed.items, "coverage": listed.coverage });
        if !listed.unreadable.is_empty() {
            doc["unreadable"] = json!(listed.unreadable);
        }
        emit_json(&doc);
        return;
    }
    emit(|out| {
        for r in &listed.items {
            writeln!(
                out,
                "{}  {:9}  {:20}  {:24}  {}",
                r.id.as_deref().unwrap_or("-"),
                r.status.as_deref().unwrap_or("-"),
                r.create_time.as_deref().unwrap_or("-"),
                r.owner_email.as_deref().unwrap_or("-"),
                r.topic.as_deref().unwrap_or(""),
            )?;
        }
        writeln!(out, "{} recording(s)", listed.items.len())
    });
}

/// The range a list covered, on stderr (unless `--quiet`).
pub(crate) fn coverage(c: &Coverage, quiet: bool) {
    if !quiet {
        let covered = match &c.covered_from {
            _ if c.is_complete() => format!("listed {} to {}", c.range_from, c.range_to),
            Some(from) => format!(
                "listed {} to {} only, of {} to {}",
                from, c.range_to, c.range_from, c.range_to
            ),
            None => format!(
                "listed nothing completely of {} to {}",
                c.range_from, c.range_to
            ),
        };
        eprintln!(
            "{covered} ({} of {} windows of at most 30 days, {} pages)",
            c.windows, c.windows_total, c.pages
        );
    }
    if c.malformed > 0 {
        eprintln!(
            "warning: {} item(s) could not be read in full; what could not be read is kept as received",
            c.malformed
        );
    }
}

/// A line of the demo's account.
pub(crate) fn line(text: &str) {
    emit(|out| writeln!(out, "{text}"));
}
