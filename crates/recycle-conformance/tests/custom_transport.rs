//! Any implementation of the core's transport traits plugs into either client; here a
//! scripted one records what the client sent.

use std::time::Duration;

use recycle_core::protocol::TRACKING_ID_HEADER;
use recycle_core::test_util::ScriptedTransport;
use recycle_core::{ClientBuilder, Receipt, TrashRequest};

fn configure<B>(builder: ClientBuilder<B>) -> ClientBuilder<B> {
    builder
        .base_url("http://127.0.0.1:9/v1")
        .token("t0ken".to_owned().into())
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
}

fn request() -> TrashRequest {
    TrashRequest::by_ids(["r1"]).expect("ids")
}

/// `send` builds a client on the given transport and trashes [`request`].
fn a_custom_transport_carries_the_clients_requests(
    send: impl FnOnce(ScriptedTransport) -> Receipt,
) {
    let transport = ScriptedTransport::new()
        .status(503, &[], "")
        .status(204, &[], "");
    let receipt = send(transport.clone());
    assert_eq!((receipt.status, receipt.attempts), (204, 2));
    let sent = transport.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].uri(),
        "http://127.0.0.1:9/v1/convergedRecordings/softDelete"
    );
    assert_eq!(sent[0].body(), br#"{"recordingIds":["r1"]}"#);
    for attempt in &sent {
        assert_eq!(
            attempt.headers()[TRACKING_ID_HEADER],
            receipt.tracking_id.as_str()
        );
    }
}

#[test]
fn blocking_client_on_a_custom_transport() {
    a_custom_transport_carries_the_clients_requests(|transport| {
        let builder = configure(recycle_blocking::Client::builder());
        let client = recycle_blocking::Client::with_transport(builder, transport).expect("client");
        client.trash(&request()).expect("trash")
    });
}

#[test]
fn async_client_on_a_custom_transport() {
    a_custom_transport_carries_the_clients_requests(|transport| {
        let builder = configure(recycle_async::Client::builder());
        let client = recycle_async::Client::with_transport(builder, transport).expect("client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(client.trash(&request())).expect("trash")
    });
}
