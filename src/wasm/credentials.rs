//! Access tokens for each attempt: a static value, or a provider whose answers are cached until
//! the JWT's own expiry and shared by concurrent calls (one provider call, however many
//! invocations wait). The rules (expiry, freshness, which answers mean "refresh") are in
//! `contract::jwt`; this file only keeps the state and talks to the JS provider.

use super::errors::Raised;
use super::host::{self, Callable, Signal};
use super::transport::{aborted, is_aborted, until_aborted};
use crate::contract::{self, jwt, ErrorClass};
use alloc::string::String;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

pub fn now_ms() -> u64 {
    date_now() as u64
}

/// What authenticates each attempt.
pub enum Credential {
    None,
    Static(String),
    Provider(Provider),
    /// A SecretId/SecretKey pair (and a temporary credential's token): every attempt is signed
    /// with TC3-HMAC-SHA256. Only in the server build (feature `tc3`).
    #[cfg(feature = "tc3")]
    Secret { id: String, key: String, token: Option<String> },
}

pub struct Provider {
    function: Callable,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    token: Option<String>,
    expiry: Option<u64>,
    /// The provider call in flight, shared by every caller that needs a token meanwhile.
    pending: Option<(u32, js_sys::Promise, bool)>,
    generation: u32,
}

fn auth_error(message: &str, cause: JsValue) -> JsValue {
    Raised::local(ErrorClass::Auth, message).with_cause(cause).into_js()
}

impl Provider {
    pub fn new(function: Callable) -> Provider {
        Provider { function, state: RefCell::new(State::default()) }
    }

    /// A token for the next attempt. `force` skips the cache (after the gateway refused a token)
    /// and asks the provider with `{ forceRefresh: true }`.
    pub async fn token(&self, force: bool, signal: Option<&Signal>) -> Result<String, JsValue> {
        let (generation, pending) = {
            let mut state = self.state.borrow_mut();
            if !force && jwt::token_is_fresh(state.expiry, now_ms(), jwt::DEFAULT_SKEW_MS) {
                if let Some(token) = &state.token {
                    return Ok(token.clone());
                }
            }
            match &state.pending {
                Some((generation, promise, forced)) if *forced || !force => (*generation, promise.clone()),
                _ => {
                    let arg = host::new_object();
                    host::set(&arg, "forceRefresh", &JsValue::from_bool(force));
                    let value = self
                        .function
                        .call1(&JsValue::UNDEFINED, &arg)
                        .map_err(|cause| auth_error("the accessToken provider failed", cause))?;
                    let promise = js_sys::Promise::resolve(&value);
                    state.generation = state.generation.wrapping_add(1);
                    state.pending = Some((state.generation, promise.clone(), force));
                    (state.generation, promise)
                }
            }
        };
        let waited = match signal {
            Some(signal) => until_aborted(&pending, signal),
            None => pending,
        };
        let settled = wasm_bindgen_futures::JsFuture::from(waited).await;
        if let Some(signal) = signal.filter(|s| settled.is_err() && is_aborted(s)) {
            // The call was abandoned; the provider call goes on for whoever else waits on it.
            return Err(aborted(signal).into_js());
        }
        let mut state = self.state.borrow_mut();
        if state.pending.as_ref().is_some_and(|(g, _, _)| *g == generation) {
            state.pending = None;
        }
        let value = settled.map_err(|cause| auth_error("the accessToken provider failed", cause))?;
        let Some(token) = value.as_string() else {
            return Err(auth_error("the accessToken provider did not return a string", JsValue::UNDEFINED));
        };
        contract::validate_token(&token).map_err(|e| auth_error(&e.0, JsValue::UNDEFINED))?;
        state.expiry = jwt::jwt_expiry(&token);
        state.token = Some(token.clone());
        Ok(token)
    }
}

impl Credential {
    /// The token for the next attempt; waiting for a provider ends when `signal` aborts.
    pub async fn token(&self, force: bool, signal: Option<&Signal>) -> Result<Option<String>, JsValue> {
        match self {
            Credential::None => Ok(None),
            Credential::Static(token) => Ok(Some(token.clone())),
            Credential::Provider(provider) => provider.token(force, signal).await.map(Some),
            #[cfg(feature = "tc3")]
            Credential::Secret { .. } => Ok(None),
        }
    }

    /// The `Authorization` value of one attempt when it is signed (a fresh timestamp each time).
    #[cfg(feature = "tc3")]
    pub fn signature(&self, url: &str, body: &JsValue) -> Option<String> {
        let Credential::Secret { id, key, token } = self else { return None };
        let (host, path) = contract::host_and_path(url);
        let host = host.to_ascii_lowercase();
        let body = body.as_string().unwrap_or_default();
        Some(contract::tc3::sign(&contract::tc3::SignInput {
            method: "POST",
            host: &host,
            path,
            query: "",
            content_type: "application/json",
            extra_headers: &[],
            payload: contract::tc3::Payload::Bytes(body.as_bytes()),
            timestamp: now_ms() / 1000,
            service: contract::tc3::SERVICE,
            secret_id: id,
            secret_key: key,
            session_token: token.as_deref(),
        }))
    }

    /// `Some(token)` when every attempt sends the same Authorization (no credential, or a static
    /// token); `None` when it can change (a provider, a signature).
    pub fn fixed(&self) -> Option<Option<&str>> {
        match self {
            Credential::None => Some(None),
            Credential::Static(token) => Some(Some(token)),
            _ => None,
        }
    }

    /// Whether a refused token can be replaced by asking again.
    pub fn can_refresh(&self) -> bool {
        matches!(self, Credential::Provider(_))
    }
}
