//! Reading the JS options objects into checked Rust values. Every rule comes from `contract`; this
//! file only knows where each option lives and what JS type it must have.

use super::credentials::{Credential, Provider};
use super::errors::invalid_argument;
use super::host::{self, get};
use crate::contract::{self, RetryPolicy};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;

pub struct ClientOptions {
    pub base: String,
    pub credential: Credential,
    pub timeout_ms: u32,
    pub fetch: Option<JsValue>,
    pub headers: Vec<(String, String)>,
    pub retry: RetryPolicy,
    pub redirect: &'static str,
    /// The header object of a call without per-call headers, qualifier or webfn, built once when
    /// the credential never changes (none or a static token). fetch does not modify it.
    pub shared_headers: Option<JsValue>,
}

#[derive(Default)]
pub struct CallOptions {
    pub qualifier: Option<String>,
    pub webfn: bool,
    pub raw: bool,
    pub timeout_ms: Option<u32>,
    pub signal: Option<host::Signal>,
    pub headers: Vec<(String, String)>,
    pub retry: Option<RetryPolicy>,
}

fn optional_string(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let value = get(options, key);
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid_argument([key, " must be a string"].concat()))
}

fn optional_bool(options: &JsValue, key: &str) -> Result<bool, JsValue> {
    let value = get(options, key);
    if value.is_undefined() {
        return Ok(false);
    }
    value.as_bool().ok_or_else(|| invalid_argument([key, " must be a boolean"].concat()))
}

fn optional_number(options: &JsValue, key: &str) -> Result<Option<f64>, JsValue> {
    let value = get(options, key);
    if value.is_undefined() {
        return Ok(None);
    }
    value.as_f64().map(Some).ok_or_else(|| invalid_argument([key, " must be a number"].concat()))
}

fn timeout(options: &JsValue) -> Result<Option<u32>, JsValue> {
    optional_number(options, "timeoutMs")?
        .map(|ms| contract::validate_timeout_ms(ms).map_err(|e| invalid_argument(e.0)))
        .transpose()
}

/// `headers`: a plain object of string values, each checked against injection and reserved names.
fn headers(options: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let value = get(options, "headers");
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    if !host::is_plain_object(&value) {
        return Err(invalid_argument("headers must be a plain object of strings"));
    }
    let object: &js_sys::Object = value.unchecked_ref();
    let keys = js_sys::Object::keys(object);
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let Some(text) = get(&value, &name).as_string() else {
            return Err(invalid_argument(["header ", &name, " must be a string"].concat()));
        };
        contract::validate_header(&name, &text).map_err(|e| invalid_argument(e.0))?;
        out.push((name, text));
    }
    Ok(out)
}

/// `retry`: `false` (off), or `{ attempts, baseDelayMs, maxDelayMs, onNetworkError }` over the defaults.
fn retry(options: &JsValue) -> Result<Option<RetryPolicy>, JsValue> {
    let value = get(options, "retry");
    if value.is_undefined() {
        return Ok(None);
    }
    if value.as_bool() == Some(false) {
        return Ok(Some(RetryPolicy::OFF));
    }
    if !value.is_object() {
        return Err(invalid_argument("retry must be false or an object"));
    }
    let mut policy = RetryPolicy::default();
    let count = |key: &str, max: f64| -> Result<Option<u32>, JsValue> {
        match optional_number(&value, key)? {
            Some(n) if n >= 0.0 && n <= max && n == (n as u32) as f64 => Ok(Some(n as u32)),
            Some(_) => Err(invalid_argument(["retry.", key, " must be a whole number in range"].concat())),
            None => Ok(None),
        }
    };
    if let Some(n) = count("attempts", 10.0)? {
        policy.retries = n;
    }
    if let Some(n) = count("baseDelayMs", 600_000.0)? {
        policy.base_delay_ms = n;
    }
    if let Some(n) = count("maxDelayMs", 600_000.0)? {
        policy.max_delay_ms = n;
    }
    policy.on_network_error = optional_bool(&value, "onNetworkError")?;
    Ok(Some(policy))
}

/// The gateway base from `envId` or `baseUrl` (which wins; the envId is still checked).
pub fn base_url(options: &JsValue) -> Result<String, JsValue> {
    if !options.is_object() {
        return Err(invalid_argument("expected an options object with envId or baseUrl"));
    }
    let env_id = optional_string(options, "envId")?;
    if let Some(id) = &env_id {
        contract::validate_env_id(id).map_err(|e| invalid_argument(e.0))?;
    }
    match (optional_string(options, "baseUrl")?, env_id) {
        (Some(url), _) => contract::validate_base_url(&url).map_err(|e| invalid_argument(e.0)),
        (None, Some(id)) => Ok(contract::host_base_url(&id)),
        (None, None) => Err(invalid_argument("envId or baseUrl is required")),
    }
}

