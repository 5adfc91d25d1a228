//! `recycle-sim`: serves the simulator in the foreground. Its first stdout line is one JSON
//! object with the base URL and the identities (tokens included).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use recycle_sim::{RateLimit, RetryAfterStyle, SimConfig, Simulator};

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
    #[arg(long, value_parser = parse_rate)]
    rate_limit: Option<f64>,
    /// Write Retry-After as an HTTP-date instead of seconds.
    #[arg(long)]
    retry_after_date: bool,
    /// Recordings generated for each identity.
    #[arg(long, default_value_t = 12)]
    recordings: usize,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let n = s.strip_suffix("/s").unwrap_or(s);
    match n.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("{s:?} is not a rate such as 50/s")),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = SimConfig::new(args.seed).port(args.port);
    config.recordings_per_identity = args.recordings;
    if let Some(rate) = args.rate_limit {
        let mut limit = RateLimit::per_second(rate);
        if args.retry_after_date {
            limit.retry_after = RetryAfterStyle::HttpDate;
        }
        config = config.rate_limit(limit);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("recycle-sim: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let sim = match Simulator::start(config).await {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("recycle-sim: cannot listen on 127.0.0.1:{}: {e}", args.port);
                return ExitCode::FAILURE;
            }
        };
        let line = serde_json::to_string(&sim.startup_info()).unwrap_or_default();
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
        drop(out);
        eprintln!("recycle-sim: serving {} until interrupted", sim.base_url());
        let _ = tokio::signal::ctrl_c().await;
        sim.stop().await;
        ExitCode::SUCCESS
    })
}
