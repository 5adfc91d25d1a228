//! `recycle`: bulk jobs on the Webex Converged Recordings recycle bin, for administrators.
//!
//! Exit codes: 0 everything succeeded; 1 an ID failed or was not attempted, or the API
//! refused; 2 invalid input or usage, nothing sent.

mod cli;
mod client;
mod commands;
mod demo;
mod input;
mod job;
mod journal;
mod outcome;
mod output;
mod progress;
mod retention;
mod runner;
mod signals;
mod span;

use std::process::ExitCode;

use clap::Parser;
use recycle_core::{Purge, Restore, Trash};

use cli::{Cli, Command};
use outcome::Stop;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose > 0 {
        let level = if cli.verbose > 1 {
            tracing::Level::DEBUG
        } else {
            tracing::Level::INFO
        };
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(level)
            .init();
    }
    let result = run(&cli);
    if cli.verbose > 0 {
        if let Some(mib) = peak_memory_mib() {
            eprintln!("peak memory: {mib} MiB");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(stop) => stop.report(),
    }
}

fn run(cli: &Cli) -> Result<(), Stop> {
    match &cli.command {
        Command::Trash(targets) => commands::operation(cli, targets, Trash),
        Command::Restore(targets) => commands::operation(cli, targets, Restore),
        Command::Purge(args) => {
            if !args.yes && !args.targets.dry_run {
                return Err(Stop::usage(
                    "purge deletes recordings for good: add --yes to confirm (nothing was sent)",
                ));
            }
            commands::operation(cli, &args.targets, Purge)
        }
        Command::List(args) => commands::list(cli, args),
        Command::Demo => demo::run(cli),
        Command::Sim(args) => {
            let mut config = recycle_sim::SimConfig::new(args.seed)
                .port(args.port)
                .batch_semantics(args.batch_semantics)
                .list_lag_ms(args.list_lag_ms);
            config.now = args.now.clone();
            if let Some(rate) = args.rate_limit {
                config = config.rate_limit(recycle_sim::RateLimit::per_second(rate));
            }
            recycle_sim::serve_until_interrupted(config, &mut std::io::stdout())
                .map_err(|e| Stop::failed(e.to_string()))
        }
    }
}

/// The process's peak resident memory (Linux), for `-v`.
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
