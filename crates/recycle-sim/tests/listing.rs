//! Listing: filters, page sizes, windows and RFC 8288 pagination across pages.

mod common;

use std::collections::HashSet;

use common::{Env, read, webex_error};
use recycle_core::url::Url;
use recycle_core::{next_page_url, parse_link_header};
use recycle_sim::RecordingState::{Available, Deleted};
use recycle_sim::SimConfig;

/// Follows `rel="next"` from `first`, returning every item's ID and the number of pages.
async fn walk(env: &Env, first: &str, who: &str) -> (Vec<String>, usize) {
    let mut url = Url::parse(first).expect("url");
    let (mut ids, mut pages) = (Vec::new(), 0);
    loop {
        let resp = env.get(url.as_str(), who).await;
        let headers = resp.headers().clone();
        let (status, body) = read(resp).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        for item in body["items"].as_array().expect("items") {
            ids.push(item["id"].as_str().expect("id").to_owned());
            for field in [
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
            ] {
                assert!(!item[field].is_null(), "{field} in {item}");
            }
        }
        match next_page_url(&url, &headers).expect("same origin") {
            Some(next) => url = next,
            None => return (ids, pages),
        }
        assert!(pages < 1000, "pagination ends");
    }
}

#[tokio::test]
async fn pages_cover_exactly_the_callers_recordings_in_a_state() {
    let env = Env::start(SimConfig::new(3).recordings_for("alice", 53)).await;
    let expected: HashSet<String> = env.ids("alice", Available).into_iter().collect();
    let (ids, pages) = walk(
        &env,
        &env.url("/convergedRecordings?status=available&max=5"),
        "alice",
    )
    .await;
    assert_eq!(ids.len(), expected.len(), "no item twice");
    assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), expected);
    assert_eq!(pages, expected.len().div_ceil(5));
    let (deleted, _) = walk(
        &env,
        &env.url("/convergedRecordings?status=deleted&max=7"),
        "alice",
    )
    .await;
    assert_eq!(
        deleted.into_iter().collect::<HashSet<_>>(),
        env.ids("alice", Deleted).into_iter().collect()
    );
}

#[tokio::test]
async fn next_links_are_absolute_on_the_printed_origin_and_keep_the_query() {
    let env = Env::new().await;
    let resp = env
        .get(
            &env.url("/convergedRecordings?max=2&status=available"),
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
    assert!(
        query.contains(&("max".into(), "2".into()))
            && query.contains(&("status".into(), "available".into())),
        "{query:?}"
    );
}

#[tokio::test]
async fn default_page_size_applies_and_the_last_page_has_no_link() {
    let mut config = SimConfig::new(7).recordings_for("bob", 30);
    config.default_page_size = 10;
    let env = Env::start(config).await;
    let resp = env
        .get(&env.url("/convergedRecordings?status=available"), "bob")
        .await;
    assert!(resp.headers().contains_key("link"));
    let (_, body) = read(resp).await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(10));
    let resp = env
        .get(
            &env.url("/convergedRecordings?status=available&max=100"),
            "bob",
        )
        .await;
    assert!(!resp.headers().contains_key("link"));
}

#[tokio::test]
async fn admins_list_the_org_or_one_owner() {
    let env = Env::new().await;
    let (all, _) = walk(
        &env,
        &env.url("/admin/convergedRecordings?status=available&max=10"),
        "admin",
    )
    .await;
    let everyone: usize = ["admin", "alice", "bob", "readonly"]
        .iter()
        .map(|w| env.ids(w, Available).len())
        .sum();
    assert_eq!(all.len(), everyone);
    let (bobs, _) = walk(
        &env,
        &env.url("/admin/convergedRecordings?status=deleted&ownerEmail=bob%40example.com&max=3"),
        "admin",
    )
    .await;
    assert_eq!(
        bobs.into_iter().collect::<HashSet<_>>(),
        env.ids("bob", Deleted).into_iter().collect()
    );
}

#[tokio::test]
async fn from_and_to_filter_on_creation_time() {
    let env = Env::start(SimConfig::new(9).recordings_for("alice", 40)).await;
    let url = env.url("/convergedRecordings?status=available&max=100&from=2026-01-15T00:00:00Z&to=2026-02-01T00:00:00Z");
    let (_, body) = read(env.get(&url, "alice").await).await;
    let items = body["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        let t = item["createTime"].as_str().expect("time");
        assert!(("2026-01-15".."2026-02-01").contains(&t), "{t}");
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
    ] {
        webex_error(
            env.get(&env.url(&format!("/convergedRecordings?{query}")), "alice")
                .await,
            400,
        )
        .await;
    }
    let wide = "/admin/convergedRecordings?from=2026-01-01T00:00:00Z&to=2026-02-15T00:00:00Z";
    webex_error(env.get(&env.url(wide), "admin").await, 400).await;
    let (status, _) = read(
        env.get(
            &env.url("/convergedRecordings?from=2026-01-01&to=2026-03-01"),
            "alice",
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "the 30-day limit is the admins'");
}
