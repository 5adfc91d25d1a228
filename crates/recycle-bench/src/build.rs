//! The core's cost of one call before anything is sent: a 100-ID request validated and
//! serialized, a TrackingID made, the `http::Request` built (`Engine::operation`).

use std::hint::black_box;
use std::time::Instant;

use recycle_core::{ClientBuilder, TrashRequest};
use serde_json::{Map, Value};

use crate::{median, round3};

pub(crate) fn run(quick: bool) -> Map<String, Value> {
    let (rounds, builds) = if quick { (5, 2_000) } else { (15, 20_000) };
    let (engine, _) = ClientBuilder::<()>::new()
        .base_url("http://127.0.0.1:9/v1")
        .token("bench-token".to_owned().into())
        .into_parts()
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
    let build = || {
        let request = TrashRequest::by_ids(black_box(&ids).iter().map(String::as_str))
            .unwrap_or_else(|e| panic!("{e}"));
        let exchange = engine.operation(&request).unwrap_or_else(|e| panic!("{e}"));
        black_box(exchange);
    };
    build();
    let mut per_build = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..builds {
            build();
        }
        per_build.push(start.elapsed().as_secs_f64() / builds as f64 * 1e6);
    }
    let mut out = Map::new();
    out.insert(
        "core_build_100_ids_us".into(),
        round3(median(&mut per_build)),
    );
    out
}
