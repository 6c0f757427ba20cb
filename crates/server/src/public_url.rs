//! The address citizens and staff reach the centre at (`--public-url`): printed in the QR codes of
//! notices, the only origin besides the request's own host that may send state-changing requests,
//! and, when it is https, what makes the session cookie `Secure`.

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(Url);

#[derive(Debug, thiserror::Error)]
pub enum PublicUrlError {
    #[error("the public URL is not a URL: {0}")]
    NotAUrl(#[from] url::ParseError),
    #[error("the public URL must be http or https with a host, and no path, query or fragment")]
    NotAnOrigin,
}

impl PublicUrl {
    pub fn parse(s: &str) -> Result<PublicUrl, PublicUrlError> {
        let url = Url::parse(s.trim())?;
        let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
        if !matches!(url.scheme(), "http" | "https") || !url.has_host() || !bare {
            return Err(PublicUrlError::NotAnOrigin);
        }
        Ok(PublicUrl(url))
    }

    /// `http://ADDR` for a server listening on `addr` with no public URL configured.
    pub fn of_listen(addr: &str) -> PublicUrl {
        PublicUrl::parse(&format!("http://{addr}"))
            .unwrap_or_else(|_| PublicUrl::parse("http://localhost").expect("valid"))
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// `scheme://host[:port]`, as a browser sends it in `Origin`.
    pub fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }

    /// The public progress query of a case.
    pub fn progress(&self, number: &str) -> String {
        format!("{}/progress?number={number}", self.origin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_an_origin() {
        let u = PublicUrl::parse("https://zwfw.jinping.gov.cn").unwrap();
        assert!(u.is_https());
        assert_eq!(u.origin(), "https://zwfw.jinping.gov.cn");
        assert_eq!(
            u.progress("440511-20261121-0001237"),
            "https://zwfw.jinping.gov.cn/progress?number=440511-20261121-0001237"
        );
        let local = PublicUrl::of_listen("127.0.0.1:8080");
        assert_eq!(local.origin(), "http://127.0.0.1:8080");
        assert!(!local.is_https());
        for bad in [
            "ftp://x",
            "https://x/path",
            "https://x/?q=1",
            "x",
            "https://",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
