//! The transport: the one thing the driver cannot do itself. Implementations: `client::web`
//! (gloo-net, `client-web`), `client::workers` (workers-rs, `client-workers`), `client::native`
//! (hyper, `client-native`), or your own.

use super::{BoxError, BoxFuture, MaybeSend, MaybeSync};
use std::prelude::rust_2021::*;

/// One `POST` the driver wants sent, exactly as given.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The absolute URL (`{base}/v1/functions/{name}`), made and checked by the core.
    pub url: String,
    /// Header names (lower case) and values, checked by the core (no CR/LF, no SDK-owned
    /// names among the extra ones). `authorization` carries the credential: a transport must not
    /// log it.
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
