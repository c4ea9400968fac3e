//! One invocation, sans I/O. The driver (JS, or the Rust client) reads options, performs the
//! fetch, reads bodies and waits; every decision is a pure function here: which inputs are valid,
//! where the call goes, how an answer is read, what a failure is, and whether to retry, refresh
//! the token or give up. Nothing here touches a clock, a random source or the network: the driver
//! passes `now` and `random` in.

use super::decimal::push_decimal;
use super::text::cat;
use super::errors::{ErrorClass, Failure};
use super::response::{body_kind, classify_error, BodyKind, ErrorBody};
use super::retry::{Outcome, RetryPolicy};
use super::validate::{validate_function_name, validate_header, validate_timeout_ms, Invalid};
use alloc::string::String;
use alloc::vec::Vec;

/// Per-attempt timeout when none is given.
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;

/// The largest JSON body sent by default: 6 MiB of UTF-8. CloudBase refuses larger ones with
/// `EXCEED_MAX_PAYLOAD_SIZE` (docs.cloudbase.net/error-code/service/EXCEED_MAX_PAYLOAD_SIZE: 6 MB
/// for a cloud function's request body).
pub const DEFAULT_MAX_PAYLOAD_BYTES: u32 = 6 * 1024 * 1024;

/// The `retry` option as the driver read it: `None` fields take the default policy's values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RetryInput {
    /// `maxAttempts`: attempts in all, the first included.
    pub max_attempts: Option<f64>,
    /// The old `attempts` key (retries) was given: refused, naming the new key.
    pub old_attempts: bool,
    pub base_delay_ms: Option<f64>,
    pub max_delay_ms: Option<f64>,
    pub on_network_error: Option<bool>,
}

/// `retry: false` (`off`) or `retry: { … }` over the defaults.
pub fn retry_policy(off: bool, input: RetryInput) -> Result<RetryPolicy, Invalid> {
    if off {
        return Ok(RetryPolicy::OFF);
    }
    let count = |value: Option<f64>, key: &str, max: f64, default: u32| match value {
        None => Ok(default),
        Some(n) if n >= 0.0 && n <= max && n == (n as u32) as f64 => Ok(n as u32),
        Some(_) => Err(Invalid(cat(&["retry.", key, " must be a whole number in range"]))),
    };
    if input.old_attempts {
        return Err(Invalid(String::from("retry.attempts is now retry.maxAttempts (attempts in all, default 3)")));
    }
    let d = RetryPolicy::default();
    let retries = match input.max_attempts {
        Some(n) if n >= 1.0 => count(Some(n - 1.0), "maxAttempts", 9.0, 0)?,
        Some(_) => return Err(Invalid(String::from("retry.maxAttempts must be a whole number from 1 to 10"))),
        None => d.retries,
    };
    Ok(RetryPolicy {
        retries,
        base_delay_ms: count(input.base_delay_ms, "baseDelayMs", 600_000.0, d.base_delay_ms)?,
        max_delay_ms: count(input.max_delay_ms, "maxDelayMs", 600_000.0, d.max_delay_ms)?,
        on_network_error: input.on_network_error.unwrap_or(false),
    })
}

/// `maxPayloadBytes`: a whole number of bytes, 0 for no limit; the default when absent.
pub fn max_payload(value: Option<f64>) -> Result<u32, Invalid> {
    match value {
        None => Ok(DEFAULT_MAX_PAYLOAD_BYTES),
        Some(n) if n >= 0.0 && n <= u32::MAX as f64 && n == (n as u32) as f64 => Ok(n as u32),
        Some(_) => Err(Invalid(String::from("maxPayloadBytes must be a whole number of bytes (0: no limit)"))),
    }
}

/// Whether a JSON body may be sent, from what the driver measured cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Fits,
    /// The UTF-16 length cannot tell: count the UTF-8 bytes and ask again.
    Measure,
}

/// The body's size against `limit` (0: none). `units` is its UTF-16 length, which bounds its
/// UTF-8 length `bytes` (from `units` to `3 * units`: a surrogate pair is 4 bytes for 2 units),
/// so only a body in between needs `bytes` counted. Over the limit: a `PayloadTooLargeError`
/// without a status (nothing was sent).
pub fn check_size(units: f64, limit: u32, bytes: Option<f64>) -> Result<Size, Failure> {
    let limit_f = f64::from(limit);
    let known = bytes.filter(|b| b.is_finite() && *b >= 0.0);
    let (over, at_least) = match known {
        _ if limit == 0 || units * 3.0 <= limit_f => return Ok(Size::Fits),
        Some(b) => (b > limit_f, false),
        None if units > limit_f => (true, true),
        None => return Ok(Size::Measure),
    };
    if !over {
        return Ok(Size::Fits);
    }
    let mut m = String::from(if at_least { "the JSON body is at least " } else { "the JSON body is " });
    push_decimal(&mut m, known.unwrap_or(units) as u64);
    m.push_str(" bytes; maxPayloadBytes is ");
    push_decimal(&mut m, limit.into());
    Err(Failure::local(ErrorClass::PayloadTooLarge, m))
}

