//! The accept loop: hyper's HTTP/1 server over the router, with a handle per connection
//! that lets a handler close it without answering.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// The connection a request came on.
#[derive(Debug, Clone)]
pub(crate) struct ConnCtx {
    pub(crate) peer: SocketAddr,
    kill: Arc<Notify>,
}

impl ConnCtx {
    /// Closes the connection without answering.
    pub(crate) fn kill(&self) {
        self.kill.notify_one();
    }
}

/// Serves `router` on `listener` until `shutdown` changes or its sender is dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors and the like: back off briefly instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let ctx = ConnCtx {
                peer,
                kill: kill.clone(),
            };
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ctx.clone());
                router.clone().oneshot(req)
            });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                () = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}
