//! [`Request`]: a valid body for trash, restore or purge, and its canonical JSON.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    CallerRole, Email, Operation, OperationKind, Purge, RecordingIds, Restore, Trash,
    ValidationError,
};

/// What a request acts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// The listed recordings (flag false, `recordingIds` set).
    Ids(RecordingIds),
    /// All of the caller's own recordings (flag true, no owner): a user's form.
    AllMine,
    /// All recordings of the owner (flag true, `ownerEmail` set): an administrator's form.
    AllOf(Email),
}

/// A valid request body for operation `O`; see [`TrashRequest`], [`RestoreRequest`] and
/// [`PurgeRequest`].
///
/// Only valid values can be built, by [`Request::by_ids`], [`Request::all_mine`] or
/// [`Request::all_of`], and deserializing runs the same checks. Serializing gives the
/// canonical wire form: camelCase, a `false` flag and empty fields omitted.
///
/// ```
/// use recycle_core::{Email, TrashRequest};
///
/// let by_id = TrashRequest::by_ids(["rec-1", "rec-2"])?;
/// assert_eq!(by_id.to_json(), br#"{"recordingIds":["rec-1","rec-2"]}"#);
///
/// let admin = TrashRequest::all_of(Email::new("alice@example.com")?);
/// assert_eq!(admin.to_json(), br#"{"trashAll":true,"ownerEmail":"alice@example.com"}"#);
///
/// let parsed: TrashRequest = serde_json::from_str(r#"{"trashAll":true,"recordingIds":[]}"#)?;
/// assert_eq!(parsed, TrashRequest::all_mine());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Request<O: Operation> {
    target: Target,
    op: PhantomData<fn() -> O>,
}

/// Move recordings into the recycle bin.
pub type TrashRequest = Request<Trash>;
/// Restore recordings from the recycle bin.
pub type RestoreRequest = Request<Restore>;
/// Purge recordings from the recycle bin.
pub type PurgeRequest = Request<Purge>;

impl<O: Operation> Request<O> {
    /// Acts on the listed recordings: 1 to 100 unique, well-formed IDs.
    pub fn by_ids<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        RecordingIds::new(ids).map(Self::from_ids)
    }

    /// Acts on an already checked ID list.
    pub fn from_ids(ids: RecordingIds) -> Self {
        Self::new(Target::Ids(ids))
    }

    /// Acts on all of the caller's own recordings (a user's request).
    pub fn all_mine() -> Self {
        Self::new(Target::AllMine)
    }

    /// Acts on all recordings of `owner` (an administrator's request).
    pub fn all_of(owner: Email) -> Self {
        Self::new(Target::AllOf(owner))
    }

    fn new(target: Target) -> Self {
        Self {
            target,
            op: PhantomData,
        }
    }

    /// The operation.
    pub fn operation(&self) -> OperationKind {
        O::KIND
    }

    /// What the request acts on.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Checks the rule that depends on the caller: a user may not name an owner, and an
    /// administrator acting on all recordings must.
    ///
    /// ```
    /// use recycle_core::{CallerRole, RestoreRequest};
    ///
    /// assert!(RestoreRequest::all_mine().check_role(CallerRole::User).is_ok());
    /// assert!(RestoreRequest::all_mine().check_role(CallerRole::Admin).is_err());
    /// ```
    pub fn check_role(&self, role: CallerRole) -> Result<(), ValidationError> {
        match (&self.target, role) {
            (Target::AllOf(_), CallerRole::User) | (Target::AllMine, CallerRole::Admin) => {
                Err(ValidationError::RoleMismatch { role })
            }
            _ => Ok(()),
        }
    }

    /// The canonical JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        if let Target::Ids(ids) = &self.target {
            // The common body, written straight from the checked IDs.
            const OPEN: &[u8] = br#"{"recordingIds":"#;
            let mut body = Vec::with_capacity(OPEN.len() + ids.json_len() + 1);
            body.extend_from_slice(OPEN);
            ids.write_json(&mut body);
            body.push(b'}');
            return body;
        }
        // Serializing strings and a bool into memory cannot fail.
        serde_json::to_vec(self).expect("a request body is a JSON object of strings and booleans")
    }
}

impl<O: Operation> Clone for Request<O> {
    fn clone(&self) -> Self {
        Self::new(self.target.clone())
    }
}

impl<O: Operation> PartialEq for Request<O> {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target
    }
}

impl<O: Operation> Eq for Request<O> {}

impl<O: Operation> fmt::Debug for Request<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &O::KIND)
            .field("target", &self.target)
            .finish()
    }
}

impl<O: Operation> Serialize for Request<O> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.target {
            Target::Ids(ids) => map.serialize_entry("recordingIds", ids)?,
            Target::AllMine => map.serialize_entry(O::KIND.flag(), &true)?,
            Target::AllOf(owner) => {
                map.serialize_entry(O::KIND.flag(), &true)?;
                map.serialize_entry("ownerEmail", owner.as_str())?;
            }
        }
        map.end()
    }
}

/// The body's fields as found, before the rules are applied.
#[derive(Debug, Default)]
struct RawBody {
    all: Option<bool>,
    owner_email: Option<String>,
    recording_ids: Option<Vec<String>>,
}

impl RawBody {
    /// Applies the seeds' rules; "empty" is absent, `""` or `[]`.
    fn into_target(self, op: OperationKind) -> Result<Target, ValidationError> {
        let owner = self.owner_email.filter(|s| !s.is_empty());
        let ids = self.recording_ids.filter(|v| !v.is_empty());
        if self.all == Some(true) {
            if ids.is_some() {
                return Err(ValidationError::IdsWithAll { flag: op.flag() });
            }
            return match owner {
                None => Ok(Target::AllMine),
                Some(value) => Email::new(value.clone())
                    .map(Target::AllOf)
                    .map_err(|reason| ValidationError::InvalidEmail { value, reason }),
            };
        }
        if owner.is_some() {
            return Err(ValidationError::OwnerWithoutAll { flag: op.flag() });
        }
        RecordingIds::new(ids.unwrap_or_default()).map(Target::Ids)
    }
}

impl<O: Operation> Request<O> {
    /// Parses a JSON body with the same checks as the constructors, returning the broken
    /// rule by name. `null` values, unknown and repeated fields are refused.
    pub fn from_json(body: &[u8]) -> Result<Self, ValidationError> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let raw = RawVisitor(O::KIND)
            .deserialize(&mut de)
            .and_then(|raw| de.end().map(|()| raw))
            .map_err(|e| ValidationError::Malformed {
                message: e.to_string(),
            })?;
        raw.into_target(O::KIND).map(Self::new)
    }
}

impl<'de, O: Operation> Deserialize<'de> for Request<O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawVisitor(O::KIND).deserialize(deserializer)?;
        raw.into_target(O::KIND)
            .map(Self::new)
            .map_err(de::Error::custom)
    }
}

struct RawVisitor(OperationKind);

impl RawVisitor {
    fn deserialize<'de, D: Deserializer<'de>>(self, d: D) -> Result<RawBody, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} request object", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBody, A::Error> {
        let flag = self.0.flag();
        let mut raw = RawBody::default();
        while let Some(key) = map.next_key::<String>()? {
            let repeated = if key == flag {
                raw.all.replace(map.next_value()?).is_some()
            } else if key == "ownerEmail" {
                raw.owner_email.replace(map.next_value()?).is_some()
            } else if key == "recordingIds" {
                raw.recording_ids.replace(map.next_value()?).is_some()
            } else {
                return Err(de::Error::unknown_field(&key, self.0.fields()));
            };
            if repeated {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
        }
        Ok(raw)
    }
}
