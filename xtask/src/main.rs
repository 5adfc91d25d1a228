//! Project automation, run as `cargo xtask <task>` (see `.cargo/config.toml`).
//!
//! - `cargo xtask codegen`: regenerates the files in `schemas/` from the Rust types.
//! - `cargo xtask codegen --check`: writes nothing; fails naming every stale file.
//! - `cargo xtask snapshots`: re-runs the snapshot tests accepting new snapshots (no
//!   cargo-insta needed) and lists the changed files for review.
//! - `cargo xtask bench [--quick]`: benchmarks against the simulator; writes
//!   `target/bench/results.json` and `docs/benchmarks.md`.
//! - `cargo xtask reliability`: runs the fault matrix and rewrites `docs/reliability.md`.
//! - `cargo xtask soak`: the long soak (16 concurrent jobs of 5,000 IDs with random faults).
//! - `cargo xtask kills`: kills the `recycle` binary with SIGKILL 25 times per transport
//!   during a journaled job and resumes it; writes its section of `docs/reliability.md`.
//! - `cargo xtask contract`: runs the OpenAPI tools other languages use on
//!   `schemas/openapi.json` (installed under `target/contract/` the first time) and
//!   schemathesis against the simulator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod codegen;
mod contract;
mod openapi;
#[cfg(test)]
mod schema_tests;
mod snapshots;
mod suite;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&workspace_root(), codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&workspace_root(), codegen::Mode::Check),
        ["snapshots"] => snapshots::run(&workspace_root()),
        ["bench"] => bench::run(&workspace_root(), false),
        ["bench", "--quick"] => bench::run(&workspace_root(), true),
        ["reliability"] => suite::reliability(&workspace_root()),
        ["soak"] => suite::soak(&workspace_root()),
        ["contract"] => contract::run_all(&workspace_root()),
        ["kills"] => suite::kills(&workspace_root()),
        _ => Err(
            "usage: cargo xtask codegen [--check] | contract | snapshots | bench [--quick] | reliability | soak | kills"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
