//! [`ReqwestTransport`]: moves the core's requests over reqwest.

use std::future::Future;

use recycle_core::adapter::TransportSettings;
use recycle_core::{
    AsyncTransport, Error, HttpRequest, HttpResponse, TransportError, TransportErrorKind,
};

/// An [`AsyncTransport`] on a reqwest client that follows no redirect, has connect and
/// overall timeouts, and reads at most `max_body_bytes` of a response.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body_bytes: usize,
}

impl ReqwestTransport {
    /// A reqwest client set up from `settings` (TLS by rustls with the ring provider).
    pub fn new(settings: &TransportSettings) -> Result<Self, Error> {
        install_ring_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .build()
            .map_err(|e| Error::Setup {
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            max_body_bytes: settings.max_body_bytes,
        })
    }

    /// Uses a reqwest client of your own. It should follow no redirects
    /// (`redirect(Policy::none())`) and have timeouts set.
    pub fn from_client(client: reqwest::Client, max_body_bytes: usize) -> Self {
        Self {
            client,
            max_body_bytes,
        }
    }
}

/// Makes ring the process's rustls crypto provider unless one is installed already.
///
/// This crate builds reqwest with `rustls-no-provider`, so that only ring is compiled (ureq's
/// provider too) rather than ring and aws-lc-rs. reqwest then needs a process-wide provider:
/// [`ReqwestTransport::new`] installs it, and code that builds its own `reqwest::Client`
/// before any `recycle_async::Client` exists should call this first.
pub fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer is fine: a provider is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

impl AsyncTransport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        let client = self.client.clone();
        let max = self.max_body_bytes;
        async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
            let mut response = client.execute(request).await.map_err(classify)?;
            if response
                .content_length()
                .is_some_and(|len| len > max as u64)
            {
                return Err(too_large(max));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > max {
                    return Err(too_large(max));
                }
                body.extend_from_slice(&chunk);
            }
            let mut out = http::Response::new(body);
            *out.status_mut() = response.status();
            *out.version_mut() = response.version();
            *out.headers_mut() = std::mem::take(response.headers_mut());
            Ok(out)
        }
    }
}

fn too_large(max: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("the response body exceeds {max} bytes"),
    )
}

/// Connect failures (timeouts included) sent nothing; other timeouts and broken
/// connections may have been applied by the server.
fn classify(e: reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_redirect() {
        TransportErrorKind::Redirect
    } else if e.is_builder() {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::ConnectionDropped
    };
    TransportError::with_source(kind, e)
}
