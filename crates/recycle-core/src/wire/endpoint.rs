//! [`BaseUrl`]: where the API lives, with the transport-security rule applied.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

/// The Webex API's base URL.
pub const WEBEX_BASE_URL: &str = "https://webexapis.com/v1";
/// The base URL of Webex for Government (FedRAMP).
pub const FEDRAMP_BASE_URL: &str = "https://api-usgov.webex.com/v1";

/// Why a base URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    /// Not an absolute URL.
    #[error("{input:?} is not an absolute URL: {reason}")]
    Parse {
        /// The input.
        input: String,
        /// The parser's reason.
        reason: String,
    },
    /// Plain http to a host other than loopback: the token would travel in clear text.
    #[error(
        "plain http is allowed only to loopback hosts (127.0.0.0/8, ::1, localhost), not to {host:?}; use https"
    )]
    InsecureHttp {
        /// The refused host.
        host: String,
    },
    /// A scheme other than http or https.
    #[error("unsupported URL scheme {scheme:?}; use https")]
    Scheme {
        /// The refused scheme.
        scheme: String,
    },
    /// User name, password, query or fragment in the base URL.
    #[error("the base URL must not carry credentials, a query or a fragment")]
    Extra,
}

/// A validated base URL: https, or http to a loopback host only. No trailing slash.
///
/// ```
/// use recycle_core::BaseUrl;
///
/// assert_eq!(BaseUrl::default().as_str(), "https://webexapis.com/v1");
/// assert!(BaseUrl::parse("http://127.0.0.1:8080/v1").is_ok());
/// assert!(BaseUrl::parse("http://webexapis.com/v1").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses and checks `input`.
    pub fn parse(input: &str) -> Result<Self, BaseUrlError> {
        let url = Url::parse(input.trim()).map_err(|e| BaseUrlError::Parse {
            input: input.to_owned(),
            reason: e.to_string(),
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(BaseUrlError::InsecureHttp {
                    host: url.host_str().unwrap_or_default().to_owned(),
                });
            }
            other => {
                return Err(BaseUrlError::Scheme {
                    scheme: other.to_owned(),
                });
            }
        }
        if url.cannot_be_a_base() || url.host().is_none() {
            return Err(BaseUrlError::Parse {
                input: input.to_owned(),
                reason: "no host".into(),
            });
        }
        if !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(BaseUrlError::Extra);
        }
        let mut url = url;
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self(url))
    }

    /// The base URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The URL of `path` (which starts with `/`) below the base.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let full = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&full);
        url
    }

    /// The underlying URL.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

/// Whether the URL's host is loopback: 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        // The constant is a valid https URL.
        Self(Url::parse(WEBEX_BASE_URL).unwrap_or_else(|_| unreachable!()))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for ok in [
            "https://webexapis.com/v1",
            "https://webexapis.com/v1/",
            FEDRAMP_BASE_URL,
            "http://127.0.0.1:3000/v1",
            "http://127.8.9.10/v1",
            "http://[::1]:80/v1",
            "http://localhost:1234/v1",
            "http://LOCALHOST/v1",
        ] {
            let base = BaseUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(!base.as_str().ends_with('/'), "{base}");
        }
    }

    #[test]
    fn refuses_insecure_or_odd_urls() {
        let insecure = [
            "http://webexapis.com/v1",
            "http://10.0.0.1/v1",
            "http://localhost.evil.com/v1",
            "http://128.0.0.1/v1",
        ];
        for bad in insecure {
            assert!(
                matches!(BaseUrl::parse(bad), Err(BaseUrlError::InsecureHttp { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            BaseUrl::parse("ftp://x.com"),
            Err(BaseUrlError::Scheme { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("webexapis.com/v1"),
            Err(BaseUrlError::Parse { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("https://u:p@webexapis.com/v1"),
            Err(BaseUrlError::Extra)
        ));
        assert!(matches!(
            BaseUrl::parse("https://webexapis.com/v1?x=1"),
            Err(BaseUrlError::Extra)
        ));
    }

    #[test]
    fn joins_paths_below_the_base() {
        let base = BaseUrl::parse("http://127.0.0.1:9/v1/").expect("valid");
        assert_eq!(
            base.join("/convergedRecordings/purge").as_str(),
            "http://127.0.0.1:9/v1/convergedRecordings/purge"
        );
    }
}
