//! The Rust client: call CloudBase cloud functions from Rust, natively or in wasm (Leptos, Yew,
//! Dioxus, workers-rs), with serde types in and out and typed errors.
//!
//! ```no_run
//! # async fn run() -> Result<(), cloudbase_fn::Error> {
//! use cloudbase_fn::{Client, InvokeOptions};
//! use std::time::Duration;
//!
//! #[derive(serde::Serialize)]
//! struct Request { a: u32 }
//! #[derive(serde::Deserialize)]
//! struct Reply { a: u32 }
//!
//! let client = Client::builder().env_id("my-env-1a2b3c").access_token("...").build()?;
//! let out: Reply = client.invoke("echo", &Request { a: 1 }).await?;
//! let v2: Reply = client
//!     .invoke_with("echo", &Request { a: 1 }, InvokeOptions::new().qualifier("2").timeout(Duration::from_secs(5)))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! It is built on the same sans-IO core as the npm package (`crate::contract::call`): the core
//! checks every input, makes the URL and headers, classifies every answer and failure, and
//! decides whether to retry (and after how long), refresh the token or give up; this module only
//! performs (sends through a [`Transport`], reads bodies, waits), exactly as the JS driver
//! (`js/client.js`, `js/attempt.js`, `js/token.js`) does. So a call behaves the same from Rust and
//! from JavaScript: same validation, same errors and codes, same retry policy and defaults (3
//! attempts in all; only answers that say the function did not run, such as
//! `FUNCTION_EXCEED_RESOURCE_LIMIT` and 503, are retried, with full-jitter backoff from 200 ms up
//! to 5 s, honouring `Retry-After`; network errors and timeouts only with
//! [`Retry::on_network_error`]), same 60 s default timeout per attempt, same token cache. The
//! rules are `crate::contract::retry`'s, not restated here.
//!
//! Transports, by cargo feature: `client-web` (`web::WebTransport`, wasm32: browsers and any
//! runtime with a global `fetch`), `client-workers` (`workers::WorkersTransport`, wasm32:
//! Cloudflare workers-rs), `client-native` (`native::NativeTransport`, hyper + tokio + rustls). The
//! builder picks the one compiled in; [`ClientBuilder::transport`] takes any other.
//!
//! On native targets the client's futures are `Send` and must run inside a tokio runtime with its
//! time and IO drivers enabled (`Builder::enable_all()`, which `#[tokio::main]` and
//! `#[tokio::test]` do; a transport of your own needs the time driver only), as hyper- and
//! reqwest-based clients require. Outside any runtime a call fails with
//! [`ErrorKind::InvalidArgument`]; in a runtime without those drivers tokio itself panics
//! ("timers are disabled", "IO is disabled"), which the client cannot check beforehand: tokio has
//! no public way to ask. On wasm32 the futures are not `Send` (JS values are not) and run on
//! `wasm-bindgen-futures`' executor.

#![deny(missing_docs)]

use std::prelude::rust_2021::*;
use std::sync::Arc;

use core::future::Future;
use core::pin::Pin;

use crate::contract::call;
use crate::contract::retry::RetryPolicy;

mod abort;
mod builder;
mod driver;
mod error;
mod options;
mod rt;
use options::timeout_millis;
mod token;
mod transport;

#[cfg(all(feature = "client-native", not(target_arch = "wasm32")))]
pub mod native;
#[cfg(all(feature = "client-web", target_arch = "wasm32"))]
pub mod web;
#[cfg(all(feature = "client-workers", target_arch = "wasm32"))]
pub mod workers;

pub use abort::{AbortController, AbortSignal};
pub use builder::ClientBuilder;
pub use error::{BoxError, Error, ErrorKind};
pub use options::{Data, InvokeOptions, Reply, Retry};
pub use token::{TokenProvider, TokenRequest};
pub use transport::{HttpRequest, HttpResponse, Transport};

