//! The narrow boundary the JS driver calls: a few synchronous operations over strings and
//! numbers, each a thin translation to `contract` and back, reached through one wasm export
//! (`wire`). Nothing here performs I/O, reads a JS object or calls into JS, so no JS exception can
//! ever unwind through a wasm frame. Answers are a URL, a number, or JSON: either a value object
//! or an error descriptor (`{"name": class, "code", …}`) from which the driver builds the error.
//!
//! All of it compiles natively, so `cargo test` covers it; the exports are in the `wasm/` crate.

mod json;
mod session;
pub mod wire;
mod token;
#[cfg(feature = "tc3")]
mod tc3;

use crate::contract::call::{self, Attempt, Decision, Next, Read, RetryInput, TransportFailure};
use crate::contract::retry::RetryPolicy;
use crate::contract::{self, BodyKind, ErrorBody, ErrorClass, Failure, Invalid};
use alloc::string::String;
use alloc::vec::Vec;
use json::Object;

pub use session::{device_id, session_accept, session_request};
#[cfg(feature = "tc3")]
pub use tc3::sign;
pub use tc3_check::check_credentials;
pub use token::accept_token;

/// The descriptor of a failure: the driver does `new classes[name](message, descriptor)`.
fn descriptor(f: &Failure, retryable: bool, attempts: u32) -> Object {
    let mut o = Object::new()
        .text("name", f.class.name())
        .text("code", &f.code)
        .text("message", &f.message)
        .maybe_text("requestId", f.request_id.as_deref())
        .maybe_text("body", f.body.as_deref())
        .flag("retryable", retryable);
    if let Some(status) = f.status {
        o = o.number("status", status.into());
    }
    if attempts > 0 {
        o = o.number("attempts", attempts.into());
    }
    o
}

fn local_error(class: ErrorClass, message: String) -> String {
    descriptor(&Failure::local(class, message), false, 0).end()
}

fn invalid(e: Invalid) -> String {
    local_error(ErrorClass::InvalidArgument, e.0)
}

fn policy_json(p: &RetryPolicy) -> String {
    let mut s = String::from("[");
    for (i, n) in [p.retries, p.base_delay_ms, p.max_delay_ms, p.on_network_error as u32].iter().enumerate() {
        if i > 0 {
            s.push_str(",");
        }
        contract::decimal::push_decimal(&mut s, (*n).into());
    }
    s.push_str("]");
    s
}

fn headers_json(pairs: &[(String, &str)], first: &[(&str, &str)]) -> String {
    let mut o = Object::new();
    for (name, value) in first {
        o = o.text(name, value);
    }
    for (name, value) in pairs {
        o = o.text(name, value);
    }
    o.end()
}

/// The gateway base of `envId` (on the international host with `intl`) or `baseUrl` (which
/// wins; the envId is still checked).
pub fn base_url(env_id: Option<&str>, base_url: Option<&str>, intl: bool) -> Result<String, Invalid> {
    if let Some(id) = env_id {
        contract::validate_env_id(id)?;
    }
    match (base_url, env_id) {
        (Some(url), _) => contract::validate_base_url(url),
        (None, Some(id)) => Ok(contract::host_base_url(id, intl)),
        (None, None) => Err(Invalid(String::from("envId or baseUrl is required"))),
    }
}

fn retry_input(old_attempts: bool, max_attempts: Option<f64>, base: Option<f64>, max: Option<f64>, on_network: Option<bool>) -> RetryInput {
    RetryInput { max_attempts, old_attempts, base_delay_ms: base, max_delay_ms: max, on_network_error: on_network }
}

