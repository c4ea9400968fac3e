//! The options of the Rust client's calls: the retry policy ([`Retry`]), a call's own options
//! ([`InvokeOptions`]) and what a call answers ([`Data`], [`Reply`]).

use std::prelude::rust_2021::*;
use std::time::Duration;

use super::{AbortSignal, Error};
use crate::contract::call::{self, RetryInput};
use crate::contract::retry::RetryPolicy;

/// The retry policy of a client or a call (the npm package's `retry` option).
///
/// Unset fields keep the defaults: 3 attempts in all, 200 ms base delay, 5 s maximum delay, no retry of
/// network errors or timeouts. The core checks the values when the client is built or the call
/// made (`max_attempts` from 1 to 10, delays at most 600 s), and refuses others with
/// [`ErrorKind::InvalidArgument`](super::ErrorKind::InvalidArgument). Delays count in whole
/// milliseconds, rounded down: both bound a wait from above, so no wait is longer than given.
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
        self.input.base_delay_ms = Some(delay_millis(delay));
        self
    }

    /// The longest wait; a `Retry-After` longer than this ends the retries.
    pub fn max_delay(mut self, delay: Duration) -> Retry {
        self.input.max_delay_ms = Some(delay_millis(delay));
        self
    }

    /// Also retry network errors and timeouts (the function may then run twice: functions are
    /// not idempotent, so this is off by default).
    pub fn on_network_error(mut self, on: bool) -> Retry {
        self.input.on_network_error = Some(on);
        self
    }

    pub(super) fn policy(&self) -> Result<RetryPolicy, Error> {
        call::retry_policy(self.off, self.input).map_err(Error::invalid)
    }
}

/// A timeout in whole milliseconds for the core, rounded up: it never fires before the time
/// given, and only `Duration::ZERO` becomes 0 ("no timeout"), never a sub-millisecond one.
pub(super) fn timeout_millis(d: Duration) -> f64 {
    d.as_nanos().div_ceil(1_000_000) as f64
}

/// A retry delay in whole milliseconds for the core, rounded down: delays are upper bounds of a
/// wait (the jitter's ceiling, the longest wait), and 0 means no wait, not "none".
fn delay_millis(d: Duration) -> f64 {
    d.as_millis() as f64
}

/// A call's own options (the npm package's `invoke` options); unset ones take the client's.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct InvokeOptions {
    pub(super) qualifier: Option<String>,
    pub(super) webfn: bool,
    pub(super) timeout: Option<Duration>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) retry: Option<Retry>,
    pub(super) signal: Option<AbortSignal>,
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

    /// This call's timeout per attempt (`Duration::ZERO`: none), rounded up to whole
    /// milliseconds (a non-zero one is at least 1 ms).
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

    /// Ends the call with [`ErrorKind::Abort`](super::ErrorKind::Abort) when the signal's controller aborts.
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

/// The full answer of [`Client::invoke_raw`](super::Client::invoke_raw) (the npm package's `raw: true`).
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
