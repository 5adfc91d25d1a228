//! [`Identity`]: a caller the simulator knows, with its token and scopes.

use serde::Serialize;

use recycle_core::protocol::{
    ADMIN_READ_SCOPE, ADMIN_WRITE_SCOPE, COMPLIANCE_READ_SCOPE, USER_READ_SCOPE, USER_WRITE_SCOPE,
};

/// A caller: who they are, the bearer token that authenticates them, and their scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// Short name, such as `alice`.
    pub name: String,
    /// Email address; recordings are owned by email.
    pub email: String,
    /// Bearer token.
    pub token: String,
    /// OAuth scopes.
    pub scopes: Vec<String>,
    /// Webex person ID (a UUID derived from the name): the `ownerId` of its recordings.
    pub person_id: String,
}

impl Identity {
    /// An identity in the simulator's `example.com` org.
    pub fn new(name: &str, token: String, scopes: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            email: format!("{name}@example.com"),
            token,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            person_id: uuid_for(name),
        }
    }

    /// Whether the identity holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// A UUID-shaped ID that depends only on `name` (FNV-1a, stable across runs and versions).
pub(crate) fn uuid_for(name: &str) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in name.bytes() {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    crate::seed::uuid(hash)
}

/// The standard identities for `seed`: `admin` (admin read and write), `alice` and `bob`
/// (user read and write), `readonly` (user read only) and `compliance` (a compliance
/// officer: `spark-compliance:recordings_read` only). Tokens depend on the seed.
pub fn default_identities(seed: u64) -> Vec<Identity> {
    let token = |name: &str| format!("sim-{name}-{seed:x}");
    vec![
        Identity::new(
            "admin",
            token("admin"),
            &[ADMIN_WRITE_SCOPE, ADMIN_READ_SCOPE],
        ),
        Identity::new(
            "alice",
            token("alice"),
            &[USER_WRITE_SCOPE, USER_READ_SCOPE],
        ),
        Identity::new("bob", token("bob"), &[USER_WRITE_SCOPE, USER_READ_SCOPE]),
        Identity::new("readonly", token("readonly"), &[USER_READ_SCOPE]),
        Identity::new("compliance", token("compliance"), &[COMPLIANCE_READ_SCOPE]),
    ]
}
