//! `cargo xtask reliability` (rewrites docs/reliability.md from the fault matrix) and
//! `cargo xtask soak` (the long soak); both run tests of recycle-conformance.

use std::path::Path;
use std::process::Command;

fn cargo_test(root: &Path, test: &str, env: (&str, &str)) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "test",
            "--release",
            "-p",
            "recycle-conformance",
            "--test",
            test,
            "--",
            "--nocapture",
        ])
        .env(env.0, env.1)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the {test} test failed"))
    }
}

pub(crate) fn reliability(root: &Path) -> Result<(), String> {
    cargo_test(root, "reliability", ("RECYCLE_WRITE_RELIABILITY", "1"))?;
    eprintln!("wrote docs/reliability.md");
    Ok(())
}

pub(crate) fn soak(root: &Path) -> Result<(), String> {
    cargo_test(root, "soak", ("RECYCLE_SOAK", "full"))
}
