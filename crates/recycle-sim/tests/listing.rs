//! Listing as Webex publishes it: 7-day defaults, the administrators' 30-day limit, `max`,
//! newest first, `status` (purged for compliance officers), every filter, the `timezone`
//! header, RFC 8288 pagination, and a recording's details.

mod common;

use std::collections::HashSet;

use common::{Env, read, webex_error};
use recycle_core::Timestamp;
use recycle_core::protocol::{next_page_url, parse_link_header};
use recycle_core::url::Url;
use recycle_sim::RecordingState::{self, Available, Deleted, Purged};
use recycle_sim::SimConfig;
use serde_json::Value;

const NOW: &str = "2026-06-01T00:00:00Z";
const DAY: i64 = 86_400;

fn at(offset_days: i64) -> String {
    let now = Timestamp::parse(NOW).expect("now").unix_seconds();
    Timestamp::from_unix_seconds(now + offset_days * DAY).to_string()
}

fn config(seed: u64) -> SimConfig {
    SimConfig::new(seed).now(Timestamp::parse(NOW).expect("now"))
}

/// `who`'s recordings in `state` created in `[from, to)`, newest first, as the simulator
/// holds them.
fn expected(env: &Env, who: &str, state: RecordingState, from: &str, to: &str) -> Vec<String> {
    let (from, to) = (secs(from), secs(to));
    let email = env.email(who);
    let mut rows: Vec<(i64, String)> = env
        .sim
        .recordings()
        .into_iter()
        .filter(|r| r.owner_email == email && r.state == state)
        .map(|r| (secs(&r.create_time), r.id))
        .filter(|(t, _)| (from..to).contains(t))
        .collect();
    rows.sort_by(|a, b| b.cmp(a));
    rows.into_iter().map(|(_, id)| id).collect()
}

fn secs(t: &str) -> i64 {
    Timestamp::parse(t).expect("time").unix_seconds()
}

