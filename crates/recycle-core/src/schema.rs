//! JSON Schemas of the wire types, for consumers in other languages.
//!
//! Hand-written where derive cannot say the rule: the ID and email syntax (patterns that
//! match the Rust checks exactly) and the conditional body rules of the requests.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::id::MAX_ID_BYTES;
use crate::validation::MAX_IDS_PER_REQUEST;
use crate::{Email, MAX_EMAIL_BYTES, Operation, OperationKind, RecordingId, Request};

/// The pattern of a recording ID: visible ASCII, at least one character.
pub const RECORDING_ID_PATTERN: &str = "^[!-~]+$";

/// The pattern of an email address: the same rule as [`Email::new`].
pub const EMAIL_PATTERN: &str = "^[!-?A-~]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

impl JsonSchema for RecordingId {
    fn schema_name() -> Cow<'static, str> {
        "RecordingId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A recording ID: 1 to 1024 visible ASCII characters, no whitespace or control characters.",
            "minLength": 1,
            "maxLength": MAX_ID_BYTES,
            "pattern": RECORDING_ID_PATTERN,
        })
    }
}

impl JsonSchema for Email {
    fn schema_name() -> Cow<'static, str> {
        "Email".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An email address: ASCII, one '@', a domain of at least two labels (punycode for international names).",
            "maxLength": MAX_EMAIL_BYTES,
            "pattern": EMAIL_PATTERN,
        })
    }
}

/// What each operation does, in the words of its documentation.
fn wording(kind: OperationKind) -> (&'static str, &'static str) {
    match kind {
        OperationKind::Trash => ("moves", "into the recycle bin"),
        OperationKind::Restore => ("restores", "from the recycle bin"),
        OperationKind::Purge => ("purges", "from the recycle bin for good"),
    }
}

impl<O: Operation> JsonSchema for Request<O> {
    fn schema_name() -> Cow<'static, str> {
        match O::KIND {
            OperationKind::Trash => "TrashRequest".into(),
            OperationKind::Restore => "RestoreRequest".into(),
            OperationKind::Purge => "PurgeRequest".into(),
        }
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let flag = O::KIND.flag();
        let (verb, place) = wording(O::KIND);
        let id = generator.subschema_for::<RecordingId>();
        let email = generator.subschema_for::<Email>();
        let mut properties = Map::new();
        properties.insert(
            flag.into(),
            json!({
                "type": "boolean",
                "description": format!(
                    "If true, {verb} all recordings {place}: the caller's own for a user, all of ownerEmail's for an administrator. \
                     If false or absent, {verb} the recordings listed in recordingIds."
                ),
            }),
        );
        properties.insert(
            "ownerEmail".into(),
            json!({
                "anyOf": [{ "const": "" }, email],
                "description": format!(
                    "The owner whose recordings {flag} means. Only with {flag} true, and only for an administrator \
                     (scope spark-admin:recordings_write), who must give it; a user leaves it empty. Empty means absent or \"\"."
                ),
            }),
        );
        properties.insert(
            "recordingIds".into(),
            json!({
                "type": "array",
                "items": id,
                "uniqueItems": true,
                "maxItems": MAX_IDS_PER_REQUEST,
                "description": format!(
                    "The recordings to act on, 1 to {MAX_IDS_PER_REQUEST} distinct IDs, when {flag} is false or absent; empty (absent or []) when {flag} is true."
                ),
            }),
        );
        let mut when_all = Map::new();
        when_all.insert(flag.into(), json!({ "const": true }));
        let schema = json!({
            "type": "object",
            "description": format!(
                "The body of POST {}: it {verb} recordings {place}, by ID or all at once. \
                 Whether the caller is an administrator comes from the token, not the body: an administrator \
                 acting on all recordings names the owner, a user does not. A field is empty when absent, \"\" or []; \
                 null is never accepted, and the canonical form omits empty fields and a false flag.",
                O::KIND.path()
            ),
            "properties": properties,
            "additionalProperties": false,
            "if": { "properties": when_all, "required": [flag] },
            "then": { "properties": { "recordingIds": { "type": "array", "maxItems": 0 } } },
            "else": {
                "properties": {
                    "ownerEmail": { "type": "string", "const": "" },
                    "recordingIds": { "type": "array", "minItems": 1 },
                },
                "required": ["recordingIds"],
            },
        });
        Schema::try_from(schema).expect("a JSON object is a schema")
    }
}

/// A root schema for `T` (JSON Schema 2020-12, `$defs` inside), with `$id`, title and
/// description set.
pub fn root_schema<T: JsonSchema>(id: &str, title: &str, description: &str) -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("$id".into(), Value::String(id.to_owned()));
    schema.insert("title".into(), Value::String(title.to_owned()));
    schema.insert("description".into(), Value::String(description.to_owned()));
    schema.to_value()
}
