//! One attempt: send the request through `fetch`, bound it by the timeout and the caller's signal,
//! and read the answer into a value or a classified failure.

use super::errors::Raised;
use super::host::{self, get, set, HostString, Signal};
use crate::contract::{self, retry::parse_retry_after, BodyKind, ErrorBody, ErrorClass, Failure, Outcome};
use crate::contract::decimal::push_decimal;
use alloc::string::String;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A request ready to send; built once per invocation and reused by its retries.
pub struct Prepared {
    pub url: String,
    pub fetch: JsValue,
    pub headers: JsValue,
    pub body: JsValue,
    pub raw: bool,
    /// From [`redirect_mode`], decided once per client.
    pub redirect: &'static str,
}

/// The token must never follow a redirect to another origin, so fetch gets `redirect: "error"`.
/// workerd rejects that value (only "follow" and "manual"): there "manual" returns the 3xx, which
/// then fails as an `HttpError`.
pub fn redirect_mode() -> &'static str {
    let agent = get(&get(&host::global(), "navigator"), "userAgent");
    if agent.as_string().as_deref() == Some("Cloudflare-Workers") {
        "manual"
    } else {
        "error"
    }
}

/// A failed attempt, with what the retry policy needs to know about it.
pub struct AttemptError {
    pub raised: Raised,
    pub retry_after_ms: Option<u32>,
}

impl AttemptError {
    fn new(raised: Raised) -> AttemptError {
        AttemptError { raised, retry_after_ms: None }
    }

    /// How the retry policy sees this failure; `None` for failures that are never retried (the
    /// caller's abort, local errors).
    pub fn outcome(&self) -> Option<Outcome<'_>> {
        let f = &self.raised.failure;
        match f.class {
            ErrorClass::Abort | ErrorClass::InvalidArgument | ErrorClass::Auth => None,
            ErrorClass::Network => Some(Outcome::Network),
            ErrorClass::Timeout => Some(Outcome::Timeout),
            ErrorClass::Http => f.status.map(|status| Outcome::Answer { status, code: None }),
            _ => f.status.map(|status| Outcome::Answer { status, code: Some(&f.code) }),
        }
    }
}

#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    /// One attempt in flight (js/transport.js): fetch, timer, signal listener, response head.
    type Exchange;
    #[wasm_bindgen(constructor)]
    fn new(fetch: &JsValue, url: &str, headers: &JsValue, body: &JsValue, redirect: &str, timeout_ms: u32, signal: &JsValue) -> Exchange;
    #[wasm_bindgen(method, getter)]
    fn head(this: &Exchange) -> js_sys::Promise;
    #[wasm_bindgen(method, getter)]
    fn response(this: &Exchange) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = contentType)]
    fn content_type(this: &Exchange) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = requestId)]
    fn request_id(this: &Exchange) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Exchange) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Exchange) -> bool;
    #[wasm_bindgen(method)]
    fn read(this: &Exchange, kind: u8) -> js_sys::Promise;
    #[wasm_bindgen(method, js_name = plainHeaders)]
    fn plain_headers(this: &Exchange) -> JsValue;
    #[wasm_bindgen(method)]
    fn close(this: &Exchange);

    /// `promise`, or a rejection as soon as `signal` aborts (the wait for a token provider).
    #[wasm_bindgen(js_name = untilAborted)]
    pub fn until_aborted(promise: &js_sys::Promise, signal: &Signal) -> js_sys::Promise;
}

/// `Exchange.read` kinds.
const READ_TEXT: u8 = 0;
const READ_BYTES: u8 = 1;
const READ_NOTHING: u8 = 2;

/// Closes the exchange however the attempt ends (success, error, or the future being dropped), so
/// no timer or listener keeps a process or worker alive.
struct Guard(Exchange);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.close();
    }
}

impl Guard {
    /// What ended a failed fetch or body read: our timer, the caller's signal, or the network.
    fn failure(&self, url: &str, timeout_ms: u32, status: Option<u16>, cause: JsValue, signal: Option<&Signal>) -> Raised {
        let mut raised = if self.0.timed_out() {
            let mut message = String::from("no complete answer from ");
            message.push_str(url);
            message.push_str(" within ");
            push_decimal(&mut message, timeout_ms.into());
            message.push_str(" ms");
            Raised::local(ErrorClass::Timeout, message).with_cause(cause)
        } else if let Some(signal) = signal.filter(|s| is_aborted(s)) {
            aborted(signal)
        } else {
            let mut message = String::from("no answer from ");
            message.push_str(url);
            message.push_str(": the connection failed or was dropped");
            if !get(&host::global(), "document").is_undefined() {
                message.push_str(" (in a browser a CORS refusal also looks like this)");
            }
            Raised::local(ErrorClass::Network, message).with_cause(cause)
        };
        raised.failure.status = status;
        raised
    }
}

