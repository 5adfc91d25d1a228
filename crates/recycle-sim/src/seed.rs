//! Deterministic generation of recordings shaped like Webex's published examples.

use std::time::{SystemTime, UNIX_EPOCH};

use recycle_core::{OwnerType, ServiceType, StorageRegion, Timestamp};

use crate::identity::uuid_for;
use crate::store::{RecordingState, SimRecording};
use crate::{Identity, SimConfig};

const TOPICS: &[&str] = &[
    "Call with Customer Support",
    "Weekly team sync",
    "Escalation review",
    "Call with Sales",
    "Onboarding call",
    "Callback request",
    "Billing question",
    "Interview",
];

/// Recordings are created in this many days before the simulator's "now".
pub(crate) const HISTORY_DAYS: i64 = 365;

/// The Webex Calling locations recordings belong to.
pub(crate) fn location_ids() -> [String; 3] {
    ["location-hq", "location-branch", "location-remote"].map(uuid_for)
}

/// A lowercase dashed UUID from 128 bits.
pub(crate) fn uuid(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The simulator's "now" in seconds since the epoch: the configured one, else the clock.
pub(crate) fn now_unix(config_now: Option<&Timestamp>) -> i64 {
    config_now.map_or_else(
        || {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        },
        Timestamp::unix_seconds,
    )
}

/// Generates the recordings of every identity, oldest first. One in five starts in the
/// recycle bin; half the IDs are 32 hex digits and half dashed UUIDs, as in Webex's
/// examples.
pub(crate) fn generate(config: &SimConfig) -> Vec<SimRecording> {
    let mut rng = fastrand::Rng::with_seed(config.seed);
    let now = now_unix(config.now.as_ref());
    let locations = location_ids();
    let mut out = Vec::new();
    for identity in &config.identities {
        let count = config
            .recordings_by_name
            .get(&identity.name)
            .copied()
            .unwrap_or(config.recordings_per_identity);
        for _ in 0..count {
            out.push(recording(&mut rng, identity, now, &locations));
        }
    }
    out.sort_by(|a, b| (a.create_unix, &a.id).cmp(&(b.create_unix, &b.id)));
    out
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, weighted: &[(T, u8)]) -> T {
    let total: u32 = weighted.iter().map(|(_, w)| u32::from(*w)).sum();
    let mut n = rng.u32(0..total);
    for (v, w) in weighted {
        if n < u32::from(*w) {
            return *v;
        }
        n -= u32::from(*w);
    }
    weighted[0].0
}

fn recording(
    rng: &mut fastrand::Rng,
    owner: &Identity,
    now: i64,
    locations: &[String; 3],
) -> SimRecording {
    let create = now - rng.i64(1..HISTORY_DAYS * 86_400);
    let duration = rng.u64(10..=3_600);
    let id = if rng.bool() {
        format!("{:032x}", rng.u128(..))
    } else {
        uuid(rng.u128(..))
    };
    let region = pick(
        rng,
        &[
            (StorageRegion::Us, 9),
            (StorageRegion::Sg, 1),
            (StorageRegion::Gb, 1),
            (StorageRegion::Jp, 1),
            (StorageRegion::De, 1),
            (StorageRegion::Au, 1),
            (StorageRegion::In, 1),
            (StorageRegion::Ca, 1),
        ],
    );
    SimRecording {
        id,
        topic: format!(
            "{} {}",
            TOPICS[rng.usize(0..TOPICS.len())],
            rng.u16(1..1000)
        ),
        create_unix: create,
        create_time: Timestamp::from_unix_seconds(create).to_string(),
        time_recorded: Timestamp::from_unix_seconds(create - i64::from(rng.u16(5..600)))
            .to_string(),
        service_type: pick(
            rng,
            &[(ServiceType::Calling, 4), (ServiceType::CustomerAssist, 1)],
        ),
        duration_seconds: duration,
        size_bytes: duration * rng.u64(3_000..5_000),
        owner_email: owner.email.clone(),
        owner_id: owner.person_id.clone(),
        owner_type: pick(
            rng,
            &[
                (OwnerType::User, 7),
                (OwnerType::Place, 1),
                (OwnerType::VirtualLine, 1),
                (OwnerType::CallQueue, 1),
            ],
        ),
        storage_region: region,
        location_id: locations[rng.usize(0..locations.len())].clone(),
        call_session_id: uuid(rng.u128(..)),
        state: if rng.u8(0..5) == 0 {
            RecordingState::Deleted
        } else {
            RecordingState::Available
        },
        history: Vec::new(),
    }
}
