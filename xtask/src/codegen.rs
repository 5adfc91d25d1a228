//! `cargo xtask codegen`: the generated files under `schemas/`.

use std::fs;
use std::path::Path;

use recycle_core::protocol::STATUS_TABLE;
use recycle_core::protocol::{ErrorResponse, RecordingList};
use recycle_core::schema::root_schema;
use recycle_core::schemars::JsonSchema;
use recycle_core::{
    BulkReport, Email, JournalLine, PurgeRequest, Recording, RecordingId, RestoreRequest,
    SelectionReport, TrashRequest,
};
use serde_json::{Map, Value};

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// The JSON Schemas, by component name, with the file each is written to.
pub(crate) struct Schemas(Vec<(&'static str, &'static str, Value)>);

fn schema<T: JsonSchema>(file: &str, title: &str, description: &str) -> Value {
    root_schema::<T>(&format!("urn:recycle:schema:{file}"), title, description)
}

impl Schemas {
    pub(crate) fn new() -> Self {
        Self(vec![
            (
                "TrashRequest",
                "trash-request.schema.json",
                schema::<TrashRequest>(
                    "trash-request",
                    "Move recordings into the recycle bin",
                    "The body of POST /convergedRecordings/softDelete. Either trashAll is true (recordingIds empty; ownerEmail names the owner for an administrator, stays empty for a user), or recordingIds lists 1 to 100 distinct IDs (ownerEmail empty).",
                ),
            ),
            (
                "RestoreRequest",
                "restore-request.schema.json",
                schema::<RestoreRequest>(
                    "restore-request",
                    "Restore recordings from the recycle bin",
                    "The body of POST /convergedRecordings/restore. Either restoreAll is true (recordingIds empty; ownerEmail names the owner for an administrator, stays empty for a user), or recordingIds lists 1 to 100 distinct IDs (ownerEmail empty).",
                ),
            ),
            (
                "PurgeRequest",
                "purge-request.schema.json",
                schema::<PurgeRequest>(
                    "purge-request",
                    "Purge recordings from the recycle bin",
                    "The body of POST /convergedRecordings/purge. Either purgeAll is true (recordingIds empty; ownerEmail names the owner for an administrator, stays empty for a user), or recordingIds lists 1 to 100 distinct IDs (ownerEmail empty). Purged recordings are gone for good.",
                ),
            ),
            (
                "ErrorResponse",
                "error-body.schema.json",
                schema::<ErrorResponse>(
                    "error-body",
                    "A Webex error body",
                    "What Webex answers with an error status. Every field may be missing, and gateways may answer with HTML or nothing at all, so read it leniently.",
                ),
            ),
            (
                "Recording",
                "recording.schema.json",
                schema::<Recording>(
                    "recording",
                    "A converged recording",
                    "A recording as the list endpoints return it. Every field may be missing; fields not listed here may appear and must be tolerated.",
                ),
            ),
            (
                "RecordingList",
                "recording-list.schema.json",
                schema::<RecordingList>(
                    "recording-list",
                    "A page of recordings",
                    "The body of GET /convergedRecordings and GET /admin/convergedRecordings. The next page, if any, is announced by a Link header with rel=\"next\".",
                ),
            ),
            (
                "BulkReport",
                "bulk-report.schema.json",
                schema::<BulkReport>(
                    "bulk-report",
                    "The report of a bulk job",
                    "Where every ID of a bulk job ended: succeeded, failed (with the status, or null when no response came, the Webex message and tracking IDs) or notAttempted (the job stopped, on 401 or 403). The three lists partition the distinct input IDs. This is what `recycle --json trash|restore|purge` prints.",
                ),
            ),
            (
                "SelectionReport",
                "selection-report.schema.json",
                schema::<SelectionReport>(
                    "selection-report",
                    "The report of a selection job",
                    "What `recycle --json trash|restore|purge` prints for a selection (--created-before, --older-than, --from, --to): the fields of a bulk report, whose lists partition the selected IDs, and `selection`: the scope, the source status, the resolved range [from, to), the filters, each window of at most 30 days with the recordings it selected, whether every window was listed (complete), and how often the windows were listed again after acting (relists, with --verify).",
                ),
            ),
            (
                "JournalLine",
                "journal-line.schema.json",
                schema::<JournalLine>(
                    "journal-line",
                    "A line of a bulk job's journal",
                    "One line of the JSON Lines file `recycle trash|restore|purge --journal PATH` appends to: first a header naming the job (operation, base URL, count and digest of its distinct IDs, or for a selection job what it selects; never the token), then one line per finished batch with the IDs it settled. Each line is flushed and synced before the next batch is sent; a last line cut short by a crash is ignored when the job is resumed.",
                ),
            ),
            (
                "RecordingId",
                "",
                root_schema::<RecordingId>(
                    "urn:recycle:schema:recording-id",
                    "A recording ID",
                    "A recording ID.",
                ),
            ),
            (
                "Email",
                "",
                root_schema::<Email>(
                    "urn:recycle:schema:email",
                    "An email address",
                    "An email address.",
                ),
            ),
        ])
    }

