//! The command line: global options before the command, then the command's own.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use recycle_core::{
    OwnerType, RecordingFormat, RecordingStatus, ServiceType, StorageRegion, Timestamp,
    UnknownValue, WEBEX_BASE_URL,
};

/// Bulk jobs on the Webex Converged Recordings recycle bin: move recordings into it, restore
/// them, purge them, list them. Every input ID is accounted for in the result.
#[derive(Debug, Parser)]
#[command(name = "recycle", version)]
pub(crate) struct Cli {
    /// API base URL (https, or http to a loopback host).
    #[arg(long, env = "WEBEX_BASE_URL", default_value = WEBEX_BASE_URL, global = true, help_heading = "Global options")]
    pub(crate) base_url: String,
    /// File holding the access token; otherwise the WEBEX_TOKEN environment variable.
    #[arg(
        long,
        value_name = "PATH",
        global = true,
        help_heading = "Global options"
    )]
    pub(crate) token_file: Option<PathBuf>,
    /// HTTP client: async (reqwest) or blocking (ureq).
    #[arg(long, value_enum, default_value_t = TransportKind::Async, global = true, help_heading = "Global options")]
    pub(crate) transport: TransportKind,
    /// Machine-readable result on stdout (and nothing else there).
    #[arg(long, global = true, help_heading = "Global options")]
    pub(crate) json: bool,
    /// Attempts per request, the first included (default: the client's, 4).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20), global = true, help_heading = "Global options")]
    pub(crate) max_attempts: Option<u32>,
    /// Longest total wait of one request on 429 and 423 answers, in seconds (they do not
    /// count as attempts). Default 900.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400), global = true, help_heading = "Global options")]
    pub(crate) max_wait: Option<u64>,
    /// Longest wait for one attempt, in seconds.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600), global = true, help_heading = "Global options")]
    pub(crate) timeout: Option<u64>,
    /// Batches in flight at once (async transport; default: the client's, 4).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64), global = true, help_heading = "Global options")]
    pub(crate) concurrency: Option<u64>,
    /// No progress on stderr.
    #[arg(
        long,
        short = 'q',
        conflicts_with = "verbose",
        global = true,
        help_heading = "Global options"
    )]
    pub(crate) quiet: bool,
    /// More detail on stderr (-v: retries and batches, -vv: everything).
    #[arg(short = 'v', action = clap::ArgAction::Count, global = true, help_heading = "Global options")]
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
    /// List recordings: every page of every 30-day window of the range (default: from
    /// 2020-01-01 to now); the range covered is printed on stderr.
    List(ListArgs),
    /// Run the whole lifecycle against an embedded simulator; no token or network needed.
    Demo,
    /// Serve the simulator in the foreground.
    Sim(SimArgs),
}

