//! [`Recording`] and [`RecordingList`]: what the list and details endpoints return, read
//! leniently.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Number, Value};

/// A converged recording as listed, with the fields of Webex's published `RecordingObject`.
///
/// Reading never fails on an object: a known field of an unexpected type (a number sent as
/// a string is read as the number) stays in [`Recording::extra`] under its own name, so
/// nothing is lost and the recording serializes back as it came; [`Recording::misread_fields`]
/// names such fields. Unknown fields are kept in `extra` too. (A number sent as a string is
/// written back as a number.)
///
/// ```
/// use recycle_core::Recording;
///
/// let r: Recording = serde_json::from_str(
///     r#"{"id":"r1","durationSeconds":"61.5","sizeBytes":1024,"topic":7,"serviceData":{"locationId":"l1"}}"#,
/// )?;
/// assert_eq!(r.duration_seconds.as_ref().map(|n| n.to_string()).as_deref(), Some("61.5"));
/// assert_eq!(r.topic, None);
/// assert_eq!(r.misread_fields(), ["topic"]);
/// assert_eq!(serde_json::to_value(&r)?["topic"], 7);
/// assert_eq!(r.service_data.and_then(|d| d.location_id).as_deref(), Some("l1"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    description = "A converged recording, with the fields of Webex's published RecordingObject. Every field may be missing, and fields not listed here may appear and must be tolerated."
)]
pub struct Recording {
    /// A unique identifier for the recording (32 hex digits or a dashed UUID in Webex's
    /// examples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The recording's topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// When the recording file was created (ISO 8601); lists are sorted by it, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When recording started (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_recorded: Option<String>,
    /// The file format: `MP3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `calling` or `customerAssist`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// Length in seconds (a JSON number, kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<Number>,
    /// Size in bytes (a JSON number, kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<Number>,
    /// `available`, `deleted` (in the recycle bin) or `purged` (seen by compliance officers);
    /// other values are kept as they come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The owner's Webex ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The owner's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// `user`, `place`, `virtualLine` or `callQueue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_type: Option<String>,
    /// Where it is stored, such as `US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_region: Option<String>,
    /// Fields of the service that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_data: Option<ServiceData>,
    /// Fields this version does not know, and known fields of an unexpected type, as
    /// received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `serviceData` of a [`Recording`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceData {
    /// The Webex Calling location of the recording's user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The call the recording was made of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_session_id: Option<String>,
    /// Other fields, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fields [`Recording`] reads, by their wire names.
const RECORDING_FIELDS: &[&str] = &[
    "id",
    "topic",
    "createTime",
    "timeRecorded",
    "format",
    "serviceType",
    "durationSeconds",
    "sizeBytes",
    "status",
    "ownerId",
    "ownerEmail",
    "ownerType",
    "storageRegion",
    "serviceData",
];

fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    if !map.get(key).is_some_and(Value::is_string) {
        return None;
    }
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

fn take_number(map: &mut Map<String, Value>, key: &str) -> Option<Number> {
    let number = match map.get(key)? {
        Value::Number(n) => n.clone(),
        Value::String(s) => serde_json::from_str::<Number>(s.trim()).ok()?,
        _ => return None,
    };
    map.remove(key);
    Some(number)
}

impl Recording {
    /// Reads a JSON object leniently (see the type's docs).
    pub fn from_object(mut map: Map<String, Value>) -> Self {
        // A known field sent as null is a field not sent.
        map.retain(|k, v| !(v.is_null() && RECORDING_FIELDS.contains(&k.as_str())));
        let service_data = match map.get("serviceData") {
            Some(Value::Object(_)) => match map.remove("serviceData") {
                Some(Value::Object(data)) => Some(ServiceData::from_object(data)),
                _ => None,
            },
            _ => None,
        };
        Self {
            id: take_string(&mut map, "id"),
            topic: take_string(&mut map, "topic"),
            create_time: take_string(&mut map, "createTime"),
            time_recorded: take_string(&mut map, "timeRecorded"),
            format: take_string(&mut map, "format"),
            service_type: take_string(&mut map, "serviceType"),
            duration_seconds: take_number(&mut map, "durationSeconds"),
            size_bytes: take_number(&mut map, "sizeBytes"),
            status: take_string(&mut map, "status"),
            owner_id: take_string(&mut map, "ownerId"),
            owner_email: take_string(&mut map, "ownerEmail"),
            owner_type: take_string(&mut map, "ownerType"),
            storage_region: take_string(&mut map, "storageRegion"),
            service_data,
            extra: map,
        }
    }

