//! The wasm-bindgen boundary: the `Client` class that JS sees. It reads JS values into the
//! contract's types, asks the contract what to do, and performs the I/O; it decides nothing itself.

mod allocator;
mod credentials;
mod errors;
mod host;
mod options;
mod session;
mod transport;

use crate::contract::{self, ErrorClass};
use errors::{invalid_argument, Raised};
use options::{CallOptions, ClientOptions};
use alloc::rc::Rc;
use transport::{aborted, attempt, is_aborted, Prepared};
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: allocator::SizeClassAllocator = allocator::SizeClassAllocator::new();

/// A configured connection to one CloudBase environment (or a `baseUrl`).
#[wasm_bindgen]
pub struct Client {
    options: Rc<ClientOptions>,
}

#[wasm_bindgen]
impl Client {
    /// Validates the options; throws `InvalidArgumentError` before anything is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        let mut options = options::client_options(&options)?;
        options.shared_headers = options
            .credential
            .fixed()
            .map(|token| request_headers(&options, &CallOptions::default(), token));
        Ok(Client { options: Rc::new(options) })
    }

    /// Invoke the cloud function `name` with `data` (a plain object, `undefined` meaning `{}`).
    /// Resolves to the function's result, or rejects with a `CloudBaseError` subclass.
    pub fn invoke(&self, name: JsValue, data: JsValue, options: JsValue) -> js_sys::Promise {
        let client = self.options.clone();
        wasm_bindgen_futures::future_to_promise(async move { invoke(&client, name, data, options).await })
    }
}

/// The JSON text of `data`, checked before anything is sent.
fn encode_body(data: &JsValue) -> Result<JsValue, JsValue> {
    if data.is_undefined() {
        return Ok(JsValue::from_str("{}"));
    }
    if !host::is_plain_object(data) {
        return Err(invalid_argument(
            "data must be a plain object (the contract's body is a JSON object); arrays, strings, numbers and null are not",
        ));
    }
    match host::json_stringify(data) {
        Ok(text) if text.is_string() => Ok(text),
        Ok(_) => Err(invalid_argument("data does not encode to a JSON object")),
        Err(cause) => Err(Raised::local(
            ErrorClass::InvalidArgument,
            "data cannot be encoded as JSON (a cycle, a BigInt, or a throwing toJSON)",
        )
        .with_cause(cause)
        .into_js()),
    }
}

/// The header object of one attempt. Names are lower-cased so a per-call header replaces a
/// client-wide one of the same name instead of being joined to it.
fn request_headers(client: &ClientOptions, call: &CallOptions, token: Option<&str>) -> JsValue {
    let headers = host::new_object();
    let put = |name: &str, value: &str| host::set(&headers, &name.to_ascii_lowercase(), &JsValue::from_str(value));
    put("content-type", "application/json");
    for (name, value) in client.headers.iter().chain(call.headers.iter()) {
        put(name, value);
    }
    if let Some(token) = token {
        put("authorization", &["Bearer ", token].concat());
    }
    if let Some(q) = &call.qualifier {
        put("x-qualifier", q);
    }
    if call.webfn {
        put("x-tcb-webfn", "true");
    }
    headers
}

/// Wait `ms`, or less if the signal aborts first; the timer is always cleared.
async fn sleep(ms: u32, signal: Option<&host::Signal>) {
    let mut timer = JsValue::UNDEFINED;
    let mut listener = None;
    let wait = js_sys::Promise::new(&mut |resolve, _reject| {
        timer = host::set_timeout(&resolve, ms);
        if let Some(signal) = signal {
            let resolve: JsValue = resolve.into();
            if signal.add_listener("abort", &resolve).is_ok() {
                listener = Some(resolve);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
    host::clear_timeout(&timer);
    if let (Some(signal), Some(listener)) = (signal, listener) {
        let _ = signal.remove_listener("abort", &listener);
    }
}

async fn invoke(client: &ClientOptions, name: JsValue, data: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let name = name.as_string().ok_or_else(|| invalid_argument("the function name must be a string"))?;
    contract::validate_function_name(&name).map_err(|e| invalid_argument(e.0))?;
    let call = options::call_options(&options)?;
    let body = encode_body(&data)?;
    let signal = call.signal.as_ref();
    if let Some(signal) = signal.filter(|s| is_aborted(s)) {
        return Err(aborted(signal).into_js());
    }
    let fetch = match &client.fetch {
        Some(f) => f.clone(),
        None => host::get(&host::global(), "fetch"),
    };
    if !fetch.is_function() {
        return Err(invalid_argument("no fetch in this runtime: pass the fetch option"));
    }
    let policy = call.retry.unwrap_or(client.retry);
    let timeout_ms = call.timeout_ms.unwrap_or(client.timeout_ms);
    let headers = match &client.shared_headers {
        Some(shared) if call.adds_no_headers() => shared.clone(),
        _ => request_headers(client, &call, client.credential.token(false, signal).await?.as_deref()),
    };
    let prepared = Prepared {
        url: contract::function_url(&client.base, &name),
        fetch,
        headers,
        body,
        raw: call.raw,
        redirect: client.redirect,
    };
    let mut retries_done = 0;
    let mut refreshed = false;
    loop {
        #[cfg(feature = "tc3")]
        if let Some(authorization) = client.credential.signature(&prepared.url, &prepared.body) {
            host::set(&prepared.headers, "authorization", &JsValue::from_str(&authorization));
        }
        let error = match attempt(&prepared, timeout_ms, signal).await {
            Ok(value) => {
                if call.raw {
                    host::set(&value, "attempts", &JsValue::from(retries_done + 1));
                }
                return Ok(value);
            }
            Err(error) => error,
        };
        // A refused token from a provider: ask it for a fresh one and try once more, outside
        // the retry budget (the function did not run).
        if !refreshed && client.credential.can_refresh() {
            if let Some(contract::Outcome::Answer { status, code }) = error.outcome() {
                if contract::jwt::is_auth_rejection(status, code) {
                    refreshed = true;
                    let token = client.credential.token(true, signal).await?.unwrap_or_default();
                    host::set(&prepared.headers, "authorization", &JsValue::from_str(&["Bearer ", &token].concat()));
                    continue;
                }
            }
        }
        let delay = error
            .outcome()
            .and_then(|outcome| policy.delay_ms(retries_done, outcome, error.retry_after_ms, host::random()));
        let mut raised = error.raised;
        raised.retryable = delay.is_some() || error_is_retryable(&raised);
        match delay {
            Some(ms) => {
                sleep(ms, signal).await;
                if let Some(signal) = signal.filter(|s| is_aborted(s)) {
                    let mut abort = aborted(signal);
                    abort.attempts = retries_done + 1;
                    return Err(abort.into_js());
                }
                retries_done += 1;
            }
            None => {
                raised.attempts = retries_done + 1;
                return Err(raised.into_js());
            }
        }
    }
}

/// `retryable` on the final error: whether trying again later could succeed without the function
/// having run twice (the default policy's rule), even if this call's retries are spent or off.
fn error_is_retryable(raised: &Raised) -> bool {
    let f = &raised.failure;
    let outcome = match (f.class, f.status) {
        (ErrorClass::Http, Some(status)) => contract::Outcome::Answer { status, code: None },
        (_, Some(status)) => contract::Outcome::Answer { status, code: Some(&f.code) },
        _ => return false,
    };
    contract::RetryPolicy::default().is_retryable(outcome)
}