/// What an operation acts on: given IDs, all of an owner's recordings, or a selection (a
/// range of creation times, a scope and filters).
#[derive(Debug, Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("target").required(true).multiple(true).args(["ids", "ids_file", "all", "created_before", "older_than", "from", "to"])))]
#[command(group(clap::ArgGroup::new("selection").multiple(true).args(["created_before", "older_than", "from", "to"])))]
pub(crate) struct Targets {
    /// Comma-separated recording IDs.
    #[arg(long, value_name = "ID[,ID...]", conflicts_with_all = ["ids_file", "all", "selection"])]
    pub(crate) ids: Option<String>,
    /// File of recording IDs, one a line (`#` comments and blank lines ignored); `-` is stdin.
    #[arg(long, value_name = "PATH|-", conflicts_with_all = ["all", "selection"])]
    pub(crate) ids_file: Option<PathBuf>,
    /// All of the caller's own recordings, or with --owner all of that owner's (admin), in
    /// one request (the API's trashAll, restoreAll, purgeAll).
    #[arg(long, conflicts_with = "selection")]
    pub(crate) all: bool,
    /// Selects the recordings created before T (ISO 8601: 2025-01-31 is midnight UTC, or
    /// 2025-01-31T09:30:00+01:00), back to the floor 2020-01-01 unless --from says.
    #[arg(long, value_name = "T", conflicts_with_all = ["to", "older_than"], help_heading = "Selection")]
    pub(crate) created_before: Option<String>,
    /// Selects the recordings created more than this long ago (90d, 12w, 36h), by this
    /// machine's clock; a resumed job keeps the cutoff of its first run.
    #[arg(long, value_name = "AGE", value_parser = age, conflicts_with = "to", help_heading = "Selection")]
    pub(crate) older_than: Option<String>,
    /// Selects the recordings created at T or later (ISO 8601, as --created-before);
    /// default: the floor 2020-01-01T00:00:00Z.
    #[arg(long, value_name = "T", help_heading = "Selection")]
    pub(crate) from: Option<String>,
    /// Selects the recordings created before T (ISO 8601); default: now, plus a day.
    #[arg(long, value_name = "T", help_heading = "Selection")]
    pub(crate) to: Option<String>,
    /// With --all: that owner's recordings. With a selection: that owner's recordings,
    /// through the administrators' list.
    #[arg(long, value_name = "EMAIL")]
    pub(crate) owner: Option<String>,
    /// With a selection: every recording of the organization, through the administrators'
    /// list (administrators).
    #[arg(
        long,
        requires = "selection",
        conflicts_with = "owner",
        help_heading = "Selection"
    )]
    pub(crate) org: bool,
    #[command(flatten, next_help_heading = "Filters (a selection, or list)")]
    pub(crate) filters: Filters,
    /// With a selection: the page size of its lists, 1 to 100 (default 100).
    #[arg(
        long,
        value_name = "N",
        requires = "selection",
        help_heading = "Selection"
    )]
    pub(crate) max: Option<u32>,
    /// Print the planned requests, or a selection's windows, and send no operation (a
    /// selection is still listed, so it needs a token).
    #[arg(long, help_heading = "Job")]
    pub(crate) dry_run: bool,
    /// After the job, check it on the server. For IDs, read every one back (GET
    /// /convergedRecordings/{id}: one request per ID, concurrent and paced like the job);
    /// without it only the IDs whose outcome is unknown are read back. For a selection,
    /// list its windows again: what is still listed in the source status is acted on
    /// again (up to 2 more times), then read back and reported by its state.
    #[arg(long, conflicts_with = "all", help_heading = "Job")]
    pub(crate) verify: bool,
    /// With --verify on a selection: the wait before listing again, doubled before each
    /// next time, so that lists that see changes late catch up (default 2s).
    #[arg(long, value_name = "SPAN", value_parser = crate::span::parse, requires = "verify", help_heading = "Selection")]
    pub(crate) verify_delay: Option<std::time::Duration>,
    /// Append-only JSON Lines record of the job (a header, then one line per finished
    /// batch, each synced to disk before the next batch is sent). Running the same command
    /// with the same journal resumes the job: IDs already succeeded are not sent again (a
    /// selection is listed again; its successes stay in the report).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "all",
        help_heading = "Job"
    )]
    pub(crate) journal: Option<PathBuf>,
}