fn q(pairs: &[(&str, &str)]) -> String {
    recycle_core::url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Follows `rel="next"` from `first`, returning every item and the number of pages.
async fn walk(env: &Env, first: &str, who: &str) -> (Vec<Value>, usize) {
    let mut url = Url::parse(first).expect("url");
    let (mut items, mut pages) = (Vec::new(), 0);
    loop {
        let resp = env.get(url.as_str(), who).await;
        let headers = resp.headers().clone();
        let (status, body) = read(resp).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        items.extend(body["items"].as_array().expect("items").iter().cloned());
        match next_page_url(&url, &headers).expect("same origin") {
            Some(next) => url = next,
            None => return (items, pages),
        }
        assert!(pages < 1000, "pagination ends");
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn items_carry_the_official_fields_and_come_newest_first() {
    let env = Env::start(config(3).recordings_for("alice", 200)).await;
    let (from, to) = (at(-60), at(0));
    let url = env.url(&format!(
        "/convergedRecordings?{}",
        q(&[
            ("status", "available"),
            ("max", "5"),
            ("from", &from),
            ("to", &to)
        ])
    ));
    let (items, pages) = walk(&env, &url, "alice").await;
    let want = expected(&env, "alice", Available, &from, &to);
    assert!(want.len() > 10, "enough data: {}", want.len());
    assert_eq!(ids(&items), want, "every one once, newest first");
    assert_eq!(pages, want.len().div_ceil(5));
    let official = [
        "id",
        "topic",
        "createTime",
        "timeRecorded",
        "format",
        "serviceType",
        "durationSeconds",
        "sizeBytes",
        "status",
        "ownerId",
        "ownerEmail",
        "ownerType",
        "storageRegion",
    ];
    for item in &items {
        for field in official {
            assert!(!item[field].is_null(), "{field} in {item}");
        }
        assert!(item["durationSeconds"].is_number() && item["sizeBytes"].is_number());
        assert_eq!(item["format"], "MP3");
        assert!(item["serviceData"]["locationId"].is_string(), "{item}");
        assert!(item["serviceData"]["callSessionId"].is_string(), "{item}");
    }
    let shapes: HashSet<usize> = env.sim.recordings().iter().map(|r| r.id.len()).collect();
    assert_eq!(shapes, HashSet::from([32, 36]), "hex and dashed UUID IDs");
    let ages: Vec<i64> = env
        .sim
        .recordings()
        .iter()
        .map(|r| secs(NOW) - secs(&r.create_time))
        .collect();
    assert!(ages.iter().all(|a| (0..=365 * DAY).contains(a)));
    assert!(ages.iter().any(|a| *a > 300 * DAY), "spread over the year");
}

#[tokio::test]
async fn open_ends_default_to_seven_days() {
    let env = Env::start(config(4).recordings_for("alice", 400)).await;
    let list = |query: String| {
        let env = &env;
        async move {
            let url = env.url(&format!("/convergedRecordings?max=100&{query}"));
            ids(&walk(env, &url, "alice").await.0)
        }
    };
    let last_week = expected(&env, "alice", Available, &at(-7), &at(0));
    assert!(!last_week.is_empty());
    assert_eq!(
        list(String::new()).await,
        last_week,
        "neither: the last 7 days"
    );
    let from = at(-100);
    assert_eq!(
        list(q(&[("from", &from)])).await,
        expected(&env, "alice", Available, &from, &at(-93)),
        "from alone: 7 days from it"
    );
    let to = at(-200);
    assert_eq!(
        list(q(&[("to", &to)])).await,
        expected(&env, "alice", Available, &at(-207), &to),
        "to alone: the 7 days before it"
    );
    let (from, to) = (at(-250), at(-150));
    assert_eq!(
        list(q(&[("from", &from), ("to", &to)])).await,
        expected(&env, "alice", Available, &from, &to),
        "a user's range has no 30-day limit"
    );
}

#[tokio::test]
async fn the_admin_interval_is_at_most_30_days() {
    let env = Env::start(config(5)).await;
    let get = |from: String, to: String| {
        let env = &env;
        async move {
            let url = env.url(&format!(
                "/admin/convergedRecordings?{}",
                q(&[("from", &from), ("to", &to)])
            ));
            env.get(&url, "admin").await
        }
    };
    assert_eq!(get(at(-30), at(0)).await.status(), 200, "exactly 30 days");
    webex_error(get(at(-31), at(0)).await, 400).await;
    let offset = "2026-05-02T08:00:00+08:00";
    assert_eq!(
        get(offset.into(), at(0)).await.status(),
        200,
        "offsets count"
    );
}

#[tokio::test]
async fn page_size_defaults_to_10_and_stays_within_1_to_100() {
    let env = Env::start(config(7).recordings_for("bob", 300)).await;
    let range = q(&[("from", &at(-30)), ("to", &at(0))]);
    let resp = env
        .get(&env.url(&format!("/convergedRecordings?{range}")), "bob")
        .await;
    assert!(resp.headers().contains_key("link"));
    let (_, body) = read(resp).await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(10));
    let resp = env
        .get(
            &env.url(&format!("/convergedRecordings?max=100&{range}")),
            "bob",
        )
        .await;
    assert!(!resp.headers().contains_key("link"), "one page holds them");
    for max in ["0", "101", "1.5", "ten"] {
        let url = env.url(&format!("/convergedRecordings?max={max}"));
        webex_error(env.get(&url, "bob").await, 400).await;
    }
}

#[tokio::test]
async fn next_links_are_absolute_on_the_printed_origin_and_keep_the_query() {
    let env = Env::start(config(7).recordings_for("alice", 100)).await;
    let resp = env
        .get(
            &env.url("/convergedRecordings?max=2&status=available&from=2026-03-01&to=2026-06-01"),
            "alice",
        )
        .await;
    let link = resp.headers()["link"].to_str().expect("ascii").to_owned();
    let links = parse_link_header(&link);
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].rels, ["next"]);
    let next = Url::parse(&links[0].target).expect("absolute");
    assert!(next.as_str().starts_with(env.sim.base_url()), "{next}");
    let query: Vec<(String, String)> = next
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    for pair in [
        ("max", "2"),
        ("status", "available"),
        ("from", "2026-03-01"),
    ] {
        assert!(query.contains(&(pair.0.into(), pair.1.into())), "{query:?}");
    }
}

#[tokio::test]
async fn admins_list_the_org_or_one_owner_and_compliance_officers_see_purged() {
    let env = Env::start(config(8).recordings_for("bob", 60)).await;
    let (from, to) = (at(-30), at(0));
    let range = q(&[("from", &from), ("to", &to), ("max", "10")]);
    let (all, _) = walk(
        &env,
        &env.url(&format!("/admin/convergedRecordings?{range}")),
        "admin",
    )
    .await;
    let everyone: usize = ["admin", "alice", "bob", "readonly", "compliance"]
        .iter()
        .map(|w| expected(&env, w, Available, &from, &to).len())
        .sum();
    assert_eq!(all.len(), everyone);
    let bin =
        format!("/admin/convergedRecordings?status=deleted&ownerEmail=bob%40example.com&{range}");
    let (bobs, _) = walk(&env, &env.url(&bin), "compliance").await;
    assert_eq!(ids(&bobs), expected(&env, "bob", Deleted, &from, &to));

    let in_bin = env.ids("bob", Deleted);
    let purged = env
        .post(
            "/convergedRecordings/purge",
            "bob",
            &common::ids_body(&in_bin),
        )
        .await;
    assert_eq!(purged.status(), 204);
    let purged_list =
        format!("/admin/convergedRecordings?status=purged&ownerEmail=bob%40example.com&{range}");
    let (seen, _) = walk(&env, &env.url(&purged_list), "compliance").await;
    assert_eq!(ids(&seen), expected(&env, "bob", Purged, &from, &to));
    assert!(seen.iter().all(|i| i["status"] == "purged"));
    webex_error(env.get(&env.url(&purged_list), "admin").await, 403).await;
    webex_error(
        env.get(&env.url("/convergedRecordings?status=purged"), "bob")
            .await,
        400,
    )
    .await;
    webex_error(
        env.get(&env.url("/admin/convergedRecordings"), "alice")
            .await,
        403,
    )
    .await;
    webex_error(
        env.get(&env.url("/convergedRecordings"), "compliance")
            .await,
        403,
    )
    .await;
}

