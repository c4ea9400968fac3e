//! The browser transport (`client-web`): gloo-net's `fetch` (the global `fetch`, so it works in
//! pages, Web Workers, Node 18+, Deno and workerd alike), with a web-sys `AbortController` per
//! request.
//!
//! Where web-sys is used instead of gloo-net, and why: gloo-net 0.6 accepts an `AbortSignal` but
//! has no way to make one or to abort, so the controller is web-sys's `AbortController`
//! (aborted when the request's future or its body future is dropped: that is how the client's
//! timeouts and [`AbortSignal`](super::AbortSignal)s end the fetch); and whether the code runs in
//! a page (for the CORS hint of network errors) is read from the global object with js-sys; and
//! the request headers are set on a web-sys `Headers`, whose `set` returns an error where
//! gloo-net's throws (nothing on the invoke path may throw or panic).
//! Timers are gloo-timers' (`setTimeout`, cleared on drop).

use super::{BoxError, BoxFuture, HttpRequest, HttpResponse, Transport};
use std::prelude::rust_2021::*;

use gloo_net::http::{Headers, Method, RequestBuilder};
use web_sys::{AbortController, RequestRedirect};

/// Sends with the global `fetch`, `redirect: "error"` (a redirect never carries the token to
/// another host), one `AbortController` per request.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebTransport {
    _private: (),
}

impl WebTransport {
    /// The transport over the global `fetch`.
    pub fn new() -> WebTransport {
        WebTransport::default()
    }
}

/// Aborts the fetch when dropped before the body was read.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn error(e: impl core::fmt::Display) -> BoxError {
    BoxError::from(std::format!("{e}"))
}

impl Transport for WebTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|_| error("AbortController is not available"))?;
            let guard = AbortOnDrop(controller);
            // web-sys's Headers, whose `set` returns the JS error (gloo-net's would throw it).
            let raw = web_sys::Headers::new().map_err(|_| error("Headers is not available"))?;
            for (name, value) in &request.headers {
                raw.set(name, value).map_err(|_| error("a header was refused by fetch"))?;
            }
            let headers = Headers::from_raw(raw);
            let signal = guard.0.signal();
            let req = RequestBuilder::new(&request.url)
                .method(Method::POST)
                .headers(headers)
                .redirect(RequestRedirect::Error)
                .abort_signal(Some(&signal))
                .body(request.body)
                .map_err(error)?;
            let response = req.send().await.map_err(error)?;
            let status = response.status();
            let headers = response.headers().entries().collect();
            let body: BoxFuture<'static, Result<Vec<u8>, BoxError>> = Box::pin(async move {
                let bytes = response.binary().await.map_err(error);
                drop(guard); // after the body: aborting a finished fetch does nothing
                bytes
            });
            Ok(HttpResponse { status, headers, body })
        })
    }

    fn in_browser(&self) -> bool {
        super::rt::has_document()
    }
}
