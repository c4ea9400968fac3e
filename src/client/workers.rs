//! The Cloudflare Workers transport (`client-workers`): workers-rs's `Fetch`, with its
//! `AbortController` per request, `redirect: "manual"` (workerd has no `"error"` mode, so a 3xx
//! comes back as an answer, which the core reads as an `HttpError`).

use super::{BoxError, BoxFuture, HttpRequest, HttpResponse, Transport};
use std::prelude::rust_2021::*;

use wasm_bindgen::JsValue;
use worker::{AbortController, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// Sends with the Workers runtime's `fetch` (from a `#[event(fetch)]` handler, a Durable Object,
/// a scheduled event). Dropping a request's future aborts the fetch.
#[derive(Clone, Copy, Debug, Default)]
pub struct WorkersTransport {
    _private: (),
}

impl WorkersTransport {
    /// The transport over the Workers runtime's `fetch`.
    pub fn new() -> WorkersTransport {
        WorkersTransport::default()
    }
}

struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

fn error(e: impl core::fmt::Display) -> BoxError {
    BoxError::from(std::format!("{e}"))
}

impl Transport for WorkersTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        Box::pin(async move {
            let headers = Headers::new();
            for (name, value) in &request.headers {
                headers.set(name, value).map_err(error)?;
            }
            let mut init = RequestInit::new();
            init.with_method(Method::Post)
                .with_headers(headers)
                .with_redirect(RequestRedirect::Manual)
                .with_body(Some(JsValue::from_str(&request.body)));
            let req = Request::new_with_init(&request.url, &init).map_err(error)?;
            let controller = AbortController::default();
            let signal = controller.signal();
            let guard = AbortOnDrop(Some(controller));
            let mut response = Fetch::Request(req).send_with_signal(&signal).await.map_err(error)?;
            let status = response.status_code();
            let headers = response.headers().entries().collect();
            let body: BoxFuture<'static, Result<Vec<u8>, BoxError>> = Box::pin(async move {
                let bytes = response.bytes().await.map_err(error);
                drop(guard);
                bytes
            });
            Ok(HttpResponse { status, headers, body })
        })
    }
}
