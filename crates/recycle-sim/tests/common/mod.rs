//! Shared helpers: a simulator and a plain HTTP client talking to it over loopback.

#![allow(dead_code, unreachable_pub)]

use recycle_sim::{RecordingState, SimConfig, SimHandle, Simulator};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub struct Env {
    pub sim: SimHandle,
    pub http: Client,
}

/// reqwest is built without a bundled crypto provider in this workspace; give it ring.
pub fn install_crypto() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

impl Env {
    pub async fn start(config: SimConfig) -> Self {
        install_crypto();
        let sim = Simulator::start(config).await.expect("simulator starts");
        Self {
            sim,
            http: Client::new(),
        }
    }

    pub async fn new() -> Self {
        Self::start(SimConfig::new(7)).await
    }

    pub fn token(&self, name: &str) -> String {
        self.sim.identity(name).expect("identity").token.clone()
    }

    pub fn email(&self, name: &str) -> String {
        self.sim.identity(name).expect("identity").email.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    /// The server root (for `/_sim`).
    pub fn root(&self, path: &str) -> String {
        format!("http://{}{path}", self.sim.addr())
    }

    pub async fn post(&self, path: &str, who: &str, body: &str) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(self.token(who))
            .header("content-type", "application/json")
            .header("TrackingID", "RECYCLE_test")
            .body(body.to_owned())
            .send()
            .await
            .expect("a response")
    }

    pub async fn get(&self, url: &str, who: &str) -> Response {
        self.http
            .get(url)
            .bearer_auth(self.token(who))
            .send()
            .await
            .expect("a response")
    }

    pub fn ids(&self, who: &str, state: RecordingState) -> Vec<String> {
        self.sim.ids_of(&self.email(who), state)
    }

    pub fn state_of(&self, id: &str) -> RecordingState {
        self.sim.state_of(id).expect("known id")
    }
}

/// Status and JSON body of a response.
pub async fn read(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, json)
}

/// Asserts a Webex error body whose trackingId matches the header.
pub async fn webex_error(resp: Response, expected: u16) -> Value {
    let header = resp
        .headers()
        .get("trackingid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (status, body) = read(resp).await;
    assert_eq!(status.as_u16(), expected, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["errors"][0]["description"].is_string(), "{body}");
    assert_eq!(body["trackingId"].as_str(), header.as_deref(), "{body}");
    body
}

pub fn ids_body<S: serde::Serialize>(ids: &[S]) -> String {
    serde_json::json!({ "recordingIds": ids }).to_string()
}
