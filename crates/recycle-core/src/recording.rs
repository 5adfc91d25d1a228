//! [`Recording`] and [`RecordingList`]: what the list endpoints return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A converged recording as listed. Every field is optional and unknown fields are kept in
/// [`Recording::extra`], so a change on Webex's side breaks nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Recording {
    /// The recording's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// When the recording was created (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When recording started (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_recorded: Option<String>,
    /// The file format, such as `MP4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The service that made it, such as `MeetingCenter` or `Call`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// Length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// `available` or `deleted` (in the recycle bin); other values are kept as they come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The owner's person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The owner's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// `user`, `place` or `virtualLine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_type: Option<String>,
    /// Where it is stored, such as `US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_region: Option<String>,
    /// Fields this version does not know, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of a list answer: `{"items": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordingList {
    /// The recordings on this page.
    #[serde(default)]
    pub items: Vec<Recording>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_missing_and_unknown_fields_and_keeps_the_unknown() {
        let page: RecordingList = serde_json::from_str(
            r#"{"items":[{"id":"r1","status":"deleted","durationSeconds":60,"newField":{"a":1}},{}],"extra":true}"#,
        )
        .expect("tolerant");
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].status.as_deref(), Some("deleted"));
        assert_eq!(
            page.items[0].extra.get("newField"),
            Some(&serde_json::json!({"a": 1}))
        );
        let back = serde_json::to_value(&page.items[0]).expect("serialize");
        assert_eq!(back["newField"]["a"], 1);
        assert_eq!(back["durationSeconds"], 60);
    }
}
