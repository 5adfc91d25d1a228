//! A bulk trash job of 258 IDs (5 repeats, 3 IDs unknown to the server) driven through the core
//! against an in-process fake server that rate-limits once and refuses unknown IDs
//! atomically, as Webex does. Shows batching, a `Retry-After` wait, splitting to isolate bad
//! IDs, and the report that accounts for every ID.
//!
//! Run it with `cargo run -p recycle-core --example offline_job`.

#![allow(clippy::print_stdout, reason = "an example reports to the terminal")]

use std::cell::RefCell;
use std::collections::HashSet;

use recycle_core::{
    BulkPlan, ClientBuilder, HttpRequest, HttpResponse, JobEvent, StopHandle, Target, Trash,
    TrashRequest,
};

/// The fake server: knows recordings `rec-000`..`rec-249`, rate-limits its first request.
struct FakeWebex {
    known: HashSet<String>,
    trashed: RefCell<HashSet<String>>,
    requests: RefCell<u32>,
}

impl FakeWebex {
    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        *self.requests.borrow_mut() += 1;
        let reply = |status: u16, retry_after: Option<&str>, body: String| {
            let mut b = http::Response::builder()
                .status(status)
                .header("trackingid", "FAKE_1");
            if let Some(r) = retry_after {
                b = b.header("retry-after", r);
            }
            b.body(body.into_bytes()).unwrap_or_default()
        };
        if *self.requests.borrow() == 1 {
            return reply(429, Some("1"), String::new());
        }
        let Ok(request) = TrashRequest::from_json(req.body()) else {
            return reply(400, None, r#"{"message":"malformed body"}"#.into());
        };
        let Target::Ids(ids) = request.target() else {
            return reply(
                400,
                None,
                r#"{"message":"this fake acts by ID only"}"#.into(),
            );
        };
        let unknown: Vec<&str> = ids.iter().filter(|i| !self.known.contains(*i)).collect();
        if !unknown.is_empty() {
            let message = format!("recordings not found: {}", unknown.join(", "));
            return reply(
                404,
                None,
                serde_json::json!({"message": message, "trackingId": "FAKE_404"}).to_string(),
            );
        }
        self.trashed
            .borrow_mut()
            .extend(ids.iter().map(str::to_owned));
        reply(204, None, String::new())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = FakeWebex {
        known: (0..250).map(|i| format!("rec-{i:03}")).collect(),
        trashed: RefCell::default(),
        requests: RefCell::default(),
    };

    // 253 unique IDs, 3 of them unknown to the server, plus 5 repeats.
    let mut input: Vec<String> = (0..253).map(|i| format!("rec-{i:03}")).collect();
    input.extend((0..5).map(|i| format!("rec-{i:03}")));
    input.swap(10, 251);
    let plan = BulkPlan::new(input)?;
    println!(
        "planned {} unique IDs ({} repeats dropped) in {} batches",
        plan.ids().len(),
        plan.duplicates(),
        plan.batch_count(100)
    );

    // What a blocking adapter does: the engine plans and decides, the adapter sends and sleeps.
    let (engine, _) = ClientBuilder::<()>::new()
        .base_url("http://127.0.0.1:9/v1")
        .token("example-token".to_owned().into())
        .into_parts()?;
    let run = engine.bulk::<Trash>(plan)?;
    let send = |req: HttpRequest| Ok(server.answer(&req));
    let slept = std::cell::Cell::new(std::time::Duration::ZERO);
    let sleep = |nap| {
        slept.set(slept.get() + nap);
        std::thread::sleep(nap);
    };
    let report = run.run(&StopHandle::new(), send, sleep, |event| {
        if let JobEvent::Settled { settled, .. } = event {
            println!(
                "  batch settled: {} trashed, {} refused",
                settled.succeeded.len(),
                settled.failed.len()
            );
        }
    });
    println!("waited {:?} in all, as the server asked", slept.get());
    println!(
        "report: {} succeeded, {} failed, {} not attempted; {} requests sent",
        report.succeeded.len(),
        report.failed.len(),
        report.not_attempted.len(),
        server.requests.borrow()
    );
    for f in &report.failed {
        println!(
            "  failed {}: {} {} (trackingId {})",
            f.id,
            f.failure.status.unwrap_or(0),
            f.failure.message.as_deref().unwrap_or(""),
            f.failure.tracking_id.as_deref().unwrap_or("-")
        );
    }
    let trashed = server.trashed.borrow();
    let consistent = report
        .succeeded
        .iter()
        .all(|id| trashed.contains(id.as_str()))
        && trashed.len() == report.succeeded.len();
    println!("server state agrees with the report: {consistent}");
    if !consistent || report.failed.len() != 3 {
        return Err("the report does not match the server's state".into());
    }
    Ok(())
}
