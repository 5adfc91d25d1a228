//! trash, restore, purge and list: every check before anything is sent.

use recycle_core::protocol::MAX_PAGE_SIZE;
use recycle_core::{
    BaseUrl, Email, ListQuery, MAX_IDS_PER_REQUEST, Operation, RecordingStatus, Request, Timestamp,
    Timezone,
};

use crate::cli::{Cli, Filters, ListArgs, Targets};
use crate::client::AnyClient;
use crate::input;
use crate::outcome::Stop;
use crate::output::{self, Planned};

/// Runs trash, restore or purge.
pub(crate) fn operation<O: Operation>(
    cli: &Cli,
    targets: &Targets,
    operation: O,
) -> Result<(), Stop> {
    let base =
        BaseUrl::parse(&cli.base_url).map_err(|e| Stop::usage(format!("--base-url: {e}")))?;
    if targets.is_selection() {
        return crate::retention::run(cli, targets, operation);
    }
    if targets.owner.is_some() && !targets.all {
        return Err(Stop::usage(
            "--owner goes with --all or a selection (--created-before, --older-than, --from, --to)",
        ));
    }
    if targets.filters.any() {
        return Err(Stop::usage(
            "the list filters narrow a selection (--created-before, --older-than, --from, --to), not given IDs or --all",
        ));
    }
    if targets.verify_delay.is_some() {
        return Err(Stop::usage("--verify-delay goes with a selection"));
    }
    if targets.all && targets.journal.is_some() {
        return Err(Stop::usage(
            "--journal records jobs over IDs (--ids or --ids-file), not --all",
        ));
    }
    if targets.all {
        let owner = targets
            .owner
            .as_deref()
            .map(|o| Email::new(o).map_err(|e| Stop::usage(format!("--owner {o:?}: {e}"))))
            .transpose()?;
        let request = match owner {
            Some(owner) => Request::<O>::all_of(owner),
            None => Request::<O>::all_mine(),
        };
        if targets.dry_run {
            output::dry_run(&[planned(&base, &request)], cli.json);
            return Ok(());
        }
        let client = connect(cli, false)?;
        return output::all(
            O::KIND,
            targets.owner.as_deref(),
            client.send(&request),
            cli.json,
        );
    }
    let plan = match (&targets.ids, &targets.ids_file) {
        (Some(list), _) => input::inline_ids(list)?,
        (None, Some(path)) => input::file_ids(path)?,
        (None, None) => return Err(Stop::usage("give --ids, --ids-file or --all")),
    };
    if plan.duplicates() > 0 {
        eprintln!("warning: {} duplicate ID(s) ignored", plan.duplicates());
    }
    if targets.dry_run {
        let planned: Vec<Planned> = plan
            .ids()
            .chunks(MAX_IDS_PER_REQUEST)
            .map(|chunk| {
                Request::<O>::by_ids(chunk.iter().map(|id| id.as_str())).map(|r| planned(&base, &r))
            })
            .collect::<Result<_, _>>()
            .map_err(|e| Stop::usage(e.to_string()))?;
        output::dry_run(&planned, cli.json);
        return Ok(());
    }
    let client = connect(cli, targets.verify)?;
    crate::job::run(cli, &client, operation, plan, targets.journal.as_deref())
}

fn planned<O: Operation>(base: &BaseUrl, request: &Request<O>) -> Planned {
    Planned {
        url: base.join(O::KIND.path()).to_string(),
        body: request.to_json(),
    }
}

/// A client for the global options and the user's token; exit 2 without one.
pub(crate) fn connect(cli: &Cli, verify: bool) -> Result<AnyClient, Stop> {
    let token = input::token(cli.token_file.as_deref())?;
    AnyClient::new(cli, &cli.base_url, token, verify).map_err(|e| Stop::from_error(&e))
}

/// The list query the options ask for; exit 2 on anything invalid.
fn list_query(args: &ListArgs) -> Result<ListQuery, Stop> {
    let mut query = ListQuery::new();
    let status = args
        .status
        .or(args.deleted.then_some(RecordingStatus::Deleted));
    if let Some(status) = status {
        query = query.status(status);
    }
    if args.org {
        query = query.admin();
    }
    // Whole pages by default: a walk back to the floor is some 85 windows.
    let max = args.max.unwrap_or(u32::from(MAX_PAGE_SIZE));
    query = query
        .max(max)
        .map_err(|e| Stop::usage(format!("--max: {e}")))?;
    if let Some(from) = &args.from {
        query =
            query.from(Timestamp::parse(from).map_err(|e| Stop::usage(format!("--from: {e}")))?);
    }
    if let Some(to) = &args.to {
        query = query.to(Timestamp::parse(to).map_err(|e| Stop::usage(format!("--to: {e}")))?);
    }
    if let Some(owner) = &args.owner {
        query = query
            .owner(Email::new(owner.as_str()).map_err(|e| Stop::usage(format!("--owner: {e}")))?);
    }
    if let Some(id) = &args.owner_id {
        query = query.owner_id(id.as_str());
    }
    query = apply_filters(query, &args.filters);
    if let Some(tz) = &args.timezone {
        query =
            query.timezone(Timezone::new(tz).map_err(|e| Stop::usage(format!("--timezone: {e}")))?);
    }
    // The range is walked in windows of at most 30 days, so it may be of any length.
    query
        .validate_walk()
        .map_err(|e| Stop::usage(e.to_string()))?;
    Ok(query)
}

/// `query` narrowed by the filters given.
pub(crate) fn apply_filters(mut query: ListQuery, filters: &Filters) -> ListQuery {
    if let Some(v) = filters.service_type {
        query = query.service_type(v);
    }
    if let Some(v) = filters.format {
        query = query.format(v);
    }
    if let Some(v) = filters.owner_type {
        query = query.owner_type(v);
    }
    if let Some(v) = filters.storage_region {
        query = query.storage_region(v);
    }
    if let Some(v) = &filters.location_id {
        query = query.location_id(v.as_str());
    }
    if let Some(v) = &filters.topic {
        query = query.topic(v.as_str());
    }
    query
}

/// `list`: every page of every window; the range listed goes to stderr. A next page on
/// another origin, or a page that fails, stops it with exit 1 after printing what was
/// listed.
pub(crate) fn list(cli: &Cli, args: &ListArgs) -> Result<(), Stop> {
    BaseUrl::parse(&cli.base_url).map_err(|e| Stop::usage(format!("--base-url: {e}")))?;
    let query = list_query(args)?;
    let client = connect(cli, false)?;
    let listed = client.list(&query).map_err(|e| Stop::from_error(&e))?;
    output::recordings(&listed, cli.json);
    output::coverage(&listed.coverage, cli.quiet);
    match listed.error {
        None => Ok(()),
        Some(e) => Err(Stop::failed(format!(
            "listing stopped after {} recording(s): {e}",
            listed.items.len()
        ))),
    }
}