pub fn client_options(options: &JsValue) -> Result<ClientOptions, JsValue> {
    if !options.is_object() {
        return Err(invalid_argument("createClient expects an options object with envId or baseUrl"));
    }
    let base = base_url(options)?;
    let token = get(options, "accessToken");
    let secret = get(options, "credentials");
    let credential = if !secret.is_undefined() {
        if !token.is_undefined() {
            return Err(invalid_argument("give accessToken or credentials, not both"));
        }
        secret_credential(options, &secret)?
    } else if token.is_undefined() || token.is_null() {
        Credential::None
    } else if let Some(text) = token.as_string() {
        contract::validate_token(&text).map_err(|e| invalid_argument(e.0))?;
        Credential::Static(text)
    } else if token.is_function() {
        Credential::Provider(Provider::new(token.unchecked_into()))
    } else {
        return Err(invalid_argument("accessToken must be a string or a function returning one"));
    };
    let fetch = get(options, "fetch");
    let fetch = if fetch.is_undefined() {
        None
    } else if fetch.is_function() {
        Some(fetch)
    } else {
        return Err(invalid_argument("fetch must be a function with the signature of fetch"));
    };
    Ok(ClientOptions {
        base,
        credential,
        timeout_ms: timeout(options)?.unwrap_or(DEFAULT_TIMEOUT_MS),
        fetch,
        headers: headers(options)?,
        retry: retry(options)?.unwrap_or_default(),
        redirect: super::transport::redirect_mode(),
        shared_headers: None,
    })
}

/// `credentials: { secretId, secretKey, sessionToken? }` for TC3 signing. Refused in a browser
/// (a page must never hold a secret key) unless `allowSecretKeyInBrowser` says the caller knows.
#[cfg(feature = "tc3")]
fn secret_credential(options: &JsValue, secret: &JsValue) -> Result<Credential, JsValue> {
    let in_browser = !get(&host::global(), "document").is_undefined();
    if in_browser && get(options, "allowSecretKeyInBrowser").as_bool() != Some(true) {
        return Err(invalid_argument(
            "credentials with a secret key are refused in a browser: sign on a server, or set allowSecretKeyInBrowser if this page is not public",
        ));
    }
    let field = |key: &str| -> Result<Option<String>, JsValue> {
        let text = optional_string(secret, key)?;
        if let Some(t) = &text {
            contract::validate_token(t).map_err(|_| invalid_argument(["credentials.", key, " must be a non-empty header-safe string"].concat()))?;
        }
        Ok(text)
    };
    match (field("secretId")?, field("secretKey")?) {
        (Some(id), Some(key)) => Ok(Credential::Secret { id, key, token: field("sessionToken")? }),
        _ => Err(invalid_argument("credentials needs secretId and secretKey")),
    }
}

#[cfg(not(feature = "tc3"))]
fn secret_credential(_options: &JsValue, _secret: &JsValue) -> Result<Credential, JsValue> {
    Err(invalid_argument(
        "credentials (TC3 signing with a secret key) are only in the server build: use cloudbase-fn from Node or Workers",
    ))
}

impl CallOptions {
    /// Whether this call's headers are exactly the client's.
    pub fn adds_no_headers(&self) -> bool {
        self.headers.is_empty() && self.qualifier.is_none() && !self.webfn
    }
}

pub fn call_options(options: &JsValue) -> Result<CallOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(CallOptions::default());
    }
    if !options.is_object() {
        return Err(invalid_argument("invoke options must be an object"));
    }
    let qualifier = optional_string(options, "qualifier")?;
    if let Some(q) = &qualifier {
        contract::validate_qualifier(q).map_err(|e| invalid_argument(e.0))?;
    }
    let signal = get(options, "signal");
    let signal = if signal.is_undefined() || signal.is_null() {
        None
    } else if signal.is_object() && get(&signal, "aborted").as_bool().is_some() {
        Some(signal.unchecked_into())
    } else {
        return Err(invalid_argument("signal must be an AbortSignal"));
    };
    Ok(CallOptions {
        qualifier,
        webfn: optional_bool(options, "webfn")?,
        raw: optional_bool(options, "raw")?,
        timeout_ms: timeout(options)?,
        signal,
        headers: headers(options)?,
        retry: retry(options)?,
    })
}
