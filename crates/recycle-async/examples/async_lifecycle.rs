//! Trash, list, restore and purge with the async client against an embedded simulator.
//!
//! Run it with `cargo run -p recycle-async --example async_lifecycle`.

#![allow(clippy::print_stdout, reason = "an example reports to the terminal")]

use futures_util::TryStreamExt;
use recycle_async::Client;
use recycle_async::core::{ListQuery, Purge, RecordingStatus, Restore, Trash};
use recycle_sim::{RecordingState, SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Simulator::start(SimConfig::new(7).recordings_for("alice", 150)).await?;
    let alice = sim.identity("alice").ok_or("no alice")?.clone();
    let client = Client::builder()
        .base_url(sim.base_url())
        .token(alice.token.clone().into())
        .build()?;

    let ids = sim.ids_of(&alice.email, RecordingState::Available);
    let report = client
        .bulk(Trash, ids.iter().cloned(), |p| {
            println!("  trashed {}/{}", p.succeeded, p.total)
        })
        .await?;
    println!(
        "trash: {} succeeded, {} failed",
        report.succeeded.len(),
        report.failed.len()
    );

    let bin: Vec<_> = client
        .list(&ListQuery::new().status(RecordingStatus::Deleted).max(50)?)?
        .try_collect()
        .await?;
    println!("the recycle bin holds {} recordings", bin.len());

    let report = client
        .bulk(Restore, ids.iter().skip(100).cloned(), |_| {})
        .await?;
    println!("restore: {} succeeded", report.succeeded.len());

    let report = client
        .bulk(Purge, ids.iter().take(10).cloned(), |_| {})
        .await?;
    println!("purge: {} succeeded", report.succeeded.len());
    sim.stop().await;
    Ok(())
}
