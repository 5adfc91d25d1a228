//! `cargo xtask codegen`: the generated files under `schemas/`.

use std::fs;
use std::path::Path;

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// Every generated file: path below the workspace root, and its contents.
pub(crate) fn generated() -> Vec<(&'static str, String)> {
    vec![("schemas/status-codes.json", status_codes())]
}

fn status_codes() -> String {
    let mut json = serde_json::to_string_pretty(recycle_core::STATUS_TABLE)
        .unwrap_or_else(|e| panic!("the status table always serializes: {e}"));
    json.push('\n');
    json
}

pub(crate) fn run(root: &Path, mode: Mode) -> Result<(), String> {
    let mut stale = Vec::new();
    for (path, contents) in generated() {
        let full = root.join(path);
        let current = fs::read_to_string(&full).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        match mode {
            Mode::Check => stale.push(path),
            Mode::Write => {
                if let Some(dir) = full.parent() {
                    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                fs::write(&full, contents).map_err(|e| format!("{path}: {e}"))?;
                eprintln!("wrote {path}");
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "stale generated files: {}\nrun `cargo xtask codegen` and commit the result",
            stale.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when a committed generated file differs from what codegen writes, so a plain
    /// `cargo test` catches staleness.
    #[test]
    fn generated_files_are_fresh() {
        let root = crate::workspace_root();
        if let Err(message) = run(&root, Mode::Check) {
            panic!("{message}");
        }
    }

    #[test]
    fn status_codes_list_every_documented_code() {
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&status_codes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 19);
        let r429 = rows
            .iter()
            .find(|r| r["code"] == 429)
            .unwrap_or_else(|| panic!("429 row"));
        assert_eq!(r429["class"], "rate-limited");
        assert_eq!(r429["retryable"], true);
        assert_eq!(r429["retryAfter"], "should");
        assert_eq!(r429["name"], "Too Many Requests");
    }
}
