//! Deterministic generation of realistic recordings from a seed.

use recycle_core::Timestamp;

use crate::store::{RecordingState, SimRecording};
use crate::{Identity, SimConfig};

const TOPICS: &[&str] = &[
    "Weekly team sync",
    "Quarterly business review",
    "Customer onboarding",
    "Sprint planning",
    "All hands",
    "Design critique",
    "Support escalation call",
    "Interview loop",
];

/// 2026-01-01T00:00:00Z: generated recordings fall in the 60 days after it.
const EPOCH_2026: i64 = 1_767_225_600;

/// Generates the recordings of every identity. One in five starts in the recycle bin.
pub(crate) fn generate(config: &SimConfig) -> Vec<SimRecording> {
    let mut rng = fastrand::Rng::with_seed(config.seed);
    let mut out = Vec::new();
    for identity in &config.identities {
        let count = config
            .recordings_by_name
            .get(&identity.name)
            .copied()
            .unwrap_or(config.recordings_per_identity);
        for _ in 0..count {
            out.push(recording(&mut rng, identity));
        }
    }
    out.sort_by(|a, b| (a.create_unix, &a.id).cmp(&(b.create_unix, &b.id)));
    out
}

fn recording(rng: &mut fastrand::Rng, owner: &Identity) -> SimRecording {
    let create = EPOCH_2026 + rng.i64(0..60 * 86_400);
    let duration = rng.u64(60..=7_200);
    let (format, service) = if rng.u8(0..4) == 0 {
        ("MP3", "Call")
    } else {
        ("MP4", "MeetingCenter")
    };
    SimRecording {
        id: format!("{:032x}", rng.u128(..)),
        topic: format!(
            "{} #{}",
            TOPICS[rng.usize(0..TOPICS.len())],
            rng.u16(1..1000)
        ),
        create_unix: create,
        create_time: Timestamp::from_unix_seconds(create).to_string(),
        time_recorded: Timestamp::from_unix_seconds(create - i64::from(rng.u16(60..3600)))
            .to_string(),
        format,
        service_type: service,
        duration_seconds: duration,
        size_bytes: duration * rng.u64(40_000..120_000),
        owner_email: owner.email.clone(),
        owner_id: owner.person_id.clone(),
        storage_region: "US",
        state: if rng.u8(0..5) == 0 {
            RecordingState::Deleted
        } else {
            RecordingState::Available
        },
    }
}
