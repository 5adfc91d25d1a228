//! `cargo xtask snapshots`: accept new insta snapshots without cargo-insta, then list what
//! changed so it can be reviewed before committing.

use std::path::Path;
use std::process::Command;

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--workspace", "--quiet"])
        .env("INSTA_UPDATE", "always")
        .env("INSTA_FORCE_PASS", "1")
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if !status.success() {
        return Err("cargo test failed for a reason other than snapshots; fix that first".into());
    }
    let output = Command::new("git")
        .current_dir(root)
        .args([
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            "*.snap",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let changed = String::from_utf8_lossy(&output.stdout);
    if changed.trim().is_empty() {
        eprintln!("no snapshot changed");
    } else {
        eprintln!("snapshots changed; review them (git diff) before committing:\n{changed}");
    }
    Ok(())
}
