//! The command line: global options before the command, then the command's own.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use recycle_core::WEBEX_BASE_URL;

/// Bulk jobs on the Webex Converged Recordings recycle bin: move recordings into it, restore
/// them, purge them, list them. Every input ID is accounted for in the result.
#[derive(Debug, Parser)]
#[command(name = "recycle", version)]
pub(crate) struct Cli {
    /// API base URL (https, or http to a loopback host).
    #[arg(long, env = "WEBEX_BASE_URL", default_value = WEBEX_BASE_URL)]
    pub(crate) base_url: String,
    /// File holding the access token; otherwise the WEBEX_TOKEN environment variable.
    #[arg(long, value_name = "PATH")]
    pub(crate) token_file: Option<PathBuf>,
    /// HTTP client: async (reqwest) or blocking (ureq).
    #[arg(long, value_enum, default_value_t = TransportKind::Async)]
    pub(crate) transport: TransportKind,
    /// Machine-readable result on stdout (and nothing else there).
    #[arg(long)]
    pub(crate) json: bool,
    /// Attempts per request, the first included.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) max_attempts: u32,
    /// Longest wait for one attempt, in seconds.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: Option<u64>,
    /// Batches in flight at once (async transport).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) concurrency: u64,
    /// No progress on stderr.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// More detail on stderr (-v: retries and batches, -vv: everything).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Which client moves the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TransportKind {
    /// recycle-async on reqwest.
    Async,
    /// recycle-blocking on ureq.
    Blocking,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Move recordings into the recycle bin.
    Trash(Targets),
    /// Restore recordings from the recycle bin.
    Restore(Targets),
    /// Purge recordings from the recycle bin for good (needs --yes).
    Purge(PurgeArgs),
    /// List recordings (all pages).
    List(ListArgs),
    /// Run the whole lifecycle against an embedded simulator; no token or network needed.
    Demo,
    /// Serve the simulator in the foreground.
    Sim(SimArgs),
}

/// What an operation acts on.
#[derive(Debug, Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("target").required(true).multiple(false).args(["ids", "ids_file", "all"])))]
pub(crate) struct Targets {
    /// Comma-separated recording IDs.
    #[arg(long, value_name = "ID[,ID...]")]
    pub(crate) ids: Option<String>,
    /// File of recording IDs, one a line (`#` comments and blank lines ignored); `-` is stdin.
    #[arg(long, value_name = "PATH|-")]
    pub(crate) ids_file: Option<PathBuf>,
    /// All of the caller's own recordings, or with --owner all of that owner's (admin).
    #[arg(long)]
    pub(crate) all: bool,
    /// The owner whose recordings --all means (administrators).
    #[arg(long, value_name = "EMAIL")]
    pub(crate) owner: Option<String>,
    /// Print the planned requests and send nothing (needs no token).
    #[arg(long)]
    pub(crate) dry_run: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PurgeArgs {
    #[command(flatten)]
    pub(crate) targets: Targets,
    /// Confirms that purged recordings are gone for good.
    #[arg(long)]
    pub(crate) yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// List the recycle bin instead of available recordings.
    #[arg(long)]
    pub(crate) deleted: bool,
    /// An owner's recordings, through the administrators' endpoint.
    #[arg(long, value_name = "EMAIL")]
    pub(crate) owner: Option<String>,
    /// From this time (ISO 8601).
    #[arg(long, value_name = "T")]
    pub(crate) from: Option<String>,
    /// Before this time (ISO 8601).
    #[arg(long, value_name = "T")]
    pub(crate) to: Option<String>,
    /// Page size, 1 to 100.
    #[arg(long, value_name = "N")]
    pub(crate) max: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct SimArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
    /// Seed of the generated tokens and recordings.
    #[arg(long, default_value_t = 7)]
    pub(crate) seed: u64,
    /// Rate limit over all API requests, such as `50/s`.
    #[arg(long, value_parser = recycle_sim::parse_rate)]
    pub(crate) rate_limit: Option<f64>,
}
