//! [`TrackingId`]: the `TrackingID` request header that ties a request to Webex's logs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::SharedRng;

/// The request header Webex reads the client's tracking ID from.
pub const TRACKING_ID_HEADER: &str = "TrackingID";
/// The response header Webex returns its own tracking ID in.
pub const SERVER_TRACKING_ID_HEADER: &str = "trackingid";
/// The prefix of every tracking ID this library makes.
pub(crate) const TRACKING_ID_PREFIX: &str = "RECYCLE_";

/// A client tracking ID: `RECYCLE_` and a random UUID (version 4). Quote it to Webex support
/// together with the server's `trackingId`.
///
/// ```
/// use recycle_core::TrackingId;
/// use recycle_core::adapter::SharedRng;
///
/// let id = TrackingId::generate(&SharedRng::seeded(1));
/// assert!(id.as_str().starts_with("RECYCLE_"));
/// assert_eq!(id.as_str().len(), "RECYCLE_".len() + 36);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TrackingId(String);

impl TrackingId {
    /// A fresh random ID.
    pub fn generate(rng: &SharedRng) -> Self {
        let bits = rng.u128();
        // Version 4, variant 10xx (RFC 9562).
        let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut id = String::with_capacity(TRACKING_ID_PREFIX.len() + 36);
        id.push_str(TRACKING_ID_PREFIX);
        for nibble in 0..32 {
            if matches!(nibble, 8 | 12 | 16 | 20) {
                id.push('-');
            }
            let digit = (bits >> (124 - 4 * nibble)) & 0xf;
            id.push(char::from(HEX[digit as usize]));
        }
        Self(id)
    }

    /// The ID as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid_v4_shaped_and_distinct() {
        let rng = SharedRng::seeded(9);
        let a = TrackingId::generate(&rng);
        let b = TrackingId::generate(&rng);
        assert_ne!(a, b);
        let uuid = &a.as_str()[TRACKING_ID_PREFIX.len()..];
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
        assert!(http::HeaderValue::from_str(a.as_str()).is_ok());
    }
}
