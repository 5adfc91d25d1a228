//! [`Identity`]: a caller the simulator knows, with its token and scopes.

use serde::Serialize;

use recycle_core::{ADMIN_READ_SCOPE, ADMIN_WRITE_SCOPE, USER_READ_SCOPE, USER_WRITE_SCOPE};

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
    /// Webex-style person ID.
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
            person_id: format!("PERSON_{}", name.to_ascii_uppercase()),
        }
    }

    /// Whether the identity holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// The standard identities for `seed`: `admin` (admin read and write), `alice` and `bob`
/// (user read and write), and `readonly` (user read only). Tokens depend on the seed.
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
    ]
}