pub fn is_aborted(signal: &Signal) -> bool {
    signal.aborted().ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// `AbortError` carrying the signal's reason as `cause`.
pub fn aborted(signal: &Signal) -> Raised {
    let reason = signal.reason().unwrap_or(JsValue::UNDEFINED);
    Raised::local(ErrorClass::Abort, "the call was aborted by its signal").with_cause(reason)
}

fn not_a_response(url: &str, cause: JsValue) -> Raised {
    let message = ["fetch for ", url, " returned something that is not a Response"].concat();
    Raised::local(ErrorClass::InvalidResponse, message).with_cause(cause)
}

pub async fn attempt(req: &Prepared, timeout_ms: u32, signal: Option<&Signal>) -> Result<JsValue, AttemptError> {
    let no_signal = JsValue::UNDEFINED;
    let signal_value: &JsValue = signal.map_or(&no_signal, |s| s.as_ref());
    let guard = Guard(Exchange::new(&req.fetch, &req.url, &req.headers, &req.body, req.redirect, timeout_ms, signal_value));
    let exchange = &guard.0;
    let status = wasm_bindgen_futures::JsFuture::from(exchange.head())
        .await
        .map_err(|e| AttemptError::new(guard.failure(&req.url, timeout_ms, None, e, signal)))?;
    let status = match status.as_f64() {
        Some(s) if (100.0..=599.0).contains(&s) && s == (s as u16) as f64 => s as u16,
        _ => return Err(AttemptError::new(not_a_response(&req.url, exchange.response()))),
    };
    let request_id = exchange.request_id();
    let success = (200..300).contains(&status);
    let kind = if success { contract::body_kind(exchange.content_type().as_deref()) } else { BodyKind::Text };
    let read = match kind {
        _ if status == 204 || status == 205 => READ_NOTHING,
        BodyKind::Bytes => READ_BYTES,
        BodyKind::Json | BodyKind::Text => READ_TEXT,
    };
    let body = wasm_bindgen_futures::JsFuture::from(exchange.read(read))
        .await
        .map_err(|e| AttemptError::new(guard.failure(&req.url, timeout_ms, Some(status), e, signal)))?;
    let plain_headers = if req.raw { exchange.plain_headers() } else { JsValue::UNDEFINED };
    let retry_after = if success { None } else { exchange.retry_after() };
    drop(guard);

    if !success {
        return Err(gateway_error(status, &body, request_id, retry_after));
    }
    let data = match kind {
        _ if body.is_undefined() => body,
        BodyKind::Json => host::json_parse(&body).map_err(|cause| {
            let mut f = Failure::local(ErrorClass::InvalidResponse, "the answer says application/json but its body does not parse");
            f.status = Some(status);
            f.request_id = request_id.clone();
            AttemptError::new(Raised::new(f).with_cause(cause))
        })?,
        BodyKind::Text | BodyKind::Bytes => body,
    };
    if !req.raw {
        return Ok(data);
    }
    let raw = host::new_object();
    set(&raw, "data", &data);
    set(&raw, "status", &JsValue::from(status));
    set(&raw, "requestId", &request_id.map_or(JsValue::UNDEFINED, |id| JsValue::from_str(&id)));
    set(&raw, "headers", &plain_headers);
    Ok(raw)
}

/// A non-2xx answer: the contract's error JSON becomes its class, anything else an `HttpError`.
fn gateway_error(status: u16, body: &JsValue, header_request_id: Option<String>, retry_after: Option<String>) -> AttemptError {
    let parsed = host::json_parse(body).ok().filter(|v| v.is_object());
    let field = |key: &str| parsed.as_ref().and_then(|p| get(p, key).as_string());
    let (code, message, request_id) = (field("code"), field("message"), field("requestId"));
    let fields = parsed.as_ref().map(|_| ErrorBody {
        code: code.as_deref(),
        message: message.as_deref(),
        request_id: request_id.as_deref(),
    });
    // Only the excerpt is copied into wasm memory, however large the body.
    let excerpt = if body.is_string() {
        body.unchecked_ref::<HostString>()
            .slice(0, contract::BODY_EXCERPT_CHARS as u32)
            .as_string()
            .unwrap_or_default()
    } else {
        String::new()
    };
    let failure = contract::classify_error(status, fields, &excerpt, header_request_id.as_deref());
    AttemptError {
        raised: Raised::new(failure),
        retry_after_ms: retry_after.as_deref().and_then(parse_retry_after),
    }
}