    /// The known fields that came with a type this version cannot read (kept in
    /// [`Recording::extra`]), by wire name.
    pub fn misread_fields(&self) -> Vec<&'static str> {
        let mut misread: Vec<&'static str> = RECORDING_FIELDS
            .iter()
            .copied()
            .filter(|f| self.extra.contains_key(*f))
            .collect();
        if let Some(data) = &self.service_data {
            misread.extend(data.misread_fields());
        }
        misread
    }
}

impl ServiceData {
    /// Reads a JSON object leniently.
    pub fn from_object(mut map: Map<String, Value>) -> Self {
        map.retain(|k, v| !(v.is_null() && matches!(k.as_str(), "locationId" | "callSessionId")));
        Self {
            location_id: take_string(&mut map, "locationId"),
            call_session_id: take_string(&mut map, "callSessionId"),
            extra: map,
        }
    }

    fn misread_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("locationId", "serviceData.locationId"),
            ("callSessionId", "serviceData.callSessionId"),
        ]
        .into_iter()
        .filter(|(k, _)| self.extra.contains_key(*k))
        .map(|(_, name)| name)
    }
}

impl<'de> Deserialize<'de> for Recording {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(Self::from_object(map)),
            other => Err(serde::de::Error::custom(format!(
                "a recording is a JSON object, not {}",
                kind(&other)
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for ServiceData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(Self::from_object(map)),
            other => Err(serde::de::Error::custom(format!(
                "serviceData is a JSON object, not {}",
                kind(&other)
            ))),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One page of a list answer: `{"items": [...]}`.
///
/// Reading keeps every item that is a JSON object (leniently, see [`Recording`]); items
/// that are not objects are kept raw in [`RecordingList::unreadable`] instead of failing the
/// page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct RecordingList {
    /// The recordings on this page.
    #[serde(default)]
    pub items: Vec<Recording>,
    /// Items that are not JSON objects, as received.
    #[serde(skip)]
    pub unreadable: Vec<Value>,
}

impl RecordingList {
    /// Items not read in full: those in [`RecordingList::unreadable`] and those with
    /// [`Recording::misread_fields`].
    pub fn malformed(&self) -> usize {
        self.unreadable.len()
            + self
                .items
                .iter()
                .filter(|r| !r.misread_fields().is_empty())
                .count()
    }
}

impl<'de> Deserialize<'de> for RecordingList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            items: Option<Vec<Value>>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let mut list = Self::default();
        for item in raw.items.unwrap_or_default() {
            match item {
                Value::Object(map) => list.items.push(Recording::from_object(map)),
                other => list.unreadable.push(other),
            }
        }
        Ok(list)
    }
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
        assert_eq!(page.malformed(), 0);
    }

    #[test]
    fn odd_items_never_discard_the_page() {
        let page: RecordingList = serde_json::from_str(
            r#"{"items":[
                {"id":"a","durationSeconds":12.5,"sizeBytes":"2048"},
                {"id":"b","sizeBytes":"lots","ownerEmail":null,"serviceData":"x"},
                "not an item", 5, null,
                {"id":"c","serviceData":{"locationId":9,"callSessionId":"s"}}
            ]}"#,
        )
        .expect("a page with odd items is still a page");
        let ids: Vec<_> = page.items.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, [Some("a"), Some("b"), Some("c")]);
        assert_eq!(
            page.items[0].duration_seconds.as_ref().map(Number::as_f64),
            Some(Some(12.5))
        );
        assert_eq!(
            page.items[0].size_bytes.as_ref().and_then(Number::as_u64),
            Some(2048)
        );
        assert_eq!(page.items[1].misread_fields(), ["sizeBytes", "serviceData"]);
        assert_eq!(page.items[2].misread_fields(), ["serviceData.locationId"]);
        assert_eq!(page.unreadable.len(), 3);
        assert_eq!(page.malformed(), 5);
        let back = serde_json::to_value(&page.items[1]).expect("serialize");
        assert_eq!(back["sizeBytes"], "lots", "kept as sent");
    }
}
