//! The generated files checked from outside: an independent JSON Schema validator agrees with
//! the Rust parser on every request in the corpus, every schema is self-contained 2020-12, and
//! the OpenAPI document parses as OpenAPI 3.1.

use std::fs;
use std::path::PathBuf;

use recycle_core::adapter::{BatchResult, BulkJob};
use recycle_core::protocol::{ErrorDetail, ErrorResponse, RecordingList};
use recycle_core::{
    BatchFailure, BulkOptions, BulkPlan, Operation, Purge, Recording, Request, Restore, Trash,
};
use serde_json::{Value, json};

use crate::codegen::{Schemas, generated};

fn validator(file: &str) -> jsonschema::Validator {
    let schemas = Schemas::new();
    let schema = schemas
        .get(file)
        .unwrap_or_else(|| panic!("no schema {file}"));
    jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("{file} compiles: {e}"))
}

fn corpus(operation: &str) -> Vec<(String, Vec<u8>)> {
    let dir = crate::workspace_root()
        .join("schemas/examples")
        .join(operation);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                name,
                fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

/// The schema and `Request::from_json` agree on every body, and both match the file name.
fn corpus_agrees<O: Operation>(operation: &str, schema_file: &str) {
    let validator = validator(schema_file);
    let bodies = corpus(operation);
    assert!(bodies.len() >= 40, "{operation}: {} bodies", bodies.len());
    for (name, bytes) in bodies {
        let expected = name.starts_with("valid-");
        let instance: Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let by_schema = validator.is_valid(&instance);
        let by_rust = Request::<O>::from_json(&bytes);
        assert_eq!(
            by_schema, expected,
            "{operation}/{name}: the schema says {by_schema}"
        );
        assert_eq!(
            by_rust.is_ok(),
            expected,
            "{operation}/{name}: Rust says {by_rust:?}"
        );
    }
}

#[test]
fn trash_corpus_agrees() {
    corpus_agrees::<Trash>("trash", "trash-request.schema.json");
}

#[test]
fn restore_corpus_agrees() {
    corpus_agrees::<Restore>("restore", "restore-request.schema.json");
}

#[test]
fn purge_corpus_agrees() {
    corpus_agrees::<Purge>("purge", "purge-request.schema.json");
}

/// Every `$ref` in `value` points inside the same document.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap_or_default().to_owned());
                }
                refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_schema_file_is_self_contained_2020_12() {
    for (path, contents) in generated() {
        if !path.ends_with(".schema.json") {
            continue;
        }
        let schema: Value =
            serde_json::from_str(&contents).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{path}"
        );
        for key in ["$id", "title", "description"] {
            assert!(
                schema[key].as_str().is_some_and(|s| !s.is_empty()),
                "{path}: {key}"
            );
        }
        let mut found = Vec::new();
        refs(&schema, &mut found);
        assert!(
            found.iter().all(|r| r.starts_with("#/$defs/")),
            "{path}: {found:?}"
        );
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn what_the_code_produces_validates() {
    let plan = BulkPlan::new(["a", "b", "c"]).unwrap_or_else(|e| panic!("{e}"));
    let mut job = BulkJob::<Trash>::new(
        plan,
        BulkOptions {
            batch_size: 1,
            ..BulkOptions::default()
        },
    );
    let first = job.next_batch().unwrap_or_else(|| panic!("a batch"));
    job.record(first, BatchResult::Succeeded);
    let second = job.next_batch().unwrap_or_else(|| panic!("a batch"));
    let failure = BatchFailure {
        status: Some(404),
        message: Some("not found".into()),
        ..BatchFailure::default()
    };
    job.record(second, BatchResult::Failed(failure));
    job.stop();
    let report = serde_json::to_value(job.into_report()).unwrap_or_default();
    assert!(
        validator("bulk-report.schema.json").is_valid(&report),
        "{report}"
    );
    let dropped = json!({"operation": "purge", "succeeded": [], "failed": [{"id": "a", "status": null, "message": null,
        "trackingId": null, "requestTrackingId": "RECYCLE_1", "outcomeUnknown": true}], "notAttempted": []});
    assert!(validator("bulk-report.schema.json").is_valid(&dropped));
    assert!(!validator("bulk-report.schema.json").is_valid(&json!({"operation": "delete"})));

    let error = ErrorResponse {
        message: Some("Recording(s) not found: x".into()),
        errors: vec![ErrorDetail {
            description: Some("x: not found".into()),
            error_code: Some(7),
        }],
        tracking_id: Some("ROUTER_1".into()),
        error_code: Some(1_005),
    };
    let error = serde_json::to_value(error).unwrap_or_default();
    assert!(validator("error-body.schema.json").is_valid(&error));
    assert!(
        validator("error-body.schema.json").is_valid(&json!({})),
        "every field may be missing"
    );

    let list = RecordingList {
        items: vec![Recording {
            id: Some("r1".into()),
            ..Recording::default()
        }],
        unreadable: Vec::new(),
    };
    let mut list = serde_json::to_value(list).unwrap_or_default();
    list["items"][0]["someNewField"] = json!(true);
    assert!(
        validator("recording-list.schema.json").is_valid(&list),
        "unknown fields are tolerated"
    );
}

#[test]
fn openapi_is_a_valid_3_1_document() {
    let (_, contents) = generated()
        .into_iter()
        .find(|(p, _)| p == "schemas/openapi.json")
        .unwrap_or_else(|| panic!("openapi.json is generated"));
    let spec = oas3::from_json(&contents).unwrap_or_else(|e| panic!("parses as OpenAPI 3.1: {e}"));
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let doc: Value = serde_json::from_str(&contents).unwrap_or_default();
    for path in [
        "/convergedRecordings/softDelete",
        "/convergedRecordings/restore",
        "/convergedRecordings/purge",
    ] {
        let responses = &doc["paths"][path]["post"]["responses"];
        let codes: Vec<&str> = responses
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(codes.len(), 19, "{path}: every documented status");
        assert!(
            responses["429"]["headers"]["Retry-After"].is_object(),
            "{path}"
        );
        assert!(
            responses["400"]["headers"]["trackingid"].is_object(),
            "{path}"
        );
    }
    assert!(
        doc["paths"]["/admin/convergedRecordings"]["get"]["parameters"]
            .to_string()
            .contains("ownerEmail")
    );
    assert!(
        doc["paths"]["/convergedRecordings"]["get"]["responses"]["200"]["headers"]["Link"]
            .is_object()
    );
    let schemes =
        &doc["components"]["securitySchemes"]["webex"]["flows"]["authorizationCode"]["scopes"];
    assert!(
        schemes["spark:recordings_write"].is_string()
            && schemes["spark-admin:recordings_write"].is_string()
    );
    // Components refer to each other by `#/components/schemas/X`: compile each within the
    // document, as OpenAPI tools resolve it.
    let components = &doc["components"];
    for name in components["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        let rooted = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": components,
        });
        jsonschema::validator_for(&rooted).unwrap_or_else(|e| panic!("component {name}: {e}"));
    }
    assert!(
        !doc.to_string().contains("#/$defs/"),
        "no reference resolves against a schema's own $defs"
    );
    let trash = &components["schemas"]["TrashRequest"]["properties"]["trashAll"];
    assert!(trash.get("default").is_none(), "flags carry no default");
    for path in [
        "/convergedRecordings/softDelete",
        "/convergedRecordings/restore",
        "/convergedRecordings/purge",
    ] {
        let body =
            &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            body["$ref"]
                .as_str()
                .is_some_and(|r| r.starts_with("#/components/schemas/")),
            "{path}"
        );
    }
}

