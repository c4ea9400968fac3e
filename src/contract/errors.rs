//! Every error the SDK can raise: its JS class name, its stable `code`, and which contract code maps
//! to which class. The JS classes in `js/errors.js` carry the same names.

use alloc::string::{String, ToString};

/// One JS error class. `CloudBase` is the base class, used as is for contract codes we do not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    CloudBase,
    FunctionNotFound,
    FunctionQualifierNotFound,
    FunctionInvocationFailed,
    FunctionParamInvalid,
    FunctionExceedResourceLimit,
    FunctionStatusAbnormal,
    FunctionTimeLimitExceeded,
    FunctionMemoryLimitExceeded,
    ExceedAuthority,
    ActionForbidden,
    InvalidHost,
    Network,
    Timeout,
    Abort,
    Http,
    InvalidResponse,
    InvalidArgument,
    Auth,
}

/// One row of the error table: the single source of every error's identity. The JS classes, their
/// `code`s, the TypeScript declarations and the README's error table are generated from it
/// (`tools/codegen`), so none of them can drift from what the core raises.
#[derive(Clone, Copy, Debug)]
pub struct ClassInfo {
    pub class: ErrorClass,
    /// The JS class name (`error.name`).
    pub name: &'static str,
    /// The stable `code` the class carries when no gateway answer sets one.
    pub code: &'static str,
    /// The class it extends; `None` means `CloudBaseError`.
    pub parent: Option<ErrorClass>,
}

const fn row(class: ErrorClass, name: &'static str, code: &'static str) -> ClassInfo {
    ClassInfo { class, name, code, parent: None }
}

/// Contract codes first (`for_code` searches only those), then the SDK's own classes.
pub const TABLE: &[ClassInfo] = &[
    row(ErrorClass::FunctionNotFound, "FunctionNotFoundError", "FUNCTION_NOT_FOUND"),
    row(ErrorClass::FunctionQualifierNotFound, "FunctionQualifierNotFoundError", "FUNCTION_QUALIFIER_NOT_FOUND"),
    row(ErrorClass::FunctionInvocationFailed, "FunctionInvocationFailedError", "FUNCTION_INVOCATION_FAILED"),
    row(ErrorClass::FunctionParamInvalid, "FunctionParamInvalidError", "FUNCTION_PARAM_INVALID"),
    row(ErrorClass::FunctionExceedResourceLimit, "FunctionExceedResourceLimitError", "FUNCTION_EXCEED_RESOURCE_LIMIT"),
    row(ErrorClass::FunctionStatusAbnormal, "FunctionStatusAbnormalError", "FUNCTION_STATUS_ABNORMAL"),
    row(ErrorClass::FunctionTimeLimitExceeded, "FunctionTimeLimitExceededError", "FUNCTION_TIME_LIMIT_EXCEEDED"),
    row(ErrorClass::FunctionMemoryLimitExceeded, "FunctionMemoryLimitExceededError", "FUNCTION_MEMORY_LIMIT_EXCEEDED"),
    row(ErrorClass::ExceedAuthority, "ExceedAuthorityError", "EXCEED_AUTHORITY"),
    row(ErrorClass::ActionForbidden, "ActionForbiddenError", "ACTION_FORBIDDEN"),
    row(ErrorClass::InvalidHost, "InvalidHostError", "INVALID_HOST"),
    row(ErrorClass::Network, "NetworkError", "NETWORK_ERROR"),
    row(ErrorClass::Timeout, "TimeoutError", "TIMEOUT"),
    row(ErrorClass::Abort, "AbortError", "ABORTED"),
    row(ErrorClass::Http, "HttpError", "HTTP_ERROR"),
    row(ErrorClass::InvalidResponse, "InvalidResponseError", "INVALID_RESPONSE"),
    row(ErrorClass::InvalidArgument, "InvalidArgumentError", "INVALID_ARGUMENT"),
    row(ErrorClass::Auth, "AuthError", "AUTH_ERROR"),
];

/// When each class is raised, in one line (README table, d.ts comments). Kept apart from
/// [`TABLE`] so the wasm, which never reads it, does not carry the text.
pub const WHEN: &[(ErrorClass, &str)] = &[
    (ErrorClass::FunctionNotFound, "no such function"),
    (ErrorClass::FunctionQualifierNotFound, "no such version"),
    (ErrorClass::FunctionInvocationFailed, "the function threw"),
    (ErrorClass::FunctionParamInvalid, "the gateway refused the body"),
    (ErrorClass::FunctionExceedResourceLimit, "over the concurrency limit (retried by default)"),
    (ErrorClass::FunctionStatusAbnormal, "the function is not in a runnable state"),
    (ErrorClass::FunctionTimeLimitExceeded, "the function ran past its time limit"),
    (ErrorClass::FunctionMemoryLimitExceeded, "the function ran past its memory limit"),
    (ErrorClass::ExceedAuthority, "blocked by the function's security rules"),
    (ErrorClass::ActionForbidden, "blocked by authentication"),
    (ErrorClass::InvalidHost, "the gateway does not serve this host"),
    (ErrorClass::Network, "no answer: refused, dropped, DNS, CORS"),
    (ErrorClass::Timeout, "no complete answer within `timeoutMs`"),
    (ErrorClass::Abort, "the caller's signal; its reason is `cause`"),
    (ErrorClass::Http, "a non-2xx answer that is not CloudBase's error JSON (HTML 502, empty 500); `body` holds its first 1024 characters"),
    (ErrorClass::InvalidResponse, "a 2xx that says JSON but does not parse, or a transport that returned no Response"),
    (ErrorClass::InvalidArgument, "bad input, caught before any request"),
    (ErrorClass::Auth, "the token provider threw or returned no usable token; nothing was sent"),
];

