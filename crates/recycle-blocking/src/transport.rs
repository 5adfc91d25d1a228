//! [`UreqTransport`]: moves the core's requests over ureq.

use std::io;

use recycle_core::adapter::TransportSettings;
use recycle_core::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use ureq::Agent;
use ureq::config::Config;

/// A [`Transport`] on a ureq agent that turns no status into an error, follows no redirect,
/// uses no proxy from the environment, has connect and overall timeouts, and reads at most
/// `max_body_bytes` of a response.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: Agent,
    max_body_bytes: usize,
}

impl UreqTransport {
    /// An agent set up from `settings` (TLS by rustls with the ring provider, ureq's default).
    pub fn new(settings: &TransportSettings) -> Self {
        let config: Config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.timeout))
            .build();
        Self {
            agent: Agent::new_with_config(config),
            max_body_bytes: settings.max_body_bytes,
        }
    }

    /// Uses an agent of your own. It should have `http_status_as_error(false)` and
    /// `max_redirects(0)` with `max_redirects_will_error(false)`, and timeouts set.
    pub fn from_agent(agent: Agent, max_body_bytes: usize) -> Self {
        Self {
            agent,
            max_body_bytes,
        }
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut response = self.agent.run(request).map_err(classify)?;
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_body_bytes as u64)
            .read_to_vec()
            .map_err(classify)?;
        let (parts, _) = response.into_parts();
        Ok(http::Response::from_parts(parts, body))
    }
}

/// Connect failures (timeouts included) sent nothing; other timeouts and broken
/// connections may have been applied by the server.
fn classify(e: ureq::Error) -> TransportError {
    use TransportErrorKind as K;
    use ureq::Timeout as T;
    let kind = match &e {
        ureq::Error::Timeout(T::Resolve | T::Connect) => K::Connect,
        ureq::Error::Timeout(_) => K::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => K::Connect,
        ureq::Error::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NotFound => K::Connect,
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => K::Timeout,
            _ => K::ConnectionDropped,
        },
        ureq::Error::Protocol(_) => K::ConnectionDropped,
        ureq::Error::BodyExceedsLimit(_) => K::BodyTooLarge,
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => K::Redirect,
        _ => K::Other,
    };
    TransportError::with_source(kind, e)
}
