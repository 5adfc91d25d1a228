//! Bulk jobs: batching, splitting of batches that fail for their content, stopping on
//! 401/403, and the report that accounts for every ID.

use recycle_core::adapter::{BatchResult, BulkJob};
use recycle_core::{
    BatchFailure, BulkOptions, BulkPlan, BulkReport, OperationKind, RecordingId, Restore, Target,
    Trash,
};

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("rec-{i:05}")).collect()
}

fn failure(status: u16) -> BatchResult {
    BatchResult::Failed(BatchFailure {
        status: Some(status),
        message: Some(format!("status {status}")),
        tracking_id: Some("ROUTER_X".into()),
        request_tracking_id: Some("RECYCLE_Y".into()),
        outcome_unknown: false,
        error_code: None,
        ..BatchFailure::default()
    })
}

fn batch_ids(request: &recycle_core::Request<Trash>) -> Vec<String> {
    match request.target() {
        Target::Ids(ids) => ids.iter().map(str::to_owned).collect(),
        other => panic!("bulk batches act by ID, not {other:?}"),
    }
}

/// Runs a job to the end; `server` decides each batch's result from its IDs.
fn run(job: &mut BulkJob<Trash>, mut server: impl FnMut(&[String]) -> BatchResult) -> usize {
    let mut requests = 0;
    while let Some(batch) = job.next_batch() {
        requests += 1;
        let sent = batch_ids(batch.request());
        let result = server(&sent);
        job.record(batch, result);
    }
    assert!(job.is_finished());
    requests
}

fn unique(n: usize) -> Vec<RecordingId> {
    ids(n)
        .into_iter()
        .map(|i| RecordingId::new(i).expect("id"))
        .collect()
}

#[test]
fn batches_hold_at_most_100_ids_in_input_order() {
    let plan = BulkPlan::new(ids(250)).expect("valid");
    let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
    let mut sizes = Vec::new();
    let mut order = Vec::new();
    run(&mut job, |sent| {
        sizes.push(sent.len());
        order.extend_from_slice(sent);
        BatchResult::Succeeded
    });
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(order, ids(250));
    let report = job.into_report();
    assert!(report.is_success());
    assert_eq!(report.succeeded, unique(250));
}

#[test]
fn smaller_batch_sizes_are_honoured_and_clamped() {
    let plan = BulkPlan::new(ids(10)).expect("valid");
    let mut job = BulkJob::<Trash>::new(
        plan,
        BulkOptions {
            batch_size: 3,
            ..BulkOptions::default()
        },
    );
    let mut sizes = Vec::new();
    run(&mut job, |sent| {
        sizes.push(sent.len());
        BatchResult::Succeeded
    });
    assert_eq!(sizes, [3, 3, 3, 1]);
    let plan = BulkPlan::new(ids(300)).expect("valid");
    let mut job = BulkJob::<Trash>::new(
        plan,
        BulkOptions {
            batch_size: 1000,
            ..BulkOptions::default()
        },
    );
    assert_eq!(job.next_batch().map(|b| b.len()), Some(100));
}

#[test]
fn duplicates_are_sent_once_and_reported_once() {
    let mut input = ids(150);
    input.extend(ids(150));
    input.insert(0, "rec-00149".into());
    let plan = BulkPlan::new(input).expect("valid");
    assert_eq!((plan.ids().len(), plan.duplicates()), (150, 151));
    assert_eq!(plan.ids()[0].as_str(), "rec-00149");
    let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
    let mut sent = Vec::new();
    run(&mut job, |ids| {
        sent.extend_from_slice(ids);
        BatchResult::Succeeded
    });
    assert_eq!(sent.len(), 150);
    assert!(job.into_report().partitions(&unique(150)));
}

#[test]
fn a_bad_id_is_isolated_by_splitting_and_the_rest_succeed() {
    let plan = BulkPlan::new(ids(100)).expect("valid");
    let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
    let bad = "rec-00037".to_owned();
    let requests = run(&mut job, |sent| {
        if sent.contains(&bad) {
            failure(404)
        } else {
            BatchResult::Succeeded
        }
    });
    let report = job.into_report();
    assert_eq!(report.failed.len(), 1);
    let f = &report.failed[0];
    assert_eq!(
        (
            f.id.as_str(),
            f.failure.status,
            f.failure.tracking_id.as_deref()
        ),
        ("rec-00037", Some(404), Some("ROUTER_X"))
    );
    assert_eq!(report.succeeded.len(), 99);
    assert!(
        requests <= 1 + 2 * 7,
        "{requests} requests to isolate one ID in 100"
    );
    assert!(report.partitions(&unique(100)));
}

#[test]
fn every_content_status_splits_and_others_do_not() {
    for (status, splits) in [
        (400, true),
        (404, true),
        (409, true),
        (410, true),
        (405, false),
        (415, false),
        (428, false),
        (503, false),
        (429, false),
    ] {
        let plan = BulkPlan::new(ids(8)).expect("valid");
        let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
        let requests = run(&mut job, |sent| {
            if sent.contains(&"rec-00003".to_owned()) {
                failure(status)
            } else {
                BatchResult::Succeeded
            }
        });
        let report = job.into_report();
        if splits {
            assert_eq!(
                (report.failed.len(), report.succeeded.len()),
                (1, 7),
                "{status}"
            );
            assert!(requests > 1, "{status}");
        } else {
            assert_eq!((report.failed.len(), requests), (8, 1), "{status}");
        }
    }
}