/// A boxed future: `Send` on native targets, not on wasm32 (where JS values are not `Send`).
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future: `Send` on native targets, not on wasm32 (where JS values are not `Send`).
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `Send` on native targets; every type on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets; every type on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets; every type on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync` on native targets; every type on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// Checks extra headers with the core's rules (no CR/LF or control characters, no SDK-owned
/// names), packed as the npm driver packs them; names come back lower-cased.
fn check_headers(headers: &[(String, String)]) -> Result<Vec<(String, String)>, Error> {
    let mut packed = String::new();
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            packed.push('\n');
        }
        packed.push_str(name);
        packed.push('\n');
        packed.push_str(value);
    }
    let count = u32::try_from(headers.len()).unwrap_or(u32::MAX);
    let checked = call::extra_headers(&packed, count).map_err(Error::invalid)?;
    Ok(checked.into_iter().map(|(name, value)| (name, String::from(value))).collect())
}

/// Sets `name` to `value` in `headers`, replacing an earlier value of the same name.
fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    headers.retain(|(n, _)| n != name);
    headers.push((String::from(name), value));
}

enum Auth {
    None,
    /// The static token, for redaction (its `authorization` header is in the client's headers).
    Static(String),
    Provider(token::TokenCache),
}

struct Inner {
    base: String,
    timeout_ms: u32,
    /// `maxPayloadBytes` (0: no limit).
    max_payload: u32,
    policy: RetryPolicy,
    /// `content-type`, a static token's `authorization`, and the extra headers.
    headers: Vec<(String, String)>,
    auth: Auth,
    transport: Arc<dyn Transport>,
}

/// A configured client: cheap to clone (clones share the transport and the token cache).
///
/// Guarantees: every input was checked by the core when the client was built; a call sends only
/// to the configured gateway (`https://{env_id}.api.tcloudbasegateway.com`, or the base URL),
/// never follows a redirect, and fails only with an [`Error`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl core::fmt::Debug for Client {
    /// Shows the gateway base only (never a credential).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client").field("base", &self.inner.base).finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; give [`env_id`](ClientBuilder::env_id) or [`base_url`](ClientBuilder::base_url).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Invokes the function `name` with `data` (a serde type that encodes to a JSON object) and
    /// decodes the answer as `T`: a JSON answer from its JSON, a `text/plain` answer as a string
    /// (`T = String`), a 204 as unit (`T = ()` or `Option<_>`), other content types as bytes
    /// (`serde_bytes::ByteBuf`, or use [`invoke_raw`](Self::invoke_raw)). An answer that does not
    /// decode as `T` is an [`ErrorKind::InvalidResponse`] error (the function did run).
    pub fn invoke<'a, T, D>(&'a self, name: &str, data: &D) -> impl Future<Output = Result<T, Error>> + MaybeSend + 'a
    where
        T: serde::de::DeserializeOwned + MaybeSend + 'a,
        D: serde::Serialize + ?Sized,
    {
        self.invoke_with(name, data, InvokeOptions::default())
    }

    /// [`invoke`](Self::invoke) with this call's own options.
    pub fn invoke_with<'a, T, D>(
        &'a self,
        name: &str,
        data: &D,
        options: InvokeOptions,
    ) -> impl Future<Output = Result<T, Error>> + MaybeSend + 'a
    where
        T: serde::de::DeserializeOwned + MaybeSend + 'a,
        D: serde::Serialize + ?Sized,
    {
        let call = self.prepare(name, data, options);
        async move { driver::run::<driver::Typed<T>>(&self.inner, call?).await.map(|(value, _)| value.0) }
    }

    /// [`invoke_with`](Self::invoke_with), answering the whole [`Reply`]: body as [`Data`],
    /// status, request id, headers and attempts.
    pub fn invoke_raw<'a, D>(&'a self, name: &str, data: &D, options: InvokeOptions) -> impl Future<Output = Result<Reply, Error>> + MaybeSend + 'a
    where
        D: serde::Serialize + ?Sized,
    {
        let call = self.prepare(name, data, options);
        async move {
            let (data, meta) = driver::run::<Data>(&self.inner, call?).await?;
            Ok(Reply { data, status: meta.status, request_id: meta.request_id, headers: meta.headers, attempts: meta.attempts })
        }
    }

    /// Everything the core checks before a call, done before the future is returned (so the
    /// future does not borrow `data`).
    fn prepare<D: serde::Serialize + ?Sized>(&self, name: &str, data: &D, options: InvokeOptions) -> Result<driver::Call, Error> {
        let inner = &self.inner;
        let mut headers = inner.headers.clone();
        if let Some(q) = &options.qualifier {
            crate::contract::validate_qualifier(q).map_err(Error::invalid)?;
            set_header(&mut headers, "x-qualifier", q.clone());
        }
        if options.webfn {
            set_header(&mut headers, "x-tcb-webfn", String::from("true"));
        }
        for (name, value) in check_headers(&options.headers)? {
            set_header(&mut headers, &name, value);
        }
        let timeout_ms = match options.timeout {
            Some(t) => call::timeout(Some(timeout_millis(t))).map_err(Error::invalid)?,
            None => inner.timeout_ms,
        };
        let policy = match options.retry {
            Some(r) => r.policy()?,
            None => inner.policy,
        };
        let body = serde_json::to_string(data).map_err(|e| {
            Error::from_failure(
                crate::contract::Failure::local(ErrorKind::InvalidArgument, String::from("data cannot be encoded as JSON")),
                false,
                0,
                Some(Box::new(e)),
            )
        })?;
        call::check_body(body.bytes().next().map_or(0, u32::from)).map_err(Error::invalid)?;
        // The byte count is known here, so the core decides on it directly.
        let bytes = body.len() as f64;
        call::check_size(bytes, inner.max_payload, Some(bytes)).map_err(|f| Error::from_failure(f, false, 0, None))?;
        let url = call::function_url(&inner.base, name).map_err(Error::invalid)?;
        Ok(driver::Call { url, body, timeout_ms, policy, headers, signal: options.signal })
    }
}
