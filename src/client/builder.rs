//! [`ClientBuilder`]: a client's options, each checked by the core when the client is built.

use std::prelude::rust_2021::*;
use std::sync::Arc;
use std::time::Duration;

use super::options::timeout_millis;
use super::{check_headers, set_header, token, Auth, Client, Error, Inner, Retry, TokenProvider, Transport};
use crate::contract::call;

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
    /// Never shows the token, nor a `user:password@` given in the base URL (`[redacted]`).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let base_url = self.base_url.as_deref().map(crate::contract::validate::shown_url);
        f.debug_struct("ClientBuilder").field("env_id", &self.env_id).field("base_url", &base_url).finish_non_exhaustive()
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
    /// A larger body fails with [`ErrorKind::PayloadTooLarge`](super::ErrorKind::PayloadTooLarge) before anything is sent.
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
    /// `Duration::ZERO` for none. Rounded up to whole milliseconds (a non-zero timeout is at least
    /// 1 ms, never none); at most 2^31-1 ms.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// An extra header on every call. Names are compared case-insensitively: of two with the
    /// same name, the last one given is sent (as for a call's own headers). Header injection
    /// (CR/LF, control characters) and the headers the SDK owns (`authorization`,
    /// `content-type`, `x-qualifier`, …) are refused by [`build`](Self::build).
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
    /// [`ErrorKind::InvalidArgument`](super::ErrorKind::InvalidArgument) error (nothing is sent, ever, by building).
    // One `Arc` for every target: `Send + Sync` natively; in wasm32 JS values make nothing `Send`.
    #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
    pub fn build(self) -> Result<Client, Error> {
        let base = crate::boundary::base_url(self.env_id.as_deref(), self.base_url.as_deref(), self.intl).map_err(Error::invalid)?;
        let max_payload = call::max_payload(self.max_payload_bytes.map(f64::from)).map_err(Error::invalid)?;
        let timeout_ms = call::timeout(self.timeout.map(timeout_millis)).map_err(Error::invalid)?;
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
        // Lower-cased by the core: `X-Trace` then `x-trace` is one header, the last one's value.
        for (name, value) in extra {
            set_header(&mut headers, &name, value);
        }
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
    return Some(Arc::new(super::native::NativeTransport::new()));
    #[cfg(all(feature = "client-web", target_arch = "wasm32"))]
    return Some(Arc::new(super::web::WebTransport::new()));
    #[cfg(all(feature = "client-workers", target_arch = "wasm32"))]
    return Some(Arc::new(super::workers::WorkersTransport::new()));
    None
}
