//! The simulator's Webex behaviour over a real loopback socket: authentication, scopes,
//! media types, methods, every body rule, ownership, atomic batches and the lifecycle.

mod common;

use common::{Env, ids_body, read, webex_error};
use recycle_sim::RecordingState::{Available, Deleted, Purged};

const SOFT: &str = "/convergedRecordings/softDelete";
const RESTORE: &str = "/convergedRecordings/restore";
const PURGE: &str = "/convergedRecordings/purge";

#[tokio::test]
async fn missing_or_unknown_tokens_are_401() {
    let env = Env::new().await;
    let resp = env
        .http
        .post(env.url(SOFT))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("response");
    webex_error(resp, 401).await;
    let resp = env
        .http
        .get(env.url("/convergedRecordings"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("response");
    webex_error(resp, 401).await;
    let resp = env
        .http
        .get(env.url("/convergedRecordings"))
        .header("authorization", env.token("alice"))
        .send()
        .await
        .expect("response");
    webex_error(resp, 401).await; // no "Bearer " scheme
}

#[tokio::test]
async fn missing_scopes_are_403() {
    let env = Env::new().await;
    let id = env.ids("readonly", Available)[0].clone();
    webex_error(env.post(SOFT, "readonly", &ids_body(&[id])).await, 403).await;
    webex_error(
        env.get(&env.url("/admin/convergedRecordings"), "alice")
            .await,
        403,
    )
    .await;
    webex_error(
        env.get(&env.url("/convergedRecordings"), "admin").await,
        403,
    )
    .await;
    let (status, _) = read(env.get(&env.url("/convergedRecordings"), "readonly").await).await;
    assert_eq!(status, 200, "read scope suffices to list");
}

#[tokio::test]
async fn non_json_bodies_are_415_wrong_methods_405_unknown_paths_404() {
    let env = Env::new().await;
    let id = env.ids("alice", Available)[0].clone();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut req = env
            .http
            .post(env.url(SOFT))
            .bearer_auth(env.token("alice"))
            .body(ids_body(&[&id]));
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        webex_error(req.send().await.expect("response"), 415).await;
    }
    let ok = env
        .http
        .post(env.url(SOFT))
        .bearer_auth(env.token("alice"))
        .header("content-type", "application/json; charset=utf-8")
        .body(ids_body(&[id]))
        .send()
        .await
        .expect("response");
    assert_eq!(ok.status(), 204);
    webex_error(env.get(&env.url(SOFT), "alice").await, 405).await;
    let resp = env
        .http
        .delete(env.url("/convergedRecordings"))
        .bearer_auth(env.token("alice"))
        .send()
        .await
        .expect("response");
    webex_error(resp, 405).await;
    webex_error(
        env.get(&env.url("/convergedRecordings/nothing"), "alice")
            .await,
        400,
    )
    .await;
    webex_error(env.get(&env.url("/nothing"), "alice").await, 404).await;
    webex_error(
        env.get(&env.root("/v2/convergedRecordings"), "alice").await,
        404,
    )
    .await;
}

#[tokio::test]
async fn every_body_rule_is_a_400_and_changes_nothing() {
    let env = Env::new().await;
    let before = env.sim.recordings();
    let id = env.ids("alice", Available)[0].clone();
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let bodies = [
        "{}".to_owned(),
        r#"{"recordingIds":[]}"#.to_owned(),
        ids_body(&many),
        format!(r#"{{"recordingIds":["{id}","{id}"]}}"#),
        r#"{"recordingIds":["a b"]}"#.to_owned(),
        r#"{"recordingIds":[""]}"#.to_owned(),
        format!(r#"{{"recordingIds":["{id}"],"ownerEmail":"alice@example.com"}}"#),
        format!(r#"{{"trashAll":true,"recordingIds":["{id}"]}}"#),
        r#"{"trashAll":true,"ownerEmail":"not an email"}"#.to_owned(),
        r#"{"trashAll":"yes"}"#.to_owned(),
        r#"{"recordingIds":null}"#.to_owned(),
        format!(r#"{{"recordingIds":["{id}"],"extra":1}}"#),
        r#"{"purgeAll":true}"#.to_owned(),
        "{not json".to_owned(),
        String::new(),
    ];
    for body in &bodies {
        let err = webex_error(env.post(SOFT, "alice", body).await, 400).await;
        assert!(
            !err["message"].as_str().unwrap_or_default().is_empty(),
            "{body}"
        );
    }
    // The caller-dependent rule: a user names no owner, an admin acting on all names one.
    webex_error(
        env.post(
            SOFT,
            "alice",
            r#"{"trashAll":true,"ownerEmail":"bob@example.com"}"#,
        )
        .await,
        400,
    )
    .await;
    webex_error(env.post(SOFT, "admin", r#"{"trashAll":true}"#).await, 400).await;
    assert_eq!(
        env.sim.recordings(),
        before,
        "refused requests change nothing"
    );
}

#[tokio::test]
async fn lifecycle_trash_restore_purge() {
    let env = Env::new().await;
    let ids: Vec<String> = env.ids("alice", Available).into_iter().take(3).collect();
    assert_eq!(env.post(SOFT, "alice", &ids_body(&ids)).await.status(), 204);
    assert!(ids.iter().all(|id| env.state_of(id) == Deleted));
    assert_eq!(
        env.post(SOFT, "alice", &ids_body(&ids)).await.status(),
        204,
        "re-trashing is an idempotent success"
    );
    assert_eq!(
        env.post(RESTORE, "alice", &ids_body(&ids[..1]))
            .await
            .status(),
        204
    );
    assert_eq!(env.state_of(&ids[0]), Available);
    assert_eq!(
        env.post(RESTORE, "alice", &ids_body(&ids[..1]))
            .await
            .status(),
        204,
        "restoring what is available is a no-op success"
    );
    assert_eq!(
        env.post(PURGE, "alice", &ids_body(&ids[1..]))
            .await
            .status(),
        204
    );
    assert!(ids[1..].iter().all(|id| env.state_of(id) == Purged));
    // Gone for good: not listable, not restorable, not purgeable again.
    let (_, listed) = read(
        env.get(
            &env.url("/convergedRecordings?status=deleted&max=100"),
            "alice",
        )
        .await,
    )
    .await;
    assert!(
        !listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|r| r["id"] == ids[1].as_str())
    );
    let err = webex_error(env.post(RESTORE, "alice", &ids_body(&ids[1..2])).await, 410).await;
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&ids[1])
    );
    webex_error(env.post(PURGE, "alice", &ids_body(&ids[1..2])).await, 410).await;
}

#[tokio::test]
async fn purging_what_is_not_in_the_bin_is_409_for_the_whole_batch() {
    let env = Env::new().await;
    let deleted = env.ids("alice", Deleted);
    let available = env.ids("alice", Available)[0].clone();
    assert!(
        !deleted.is_empty(),
        "the seed puts some recordings in the bin"
    );
    let mut batch = deleted.clone();
    batch.push(available.clone());
    let err = webex_error(env.post(PURGE, "alice", &ids_body(&batch)).await, 409).await;
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&available)
    );
    assert_eq!(
        err["errors"][0]["description"].as_str(),
        Some(format!("{available}: not in the recycle bin").as_str())
    );
    assert!(
        deleted.iter().all(|id| env.state_of(id) == Deleted),
        "atomic: nothing purged"
    );
}

#[tokio::test]
async fn users_act_only_on_their_own_and_admins_on_anyones() {
    let env = Env::new().await;
    let mine = env.ids("alice", Available)[0].clone();
    let bobs = env.ids("bob", Available)[0].clone();
    let err = webex_error(
        env.post(SOFT, "alice", &ids_body(&[mine.clone(), bobs.clone()]))
            .await,
        404,
    )
    .await;
    assert!(err["message"].as_str().unwrap_or_default().contains(&bobs));
    assert!(
        !err["message"].as_str().unwrap_or_default().contains(&mine),
        "only the offending IDs are named"
    );
    assert_eq!(
        (env.state_of(&mine), env.state_of(&bobs)),
        (Available, Available),
        "atomic batch"
    );
    assert_eq!(
        env.post(SOFT, "admin", &ids_body(&[mine.clone(), bobs.clone()]))
            .await
            .status(),
        204
    );
    assert_eq!(
        (env.state_of(&mine), env.state_of(&bobs)),
        (Deleted, Deleted)
    );
}

#[tokio::test]
async fn unknown_ids_are_404_and_malformed_ids_400_naming_each() {
    let env = Env::new().await;
    let good = env.ids("alice", Available)[0].clone();
    let (u1, u2) = ("0".repeat(32), "f".repeat(32));
    let body = ids_body(&[&good, &u1, &u2]);
    let err = webex_error(env.post(SOFT, "alice", &body).await, 404).await;
    let descriptions: Vec<&str> = err["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["description"].as_str())
        .collect();
    assert_eq!(
        descriptions,
        [format!("{u1}: not found"), format!("{u2}: not found")]
    );
    let body = ids_body(&[
        good.as_str(),
        &u1,
        "not-a-recording-id",
        "ABCDEF0123456789ABCDEF012345678Z",
    ]);
    let err = webex_error(env.post(SOFT, "alice", &body).await, 400).await;
    assert_eq!(err["errors"].as_array().map(Vec::len), Some(2), "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not-a-recording-id")
    );
    assert_eq!(env.state_of(&good), Available);
}

#[tokio::test]
async fn all_flags_act_on_the_callers_or_the_owners_recordings() {
    let env = Env::new().await;
    let alice_total = env.ids("alice", Available).len() + env.ids("alice", Deleted).len();
    assert_eq!(
        env.post(SOFT, "alice", r#"{"trashAll":true}"#)
            .await
            .status(),
        204
    );
    assert_eq!(env.ids("alice", Deleted).len(), alice_total);
    assert!(!env.ids("bob", Available).is_empty(), "bob's untouched");
    assert_eq!(
        env.post(RESTORE, "alice", r#"{"restoreAll":true}"#)
            .await
            .status(),
        204
    );
    assert_eq!(env.ids("alice", Available).len(), alice_total);

    let bob_deleted = env.ids("bob", Deleted);
    assert_eq!(
        env.post(
            PURGE,
            "admin",
            r#"{"purgeAll":true,"ownerEmail":"bob@example.com"}"#
        )
        .await
        .status(),
        204
    );
    assert!(bob_deleted.iter().all(|id| env.state_of(id) == Purged));
    assert!(
        env.ids("bob", Deleted).is_empty() && !env.ids("bob", Available).is_empty(),
        "purge takes only what is in the bin"
    );
    webex_error(
        env.post(
            SOFT,
            "admin",
            r#"{"trashAll":true,"ownerEmail":"nobody@example.com"}"#,
        )
        .await,
        404,
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let env = Env::new().await;
    let huge = format!(r#"{{"recordingIds":["{}"]}}"#, "x".repeat(300 * 1024));
    let resp = env.post(SOFT, "alice", &huge).await;
    assert_eq!(resp.status(), 413);
    assert!(resp.headers().contains_key("trackingid"));
}
