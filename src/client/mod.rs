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
//! On native targets the client's futures are `Send` and must run inside a tokio runtime; on
//! wasm32 they are not `Send` (JS values are not) and run on `wasm-bindgen-futures`' executor.

#![deny(missing_docs)]

use std::prelude::rust_2021::*;
use std::sync::Arc;
use std::time::Duration;

use core::future::Future;
use core::pin::Pin;

use crate::contract::call::{self, RetryInput};
use crate::contract::retry::RetryPolicy;

mod abort;
mod driver;
mod error;
mod rt;
mod token;
mod transport;

#[cfg(all(feature = "client-native", not(target_arch = "wasm32")))]
pub mod native;
#[cfg(all(feature = "client-web", target_arch = "wasm32"))]
pub mod web;
#[cfg(all(feature = "client-workers", target_arch = "wasm32"))]
pub mod workers;

pub use abort::{AbortController, AbortSignal};
pub use error::{BoxError, Error, ErrorKind};
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

/// The retry policy of a client or a call (the npm package's `retry` option).
///
/// Unset fields keep the defaults: 3 attempts in all, 200 ms base delay, 5 s maximum delay, no retry of
/// network errors or timeouts. The core checks the values when the client is built or the call
/// made (`max_attempts` from 1 to 10, delays at most 600 s), and refuses others with
/// [`ErrorKind::InvalidArgument`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Retry {
    off: bool,
    input: RetryInput,
}

impl Retry {
    /// The default policy.
    pub fn new() -> Retry {
        Retry::default()
    }

    /// No retries at all (`retry: false`).
    pub fn off() -> Retry {
        Retry { off: true, input: RetryInput::default() }
    }

    /// Attempts in all, the first included (1 to 10; default 3). The npm package's
    /// `retry.maxAttempts`.
    pub fn max_attempts(mut self, attempts: u32) -> Retry {
        self.input.max_attempts = Some(attempts.into());
        self
    }

    /// The backoff's base: the n-th retry waits a uniform random time up to
    /// `min(max_delay, base_delay * 2^n)`.
    pub fn base_delay(mut self, delay: Duration) -> Retry {
        self.input.base_delay_ms = Some(millis(delay));
        self
    }

    /// The longest wait; a `Retry-After` longer than this ends the retries.
    pub fn max_delay(mut self, delay: Duration) -> Retry {
        self.input.max_delay_ms = Some(millis(delay));
        self
    }

    /// Also retry network errors and timeouts (the function may then run twice: functions are
    /// not idempotent, so this is off by default).
    pub fn on_network_error(mut self, on: bool) -> Retry {
        self.input.on_network_error = Some(on);
        self
    }

    fn policy(&self) -> Result<RetryPolicy, Error> {
        call::retry_policy(self.off, self.input).map_err(Error::invalid)
    }
}

fn millis(d: Duration) -> f64 {
    d.as_millis() as f64
}

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

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    env_id: Option<String>,
    base_url: Option<String>,
    intl: bool,
    max_payload_bytes: Option<u32>,
    token: Option<String>,
    provider: Option<Arc<dyn TokenProvider>>,
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
    retry: Option<Retry>,
    transport: Option<Arc<dyn Transport>>,
}

impl core::fmt::Debug for ClientBuilder {
    /// Never shows the token.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientBuilder").field("env_id", &self.env_id).field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The environment id: calls go to `https://{env_id}.api.tcloudbasegateway.com`. It must be
    /// one DNS label, so it cannot point requests at another host.
    pub fn env_id(mut self, env_id: impl Into<String>) -> Self {
        self.env_id = Some(env_id.into());
        self
    }

    /// Replaces the env id's host (the local emulator, a private gateway): `https://`, or
    /// `http://` for loopback only; no credentials, query or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// `true`: the env id's host is the international gateway's (the npm package's `intl`).
    pub fn intl(mut self, intl: bool) -> Self {
        self.intl = intl;
        self
    }

    /// The largest JSON body sent, in bytes (default 6 MiB, the gateway's limit; 0: no limit).
    /// A larger body fails with [`ErrorKind::PayloadTooLarge`] before anything is sent.
    pub fn max_payload_bytes(mut self, bytes: u32) -> Self {
        self.max_payload_bytes = Some(bytes);
        self
    }