#[test]
fn splitting_stops_at_its_cap_and_still_accounts_for_every_id() {
    let plan = BulkPlan::new(ids(100)).expect("valid");
    let options = BulkOptions {
        max_split_requests: Some(4),
        ..BulkOptions::default()
    };
    let mut job = BulkJob::<Trash>::new(plan, options);
    let requests = run(&mut job, |_| failure(400));
    assert_eq!(requests, 1 + 4, "the cap bounds the extra requests");
    let report = job.into_report();
    assert_eq!(report.failed.len(), 100);
    assert!(report.failed.iter().all(|f| f.failure.status == Some(400)));
    assert!(report.partitions(&unique(100)));
}

#[test]
fn auth_failure_stops_the_job_and_the_rest_are_not_attempted() {
    for status in [401, 403] {
        let plan = BulkPlan::new(ids(350)).expect("valid");
        let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
        let mut calls = 0;
        run(&mut job, |_| {
            calls += 1;
            if calls == 2 {
                failure(status)
            } else {
                BatchResult::Succeeded
            }
        });
        assert!(job.is_stopped());
        let report = job.into_report();
        assert_eq!(
            (
                report.succeeded.len(),
                report.failed.len(),
                report.not_attempted.len()
            ),
            (100, 100, 150),
            "{status}"
        );
        assert_eq!(
            report.not_attempted.first().map(|i| i.as_str()),
            Some("rec-00200")
        );
        assert!(report.partitions(&unique(350)));
    }
}

#[test]
fn batches_in_flight_when_the_job_stops_still_land_in_the_report() {
    let plan = BulkPlan::new(ids(300)).expect("valid");
    let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
    let a = job.next_batch().expect("batch");
    let b = job.next_batch().expect("batch");
    job.record(a, failure(401));
    assert!(job.next_batch().is_none());
    assert!(!job.is_finished(), "b is still in flight");
    job.record(b, BatchResult::Succeeded);
    assert!(job.is_finished());
    let progress = job.progress();
    assert_eq!(
        (progress.total, progress.succeeded, progress.failed),
        (300, 100, 100)
    );
    let report = job.into_report();
    assert_eq!(report.not_attempted.len(), 100);
}

#[test]
fn dropped_connections_are_reported_as_outcome_unknown() {
    let plan = BulkPlan::new(ids(5)).expect("valid");
    let mut job = BulkJob::<Trash>::new(plan, BulkOptions::default());
    run(&mut job, |_| {
        BatchResult::Failed(BatchFailure {
            outcome_unknown: true,
            message: Some("connection dropped".into()),
            ..Default::default()
        })
    });
    let report = job.into_report();
    assert!(
        report
            .failed
            .iter()
            .all(|f| f.failure.outcome_unknown && f.failure.status.is_none())
    );
}

#[test]
fn report_serializes_in_the_documented_shape() {
    let plan = BulkPlan::new(["a", "b", "c"]).expect("valid");
    let mut job = BulkJob::<Restore>::new(
        plan,
        BulkOptions {
            batch_size: 1,
            ..BulkOptions::default()
        },
    );
    let first = job.next_batch().expect("batch");
    job.record(first, BatchResult::Succeeded);
    let second = job.next_batch().expect("batch");
    job.record(
        second,
        BatchResult::Failed(BatchFailure {
            status: Some(409),
            message: Some("not in the recycle bin".into()),
            tracking_id: Some("ROUTER_1".into()),
            request_tracking_id: Some("RECYCLE_1".into()),
            outcome_unknown: false,
            error_code: Some("1005".into()),
            ..BatchFailure::default()
        }),
    );
    job.stop();
    let report = job.into_report();
    assert_eq!(report.operation, OperationKind::Restore);
    let json = serde_json::to_value(&report).expect("serialize");
    assert_eq!(
        json,
        serde_json::json!({
            "operation": "restore",
            "succeeded": ["a"],
            "failed": [{"id": "b", "status": 409, "message": "not in the recycle bin", "errorCode": "1005", "trackingId": "ROUTER_1", "requestTrackingId": "RECYCLE_1", "outcomeUnknown": false}],
            "notAttempted": ["c"]
        })
    );
    let back: BulkReport = serde_json::from_value(json).expect("deserialize");
    assert_eq!(back, report);
}

#[test]
fn partition_check_detects_loss_and_duplication() {
    let all = unique(3);
    let report = |succeeded: &[usize], not_attempted: &[usize]| BulkReport {
        operation: OperationKind::Trash,
        succeeded: succeeded.iter().map(|&i| all[i].clone()).collect(),
        failed: Vec::new(),
        not_attempted: not_attempted.iter().map(|&i| all[i].clone()).collect(),
        already_applied: Vec::new(),
        verified: Vec::new(),
    };
    assert!(report(&[0, 1], &[2]).partitions(&all));
    assert!(!report(&[0, 1], &[]).partitions(&all), "lost");
    assert!(!report(&[0, 1, 2], &[2]).partitions(&all), "twice");
}
