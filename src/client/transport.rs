//! The transport: the one thing the driver cannot do itself. Implementations: `client::web`
//! (gloo-net, `client-web`), `client::workers` (workers-rs, `client-workers`), `client::native`
//! (hyper, `client-native`), or your own.

use super::{BoxError, BoxFuture, MaybeSend, MaybeSync};
use std::borrow::Cow;
use std::prelude::rust_2021::*;

/// One `POST` the driver wants sent, exactly as given.
///
/// Its `Debug` never shows a credential: the `authorization` value (any case) keeps only its
/// scheme (`Bearer [redacted]`, `TC3-HMAC-SHA256 [redacted]`), and a `user:password@` in the URL
/// is `[redacted]`; other headers and the body are shown as they are.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The absolute URL (`{base}/v1/functions/{name}`), made and checked by the core.
    pub url: String,
    /// Header names (lower case) and values, checked by the core (no CR/LF, no SDK-owned
    /// names among the extra ones). `authorization` carries the credential: a transport must not
    /// log it (this type's `Debug` shows only its scheme).
    pub headers: Vec<(String, String)>,
    /// The JSON body (always a JSON object).
    pub body: String,
}

impl HttpRequest {
    /// A request with no headers (for custom transports and tests).
    pub fn new(url: String, body: String) -> HttpRequest {
        HttpRequest { url, headers: Vec::new(), body }
    }
}

impl core::fmt::Debug for HttpRequest {
    // A transport that logs `{:?}` of what it is given must not log the token or signature.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let headers: Vec<(&str, Cow<'_, str>)> = self.headers.iter().map(|(name, value)| (name.as_str(), shown_value(name, value))).collect();
        f.debug_struct("HttpRequest")
            .field("url", &crate::contract::validate::shown_url(&self.url))
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// A header's value as it may be shown: an `authorization` value keeps its scheme (the first word,
/// when it has a scheme's shape: letters, digits, `-`) then `[redacted]`, or is all `[redacted]`.
fn shown_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if !name.eq_ignore_ascii_case("authorization") {
        return Cow::Borrowed(value);
    }
    match value.split_once(' ') {
        Some((scheme, _)) if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
            Cow::Owned(crate::contract::text::cat(&[scheme, " [redacted]"]))
        }
        _ => Cow::Borrowed("[redacted]"),
    }
}

/// An answer's head, and its body still to be read.
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Header names (any case) and values, as received.
    pub headers: Vec<(String, String)>,
    /// Reads the whole body. Dropping it unread aborts the request.
    pub body: BoxFuture<'static, Result<Vec<u8>, BoxError>>,
}

impl HttpResponse {
    /// A response from its parts (for custom transports).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: BoxFuture<'static, Result<Vec<u8>, BoxError>>) -> HttpResponse {
        HttpResponse { status, headers, body }
    }

    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Sends requests; the client decides everything else (what to send, how to read the answer,
/// what a failure means, retries, timeouts).
///
/// An implementation must:
/// - send exactly the request given (method `POST`, URL, headers, body) and never follow a
///   redirect (a 3xx is an answer: the token must not go to another host);
/// - fail with `Err` when no answer came (connection refused or dropped, DNS, CORS), or when the
///   body could not be read completely;
/// - abort the request when the returned future, or the body future, is dropped: that is how the
///   client's timeouts and [`AbortSignal`](super::AbortSignal)s end a request.
pub trait Transport: MaybeSend + MaybeSync + 'static {
    /// Sends `request` and resolves to the answer's head once it has arrived.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>>;

    /// Whether this runs in a browser page, where a CORS refusal looks like a network error
    /// (adds a hint to `NETWORK_ERROR` messages). Default: `false`.
    fn in_browser(&self) -> bool {
        false
    }
}
