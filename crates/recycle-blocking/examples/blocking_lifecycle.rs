//! Trash, list, restore and purge with the blocking client against an embedded simulator.
//!
//! Run it with `cargo run -p recycle-blocking --example blocking_lifecycle`.

#![allow(clippy::print_stdout, reason = "an example reports to the terminal")]

use recycle_blocking::Client;
use recycle_blocking::core::{ListQuery, Purge, RecordingStatus, Restore, Trash};
use recycle_sim::{BackgroundSimulator, RecordingState, SimConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = BackgroundSimulator::start(SimConfig::new(7).recordings_for("alice", 150))?;
    let alice = sim.identity("alice").ok_or("no alice")?.clone();
    let client = Client::builder()
        .base_url(sim.base_url())
        .token(alice.token.clone().into())
        .build()?;

    let ids = sim.ids_of(&alice.email, RecordingState::Available);
    let report = client.bulk(Trash, ids.iter().cloned(), |p| {
        println!("  trashed {}/{}", p.succeeded, p.total)
    })?;
    println!(
        "trash: {} succeeded, {} failed",
        report.succeeded.len(),
        report.failed.len()
    );

    let bin: Vec<_> = client
        .list(&ListQuery::new().status(RecordingStatus::Deleted).max(50)?)?
        .collect::<Result<_, _>>()?;
    println!("the recycle bin holds {} recordings", bin.len());

    let report = client.bulk(Restore, ids.iter().skip(100).cloned(), |_| {})?;
    println!("restore: {} succeeded", report.succeeded.len());

    let report = client.bulk(Purge, ids.iter().take(10).cloned(), |_| {})?;
    println!("purge: {} succeeded", report.succeeded.len());
    Ok(())
}