impl Targets {
    /// Whether the job acts on a selection rather than on IDs or on all.
    pub(crate) fn is_selection(&self) -> bool {
        self.created_before.is_some()
            || self.older_than.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// The list filters that narrow `list` and a selection.
#[derive(Debug, Args)]
pub(crate) struct Filters {
    /// Only this service: calling or customerAssist.
    #[arg(long, value_parser = closed::<ServiceType>)]
    pub(crate) service_type: Option<ServiceType>,
    /// Only this format: MP3.
    #[arg(long, value_parser = closed::<RecordingFormat>)]
    pub(crate) format: Option<RecordingFormat>,
    /// Only this kind of owner: user, place, virtualLine or callQueue.
    #[arg(long, value_parser = closed::<OwnerType>)]
    pub(crate) owner_type: Option<OwnerType>,
    /// Only this storage region: US, SG, GB, JP, DE, AU, IN or CA.
    #[arg(long, value_parser = closed::<StorageRegion>)]
    pub(crate) storage_region: Option<StorageRegion>,
    /// Only users in this Webex Calling location.
    #[arg(long, value_name = "ID")]
    pub(crate) location_id: Option<String>,
    /// Only this topic (compared without regard to case).
    #[arg(long)]
    pub(crate) topic: Option<String>,
}

impl Filters {
    /// Whether any filter is given.
    pub(crate) fn any(&self) -> bool {
        self.service_type.is_some()
            || self.format.is_some()
            || self.owner_type.is_some()
            || self.storage_region.is_some()
            || self.location_id.is_some()
            || self.topic.is_some()
    }
}

#[derive(Debug, Args)]
pub(crate) struct PurgeArgs {
    #[command(flatten)]
    pub(crate) targets: Targets,
    /// Confirms that purged recordings are gone for good.
    #[arg(long)]
    pub(crate) yes: bool,
}

/// `list`: a range of any length, walked in windows of at most 30 days, newest first.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Recordings in this state: available (the default), deleted (the recycle bin) or
    /// purged (compliance officers, with --org, --owner or --owner-id).
    #[arg(long, value_parser = closed::<RecordingStatus>, conflicts_with = "deleted")]
    pub(crate) status: Option<RecordingStatus>,
    /// The recycle bin: the same as --status deleted.
    #[arg(long)]
    pub(crate) deleted: bool,
    /// Every recording of the organization, through the administrators' endpoint
    /// (administrators and compliance officers).
    #[arg(long)]
    pub(crate) org: bool,
    /// An owner's recordings, through the administrators' endpoint.
    #[arg(long, value_name = "EMAIL")]
    pub(crate) owner: Option<String>,
    /// The recordings of the person with this Webex ID, through the administrators' endpoint.
    #[arg(long, value_name = "ID")]
    pub(crate) owner_id: Option<String>,
    /// Created at this time or later (ISO 8601 such as 2026-01-31, midnight UTC, or
    /// 2026-01-31T09:30:00+01:00); default: the fixed floor 2020-01-01T00:00:00Z.
    #[arg(long, value_name = "T")]
    pub(crate) from: Option<String>,
    /// Created before this time (ISO 8601, as --from); default: now, plus a day for clock
    /// skew.
    #[arg(long, value_name = "T")]
    pub(crate) to: Option<String>,
    /// Page size, 1 to 100 (default 100).
    #[arg(long, value_name = "N")]
    pub(crate) max: Option<u32>,
    #[command(flatten)]
    pub(crate) filters: Filters,
    /// Time zone of the answer's times (IANA name such as Europe/Berlin; default UTC).
    #[arg(long, value_name = "TZ")]
    pub(crate) timezone: Option<String>,
}

/// A length of time such as `90d`, kept as written.
fn age(s: &str) -> Result<String, String> {
    crate::span::parse(s).map(|_| s.to_owned())
}

/// Parses a value of one of the API's closed sets, naming the allowed values when refused.
fn closed<T: std::str::FromStr<Err = UnknownValue>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: UnknownValue| e.to_string())
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
    /// Fixes the simulator's "now" (RFC 3339); default: the real time.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub(crate) now: Option<Timestamp>,
    /// What a batch with some unacceptable IDs does: atomic, partial or lenient.
    #[arg(long, default_value = "atomic")]
    pub(crate) batch_semantics: recycle_sim::BatchSemantics,
    /// Lists see state changes this many milliseconds late (eventual consistency); the
    /// details endpoint and the operations see them at once.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) list_lag_ms: u64,
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).map_err(|e| e.to_string())
}