/// Reads one field of a listed item.
type Field = fn(&Value) -> &Value;

#[tokio::test]
async fn every_filter_selects_what_it_names() {
    let env = Env::start(config(10).recordings_for("alice", 600)).await;
    let range = q(&[("from", &at(-30)), ("to", &at(0)), ("max", "100")]);
    let base = format!("/admin/convergedRecordings?{range}");
    let (all, _) = walk(&env, &env.url(&base), "admin").await;
    assert!(all.len() > 30, "{}", all.len());
    let filters: [(&str, Field); 6] = [
        ("serviceType", |i| &i["serviceType"]),
        ("format", |i| &i["format"]),
        ("ownerType", |i| &i["ownerType"]),
        ("storageRegion", |i| &i["storageRegion"]),
        ("locationId", |i| &i["serviceData"]["locationId"]),
        ("ownerId", |i| &i["ownerId"]),
    ];
    for (param, field) in filters {
        let values: HashSet<String> = all
            .iter()
            .filter_map(|i| field(i).as_str().map(str::to_owned))
            .collect();
        assert!(!values.is_empty(), "{param}");
        for value in values {
            let url = env.url(&format!("{base}&{}", q(&[(param, &value)])));
            let (got, _) = walk(&env, &url, "admin").await;
            let want: Vec<Value> = all
                .iter()
                .filter(|i| field(i).as_str() == Some(value.as_str()))
                .cloned()
                .collect();
            assert_eq!(ids(&got), ids(&want), "{param}={value}");
        }
    }
    let topic = all[0]["topic"].as_str().expect("topic").to_owned();
    let word = topic.split(' ').next().expect("a word").to_uppercase();
    let url = env.url(&format!("{base}&{}", q(&[("topic", &word)])));
    let (got, _) = walk(&env, &url, "admin").await;
    let want: Vec<Value> = all
        .iter()
        .filter(|i| {
            i["topic"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().contains(&word.to_lowercase()))
        })
        .cloned()
        .collect();
    assert!(ids(&got).contains(&ids(&all)[0]), "case-insensitive");
    assert_eq!(ids(&got), ids(&want));
    for bad in [
        "serviceType=meeting",
        "format=mp3",
        "ownerType=robot",
        "storageRegion=EU",
        "topic=",
    ] {
        webex_error(
            env.get(&env.url(&format!("{base}&{bad}")), "admin").await,
            400,
        )
        .await;
    }
}

#[tokio::test]
async fn the_timezone_header_is_checked() {
    let env = Env::new().await;
    for (tz, status) in [
        ("UTC", 200),
        ("America/New_York", 200),
        ("Mars Base", 400),
        ("", 400),
    ] {
        let resp = env
            .http
            .get(env.url("/convergedRecordings"))
            .bearer_auth(env.token("alice"))
            .header("timezone", tz)
            .send()
            .await
            .expect("response");
        assert_eq!(resp.status().as_u16(), status, "{tz:?}");
    }
}

#[tokio::test]
async fn bad_list_queries_are_400() {
    let env = Env::new().await;
    for query in [
        "max=0",
        "max=101",
        "max=abc",
        "status=trashed",
        "from=yesterday",
        "from=2026-02-01&to=2026-01-01",
        "offset=-1",
        "max=5&max=6",
    ] {
        webex_error(
            env.get(&env.url(&format!("/convergedRecordings?{query}")), "alice")
                .await,
            400,
        )
        .await;
    }
}