/// `createClient`'s options, checked once: `{ base, timeoutMs, maxPayloadBytes, policy, headers,
/// bearer }` where `headers` is the header object of every call (the static token's
/// `authorization` included) and `bearer` the prefix of a provider's token. `headers` packs extra
/// headers as `name\nvalue\n…`; `old_attempts` says the retry option has the old `attempts` key.
#[allow(clippy::too_many_arguments)]
pub fn configure_client(
    env_id: Option<&str>,
    base: Option<&str>,
    intl: bool,
    timeout_ms: Option<f64>,
    max_payload_bytes: Option<f64>,
    retry_off: bool,
    old_attempts: bool,
    attempts: Option<f64>,
    base_delay_ms: Option<f64>,
    max_delay_ms: Option<f64>,
    on_network_error: Option<bool>,
    headers: &str,
    header_count: u32,
    token: Option<&str>,
) -> String {
    let result = (|| {
        let base = base_url(env_id, base, intl)?;
        let timeout = call::timeout(timeout_ms)?;
        let max_payload = call::max_payload(max_payload_bytes)?;
        let policy = call::retry_policy(retry_off, retry_input(old_attempts, attempts, base_delay_ms, max_delay_ms, on_network_error))?;
        let extra = call::extra_headers(headers, header_count)?;
        let bearer;
        let mut fixed: Vec<(&str, &str)> = Vec::with_capacity(2);
        fixed.push(("content-type", "application/json"));
        if let Some(token) = &token {
            contract::validate_token(token)?;
            bearer = contract::text::cat(&["Bearer ", token]);
            fixed.push(("authorization", &bearer));
        }
        Ok::<String, Invalid>(
            Object::new()
                .text("base", &base)
                .number("timeoutMs", timeout.into())
                .number("maxPayloadBytes", max_payload.into())
                .json("policy", &policy_json(&policy))
                .json("headers", &headers_json(&extra, &fixed))
                .text("bearer", "Bearer ")
                .end(),
        )
    })();
    result.unwrap_or_else(invalid)
}

/// A call's own options, when it has any: `{ headers, timeoutMs?, policy? }` (`headers` holds
/// `x-qualifier`, `x-tcb-webfn` and the call's extra headers; absent fields mean the client's).
#[allow(clippy::too_many_arguments)]
pub fn configure_call(
    qualifier: Option<&str>,
    webfn: bool,
    timeout_ms: Option<f64>,
    has_retry: bool,
    retry_off: bool,
    old_attempts: bool,
    attempts: Option<f64>,
    base_delay_ms: Option<f64>,
    max_delay_ms: Option<f64>,
    on_network_error: Option<bool>,
    headers: &str,
    header_count: u32,
) -> String {
    let result = (|| {
        let mut fixed: Vec<(&str, &str)> = Vec::new();
        if let Some(q) = qualifier {
            contract::validate_qualifier(q)?;
            fixed.push(("x-qualifier", q));
        }
        if webfn {
            fixed.push(("x-tcb-webfn", "true"));
        }
        let extra = call::extra_headers(headers, header_count)?;
        let mut o = Object::new().json("headers", &headers_json(&extra, &fixed));
        if timeout_ms.is_some() {
            o = o.number("timeoutMs", call::timeout(timeout_ms)?.into());
        }
        if has_retry {
            let policy = call::retry_policy(retry_off, retry_input(old_attempts, attempts, base_delay_ms, max_delay_ms, on_network_error))?;
            o = o.json("policy", &policy_json(&policy));
        }
        Ok::<String, Invalid>(o.end())
    })();
    result.unwrap_or_else(invalid)
}

/// The URL of a call to `name` with a JSON body that starts with `body_first_unit` and is `units`
/// UTF-16 units long (`bytes` of UTF-8 when the driver counted them); or an error descriptor (it
/// starts with `{`, which a URL never does); or "" when the driver must count the UTF-8 bytes
/// and ask again (`limit`: the client's `maxPayloadBytes`).
pub fn prepare(base: &str, name: &str, body_first_unit: u32, units: f64, limit: u32, bytes: Option<f64>) -> String {
    if let Err(e) = call::check_body(body_first_unit) {
        return invalid(e);
    }
    match call::check_size(units, limit, bytes) {
        Err(f) => descriptor(&f, false, 0).end(),
        Ok(call::Size::Measure) => String::new(),
        Ok(call::Size::Fits) => call::function_url(base, name).unwrap_or_else(invalid),
    }
}

/// `Read` as a number: 0 JSON, 1 text, 2 bytes, 3 no body, 4 an error answer (read its text),
/// 5 not a Response.
pub fn read_for(status: f64, content_type: Option<&str>) -> u32 {
    match call::read_for(status, content_type) {
        Read::Body(BodyKind::Json) => 0,
        Read::Body(BodyKind::Text) => 1,
        Read::Body(BodyKind::Bytes) => 2,
        Read::Nothing => 3,
        Read::ErrorText => 4,
        Read::NotAResponse => 5,
    }
}

fn attempt(retries_done: u32, policy: &[u32; 4], random: f64, can_refresh: bool) -> Attempt {
    Attempt {
        retries_done,
        policy: RetryPolicy { retries: policy[0], base_delay_ms: policy[1], max_delay_ms: policy[2], on_network_error: policy[3] != 0 },
        random,
        can_refresh,
    }
}