/// `timeoutMs`, or the default when absent.
pub fn timeout(value: Option<f64>) -> Result<u32, Invalid> {
    value.map_or(Ok(DEFAULT_TIMEOUT_MS), validate_timeout_ms)
}

/// Extra headers packed by the driver as `name\nvalue\n…` (`count` pairs): each checked against
/// injection and the SDK's own headers, names lower-cased so a per-call header replaces a
/// client-wide one of the same name. A count that does not match the packing means a line break
/// inside a name or value, which no header may contain.
pub fn extra_headers(packed: &str, count: u32) -> Result<Vec<(String, &str)>, Invalid> {
    // Not sized by `count`: any u32 comes through the wire (2^31 trapped in wasm32).
    let mut out = Vec::new();
    if count == 0 {
        return Ok(out);
    }
    // In u64: in wasm32's usize, `2 * count` wraps for a count from 2^31.
    if packed.bytes().filter(|&b| b == b'\n').count() as u64 != 2 * u64::from(count) - 1 {
        return Err(Invalid(String::from("header names and values must not contain line breaks")));
    }
    let mut parts = super::text::split_byte(packed, b'\n');
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        validate_header(name, value)?;
        out.push((name.to_ascii_lowercase(), value));
    }
    Ok(out)
}

/// The body must be a JSON object (the contract's request body): the driver passes the first
/// UTF-16 unit of the JSON text it made, so a `toJSON` returning an array or a string is refused.
pub fn check_body(first_unit: u32) -> Result<(), Invalid> {
    if first_unit == u32::from(b'{') {
        Ok(())
    } else {
        Err(Invalid(String::from("data must encode to a JSON object (the contract's body); a toJSON returning an array, a string or a number is refused")))
    }
}

/// `POST {base}/v1/functions/{name}` for a valid name.
pub fn function_url(base: &str, name: &str) -> Result<String, Invalid> {
    validate_function_name(name)?;
    Ok(super::request::function_url(base, name))
}

/// How the driver reads an answer, decided from its head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// A 2xx: read the body in this form.
    Body(BodyKind),
    /// 204 or 205: there is no body; the value is `undefined`.
    Nothing,
    /// Not a 2xx: read the body as text and report it with [`answer_failed`].
    ErrorText,
    /// The transport gave no HTTP status: report [`TransportFailure::NotAResponse`].
    NotAResponse,
}

/// `status` as the transport gave it (any number) and the `Content-Type` header. Any whole
/// status of three digits is an answer (fetch passes 600 to 999 through): outside 2xx it is read
/// as an error.
pub fn read_for(status: f64, content_type: Option<&str>) -> Read {
    if !(100.0..=999.0).contains(&status) || status != (status as u16) as f64 {
        return Read::NotAResponse;
    }
    match status as u16 {
        204 | 205 => Read::Nothing,
        200..=299 => Read::Body(body_kind(content_type)),
        _ => Read::ErrorText,
    }
}

/// What the driver does after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Reject with the failure.
    GiveUp,
    /// Wait this many milliseconds, then send the same request again.
    Retry(u32),
    /// Ask the token provider again with `forceRefresh`, then send once more (outside the retry
    /// budget: the function did not run).
    Refresh,
}

/// Where a call stands when an attempt fails.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempt {
    /// Retries already made (0 on the first attempt).
    pub retries_done: u32,
    pub policy: RetryPolicy,
    /// Uniform in [0, 1), for the backoff's jitter.
    pub random: f64,
    /// The token came from a provider that can be asked again, and has not been yet in this call.
    pub can_refresh: bool,
}

/// A failed attempt and what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub failure: Failure,
    /// Whether trying again later could succeed without the function having run twice.
    pub retryable: bool,
    /// Attempts made so far, this one included.
    pub attempts: u32,
    pub next: Next,
}

/// `retryable` and the next step for an attempt that ended with `outcome` (`None`: never retried).
fn next_step(outcome: Option<Outcome<'_>>, retry_after_ms: Option<u32>, at: &Attempt) -> (bool, Next) {
    let Some(outcome) = outcome else { return (false, Next::GiveUp) };
    if let Outcome::Answer { status, code } = outcome {
        if at.can_refresh && super::jwt::is_auth_rejection(status, code) {
            return (false, Next::Refresh);
        }
    }
    let next = at
        .policy
        .delay_ms(at.retries_done, outcome, retry_after_ms, at.random)
        .map_or(Next::GiveUp, Next::Retry);
    // `retryable` follows the default policy's rule even when this call's retries are spent or off.
    (next != Next::GiveUp || RetryPolicy::default().is_retryable(outcome), next)
}

/// Replaces every occurrence of each credential in `secrets` (separated by `\n`) with
/// `[redacted]`: a gateway message may echo the token it refused. A byte-window search: a match
/// of a whole UTF-8 string always starts and ends on character boundaries, and nothing here can
/// panic (the standard library's substring search and slicing would pull their panic paths in).
pub fn redact(text: &mut String, secrets: &str) {
    for secret in super::text::split_byte(secrets, b'\n').map(str::as_bytes).filter(|s| s.len() >= 4) {
        let bytes = text.as_bytes();
        if !bytes.windows(secret.len()).any(|w| w == secret) {
            continue;
        }
        let mut out = alloc::vec::Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i..i + secret.len()) == Some(secret) {
                out.extend_from_slice(b"[redacted]");
                i += secret.len();
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        *text = String::from_utf8(out).unwrap_or_default();
    }
}