#[tokio::test]
async fn details_for_the_owner_an_admin_and_a_compliance_officer() {
    let env = Env::start(config(11).recordings_for("alice", 40)).await;
    let mine = env.ids("alice", Available)[0].clone();
    let details = |id: String, who: &'static str| {
        let env = &env;
        async move {
            env.get(&env.url(&format!("/convergedRecordings/{id}")), who)
                .await
        }
    };
    for who in ["alice", "admin", "compliance"] {
        let (status, body) = read(details(mine.clone(), who).await).await;
        assert_eq!(status, 200, "{who}: {body}");
        assert_eq!(body["id"], mine.as_str());
        assert_eq!(body["status"], "available");
    }
    webex_error(details(mine.clone(), "bob").await, 404).await;
    webex_error(details("0".repeat(32), "alice").await, 404).await;
    webex_error(details("not-an-id".into(), "alice").await, 400).await;

    let gone = env.ids("alice", Deleted)[0].clone();
    let purge = env
        .post(
            "/convergedRecordings/purge",
            "alice",
            &common::ids_body(&[&gone]),
        )
        .await;
    assert_eq!(purge.status(), 204);
    let (status, body) = read(details(gone.clone(), "compliance").await).await;
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("purged"))
    );
    webex_error(details(gone.clone(), "admin").await, 404).await;
    webex_error(details(gone, "alice").await, 404).await;
}

#[tokio::test]
async fn both_id_shapes_are_accepted_by_the_actions() {
    let env = Env::start(config(12).recordings_for("alice", 40)).await;
    let available = env.ids("alice", Available);
    let hex = available.iter().find(|i| i.len() == 32).expect("a hex ID");
    let dashed = available.iter().find(|i| i.len() == 36).expect("a UUID");
    let resp = env
        .post(
            "/convergedRecordings/softDelete",
            "alice",
            &common::ids_body(&[hex, dashed]),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(env.state_of(hex), Deleted);
    assert_eq!(env.state_of(dashed), Deleted);
}

#[tokio::test]
async fn with_a_list_lag_lists_see_changes_late_and_details_at_once() {
    let env = Env::start(config(9).recordings_for("alice", 40).list_lag_ms(400)).await;
    let to = at(1);
    let list = |status: &str| {
        env.url(&format!(
            "/convergedRecordings?{}",
            q(&[
                ("status", status),
                ("max", "100"),
                ("from", &at(-30)),
                ("to", &to)
            ])
        ))
    };
    let (before, _) = walk(&env, &list("available"), "alice").await;
    let id = ids(&before)[0].clone();
    let resp = env
        .post(
            "/convergedRecordings/softDelete",
            "alice",
            &common::ids_body(&[&id]),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(env.state_of(&id), Deleted);
    // Right after: the list still shows it available, the details endpoint deleted.
    let (stale, _) = walk(&env, &list("available"), "alice").await;
    let shown = stale
        .iter()
        .find(|i| i["id"] == id.as_str())
        .expect("still listed");
    assert_eq!(shown["status"], "available");
    let (bin, _) = walk(&env, &list("deleted"), "alice").await;
    assert!(!ids(&bin).contains(&id), "not in the listed bin yet");
    let details = env
        .get(&env.url(&format!("/convergedRecordings/{id}")), "alice")
        .await;
    let (_, body) = read(details).await;
    assert_eq!(body["status"], "deleted");
    // After the lag: the lists agree.
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    let (fresh, _) = walk(&env, &list("available"), "alice").await;
    assert!(!ids(&fresh).contains(&id));
    let (bin, _) = walk(&env, &list("deleted"), "alice").await;
    assert!(ids(&bin).contains(&id));
}

/// Paging remembers where the next page starts (so a window's pages do not each skip every
/// earlier item again); the pages are the same as a fresh scan gives, in any order asked.
#[tokio::test]
async fn pages_are_the_same_followed_in_order_or_asked_directly() {
    let env = Env::start(config(9).recordings_for("alice", 400)).await;
    let range = q(&[("from", &at(-365)), ("to", &at(1)), ("max", "7")]);
    let page = |offset: usize| {
        let url = env.url(&format!("/convergedRecordings?{range}&offset={offset}"));
        let env = &env;
        async move {
            let (status, body) = read(env.get(&url, "alice").await).await;
            assert_eq!(status, 200, "{body}");
            ids(body["items"].as_array().expect("items"))
        }
    };
    let direct = page(21).await; // no page before it was asked for
    let followed: Vec<Vec<String>> = vec![page(0).await, page(7).await, page(14).await];
    assert_eq!(page(21).await, direct, "the fourth page, reached in order");
    let all = expected(&env, "alice", RecordingState::Available, &at(-365), &at(1));
    assert_eq!(followed.concat(), all[..21].to_vec());
    assert_eq!(direct, all[21..28].to_vec());
    // A change between pages: the next page is what a fresh scan gives (offsets count
    // what matches now).
    let trashed = followed[0][0].clone();
    let body = serde_json::json!({ "recordingIds": [trashed] }).to_string();
    let resp = env
        .post("/convergedRecordings/softDelete", "alice", &body)
        .await;
    assert_eq!(resp.status(), 204);
    let after = expected(&env, "alice", RecordingState::Available, &at(-365), &at(1));
    assert_eq!(page(28).await, after[28..35].to_vec());
}
