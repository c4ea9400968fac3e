//! Token providers and the token cache: a provider's answer is kept until the time the core
//! gives (a JWT's `exp` less 30 s; a token that is not a JWT is not kept), and concurrent calls
//! share one provider call. The same rules as the npm package's `js/token.js`, on the same core
//! functions (`boundary::accept_token`, `boundary::auth_failed`).

use super::{BoxError, BoxFuture, Error, MaybeSend, MaybeSync};
use std::prelude::rust_2021::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What the client asks a [`TokenProvider`] for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRequest {
    /// `true` when the gateway refused the last token (any HTTP 401, or a code of
    /// [`AUTH_REJECTION_CODES`](crate::contract::jwt::AUTH_REJECTION_CODES) such as
    /// `ACCESS_TOKEN_EXPIRED` whatever the status): return a new one, not a cached one. The
    /// client asks this at most once per call.
    pub force_refresh: bool,
}

/// Gives access tokens (sent as `Authorization: Bearer <token>`).
///
/// Implemented for any `Fn(TokenRequest) -> impl Future<Output = Result<String, E>>` closure
/// (`E: Into<BoxError>`), so `|req: TokenRequest| async move { … }` works (the parameter's type
/// must be written: a closure passed where a trait is expected gets no type for it). An `Err`, or
/// a token that cannot be sent in a header (empty, control characters, surrounding spaces), fails the call with
/// [`ErrorKind::Auth`](super::ErrorKind::Auth) (`AUTH_ERROR`, the provider's error as source)
/// and nothing more is sent; the error's [`attempts`](super::Error::attempts) counts the
/// attempts the call had sent before (a forced refresh follows a refused request), its status and
/// request id are `None`. The token never appears in any error.
pub trait TokenProvider: MaybeSend + MaybeSync + 'static {
    /// A token for the next attempt.
    fn token(&self, request: TokenRequest) -> BoxFuture<'_, Result<String, BoxError>>;
}

#[cfg(not(target_arch = "wasm32"))]
impl<F, Fut, E> TokenProvider for F
where
    F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
    Fut: core::future::Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self, request: TokenRequest) -> BoxFuture<'_, Result<String, BoxError>> {
        let answer = self(request);
        Box::pin(async move { answer.await.map_err(Into::into) })
    }
}

#[cfg(target_arch = "wasm32")]
impl<F, Fut, E> TokenProvider for F
where
    F: Fn(TokenRequest) -> Fut + 'static,
    Fut: core::future::Future<Output = Result<String, E>> + 'static,
    E: Into<BoxError>,
{
    fn token(&self, request: TokenRequest) -> BoxFuture<'_, Result<String, BoxError>> {
        let answer = self(request);
        Box::pin(async move { answer.await.map_err(Into::into) })
    }
}

struct Cached {
    token: Option<String>,
    /// Milliseconds since the epoch until which `token` may be reused (the core's answer).
    fresh_until: u64,
    /// Whether the last provider call was a forced refresh.
    forced: bool,
}

/// A provider and its cached answer.
pub(crate) struct TokenCache {
    provider: Arc<dyn TokenProvider>,
    state: futures_util::lock::Mutex<Cached>,
    /// Provider answers accepted so far (0: none).
    generation: AtomicU64,
}

impl TokenCache {
    pub(crate) fn new(provider: Arc<dyn TokenProvider>) -> TokenCache {
        TokenCache {
            provider,
            state: futures_util::lock::Mutex::new(Cached { token: None, fresh_until: 0, forced: false }),
            generation: AtomicU64::new(0),
        }
    }

    /// The token for an attempt and its generation. `force` skips the cache, unless a forced
    /// refresh finished after `refused` (the generation of the token the gateway refused): calls
    /// refused together share one refresh, as concurrent calls share one provider call.
    pub(crate) async fn get(&self, force: bool, refused: u64) -> Result<(String, u64), Error> {
        let before = self.generation.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        let now = self.generation.load(Ordering::SeqCst);
        if let Some(token) = &state.token {
            let shared = now > before; // another call asked the provider while this one waited
            if !force && (super::rt::now_ms() < state.fresh_until || shared) {
                return Ok((token.clone(), now));
            }
            if force && state.forced && now > refused {
                return Ok((token.clone(), now));
            }
        }
        let answer = self.provider.token(TokenRequest { force_refresh: force }).await;
        let token = answer.map_err(|cause| Error::from_descriptor(&crate::boundary::auth_failed(0), Some(cause)))?;
        let accepted = crate::boundary::accept_token(Some(&token));
        if accepted.starts_with('{') {
            return Err(Error::from_descriptor(&accepted, None));
        }
        state.fresh_until = accepted.parse().unwrap_or(0);
        state.forced = force;
        state.token = Some(token.clone());
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        Ok((token, generation))
    }
}
