//! The closed sets of values the list endpoints filter on, and the `timezone` header.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value of a closed set that the query string spells in one way only.
macro_rules! query_values {
    ($(#[$meta:meta])* $name:ident, $param:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order the API documents them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            /// The query parameter that carries it.
            pub const PARAMETER: &'static str = $param;

            /// The value as the query string spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| UnknownValue {
                    parameter: $param,
                    value: s.to_owned(),
                    allowed: Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

/// A value outside a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{parameter} must be one of {allowed}, not {}", crate::excerpt::excerpt(.value))]
pub struct UnknownValue {
    /// The query parameter.
    pub parameter: &'static str,
    /// The value given.
    pub value: String,
    /// The values allowed, comma-separated.
    pub allowed: String,
}

query_values!(
    /// Which recordings to list (`status`).
    RecordingStatus, "status" {
        /// Not in the recycle bin (the API's default).
        Available = "available",
        /// In the recycle bin.
        Deleted = "deleted",
        /// Purged from the recycle bin; only compliance officers see them, on the
        /// administrators' list.
        Purged = "purged",
    }
);

query_values!(
    /// The service that made a recording (`serviceType`).
    ServiceType, "serviceType" {
        /// Webex Calling.
        Calling = "calling",
        /// A Customer Assist queue.
        CustomerAssist = "customerAssist",
    }
);

query_values!(
    /// A recording's file format (`format`).
    RecordingFormat, "format" {
        /// MP3 audio.
        Mp3 = "MP3",
    }
);

query_values!(
    /// What kind of owner a recording has (`ownerType`).
    OwnerType, "ownerType" {
        /// A user.
        User = "user",
        /// A workspace device.
        Place = "place",
        /// A virtual line.
        VirtualLine = "virtualLine",
        /// A call queue.
        CallQueue = "callQueue",
    }
);

query_values!(
    /// The Webex data centre region a recording is stored in (`storageRegion`).
    StorageRegion, "storageRegion" {
        /// United States.
        Us = "US",
        /// Singapore.
        Sg = "SG",
        /// United Kingdom.
        Gb = "GB",
        /// Japan.
        Jp = "JP",
        /// Germany.
        De = "DE",
        /// Australia.
        Au = "AU",
        /// India.
        In = "IN",
        /// Canada.
        Ca = "CA",
    }
);

/// The header that names the time zone of a list's times.
pub const TIMEZONE_HEADER: &str = "timezone";

/// Longest time-zone name accepted.
pub const MAX_TIMEZONE_BYTES: usize = 64;

/// The pattern of a time-zone name, as the JSON Schema and OpenAPI file state it.
pub const TIMEZONE_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_+/-]{0,63}$";

/// A time-zone name for the `timezone` header, in the shape of the IANA time zone database
/// (`UTC`, `Europe/Berlin`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`). Whether the name
/// exists is the server's to say; the shape is checked here so that nothing unsendable is
/// built.
///
/// ```
/// use recycle_core::Timezone;
///
/// assert_eq!(Timezone::new("America/New_York")?.as_str(), "America/New_York");
/// assert!(Timezone::new("New York").is_err());
/// # Ok::<(), recycle_core::InvalidTimezone>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timezone(String);

/// A `timezone` that is not shaped like an IANA name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "timezone {} is not an IANA time-zone name such as UTC or Europe/Berlin",
    crate::excerpt::excerpt(.0)
)]
pub struct InvalidTimezone(pub String);

impl Timezone {
    /// Checks the shape of `name`: a letter, then up to 63 letters, digits, `_`, `+`, `-`
    /// or `/`.
    pub fn new(name: &str) -> Result<Self, InvalidTimezone> {
        let bytes = name.as_bytes();
        let shaped = !bytes.is_empty()
            && bytes.len() <= MAX_TIMEZONE_BYTES
            && bytes[0].is_ascii_alphabetic()
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-' | b'/'));
        if shaped {
            Ok(Self(name.to_owned()))
        } else {
            Err(InvalidTimezone(name.to_owned()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timezone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_unknown_ones_name_the_choices() {
        for v in StorageRegion::ALL {
            assert_eq!(v.as_str().parse::<StorageRegion>(), Ok(*v));
        }
        assert_eq!("customerAssist".parse(), Ok(ServiceType::CustomerAssist));
        let err = "mp3".parse::<RecordingFormat>().expect_err("case matters");
        assert_eq!(err.to_string(), r#"format must be one of MP3, not "mp3""#);
    }

    #[test]
    fn timezone_shapes() {
        for ok in [
            "UTC",
            "Etc/GMT+5",
            "America/Argentina/Buenos_Aires",
            "GMT-3",
        ] {
            assert!(Timezone::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/UTC",
            "New York",
            "Europe/Berlin\n",
            "Zürich",
            &"A".repeat(65),
        ] {
            assert!(Timezone::new(bad).is_err(), "{bad:?}");
        }
    }
}
