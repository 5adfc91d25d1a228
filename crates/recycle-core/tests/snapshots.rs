//! Reviewed snapshots of what users see: the canonical wire body of every constructor of
//! every operation, and the text of every validation error.

use recycle_core::{
    BulkPlan, CallerRole, Email, Operation, Purge, Request, Restore, Trash, ValidationError,
};

fn bodies<O: Operation>() -> String {
    let owner = Email::new("alice@example.com").expect("email");
    let requests: [(&str, Request<O>); 3] = [
        (
            "by_ids",
            Request::by_ids(["rec-1", "rec-2", "rec-3"]).expect("ids"),
        ),
        ("all_mine", Request::all_mine()),
        ("all_of", Request::all_of(owner)),
    ];
    requests
        .iter()
        .map(|(name, req)| {
            format!(
                "{name}: POST {} {}",
                O::KIND.path(),
                String::from_utf8_lossy(&req.to_json())
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn trash_wire_bodies() {
    insta::assert_snapshot!(bodies::<Trash>());
}

#[test]
fn restore_wire_bodies() {
    insta::assert_snapshot!(bodies::<Restore>());
}

#[test]
fn purge_wire_bodies() {
    insta::assert_snapshot!(bodies::<Purge>());
}

#[test]
fn validation_messages() {
    let many: Vec<String> = (0..101).map(|i| format!("id-{i}")).collect();
    let mut bad_job: Vec<String> = vec![
        "ok".into(),
        "with space".into(),
        String::new(),
        "nul\0".into(),
    ];
    bad_job.push("x".repeat(5000));
    bad_job.extend((0..25).map(|i| format!("tab\t{i}")));
    let errors: Vec<(&str, ValidationError)> = vec![
        (
            "no IDs",
            Request::<Trash>::by_ids(Vec::<String>::new()).expect_err(""),
        ),
        ("too many", Request::<Trash>::by_ids(many).expect_err("")),
        (
            "duplicate",
            Request::<Trash>::by_ids(["a", "b", "a"]).expect_err(""),
        ),
        (
            "invalid ID",
            Request::<Trash>::by_ids(["a", "b\r\nc"]).expect_err(""),
        ),
        (
            "long ID",
            Request::<Trash>::by_ids(["y".repeat(1025)]).expect_err(""),
        ),
        (
            "invalid IDs in a job",
            BulkPlan::new(bad_job).expect_err(""),
        ),
        (
            "empty job",
            BulkPlan::new(Vec::<String>::new()).expect_err(""),
        ),
        (
            "invalid email",
            Request::<Trash>::from_json(br#"{"trashAll":true,"ownerEmail":"bob@"}"#).expect_err(""),
        ),
        (
            "IDs with all",
            Request::<Restore>::from_json(br#"{"restoreAll":true,"recordingIds":["a"]}"#)
                .expect_err(""),
        ),
        (
            "owner without all",
            Request::<Purge>::from_json(br#"{"ownerEmail":"a@example.com","recordingIds":["a"]}"#)
                .expect_err(""),
        ),
        (
            "user names owner",
            Request::<Trash>::all_of(Email::new("a@example.com").expect(""))
                .check_role(CallerRole::User)
                .expect_err(""),
        ),
        (
            "admin names nobody",
            Request::<Trash>::all_mine()
                .check_role(CallerRole::Admin)
                .expect_err(""),
        ),
        (
            "unknown field",
            Request::<Trash>::from_json(br#"{"recordingIds":["a"],"ids":[]}"#).expect_err(""),
        ),
        (
            "null",
            Request::<Trash>::from_json(br#"{"recordingIds":null}"#).expect_err(""),
        ),
    ];
    let text = errors
        .iter()
        .map(|(name, e)| format!("{name}: {e}"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}
