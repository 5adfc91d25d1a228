//! Properties over arbitrary input: no ID is ever lost or doubled, batches are legal, and no
//! parser panics on anything a server or a file can send.

use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use recycle_core::adapter::{BatchResult, BulkJob, Step};
use recycle_core::protocol::{next_page_url, parse_link_header, parse_retry_after};
use recycle_core::test_util::ScriptedTransport;
use recycle_core::url::Url;
use recycle_core::{
    BatchFailure, BulkOptions, BulkPlan, Email, Purge, RecordingId, Request, Target, Timestamp,
    Trash, WebexErrorBody,
};
use recycle_core::{RecordingIds, Transport, TransportErrorKind, ValidationError};

/// How the fake server answers a batch.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Ok,
    Status(u16),
    Unknown,
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Ok),
        1 => Just(Answer::Unknown),
        3 => prop::sample::select(vec![400u16, 401, 403, 404, 409, 410, 415, 429, 500, 503]).prop_map(Answer::Status),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// For any input (with repeats), batch size, mix of answers and interleaving of
    /// concurrent batches, the report's buckets partition the unique input IDs.
    #[test]
    fn bulk_report_partitions_the_unique_input(
        raw in prop::collection::vec(0u16..400, 1..600),
        batch_size in 1usize..=150,
        answers in prop::collection::vec(answer(), 1..64),
        concurrency in 1usize..6,
        split_cap in prop::option::of(0usize..40),
    ) {
        let input: Vec<String> = raw.iter().map(|n| format!("id-{n}")).collect();
        let mut unique: Vec<RecordingId> = Vec::new();
        for id in &input {
            let id = RecordingId::new(id.clone()).expect("valid");
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        let plan = BulkPlan::new(input).expect("valid");
        prop_assert_eq!(plan.ids(), unique.as_slice());
        let mut job = BulkJob::<Trash>::new(plan, BulkOptions { batch_size, max_split_requests: split_cap, verify: false });
        let mut in_flight = Vec::new();
        let mut sent = 0usize;
        let mut turn = 0usize;
        loop {
            while in_flight.len() < concurrency {
                match job.next_batch() {
                    Some(b) => in_flight.push(b),
                    None => break,
                }
            }
            if in_flight.is_empty() {
                break;
            }
            // Complete batches out of order.
            let batch = in_flight.remove(turn % in_flight.len());
            let Target::Ids(ids) = batch.request().target() else { panic!("by ID") };
            prop_assert!(ids.len() <= 100 && ids.len() <= batch_size.max(1));
            prop_assert!(!ids.is_empty());
            sent += 1;
            prop_assert!(sent < 100_000, "the job terminates");
            let result = match answers[turn % answers.len()] {
                Answer::Ok => BatchResult::Succeeded,
                Answer::Unknown => BatchResult::Failed(BatchFailure { outcome_unknown: true, ..Default::default() }),
                Answer::Status(s) => BatchResult::Failed(BatchFailure { status: Some(s), ..Default::default() }),
            };
            job.record(batch, result);
            turn += 1;
        }
        prop_assert!(job.is_finished());
        let report = job.into_report();
        prop_assert!(report.partitions(&unique), "{:?}", report);
    }

    /// Batches never exceed 100 IDs, and together hold each unique ID once, in order.
    #[test]
    fn chunks_are_legal_and_cover_the_input(n in 1usize..2_000, batch_size in 0usize..1_000) {
        let plan = BulkPlan::new((0..n).map(|i| format!("r{i}"))).expect("valid");
        let expected_batches = plan.batch_count(batch_size.clamp(1, 100));
        let mut job = BulkJob::<Purge>::new(plan, BulkOptions { batch_size, ..BulkOptions::default() });
        let mut seen = Vec::with_capacity(n);
        let mut batches = 0;
        while let Some(batch) = job.next_batch() {
            batches += 1;
            let Target::Ids(ids) = batch.request().target() else { panic!("by ID") };
            prop_assert!((1..=100).contains(&ids.len()));
            seen.extend(ids.iter().map(str::to_owned));
            job.record(batch, BatchResult::Succeeded);
        }
        prop_assert_eq!(batches, expected_batches);
        prop_assert_eq!(seen, (0..n).map(|i| format!("r{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn retry_after_never_panics(s in any::<String>(), secs in any::<u64>()) {
        let now = UNIX_EPOCH + Duration::from_secs(secs % 10_000_000_000);
        let _ = parse_retry_after(&s, now);
    }

    #[test]
    fn retry_after_reads_any_delta_seconds(n in any::<u64>()) {
        prop_assert_eq!(parse_retry_after(&n.to_string(), UNIX_EPOCH), Some(Duration::from_secs(n)));
    }

    #[test]
    fn link_parsing_never_panics(s in any::<String>(), shaped in r#"(<[^>]{0,20}>?(;\s*[a-z]{0,5}=?"?[a-z ,;]{0,10}"?)*,?\s*){0,4}"#) {
        let _ = parse_link_header(&s);
        let links = parse_link_header(&shaped);
        prop_assert!(links.len() <= shaped.matches('<').count());
        let current = Url::parse("http://127.0.0.1:1/v1/convergedRecordings").expect("url");
        let mut headers = http::HeaderMap::new();
        if let Ok(v) = http::HeaderValue::from_str(&shaped) {
            headers.insert(http::header::LINK, v);
            if let Ok(Some(next)) = next_page_url(&current, &headers) {
                prop_assert_eq!(next.origin(), current.origin());
            }
        }
    }

    #[test]
    fn error_bodies_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), s in any::<String>()) {
        let _ = WebexErrorBody::parse(&bytes).summary();
        let json = serde_json::json!({"message": s, "errors": [{"description": s}], "trackingId": 1}).to_string();
        let body = WebexErrorBody::parse(json.as_bytes());
        prop_assert_eq!(body.tracking_id, None);
        prop_assert!(body.message.is_some());
    }

    /// Arbitrary bytes, and arbitrary JSON values shaped like requests: both parsers agree,
    /// never panic, and whatever they accept serializes to a body they accept again.
    #[test]
    fn request_json_never_panics_and_parsers_agree(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        flag in prop::option::of(prop_oneof![Just(serde_json::json!(true)), Just(serde_json::json!(false)), Just(serde_json::Value::Null), Just(serde_json::json!("true"))]),
        owner in prop::option::of(prop_oneof![Just("".to_owned()), "[a-z]{1,5}@[a-z]{1,5}\\.com", any::<String>()]),
        ids in prop::option::of(prop::collection::vec(prop_oneof![8 => "[a-zA-Z0-9]{1,8}", 1 => any::<String>()], 0..120)),
        extra in any::<bool>(),
    ) {
        let _ = Request::<Trash>::from_json(&bytes);
        let _ = serde_json::from_slice::<Request<Trash>>(&bytes);
        let mut body = serde_json::Map::new();
        if let Some(flag) = flag { body.insert("trashAll".into(), flag); }
        if let Some(owner) = owner { body.insert("ownerEmail".into(), owner.into()); }
        if let Some(ids) = ids { body.insert("recordingIds".into(), ids.into()); }
        if extra { body.insert("x".into(), 1.into()); }
        let text = serde_json::Value::Object(body).to_string();
        let a = Request::<Trash>::from_json(text.as_bytes());
        let b = serde_json::from_str::<Request<Trash>>(&text);
        prop_assert_eq!(a.is_ok(), b.is_ok(), "{}", text);
        if let Ok(req) = a {
            prop_assert_eq!(Request::<Trash>::from_json(&req.to_json()), Ok(req));
        }
    }

    #[test]
    fn the_body_is_what_serde_json_writes(
        ids in prop::collection::hash_set(prop_oneof![4 => "[!-~]{1,40}", 1 => "[\"\\\\a]{1,4}"], 1..=100),
    ) {
        let ids: Vec<String> = ids.into_iter().collect();
        let req = Request::<Trash>::by_ids(&ids).expect("valid IDs");
        let expected = serde_json::to_vec(&serde_json::json!({ "recordingIds": ids })).expect("json");
        prop_assert_eq!(req.to_json(), expected);
        let Target::Ids(got) = req.target() else { panic!("by ID") };
        prop_assert_eq!(got.iter().collect::<Vec<_>>(), ids.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn the_repetition_reported_is_the_one_whose_second_occurrence_comes_first(
        ids in prop::collection::vec("[ab\"]{1,3}", 1..=100),
    ) {
        // The reference: the first position that repeats an earlier ID, and that ID's first.
        let expected = ids.iter().enumerate().find_map(|(second, id)| {
            let first = ids[..second].iter().position(|other| other == id)?;
            Some((first + 1, second + 1, id.clone()))
        });
        match (RecordingIds::new(&ids), expected) {
            (Ok(got), None) => {
                prop_assert_eq!(got.iter().collect::<Vec<_>>(), ids.iter().map(String::as_str).collect::<Vec<_>>());
            }
            (Err(ValidationError::DuplicateId { id, first, second }), Some(want)) => {
                prop_assert_eq!((first, second, id), want);
            }
            (got, want) => prop_assert!(false, "{:?} against {:?}", got, want),
        }
    }

    #[test]
    fn other_parsers_never_panic(s in any::<String>()) {
        let _ = Timestamp::parse(&s);
        let _ = Email::new(s.clone());
        let _ = RecordingId::new(s.clone());
        let _ = recycle_core::BaseUrl::parse(&s);
        let _ = recycle_core::Timezone::new(&s);
    }

    #[test]
    fn list_queries_never_panic_and_a_valid_one_survives_its_url(
        s in any::<String>(),
        shaped in r"((status|max|from|to|ownerEmail|ownerId|serviceType|format|ownerType|storageRegion|locationId|topic|offset)=[a-zA-Z0-9%:+@.-]{0,24}&?){0,6}",
        admin in any::<bool>(),
    ) {
        let _ = recycle_core::ListQuery::from_query(admin, &s, Some(&s));
        if let Ok(q) = recycle_core::ListQuery::from_query(admin, &shaped, None) {
            let base = recycle_core::BaseUrl::parse("http://127.0.0.1:1/v1").expect("base");
            let url = q.to_url(&base).expect("a valid query has a URL");
            let back = recycle_core::ListQuery::from_query(admin, url.query().unwrap_or_default(), None);
            prop_assert_eq!(back, Ok(q));
        }
    }

    #[test]
    fn list_pages_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024), items in prop::collection::vec(any::<i64>(), 0..8)) {
        let _ = serde_json::from_slice::<recycle_core::protocol::RecordingList>(&bytes);
        let odd = serde_json::json!({"items": items.iter().map(|n| match n % 4 {
            0 => serde_json::json!(n),
            1 => serde_json::json!({"id": n, "durationSeconds": n.to_string()}),
            2 => serde_json::json!({"sizeBytes": *n as f64 / 3.0, "serviceData": n}),
            _ => serde_json::json!([n]),
        }).collect::<Vec<_>>()});
        let page: recycle_core::protocol::RecordingList = serde_json::from_value(odd).expect("a page with any items is read");
        prop_assert_eq!(page.items.len() + page.unreadable.len(), items.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A failure is definite only if no attempt of its request can have been applied: after
    /// every attempt of any sequence (an engine's exchange on a manual clock), the exchange
    /// says it may have been applied exactly when one so far got no answer (but a refused
    /// connection) or a 5xx, and so does the final failure's outcomeUnknown.
    #[test]
    fn certainty_follows_the_whole_exchange(
        codes in prop::collection::vec(prop::sample::select(vec![0u16, 1, 2, 204, 400, 404, 409, 410, 423, 429, 500, 502, 503, 504]), 1..12),
        max_attempts in 1u32..5,
    ) {
        let (engine, _) = recycle_core::ClientBuilder::<()>::new()
            .base_url("http://127.0.0.1:9/v1")
            .token("t0ken".to_owned().into())
            .max_attempts(max_attempts)
            .backoff(Duration::from_millis(1), Duration::from_millis(8))
            .clock(recycle_core::ManualClock::starting_now())
            .seed(1)
            .into_parts()
            .expect("engine");
        // After the codes, a definite refusal ends any exchange still retrying.
        let answers: Vec<u16> = codes.iter().copied().chain([400]).collect();
        let transport = answers.iter().fold(ScriptedTransport::new(), |t, &code| match code {
            0 => t.error(TransportErrorKind::ConnectionDropped),
            1 => t.error(TransportErrorKind::Timeout),
            2 => t.error(TransportErrorKind::Connect),
            _ => t.status(code, &[("retry-after", "0")], ""),
        });
        let request = Request::<Trash>::by_ids(["rec-1"]).expect("ids");
        let mut exchange = engine.operation(&request).expect("exchange");
        let mut applied_maybe = false;
        let mut used = Vec::new();
        let done = loop {
            let code = answers[used.len()];
            used.push(code);
            applied_maybe |= matches!(code, 0 | 1) || code >= 500;
            let step = exchange.record(transport.send(exchange.request()));
            prop_assert_eq!(exchange.may_have_been_applied(), applied_maybe, "after {:?}", used);
            match step {
                Step::Wait(_) => continue,
                Step::Done(done) => break done,
            }
        };
        match done.into_batch() {
            BatchResult::Succeeded => prop_assert_eq!(used.last().copied(), Some(204)),
            BatchResult::Failed(f) => prop_assert_eq!(f.outcome_unknown, applied_maybe, "{:?}", used),
        }
        let counted = used.iter().filter(|&&c| !matches!(c, 423 | 429)).count();
        prop_assert!(counted <= max_attempts as usize, "{:?}", used);
    }
}
