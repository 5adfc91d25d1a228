//! The seeds' body rules, as a table run for every operation through both parsers
//! (`Request::from_json` and serde), which must agree.

use recycle_core::{
    CallerRole, Email, Operation, Purge, Request, Restore, Target, Trash, ValidationError,
};

/// What a body should parse to.
#[derive(Debug)]
enum Expect {
    Ids(&'static [&'static str]),
    AllMine,
    AllOf(&'static str),
    Refused(fn(&ValidationError) -> bool),
}

/// `{flag}` in a body stands for the operation's own flag name.
const CASES: &[(&str, Expect)] = &[
    // flag false or absent: ownerEmail empty, 1..=100 IDs
    (r#"{"recordingIds":["a"]}"#, Expect::Ids(&["a"])),
    (
        r#"{"recordingIds":["a","b","c"]}"#,
        Expect::Ids(&["a", "b", "c"]),
    ),
    (
        r#"{"{flag}":false,"recordingIds":["a"]}"#,
        Expect::Ids(&["a"]),
    ),
    (
        r#"{"recordingIds":["a"],"ownerEmail":""}"#,
        Expect::Ids(&["a"]),
    ),
    (
        r#"{}"#,
        Expect::Refused(|e| matches!(e, ValidationError::NoIds)),
    ),
    (
        r#"{"recordingIds":[]}"#,
        Expect::Refused(|e| matches!(e, ValidationError::NoIds)),
    ),
    (
        r#"{"{flag}":false}"#,
        Expect::Refused(|e| matches!(e, ValidationError::NoIds)),
    ),
    (
        r#"{"recordingIds":["a"],"ownerEmail":"x@example.com"}"#,
        Expect::Refused(|e| matches!(e, ValidationError::OwnerWithoutAll { .. })),
    ),
    (
        r#"{"recordingIds":["a","b","a"]}"#,
        Expect::Refused(|e| {
            matches!(
                e,
                ValidationError::DuplicateId {
                    first: 1,
                    second: 3,
                    ..
                }
            )
        }),
    ),
    (
        r#"{"recordingIds":["a",""]}"#,
        Expect::Refused(|e| matches!(e, ValidationError::InvalidId { position: 2, .. })),
    ),
    (
        r#"{"recordingIds":["a b"]}"#,
        Expect::Refused(|e| matches!(e, ValidationError::InvalidId { position: 1, .. })),
    ),
    (
        r#"{"recordingIds":["a\u0000"]}"#,
        Expect::Refused(|e| matches!(e, ValidationError::InvalidId { position: 1, .. })),
    ),
    // flag true: recordingIds empty; ownerEmail names the owner (admin) or is empty (user)
    (r#"{"{flag}":true}"#, Expect::AllMine),
    (
        r#"{"{flag}":true,"recordingIds":[],"ownerEmail":""}"#,
        Expect::AllMine,
    ),
    (
        r#"{"{flag}":true,"ownerEmail":"alice@example.com"}"#,
        Expect::AllOf("alice@example.com"),
    ),
    (
        r#"{"{flag}":true,"recordingIds":["a"]}"#,
        Expect::Refused(|e| matches!(e, ValidationError::IdsWithAll { .. })),
    ),
    (
        r#"{"{flag}":true,"ownerEmail":"not-an-email"}"#,
        Expect::Refused(|e| matches!(e, ValidationError::InvalidEmail { .. })),
    ),
    // malformed: types, null, unknown and repeated fields, trailing data
    (r#"{"{flag}":"true"}"#, Expect::Refused(malformed)),
    (r#"{"{flag}":null}"#, Expect::Refused(malformed)),
    (r#"{"recordingIds":null}"#, Expect::Refused(malformed)),
    (r#"{"recordingIds":"a"}"#, Expect::Refused(malformed)),
    (r#"{"recordingIds":[1]}"#, Expect::Refused(malformed)),
    (
        r#"{"ownerEmail":null,"{flag}":true}"#,
        Expect::Refused(malformed),
    ),
    (
        r#"{"recordingIds":["a"],"extra":1}"#,
        Expect::Refused(malformed),
    ),
    (
        r#"{"recordingIds":["a"],"recordingIds":["b"]}"#,
        Expect::Refused(malformed),
    ),
    (r#"{"recordingIds":["a"]} x"#, Expect::Refused(malformed)),
    (r#"["a"]"#, Expect::Refused(malformed)),
    (r#""#, Expect::Refused(malformed)),
];

fn malformed(e: &ValidationError) -> bool {
    matches!(e, ValidationError::Malformed { .. })
}

fn check_operation<O: Operation>() {
    let flag = O::KIND.flag();
    for (template, expect) in CASES {
        let body = template.replace("{flag}", flag);
        let parsed = Request::<O>::from_json(body.as_bytes());
        let via_serde = serde_json::from_str::<Request<O>>(&body);
        assert_eq!(
            parsed.is_ok(),
            via_serde.is_ok(),
            "{body}: parsers disagree"
        );
        match (expect, parsed) {
            (Expect::Ids(ids), Ok(req)) => {
                let Target::Ids(got) = req.target() else {
                    panic!("{body}: {req:?}")
                };
                let got: Vec<&str> = got.iter().collect();
                assert_eq!(&got, ids, "{body}");
            }
            (Expect::AllMine, Ok(req)) => assert_eq!(req, Request::all_mine(), "{body}"),
            (Expect::AllOf(owner), Ok(req)) => {
                let owner = Email::new(*owner).expect("test email");
                assert_eq!(req, Request::all_of(owner), "{body}");
            }
            (Expect::Refused(is_expected), Err(e)) => assert!(is_expected(&e), "{body}: got {e:?}"),
            (expect, got) => panic!("{body}: expected {expect:?}, got {got:?}"),
        }
    }
}

#[test]
fn trash_bodies_follow_the_seeds() {
    check_operation::<Trash>();
}

#[test]
fn restore_bodies_follow_the_seeds() {
    check_operation::<Restore>();
}

#[test]
fn purge_bodies_follow_the_seeds() {
    check_operation::<Purge>();
}

#[test]
fn another_operations_flag_is_an_unknown_field() {
    let err = Request::<Trash>::from_json(br#"{"purgeAll":true}"#).expect_err("wrong flag");
    assert!(
        err.to_string().contains("unknown field `purgeAll`"),
        "{err}"
    );
    assert!(err.to_string().contains("`trashAll`"), "{err}");
    assert!(Request::<Purge>::from_json(br#"{"purgeAll":true}"#).is_ok());
}

#[test]
fn id_count_limit_is_exactly_100() {
    let ids = |n: usize| (0..n).map(|i| format!("id-{i}")).collect::<Vec<_>>();
    assert!(Request::<Trash>::by_ids(ids(100)).is_ok());
    assert_eq!(
        Request::<Trash>::by_ids(ids(101)).expect_err("101"),
        ValidationError::TooManyIds { count: 101 }
    );
    let body = serde_json::json!({ "recordingIds": ids(101) }).to_string();
    assert_eq!(
        Request::<Restore>::from_json(body.as_bytes()).expect_err("101"),
        ValidationError::TooManyIds { count: 101 }
    );
}

#[test]
fn roles_decide_how_all_is_spelled() {
    let owner = Email::new("bob@example.com").expect("email");
    let cases: [(Request<Trash>, CallerRole, bool); 6] = [
        (Request::all_mine(), CallerRole::User, true),
        (Request::all_mine(), CallerRole::Admin, false),
        (Request::all_of(owner.clone()), CallerRole::Admin, true),
        (Request::all_of(owner), CallerRole::User, false),
        (Request::by_ids(["a"]).expect("ids"), CallerRole::User, true),
        (
            Request::by_ids(["a"]).expect("ids"),
            CallerRole::Admin,
            true,
        ),
    ];
    for (req, role, ok) in cases {
        let result = req.check_role(role);
        assert_eq!(result.is_ok(), ok, "{req:?} as {role}");
        if let Err(e) = result {
            assert_eq!(e, ValidationError::RoleMismatch { role });
        }
    }
}

#[test]
fn roles_come_from_scopes() {
    assert_eq!(
        CallerRole::from_scopes(["spark:recordings_write", "spark-admin:recordings_write"]),
        Some(CallerRole::Admin)
    );
    assert_eq!(
        CallerRole::from_scopes(["spark:recordings_write", "spark:kms"]),
        Some(CallerRole::User)
    );
    assert_eq!(
        CallerRole::from_scopes(["spark-admin:recordings_read"]),
        None
    );
    assert_eq!(CallerRole::from_scopes(Vec::<String>::new()), None);
}

#[test]
fn canonical_form_round_trips() {
    for body in [
        r#"{"recordingIds":["a","b"]}"#,
        r#"{"restoreAll":true}"#,
        r#"{"restoreAll":true,"ownerEmail":"a@example.com"}"#,
    ] {
        let req = Request::<Restore>::from_json(body.as_bytes()).expect("valid");
        assert_eq!(String::from_utf8(req.to_json()).expect("utf8"), body);
    }
    // Non-canonical input comes out canonical.
    let req = Request::<Restore>::from_json(
        br#"{"restoreAll":false,"ownerEmail":"","recordingIds":["a"]}"#,
    )
    .expect("valid");
    assert_eq!(req.to_json(), br#"{"recordingIds":["a"]}"#);
}