#[test]
fn a_selection_report_and_its_journal_header_validate() {
    use recycle_core::{
        JournalHeader, JournalLine, ListQuery, OperationKind, Selection, SelectionReport,
        SelectionSummary, ServiceType, Timestamp, WindowSelected,
    };
    let query = ListQuery::new()
        .owner(recycle_core::Email::new("alice@example.com").unwrap_or_else(|e| panic!("{e}")))
        .service_type(ServiceType::Calling)
        .to(Timestamp::parse("2026-01-01").unwrap_or_else(|e| panic!("{e}")));
    let selection = Selection::new(
        OperationKind::Purge,
        &query,
        "--created-before 2026-01-01",
        std::time::UNIX_EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (from, to) = selection
        .windows()
        .next()
        .unwrap_or_else(|| panic!("a window"));
    let doc = SelectionReport {
        report: BulkJob::<Trash>::new(
            BulkPlan::new(["a"]).unwrap_or_else(|e| panic!("{e}")),
            BulkOptions::default(),
        )
        .into_report(),
        selection: SelectionSummary {
            windows_total: selection.windows().total(),
            selection: selection.clone(),
            windows: vec![WindowSelected {
                from,
                to,
                selected: 1,
                first_ids: vec![],
            }],
            complete: false,
            relists: 0,
            skipped: 0,
            list_error: Some("503".into()),
        },
    };
    let value = serde_json::to_value(&doc).unwrap_or_default();
    assert!(
        validator("selection-report.schema.json").is_valid(&value),
        "{value}"
    );
    assert!(
        validator("bulk-report.schema.json").is_valid(&value),
        "a selection report is a bulk report too"
    );
    let header = JournalLine::Header(JournalHeader::for_selection(
        OperationKind::Purge,
        "http://127.0.0.1:1/v1",
        selection,
    ));
    let header = serde_json::to_value(&header).unwrap_or_default();
    assert!(
        validator("journal-line.schema.json").is_valid(&header),
        "{header}"
    );
    let read: JournalLine = serde_json::from_value(header).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(read, JournalLine::Header(h) if h.selection.is_some()));
}