    /// The schema written to `file`.
    #[cfg(test)]
    pub(crate) fn get(&self, file: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(_, f, _)| *f == file)
            .map(|(_, _, s)| s)
    }

    /// Every schema by component name, for the OpenAPI document: each schema's `$defs` are
    /// lifted into the components (one entry a name) and its `#/$defs/X` references point
    /// there, since OpenAPI tools resolve `#` against the whole document; `$id` and
    /// `$schema` are left out for the same reason.
    pub(crate) fn components(&self) -> Value {
        let mut map = Map::new();
        let mut lifted = Vec::new();
        for (name, _, schema) in &self.0 {
            let mut schema = schema.clone();
            if let Some(object) = schema.as_object_mut() {
                object.remove("$schema");
                object.remove("$id");
                if let Some(Value::Object(defs)) = object.remove("$defs") {
                    lifted.extend(defs);
                }
            }
            map.insert((*name).to_owned(), schema);
        }
        for (name, def) in lifted {
            map.entry(name).or_insert(def);
        }
        let mut components = Value::Object(map);
        point_refs_at_components(&mut components);
        components
    }
}

/// Rewrites every `{"$ref": "#/$defs/X"}` below `value` to `#/components/schemas/X`.
fn point_refs_at_components(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                if let Some(name) = target.strip_prefix("#/$defs/") {
                    *target = format!("#/components/schemas/{name}");
                }
            }
            map.values_mut().for_each(point_refs_at_components);
        }
        Value::Array(items) => items.iter_mut().for_each(point_refs_at_components),
        _ => {}
    }
}

/// Pretty JSON with object keys sorted, so that the output does not depend on whether
/// serde_json's `preserve_order` feature happens to be on in this build.
fn pretty(value: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(value)
        .unwrap_or_else(|e| panic!("generated JSON always serializes: {e}"));
    let mut json = serde_json::to_string_pretty(&canonical(value)).unwrap_or_default();
    json.push('\n');
    json
}

fn canonical(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.into_iter().map(|(k, v)| (k, canonical(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

/// Every generated file: path below the workspace root, and its contents.
pub(crate) fn generated() -> Vec<(String, String)> {
    let schemas = Schemas::new();
    let mut files: Vec<(String, String)> = schemas
        .0
        .iter()
        .filter(|(_, file, _)| !file.is_empty())
        .map(|(_, file, schema)| (format!("schemas/{file}"), pretty(schema)))
        .collect();
    files.push(("schemas/status-codes.json".into(), pretty(&STATUS_TABLE)));
    files.push((
        "schemas/openapi.json".into(),
        pretty(&crate::openapi::document(&schemas)),
    ));
    files
}

/// Where two texts part: the first differing line of each.
fn first_difference(old: &str, new: &str) -> String {
    let mut old_lines = old.lines();
    for (n, line) in new.lines().enumerate() {
        let was = old_lines.next();
        if was != Some(line) {
            return format!(
                "line {}: {:?} would be {:?}",
                n + 1,
                was.unwrap_or("<end>"),
                line
            );
        }
    }
    "the file is longer than what codegen writes".to_owned()
}

pub(crate) fn run(root: &Path, mode: Mode) -> Result<(), String> {
    let mut stale = Vec::new();
    for (path, contents) in generated() {
        let full = root.join(&path);
        let current = fs::read_to_string(&full).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        match mode {
            Mode::Check => stale.push(format!(
                "{path} ({})",
                first_difference(current.as_deref().unwrap_or(""), &contents)
            )),
            Mode::Write => {
                if let Some(dir) = full.parent() {
                    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                fs::write(&full, contents).map_err(|e| format!("{path}: {e}"))?;
                eprintln!("wrote {path}");
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "stale generated files:\n  {}\nrun `cargo xtask codegen` and commit the result",
            stale.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when a committed generated file differs from what codegen writes, so a plain
    /// `cargo test` catches staleness.
    #[test]
    fn generated_files_are_fresh() {
        if let Err(message) = run(&crate::workspace_root(), Mode::Check) {
            panic!("{message}");
        }
    }

    #[test]
    fn status_codes_list_every_documented_code() {
        let rows: Vec<Value> = serde_json::to_value(STATUS_TABLE)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        assert_eq!(rows.len(), 19);
        let r429 = rows
            .iter()
            .find(|r| r["code"] == 429)
            .unwrap_or_else(|| panic!("429 row"));
        assert_eq!(r429["class"], "rate-limited");
        assert_eq!(r429["retryable"], true);
        assert_eq!(r429["retryAfter"], "should");
        assert_eq!(r429["name"], "Too Many Requests");
    }
}
