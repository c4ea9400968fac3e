//! `signInAnonymously`: an anonymous CloudBase auth v2 session whose access token refreshes itself
//! with its refresh token. The requests and the expiry rules come from `contract::jwt`; this file
//! keeps the session's state and performs the two auth calls through the same transport as
//! function calls.

use super::credentials::now_ms;
use super::errors::{invalid_argument, Raised};
use super::host::{self, get};
use super::transport::{attempt, Prepared};
use crate::contract::{self, jwt, ErrorClass};
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

const AUTH_TIMEOUT_MS: u32 = 15_000;

#[wasm_bindgen]
pub struct AnonymousSession {
    inner: Rc<Session>,
}

struct Session {
    base: String,
    client_id: Option<String>,
    device_id: String,
    fetch: Option<JsValue>,
    redirect: &'static str,
    state: RefCell<Tokens>,
}

#[derive(Default)]
struct Tokens {
    access: Option<String>,
    refresh: Option<String>,
    expiry: Option<u64>,
    /// The sign-in or refresh in flight: every caller meanwhile gets this same promise.
    pending: Option<js_sys::Promise>,
}

/// A device id for `x-device-id`: 32 random hex digits (CloudBase accepts 16 to 48 characters).
fn random_device_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..32).map(|_| HEX[(host::random() * 16.0) as usize & 15] as char).collect()
}

fn auth_failure(message: &str, cause: JsValue) -> JsValue {
    Raised::local(ErrorClass::Auth, message).with_cause(cause).into_js()
}

#[wasm_bindgen]
impl AnonymousSession {
    /// `{ envId | baseUrl, deviceId?, clientId?, fetch? }`, checked like `createClient`'s.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<AnonymousSession, JsValue> {
        let base = super::options::base_url(&options)?;
        let text = |key: &str| get(&options, key).as_string();
        let device_id = match text("deviceId") {
            Some(id) if (16..=48).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => id,
            Some(_) => return Err(invalid_argument("deviceId must be 16 to 48 letters, digits or '-'")),
            None => random_device_id(),
        };
        let client_id = text("clientId").or_else(|| text("envId"));
        let fetch = Some(get(&options, "fetch")).filter(|f| f.is_function());
        Ok(AnonymousSession {
            inner: Rc::new(Session { base, client_id, device_id, fetch, redirect: super::transport::redirect_mode(), state: RefCell::new(Tokens::default()) }),
        })
    }

    /// The current access token: cached until its expiry, refreshed with the refresh token after
    /// that or when `force` is set (the gateway refused it), signed in anew when there is none.
    #[wasm_bindgen(js_name = accessToken)]
    pub fn access_token(&self, force: bool) -> js_sys::Promise {
        let mut state = self.inner.state.borrow_mut();
        if !force && jwt::token_is_fresh(state.expiry, now_ms(), jwt::DEFAULT_SKEW_MS) {
            if let Some(token) = &state.access {
                return js_sys::Promise::resolve(&JsValue::from_str(token));
            }
        }
        if let Some(pending) = &state.pending {
            return pending.clone();
        }
        let session = self.inner.clone();
        let promise = wasm_bindgen_futures::future_to_promise(async move {
            let result = session.renew().await;
            session.state.borrow_mut().pending = None;
            result
        });
        state.pending = Some(promise.clone());
        promise
    }
}

impl Session {
    /// Refresh when there is a refresh token, sign in otherwise; a refused refresh drops the
    /// session, so the next request signs in again.
    async fn renew(&self) -> Result<JsValue, JsValue> {
        let refresh = self.state.borrow().refresh.clone();
        let (path, body, what) = match &refresh {
            Some(token) => (jwt::TOKEN_PATH, jwt::refresh_request_body(token, self.client_id.as_deref()), "refreshing the anonymous session failed"),
            None => (jwt::SIGNIN_ANONYMOUSLY_PATH, String::from("{}"), "anonymous sign-in failed"),
        };
        let fetch = match &self.fetch {
            Some(f) => f.clone(),
            None => get(&host::global(), "fetch"),
        };
        let headers = host::new_object();
        host::set(&headers, "content-type", &JsValue::from_str("application/json"));
        host::set(&headers, jwt::DEVICE_ID_HEADER, &JsValue::from_str(&self.device_id));
        let request = Prepared { url: [self.base.as_str(), path].concat(), fetch, headers, body: JsValue::from_str(&body), raw: false, redirect: self.redirect };
        let answer = match attempt(&request, AUTH_TIMEOUT_MS, None).await {
            Ok(answer) => answer,
            Err(error) => {
                if refresh.is_some() {
                    *self.state.borrow_mut() = Tokens::default();
                }
                return Err(auth_failure(what, error.raised.into_js()));
            }
        };
        let access = get(&answer, "access_token").as_string().filter(|t| contract::validate_token(t).is_ok());
        let Some(access) = access else {
            return Err(auth_failure("the auth answer has no usable access_token", answer));
        };
        let expiry = jwt::jwt_expiry(&access).or_else(|| {
            get(&answer, "expires_in").as_f64().filter(|s| *s >= 0.0).map(|s| jwt::expiry_from_expires_in(now_ms(), s as u64))
        });
        let mut state = self.state.borrow_mut();
        state.access = Some(access.clone());
        state.expiry = expiry;
        if let Some(next) = get(&answer, "refresh_token").as_string().filter(|t| !t.is_empty()) {
            state.refresh = Some(next);
        }
        Ok(JsValue::from_str(&access))
    }
}
