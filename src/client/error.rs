//! The one error type of the Rust client, mirroring the npm package's error classes one for one.

use std::fmt;
use std::prelude::rust_2021::*;

use crate::contract::call::Decision;
use crate::contract::{ErrorClass, Failure, Invalid};

/// Which error this is: one variant per JS error class of the npm package (`FunctionNotFound` is
/// `FunctionNotFoundError`, `Timeout` is `TimeoutError`, …, `CloudBase` is the base class
/// `CloudBaseError`, used for gateway codes without a class of their own).
///
/// This is the contract's own [`ErrorClass`]: the table in `contract::errors::TABLE` gives each
/// variant its class name ([`ErrorClass::name`]) and default code ([`ErrorClass::code`]), so the
/// Rust client, the JS classes and the README's table cannot drift apart.
pub use crate::contract::ErrorClass as ErrorKind;

/// The error type of a source (a token provider's or a transport's failure).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A failed client construction or invocation.
///
/// Guarantees:
/// - [`kind`](Error::kind) and [`code`](Error::code) are those the npm package gives for the
///   same failure (`FunctionNotFoundError` / `FUNCTION_NOT_FOUND`, `TimeoutError` / `TIMEOUT`, …);
///   a gateway code without a class of its own keeps its code under [`ErrorKind::CloudBase`].
/// - Neither `Display`, `Debug` nor [`message`](Error::message) ever contains a credential: the
///   messages are written by the core, and a gateway message or error body that echoes the token
///   in use is redacted (`[redacted]`) before it reaches this type. A [`source`] is the token
///   provider's or the transport's own error, passed on as it was.
///
/// [`source`]: std::error::Error::source
// The fields sit behind one box so that `Result<T, Error>` stays two words wide on every path.
pub struct Error(Box<Details>);

struct Details {
    kind: ErrorKind,
    code: String,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    body: Option<String>,
    retryable: bool,
    attempts: u32,
    source: Option<BoxError>,
}

impl fmt::Debug for Error {
    /// `Error { kind, code, message, … }`: the fields as they are (no credential is among them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        f.debug_struct("Error")
            .field("kind", &d.kind)
            .field("code", &d.code)
            .field("message", &d.message)
            .field("status", &d.status)
            .field("request_id", &d.request_id)
            .field("body", &d.body)
            .field("retryable", &d.retryable)
            .field("attempts", &d.attempts)
            .field("source", &d.source)
            .finish()
    }
}

impl Error {
    /// The class of error (the JS class, as an enum).
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The JS class name of this error (`"FunctionNotFoundError"`, `"TimeoutError"`, …).
    pub fn name(&self) -> &'static str {
        self.0.kind.name()
    }

    /// Whether this error is of class `kind` or of a class that extends it (the JS
    /// `instanceof`): a `FUNCTION_EXCEED_RESOURCE_LIMIT` error `is(ErrorKind::RateLimit)`, every
    /// error `is(ErrorKind::CloudBase)`. The hierarchy is the core's table's.
    pub fn is(&self, kind: ErrorKind) -> bool {
        let mut class = Some(self.0.kind);
        while let Some(c) = class {
            if c == kind {
                return true;
            }
            class = crate::contract::errors::TABLE.iter().find(|row| row.class == c).and_then(|row| row.parent);
        }
        kind == ErrorKind::CloudBase
    }

    /// The stable code: the gateway's `code` for a gateway error (kept as sent, even one this
    /// SDK does not know), else the class's own (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`,
    /// `HTTP_ERROR`, `INVALID_RESPONSE`, `INVALID_ARGUMENT`, `AUTH_ERROR`).
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// What happened, in one sentence (the gateway's message for a gateway error). Never contains
    /// a credential.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The HTTP status of the answer, or `None` when no answer came (network failure, timeout,
    /// abort, invalid input), and for a token provider failure (`AUTH_ERROR`) even after an
    /// earlier attempt's answer (a refused token, a busy function): that failure is the
    /// provider's, not an answer.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The request id: the error body's `requestId`, else the `X-Request-Id` header; `None` when
    /// no answer carried one, and for a token provider failure (as [`status`](Error::status)).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// For [`ErrorKind::Http`] (an answer that is not CloudBase's error JSON, such as an HTML
    /// 502 page): its first 1024 characters, credentials redacted.
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }

    /// Whether trying again later could succeed without the function having run twice, by the
    /// default retry policy's rule (`contract::retry`: answers that say the function did not run,
    /// such as `FUNCTION_EXCEED_RESOURCE_LIMIT` and 503), even when this call's retries were spent
    /// or turned off.
    pub fn retryable(&self) -> bool {
        self.0.retryable
    }

    /// Attempts made, the failing one included. 0 when the input was refused (invalid argument,
    /// payload too large), nothing being sent; a call whose signal had already aborted counts 1,
    /// as in the npm package. A token provider failure (`AUTH_ERROR`) sends nothing itself and
    /// counts the attempts the call had sent before it (a refreshed token's resend is the same
    /// attempt, as for every count here): 0 when the provider failed for the first
    /// attempt, 1 when it failed on the forced refresh after a refused token or before the retry
    /// of a busy answer (the npm package's count too).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    pub(crate) fn from_failure(failure: Failure, retryable: bool, attempts: u32, source: Option<BoxError>) -> Error {
        Error(Box::new(Details {
            kind: failure.class,
            code: failure.code,
            message: failure.message,
            status: failure.status,
            request_id: failure.request_id,
            body: failure.body,
            retryable,
            attempts,
            source,
        }))
    }

    /// This error with its attempt count set (a token provider's failure: the attempts sent before it).
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.0.attempts = attempts;
        self
    }

    pub(crate) fn from_decision(decision: Decision, source: Option<BoxError>) -> Error {
        Error::from_failure(decision.failure, decision.retryable, decision.attempts, source)
    }

    /// An `InvalidArgument` error from a rule of the core.
    pub(crate) fn invalid(invalid: Invalid) -> Error {
        Error::local(ErrorClass::InvalidArgument, invalid.0)
    }

    pub(crate) fn local(class: ErrorClass, message: String) -> Error {
        Error::from_failure(Failure::local(class, message), false, 0, None)
    }

    /// An error descriptor written by `crate::boundary` (`{"name", "code", "message", …}`), the
    /// form the npm driver builds its errors from.
    pub(crate) fn from_descriptor(json: &str, source: Option<BoxError>) -> Error {
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(String::from);
        let name = text("name").unwrap_or_default();
        let kind = crate::contract::errors::TABLE
            .iter()
            .find(|row| row.name == name)
            .map_or(ErrorClass::CloudBase, |row| row.class);
        Error(Box::new(Details {
            kind,
            code: text("code").unwrap_or_else(|| String::from(kind.code())),
            message: text("message").unwrap_or_default(),
            status: value.get("status").and_then(|v| v.as_u64()).and_then(|s| u16::try_from(s).ok()),
            request_id: text("requestId"),
            body: text("body"),
            retryable: value.get("retryable").and_then(|v| v.as_bool()).unwrap_or(false),
            attempts: value.get("attempts").and_then(|v| v.as_u64()).map_or(0, |n| n.min(u32::MAX.into()) as u32),
            source,
        }))
    }
}

impl fmt::Display for Error {
    /// `FunctionNotFoundError (FUNCTION_NOT_FOUND, HTTP 404): <message>`; no credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", self.name(), self.0.code)?;
        if let Some(status) = self.0.status {
            write!(f, ", HTTP {status}")?;
        }
        write!(f, "): {}", self.0.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
