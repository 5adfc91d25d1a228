//! `recycle-sim`: serves the simulator in the foreground. Its first stdout line is one JSON
//! object with the base URL and the identities (tokens included).

use std::process::ExitCode;

use clap::Parser;
use recycle_core::Timestamp;
use recycle_sim::{RateLimit, RetryAfterStyle, SimConfig};

/// A Webex-compatible Converged Recordings recycle-bin server for tests and CI.
#[derive(Debug, Parser)]
#[command(name = "recycle-sim", version)]
struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed of the generated tokens and recordings.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Rate limit over all API requests, such as `50/s` or `50`.
    #[arg(long, value_parser = recycle_sim::parse_rate)]
    rate_limit: Option<f64>,
    /// Write Retry-After as an HTTP-date instead of seconds.
    #[arg(long)]
    retry_after_date: bool,
    /// Recordings generated for each identity.
    #[arg(long, default_value_t = 12)]
    recordings: usize,
    /// Fixes the simulator's "now" (RFC 3339), for reproducible data and list defaults;
    /// default: the real time.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<Timestamp>,
    /// What a batch with some unacceptable IDs does: atomic (nothing changes), partial (the
    /// others are applied, the refusal names the rest) or lenient (the others are applied,
    /// 204).
    #[arg(long, default_value = "atomic")]
    batch_semantics: recycle_sim::BatchSemantics,
    /// Lists see state changes this many milliseconds late (eventual consistency); the
    /// details endpoint and the operations see them at once. 0: at once.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    list_lag_ms: u64,
}

fn parse_now(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = SimConfig::new(args.seed).port(args.port);
    config.recordings_per_identity = args.recordings;
    config.now = args.now;
    config.batch_semantics = args.batch_semantics;
    config.list_lag_ms = args.list_lag_ms;
    if let Some(rate) = args.rate_limit {
        let mut limit = RateLimit::per_second(rate);
        if args.retry_after_date {
            limit.retry_after = RetryAfterStyle::HttpDate;
        }
        config = config.rate_limit(limit);
    }
    match recycle_sim::serve_until_interrupted(config, &mut std::io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("recycle-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