    /// A static token (user access token, server API key or publishable key), sent as
    /// `Authorization: Bearer <token>`.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// A token provider (an async closure `|req: TokenRequest| async { Ok::<_, E>(token) }` or a
    /// [`TokenProvider`]). A JWT answer is cached until its `exp` less 30 s, any other token is
    /// asked for on every call; concurrent calls share one provider call; when the gateway
    /// refuses the token the provider is asked again with `force_refresh` and the call is sent
    /// once more.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// The timeout of each attempt (token wait, answer head and body together); default 60 s,
    /// `Duration::ZERO` for none. At most 2^31-1 ms.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// An extra header on every call. Header injection (CR/LF, control characters) and the
    /// headers the SDK owns (`authorization`, `content-type`, `x-qualifier`, …) are refused by
    /// [`build`](Self::build).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy of every call ([`Retry::off`] for none).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The transport; by default the one of the enabled transport feature for this target.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks every option with the core's rules and builds the client; an invalid option is an
    /// [`ErrorKind::InvalidArgument`] error (nothing is sent, ever, by building).
    pub fn build(self) -> Result<Client, Error> {
        let base = crate::boundary::base_url(self.env_id.as_deref(), self.base_url.as_deref(), self.intl).map_err(Error::invalid)?;
        let max_payload = call::max_payload(self.max_payload_bytes.map(f64::from)).map_err(Error::invalid)?;
        let timeout_ms = call::timeout(self.timeout.map(millis)).map_err(Error::invalid)?;
        let policy = self.retry.unwrap_or_default().policy()?;
        let extra = check_headers(&self.headers)?;
        let mut headers = vec![(String::from("content-type"), String::from("application/json"))];
        let auth = match (self.token, self.provider) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(crate::contract::Invalid(String::from("give access_token or token_provider, not both"))))
            }
            (Some(token), None) => {
                crate::contract::validate_token(&token).map_err(Error::invalid)?;
                headers.push((String::from("authorization"), crate::contract::text::cat(&["Bearer ", &token])));
                Auth::Static(token)
            }
            (None, Some(provider)) => Auth::Provider(token::TokenCache::new(provider)),
            (None, None) => Auth::None,
        };
        headers.extend(extra);
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport().ok_or_else(|| {
                Error::invalid(crate::contract::Invalid(String::from(
                    "no transport: enable the client-web, client-workers or client-native feature, or pass one with .transport()",
                )))
            })?,
        };
        Ok(Client { inner: Arc::new(Inner { base, timeout_ms, max_payload, policy, headers, auth, transport }) })
    }
}

#[allow(unreachable_code)]
fn default_transport() -> Option<Arc<dyn Transport>> {
    #[cfg(all(feature = "client-native", not(target_arch = "wasm32")))]
    return Some(Arc::new(native::NativeTransport::new()));
    #[cfg(all(feature = "client-web", target_arch = "wasm32"))]
    return Some(Arc::new(web::WebTransport::new()));
    #[cfg(all(feature = "client-workers", target_arch = "wasm32"))]
    return Some(Arc::new(workers::WorkersTransport::new()));
    None
}

/// A call's own options (the npm package's `invoke` options); unset ones take the client's.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct InvokeOptions {
    qualifier: Option<String>,
    webfn: bool,
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
    retry: Option<Retry>,
    signal: Option<AbortSignal>,
}

impl InvokeOptions {
    /// No options: the client's.
    pub fn new() -> InvokeOptions {
        InvokeOptions::default()
    }

    /// A version or alias (`2`, `$LATEST`, `prod`), sent as `X-Qualifier`.
    pub fn qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.qualifier = Some(qualifier.into());
        self
    }

    /// `true` sends `X-Tcb-Webfn: true` (web functions).
    pub fn webfn(mut self, webfn: bool) -> Self {
        self.webfn = webfn;
        self
    }

    /// This call's timeout per attempt (`Duration::ZERO`: none).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// An extra header for this call; it replaces a client header of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// This call's retry policy.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Ends the call with [`ErrorKind::Abort`] when the signal's controller aborts.
    pub fn signal(mut self, signal: AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }
}

/// A successful answer's body, in the form its `Content-Type` gives it (decided by the core).
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// `application/json` (or `+json`): the parsed value.
    Json(serde_json::Value),
    /// `text/plain`: the text (invalid UTF-8 replaced by U+FFFD).
    Text(String),
    /// Any other content type, or none: the bytes.
    Bytes(Vec<u8>),
    /// 204 or 205: no body.
    Empty,
}

/// The full answer of [`Client::invoke_raw`] (the npm package's `raw: true`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Reply {
    /// The body.
    pub data: Data,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `X-Request-Id` header.
    pub request_id: Option<String>,
    /// Every header of the answer, as received.
    pub headers: Vec<(String, String)>,
    /// Attempts made (1 when the first succeeded).
    pub attempts: u32,
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
            Some(t) => call::timeout(Some(millis(t))).map_err(Error::invalid)?,
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