/// An excerpt cut inside a credential ends with the credential's start, which [`redact`] cannot
/// match: that tail (4 bytes or more) becomes `[redacted]` too.
fn redact_cut_start(text: &mut String, secrets: &str) {
    for secret in super::text::split_byte(secrets, b'\n') {
        let mut n = secret.len().min(text.len() + 1);
        while n > 4 {
            n -= 1;
            if secret.get(..n).is_some_and(|start| text.ends_with(start)) {
                *text = super::text::cat(&[text.get(..text.len() - n).unwrap_or_default(), "[redacted]"]);
                break;
            }
        }
    }
}

/// A non-2xx answer. `body` holds the error JSON's fields when the body parsed as an object,
/// `text` the start of the body as read (the driver passes at most 2048 UTF-16 units, which hold
/// at least the 1024 characters an excerpt keeps).
#[allow(clippy::too_many_arguments)]
pub fn answer_failed(
    status: u16,
    body: Option<ErrorBody<'_>>,
    text: &str,
    header_request_id: Option<&str>,
    retry_after: Option<&str>,
    now_ms: f64,
    secrets: &str,
    at: &Attempt,
) -> Decision {
    let mut failure = classify_error(status, body, text, header_request_id);
    redact(&mut failure.message, secrets);
    if let Some(body) = failure.body.as_mut() {
        redact(body, secrets);
        if body.len() < text.len() {
            redact_cut_start(body, secrets);
        }
    }
    let retry_after_ms = retry_after.and_then(|v| super::retry::retry_after_ms(v, now_ms));
    let (retryable, next) = {
        let code = (failure.class != ErrorClass::Http).then_some(failure.code.as_str());
        next_step(Some(Outcome::Answer { status, code }), retry_after_ms, at)
    };
    Decision { failure, retryable, attempts: at.retries_done.saturating_add(1), next }
}

/// An attempt that ended without a usable answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    /// fetch rejected, or the body could not be read: the connection failed or was dropped.
    Network,
    /// The driver's timer fired before the answer was complete.
    Timeout,
    /// The caller's signal aborted the call.
    Aborted,
    /// fetch resolved to something that is not a Response.
    NotAResponse,
    /// A 2xx said JSON but its body did not parse.
    BadJson,
    /// The timer fired while waiting for the token provider (nothing was sent).
    TokenTimeout,
}

impl TransportFailure {
    pub fn from_code(code: u32) -> TransportFailure {
        match code {
            1 => TransportFailure::Timeout,
            2 => TransportFailure::Aborted,
            3 => TransportFailure::NotAResponse,
            4 => TransportFailure::BadJson,
            5 => TransportFailure::TokenTimeout,
            _ => TransportFailure::Network,
        }
    }
}

/// A failed attempt without an error answer. `status` and `request_id` are those of the answer
/// when one had started (a body cut off, a 2xx with broken JSON); `in_browser` adds the CORS hint.
pub fn transport_failed(
    kind: TransportFailure,
    url: &str,
    timeout_ms: u32,
    status: Option<u16>,
    request_id: Option<&str>,
    in_browser: bool,
    at: &Attempt,
) -> Decision {
    let (class, outcome, message) = match kind {
        TransportFailure::Timeout | TransportFailure::TokenTimeout => {
            let mut m = String::from(if kind == TransportFailure::Timeout { "no complete answer from " } else { "no access token from the accessToken provider for " });
            m.push_str(url);
            m.push_str(" within ");
            push_decimal(&mut m, timeout_ms.into());
            m.push_str(" ms");
            let outcome = (kind == TransportFailure::Timeout).then_some(Outcome::Timeout);
            (ErrorClass::Timeout, outcome, m)
        }
        TransportFailure::Aborted => (ErrorClass::Abort, None, String::from("the call was aborted by its signal")),
        TransportFailure::NotAResponse => {
            (ErrorClass::InvalidResponse, None, cat(&["fetch for ", url, " returned something that is not a Response"]))
        }
        TransportFailure::BadJson => {
            (ErrorClass::InvalidResponse, None, String::from("the answer says application/json but its body does not parse"))
        }
        TransportFailure::Network => {
            let mut m = cat(&["no answer from ", url, ": the connection failed or was dropped"]);
            if in_browser {
                m.push_str(" (in a browser a CORS refusal also looks like this)");
            }
            (ErrorClass::Network, Some(Outcome::Network), m)
        }
    };
    let mut failure = Failure::local(class, message);
    failure.status = status;
    failure.request_id = request_id.map(String::from);
    let (retryable, next) = next_step(outcome, None, at);
    Decision { failure, retryable, attempts: at.retries_done.saturating_add(1), next }
}

#[cfg(test)]
mod tests;
