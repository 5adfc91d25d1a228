//! Client overhead: our clients' single-batch trash calls (each validating and serializing
//! 100 IDs) against raw reqwest and raw ureq calls to the same server. The fair baselines do
//! what hand-written code does on every call: build the JSON body with serde_json from the
//! same `Vec<String>` and format the `Authorization` header, with the same timeouts and
//! redirect policy as ours. Also reported: the ratio against raw calls that send bytes
//! serialized once (`*_ratio_prebuilt`) and against untimed raw clients.

use std::time::{Duration, Instant};

use recycle_core::TrashRequest;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

use crate::{DEADLINE, alice_sim, median, round3};

pub(crate) fn run(runtime: &Runtime, quick: bool) -> Map<String, Value> {
    let (rounds, calls) = if quick { (5, 50) } else { (81, 50) };
    let (sim, token, ids) = alice_sim(runtime, 1, 100, |c| c.log_capacity = 10);
    let url = format!("{}/convergedRecordings/softDelete", sim.base_url());
    let body = TrashRequest::by_ids(ids.iter().map(String::as_str))
        .map(|r| r.to_json())
        .unwrap_or_default();
    let bearer = format!("Bearer {token}");
    let request =
        || TrashRequest::by_ids(ids.iter().map(String::as_str)).unwrap_or_else(|e| panic!("{e}"));

    // Async: recycle-async against reqwest.
    let ours = recycle_async::Client::builder()
        .base_url(sim.base_url())
        .token(token.clone().into())
        .build();
    let ours = ours.unwrap_or_else(|e| panic!("client: {e}"));
    let timed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let untimed = reqwest::Client::new();
    let ours_async = || {
        runtime.block_on(async {
            for _ in 0..calls {
                ours.trash(&request())
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        });
    };
    let raw_async = |client: &reqwest::Client, fresh: bool| {
        runtime.block_on(async {
            for _ in 0..calls {
                let (auth, bytes) = if fresh {
                    (format!("Bearer {token}"), fresh_body(&ids))
                } else {
                    (bearer.clone(), body.clone())
                };
                let resp = client
                    .post(&url)
                    .header("authorization", auth)
                    .header("content-type", "application/json")
                    .body(bytes)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(resp.status(), 204);
                let _ = resp.bytes().await;
            }
        });
    };
    let async_timed = interleave(rounds, &ours_async, &|| raw_async(&timed, true));
    let async_prebuilt = interleave(rounds, &ours_async, &|| raw_async(&timed, false));
    let async_untimed = interleave(rounds, &ours_async, &|| raw_async(&untimed, true));

    // Blocking: recycle-blocking against ureq.
    let ours = recycle_blocking::Client::builder()
        .base_url(sim.base_url())
        .token(token.clone().into())
        .build();
    let ours = ours.unwrap_or_else(|e| panic!("client: {e}"));
    let timed: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .proxy(None)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let untimed: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let ours_blocking = || {
        for _ in 0..calls {
            ours.trash(&request()).unwrap_or_else(|e| panic!("{e}"));
        }
    };
    let raw_blocking = |agent: &ureq::Agent, fresh: bool| {
        for _ in 0..calls {
            let (auth, bytes) = if fresh {
                (format!("Bearer {token}"), fresh_body(&ids))
            } else {
                (bearer.clone(), body.clone())
            };
            let mut resp = agent
                .post(&url)
                .header("authorization", &auth)
                .header("content-type", "application/json")
                .send(&bytes[..])
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(resp.status(), 204);
            let _ = resp.body_mut().read_to_vec();
        }
    };
    let blocking_timed = interleave(rounds, &ours_blocking, &|| raw_blocking(&timed, true));
    let blocking_prebuilt = interleave(rounds, &ours_blocking, &|| raw_blocking(&timed, false));
    let blocking_untimed = interleave(rounds, &ours_blocking, &|| raw_blocking(&untimed, true));
    runtime.block_on(sim.stop());

    let per_call_us = |t: f64| round3(t / calls as f64 * 1e6);
    let mut out = Map::new();
    out.insert("overhead_calls_per_round".into(), json!(calls));
    out.insert("overhead_rounds".into(), json!(rounds));
    for (name, timed, prebuilt, untimed) in [
        ("async", async_timed, async_prebuilt, async_untimed),
        (
            "blocking",
            blocking_timed,
            blocking_prebuilt,
            blocking_untimed,
        ),
    ] {
        out.insert(
            format!("overhead_{name}_ratio_prebuilt"),
            round3(prebuilt.ratio),
        );
        out.insert(
            format!("overhead_{name}_raw_prebuilt_us_per_call"),
            per_call_us(prebuilt.b),
        );
        out.insert(format!("overhead_{name}_ratio"), round3(timed.ratio));
        out.insert(
            format!("overhead_{name}_ours_us_per_call"),
            per_call_us(timed.a),
        );
        out.insert(
            format!("overhead_{name}_raw_us_per_call"),
            per_call_us(timed.b),
        );
        out.insert(
            format!("overhead_{name}_ratio_vs_untimed"),
            round3(untimed.ratio),
        );
        out.insert(
            format!("overhead_{name}_raw_untimed_us_per_call"),
            per_call_us(untimed.b),
        );
    }
    out
}

/// A comparison of two loops: the median of the ratios of rounds run side by side (each
/// round of `a` against the round of `b` next to it, which cancels the machine's drift), and
/// the median seconds of a round of each.
struct Compared {
    ratio: f64,
    a: f64,
    b: f64,
}

/// Runs `a` and `b` in alternating order for `rounds` rounds (after one warm-up each).
fn interleave(rounds: usize, a: &dyn Fn(), b: &dyn Fn()) -> Compared {
    a();
    b();
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        t.elapsed().as_secs_f64()
    };
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let start = Instant::now();
    for round in 0..rounds {
        if round % 2 == 0 {
            ta.push(time(a));
            tb.push(time(b));
        } else {
            tb.push(time(b));
            ta.push(time(a));
        }
        if start.elapsed() > DEADLINE {
            break;
        }
    }
    let mut ratios: Vec<f64> = ta.iter().zip(&tb).map(|(a, b)| a / b).collect();
    Compared {
        ratio: median(&mut ratios),
        a: median(&mut ta),
        b: median(&mut tb),
    }
}

/// The body as hand-written code builds it on each call: serde_json from the IDs.
fn fresh_body(ids: &[String]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "recordingIds": ids })).unwrap_or_else(|e| panic!("{e}"))
}