/// A decision as JSON: the error descriptor plus `next`: a delay in ms before retrying, -1 to
/// give up (throw), -2 to refresh the token and send again.
fn decision_json(d: &Decision) -> String {
    let next = match d.next {
        Next::GiveUp => -1,
        Next::Refresh => -2,
        Next::Retry(ms) => ms.into(),
    };
    descriptor(&d.failure, d.retryable, d.attempts).number("next", next).end()
}

/// A non-2xx answer. `parsed` says whether the body was a JSON object (then `code`, `message` and
/// `body_request_id` are its string fields, when they are strings); `text` is the body's first
/// 2048 UTF-16 units; `now_ms` the driver's clock (for a `Retry-After` date); `secrets` the
/// credentials in use, `\n`-separated, to redact.
#[allow(clippy::too_many_arguments)]
pub fn answer_failed(
    status: u32,
    parsed: bool,
    code: Option<&str>,
    message: Option<&str>,
    body_request_id: Option<&str>,
    text: &str,
    header_request_id: Option<&str>,
    retry_after: Option<&str>,
    now_ms: f64,
    secrets: &str,
    retries_done: u32,
    retries: u32,
    base_delay_ms: u32,
    max_delay_ms: u32,
    on_network_error: u32,
    random: f64,
    can_refresh: bool,
) -> String {
    let body = parsed.then_some(ErrorBody { code, message, request_id: body_request_id });
    let at = attempt(retries_done, &[retries, base_delay_ms, max_delay_ms, on_network_error], random, can_refresh);
    let status = u16::try_from(status).unwrap_or(599);
    decision_json(&call::answer_failed(status, body, text, header_request_id, retry_after, now_ms, secrets, &at))
}

/// An attempt that ended without an error answer; `kind` numbers [`TransportFailure`]: 0 network,
/// 1 timeout, 2 aborted, 3 not a Response, 4 broken JSON in a 2xx, 5 timeout waiting for a token.
#[allow(clippy::too_many_arguments)]
pub fn transport_failed(
    kind: u32,
    url: &str,
    timeout_ms: u32,
    status: Option<u32>,
    request_id: Option<&str>,
    in_browser: bool,
    retries_done: u32,
    retries: u32,
    base_delay_ms: u32,
    max_delay_ms: u32,
    on_network_error: u32,
    random: f64,
) -> String {
    let at = attempt(retries_done, &[retries, base_delay_ms, max_delay_ms, on_network_error], random, false);
    let status = status.and_then(|s| u16::try_from(s).ok());
    let kind = TransportFailure::from_code(kind);
    decision_json(&call::transport_failed(kind, url, timeout_ms, status, request_id, in_browser, &at))
}

/// Errors the driver raises on the core's word where only the driver saw what happened: 0 the
/// token provider threw or rejected, 1 anonymous sign-in failed, 2 refreshing the anonymous
/// session failed.
pub fn auth_failed(kind: u32) -> String {
    let message = match kind {
        1 => "anonymous sign-in failed",
        2 => "refreshing the anonymous session failed",
        _ => "the accessToken provider failed",
    };
    local_error(ErrorClass::Auth, String::from(message))
}

/// TC3 credentials are checked in every build; only the server build can use them.
mod tc3_check {
    use super::*;

    /// `credentials: { secretId, secretKey, sessionToken? }`: "" when usable, else an error
    /// descriptor. Refused in a browser-like runtime (a page must never hold a secret key) unless
    /// `allow` (`allowSecretKeyInBrowser`), and always in the web build, which has no signer.
    pub fn check_credentials(id: Option<&str>, key: Option<&str>, token: Option<&str>, in_browser: bool, allow: bool) -> String {
        if !cfg!(feature = "tc3") {
            return invalid(Invalid(String::from(
                "credentials (TC3 signing with a secret key) are only in the server build: use cloudbase-fn from Node or Workers",
            )));
        }
        if in_browser && !allow {
            return invalid(Invalid(String::from(
                "credentials with a secret key are refused in a browser: sign on a server, or set allowSecretKeyInBrowser if this page is not public",
            )));
        }
        let fields = [("secretId", &id), ("secretKey", &key), ("sessionToken", &token)];
        for (name, value) in fields {
            if value.is_some_and(|v| contract::validate_token(v).is_err()) {
                return invalid(Invalid(contract::text::cat(&["credentials.", name, " must be a non-empty header-safe string"])));
            }
        }
        if id.is_none() || key.is_none() {
            return invalid(Invalid(String::from("credentials needs secretId and secretKey")));
        }
        String::new()
    }
}

#[cfg(test)]
mod tests;
