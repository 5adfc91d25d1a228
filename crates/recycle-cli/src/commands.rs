//! trash, restore, purge and list: every check before anything is sent.

use recycle_core::{
    BaseUrl, BulkPlan, Email, ListQuery, MAX_IDS_PER_REQUEST, Operation, RecordingStatus, Request,
    Timestamp,
};

use crate::cli::{Cli, ListArgs, Targets};
use crate::client::AnyClient;
use crate::input;
use crate::outcome::Stop;
use crate::output::{self, Planned};
use crate::progress::Bar;

/// Runs trash, restore or purge.
pub(crate) fn action<O: Operation>(cli: &Cli, targets: &Targets, operation: O) -> Result<(), Stop> {
    let base =
        BaseUrl::parse(&cli.base_url).map_err(|e| Stop::usage(format!("--base-url: {e}")))?;
    if targets.owner.is_some() && !targets.all {
        return Err(Stop::usage(
            "--owner goes with --all (an administrator acting on all of an owner's recordings)",
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
        let client = connect(cli)?;
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
    let client = connect(cli)?;
    run_bulk(cli, &client, operation, plan)
}

/// Runs a planned bulk job with a progress bar and prints its report.
pub(crate) fn run_bulk<O: Operation>(
    cli: &Cli,
    client: &AnyClient,
    operation: O,
    plan: BulkPlan,
) -> Result<(), Stop> {
    let bar = Bar::new(
        plan.ids().len(),
        plan.batch_count(MAX_IDS_PER_REQUEST),
        !cli.quiet && !cli.json,
    );
    let report = client
        .bulk(operation, plan, |p| bar.update(p))
        .map_err(|e| Stop::from_error(&e));
    bar.finish();
    output::report(&report?, cli.json)
}

fn planned<O: Operation>(base: &BaseUrl, request: &Request<O>) -> Planned {
    Planned {
        url: base.join(O::KIND.path()).to_string(),
        body: request.to_json(),
    }
}

/// A client for the global options and the user's token; exit 2 without one.
fn connect(cli: &Cli) -> Result<AnyClient, Stop> {
    let token = input::token(cli.token_file.as_deref())?;
    AnyClient::new(cli, &cli.base_url, token).map_err(|e| Stop::from_error(&e))
}

/// `list`: every page; a next page on another origin stops it with exit 1 after printing
/// what was listed.
pub(crate) fn list(cli: &Cli, args: &ListArgs) -> Result<(), Stop> {
    BaseUrl::parse(&cli.base_url).map_err(|e| Stop::usage(format!("--base-url: {e}")))?;
    let mut query = ListQuery::new().status(if args.deleted {
        RecordingStatus::Deleted
    } else {
        RecordingStatus::Available
    });
    if let Some(max) = args.max {
        query = query
            .max(max)
            .map_err(|e| Stop::usage(format!("--max: {e}")))?;
    }
    if let Some(from) = &args.from {
        query =
            query.from(Timestamp::parse(from).map_err(|e| Stop::usage(format!("--from: {e}")))?);
    }
    if let Some(to) = &args.to {
        query = query.to(Timestamp::parse(to).map_err(|e| Stop::usage(format!("--to: {e}")))?);
    }
    if let Some(owner) = &args.owner {
        query = query.owner(
            Email::new(owner.as_str())
                .map_err(|e| Stop::usage(format!("--owner {owner:?}: {e}")))?,
        );
    }
    query.validate().map_err(|e| Stop::usage(e.to_string()))?;
    let client = connect(cli)?;
    let (items, error) = client.list(&query).map_err(|e| Stop::from_error(&e))?;
    output::recordings(&items, cli.json);
    match error {
        None => Ok(()),
        Some(e) => Err(Stop::failed(format!(
            "listing stopped after {} recording(s): {e}",
            items.len()
        ))),
    }
}
