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

/// `cargo xtask kills`: the kill -9 and resume test with 25 kills per transport; writes its
/// section of docs/reliability.md.
pub(crate) fn kills(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let doc = root.join("docs/reliability.md");
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "test",
            "-p",
            "recycle-cli",
            "--test",
            "interrupts",
            "kill_9",
            "--",
            "--nocapture",
        ])
        .env("RECYCLE_KILLS", "25")
        .env("RECYCLE_KILLS_DOC", &doc)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if status.success() {
        eprintln!("wrote the kill-and-resume section of docs/reliability.md");
        Ok(())
    } else {
        Err("the kill-and-resume test failed".to_owned())
    }
}