/// The [`WHEN`] text of `class` ("" for `CloudBase`).
pub fn when(class: ErrorClass) -> &'static str {
    WHEN.iter().find(|(c, _)| *c == class).map_or("", |(_, w)| w)
}

/// Codes the SDK itself produces; a gateway answer carrying one of them is still a gateway error.
const CONTRACT_ROWS: usize = 11;

impl ErrorClass {
    fn row(self) -> Option<&'static ClassInfo> {
        TABLE.iter().find(|row| row.class == self)
    }

    /// The JS class name (`error.name`).
    pub fn name(self) -> &'static str {
        self.row().map_or("CloudBaseError", |row| row.name)
    }

    /// The stable code this class carries when it is not set by a gateway answer.
    pub fn code(self) -> &'static str {
        self.row().map_or("UNKNOWN", |row| row.code)
    }

    /// The class for a code found in a gateway error body. Only contract codes have their own
    /// class; any other code (including ones that look like our client-side codes) stays a plain
    /// `CloudBaseError` that keeps the code.
    pub fn for_code(code: &str) -> ErrorClass {
        TABLE[..CONTRACT_ROWS]
            .iter()
            .find(|row| row.code == code)
            .map_or(ErrorClass::CloudBase, |row| row.class)
    }
}

/// A failed invocation as the contract sees it, before it becomes a JS exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub class: ErrorClass,
    pub code: String,
    pub message: String,
    /// HTTP status when a response came.
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// First characters of a body that is not the contract's error JSON.
    pub body: Option<String>,
}

impl Failure {
    /// A failure raised by the SDK itself (no response involved).
    pub fn local(class: ErrorClass, message: impl Into<String>) -> Failure {
        Failure {
            class,
            code: class.code().to_string(),
            message: message.into(),
            status: None,
            request_id: None,
            body: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_code_has_its_class() {
        let codes = [
            ("FUNCTION_NOT_FOUND", "FunctionNotFoundError"),
            ("FUNCTION_QUALIFIER_NOT_FOUND", "FunctionQualifierNotFoundError"),
            ("FUNCTION_INVOCATION_FAILED", "FunctionInvocationFailedError"),
            ("FUNCTION_PARAM_INVALID", "FunctionParamInvalidError"),
            ("FUNCTION_EXCEED_RESOURCE_LIMIT", "FunctionExceedResourceLimitError"),
            ("FUNCTION_STATUS_ABNORMAL", "FunctionStatusAbnormalError"),
            ("FUNCTION_TIME_LIMIT_EXCEEDED", "FunctionTimeLimitExceededError"),
            ("FUNCTION_MEMORY_LIMIT_EXCEEDED", "FunctionMemoryLimitExceededError"),
            ("EXCEED_AUTHORITY", "ExceedAuthorityError"),
            ("ACTION_FORBIDDEN", "ActionForbiddenError"),
            ("INVALID_HOST", "InvalidHostError"),
        ];
        for (code, name) in codes {
            let class = ErrorClass::for_code(code);
            assert_eq!(class.name(), name);
            assert_eq!(class.code(), code);
        }
    }

    #[test]
    fn unknown_and_sdk_codes_from_a_gateway_stay_plain() {
        for code in ["SYS_ERR", "TIMEOUT", "NETWORK_ERROR", "", "function_not_found"] {
            assert_eq!(ErrorClass::for_code(code), ErrorClass::CloudBase);
        }
        assert_eq!(ErrorClass::CloudBase.name(), "CloudBaseError");
    }

    #[test]
    fn sdk_classes_have_stable_codes() {
        assert_eq!(ErrorClass::Network.code(), "NETWORK_ERROR");
        assert_eq!(ErrorClass::Timeout.code(), "TIMEOUT");
        assert_eq!(ErrorClass::Abort.code(), "ABORTED");
        assert_eq!(ErrorClass::Http.code(), "HTTP_ERROR");
        assert_eq!(ErrorClass::InvalidResponse.code(), "INVALID_RESPONSE");
        assert_eq!(ErrorClass::InvalidArgument.code(), "INVALID_ARGUMENT");
        assert_eq!(ErrorClass::Auth.code(), "AUTH_ERROR");
        assert_eq!(ErrorClass::Timeout.name(), "TimeoutError");
    }
}
