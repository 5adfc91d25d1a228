//! Micro-benchmarks of the core's hot paths. Run with `cargo bench -p recycle-bench --bench core`
//! (or `cargo xtask bench`, which puts the table in docs/benchmarks.md).

use std::time::{Duration, UNIX_EPOCH};

use divan::{Bencher, black_box};
use recycle_core::protocol::{parse_link_header, parse_retry_after};
use recycle_core::{TrashRequest, WebexErrorBody};

fn main() {
    divan::main();
}

#[divan::bench]
fn validate_and_serialize_100_ids(bencher: Bencher) {
    let ids: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
    bencher.bench(|| {
        let request = TrashRequest::by_ids(black_box(&ids).iter().map(String::as_str));
        request
            .map(|r| r.to_json())
            .map(|b| b.len())
            .unwrap_or_default()
    });
}

#[divan::bench]
fn build_request_100_ids(bencher: Bencher) {
    let (engine, _) = recycle_core::ClientBuilder::<()>::new()
        .base_url("http://127.0.0.1:9/v1")
        .token("bench-token".to_owned().into())
        .into_parts()
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
    bencher.bench(|| {
        let request = TrashRequest::by_ids(black_box(&ids).iter().map(String::as_str));
        request.map(|r| engine.operation(&r).map(|e| e.attempts()))
    });
}

#[divan::bench]
fn parse_error_body(bencher: Bencher) {
    let body = br#"{"message":"Recording(s) not found: 4f914b1dfe3c4d11a61730f18c0f5387","errors":[{"description":"4f914b1dfe3c4d11a61730f18c0f5387: not found"}],"trackingId":"ROUTER_5F3A2B1C-0000-4A1B-9C8D-1234567890AB"}"#;
    bencher.bench(|| WebexErrorBody::parse(black_box(body)));
}

#[divan::bench]
fn parse_retry_after_seconds(bencher: Bencher) {
    bencher.bench(|| parse_retry_after(black_box("30"), UNIX_EPOCH));
}

#[divan::bench]
fn parse_retry_after_http_date(bencher: Bencher) {
    let now = UNIX_EPOCH + Duration::from_secs(1_445_412_450);
    bencher.bench(|| parse_retry_after(black_box("Wed, 21 Oct 2015 07:28:00 GMT"), now));
}

#[divan::bench]
fn parse_link_next(bencher: Bencher) {
    let header = r#"<https://webexapis.com/v1/convergedRecordings?max=100&status=deleted&cursor=Y3Vyc29yOjEwMA>; rel="next", <https://webexapis.com/v1/convergedRecordings?max=100>; rel="first""#;
    bencher.bench(|| parse_link_header(black_box(header)));
}
