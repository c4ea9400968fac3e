//! Every error the SDK can raise: its JS class name, its stable `code`, and which contract code maps
//! to which class. The JS classes in `js/errors.js` carry the same names.

use alloc::string::{String, ToString};

/// One JS error class. `CloudBase` is the base class, used as is for gateway codes we do not know
/// and whose status names no category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    CloudBase,
    Authentication,
    PermissionDenied,
    RateLimit,
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
    PayloadTooLarge,
    Network,
    Timeout,
    Abort,
    Http,
    InvalidResponse,
    InvalidArgument,
    Auth,
    Hook,
    WasmLoad,
}

/// One row of the error table: the single source of every error's identity. The JS classes, their
/// `code`s, the TypeScript declarations and the README's error table are generated from it
/// (`tools/codegen`), so none of them can drift from what the core raises. A class with several
/// gateway codes has one row per code; its first row gives the code it carries by default. A
/// parent's first row comes before its children's (the JS defines classes in table order).
#[derive(Clone, Copy, Debug)]
pub struct ClassInfo {
    pub class: ErrorClass,
    /// The JS class name (`error.name`).
    pub name: &'static str,
    /// A code that maps to this class (the first row's: the class's default code).
    pub code: &'static str,
    /// The class it extends; `None` means `CloudBaseError`.
    pub parent: Option<ErrorClass>,
}

const fn row(class: ErrorClass, name: &'static str, code: &'static str) -> ClassInfo {
    ClassInfo { class, name, code, parent: None }
}

const fn child(class: ErrorClass, name: &'static str, code: &'static str, parent: ErrorClass) -> ClassInfo {
    ClassInfo { class, name, code, parent: Some(parent) }
}

use ErrorClass as E;

/// Gateway codes first ([`GATEWAY_ROWS`] rows: `for_code` searches only those), then the SDK's
/// own classes. Sources: the functions OpenAPI (the `FUNCTION_*` codes, `EXCEED_AUTHORITY`,
/// `ACTION_FORBIDDEN`, `INVALID_HOST`) and docs.cloudbase.net/error-code (semantic-http-status
/// for the 401/403/429 codes; `FUNCTION_EXECUTE_FAIL`, `FUNCTIONS_EXECUTE_FAIL`,
/// `PERMISSION_DENIED`, `EXCEED_MAX_PAYLOAD_SIZE`); see docs/reliability.md.
pub const TABLE: &[ClassInfo] = &[
    row(E::Authentication, "AuthenticationError", "AUTHENTICATION_FAILED"),
    row(E::Authentication, "AuthenticationError", "MISSING_CREDENTIALS"),
    row(E::Authentication, "AuthenticationError", "INVALID_CREDENTIALS"),
    row(E::Authentication, "AuthenticationError", "ACCESS_TOKEN_INVALID"),
    row(E::Authentication, "AuthenticationError", "ACCESS_TOKEN_EXPIRED"),
    row(E::Authentication, "AuthenticationError", "ACCESS_TOKEN_KID_INVALID"),
    row(E::PermissionDenied, "PermissionDeniedError", "ACCESS_DENIED"),
    row(E::PermissionDenied, "PermissionDeniedError", "FUNCTIONS_PERMISSION_DENIED"),
    row(E::PermissionDenied, "PermissionDeniedError", "PERMISSION_DENIED"),
    row(E::RateLimit, "RateLimitError", "EXCEED_REQUEST_LIMIT"),
    row(E::RateLimit, "RateLimitError", "EXCEED_CONCURRENT_REQUEST_LIMIT"),
    row(E::FunctionNotFound, "FunctionNotFoundError", "FUNCTION_NOT_FOUND"),
    row(E::FunctionQualifierNotFound, "FunctionQualifierNotFoundError", "FUNCTION_QUALIFIER_NOT_FOUND"),
    row(E::FunctionInvocationFailed, "FunctionInvocationFailedError", "FUNCTION_INVOCATION_FAILED"),
    row(E::FunctionInvocationFailed, "FunctionInvocationFailedError", "FUNCTION_EXECUTE_FAIL"),
    row(E::FunctionInvocationFailed, "FunctionInvocationFailedError", "FUNCTIONS_EXECUTE_FAIL"),
    row(E::FunctionParamInvalid, "FunctionParamInvalidError", "FUNCTION_PARAM_INVALID"),
    child(E::FunctionExceedResourceLimit, "FunctionExceedResourceLimitError", "FUNCTION_EXCEED_RESOURCE_LIMIT", E::RateLimit),
    row(E::FunctionStatusAbnormal, "FunctionStatusAbnormalError", "FUNCTION_STATUS_ABNORMAL"),
    row(E::FunctionTimeLimitExceeded, "FunctionTimeLimitExceededError", "FUNCTION_TIME_LIMIT_EXCEEDED"),
    row(E::FunctionMemoryLimitExceeded, "FunctionMemoryLimitExceededError", "FUNCTION_MEMORY_LIMIT_EXCEEDED"),
    child(E::ExceedAuthority, "ExceedAuthorityError", "EXCEED_AUTHORITY", E::PermissionDenied),
    child(E::ActionForbidden, "ActionForbiddenError", "ACTION_FORBIDDEN", E::PermissionDenied),
    row(E::InvalidHost, "InvalidHostError", "INVALID_HOST"),
    row(E::PayloadTooLarge, "PayloadTooLargeError", "EXCEED_MAX_PAYLOAD_SIZE"),
    row(E::Network, "NetworkError", "NETWORK_ERROR"),
    row(E::Timeout, "TimeoutError", "TIMEOUT"),
    row(E::Abort, "AbortError", "ABORTED"),
    row(E::Http, "HttpError", "HTTP_ERROR"),
    row(E::InvalidResponse, "InvalidResponseError", "INVALID_RESPONSE"),
    row(E::InvalidArgument, "InvalidArgumentError", "INVALID_ARGUMENT"),
    row(E::Auth, "AuthError", "AUTH_ERROR"),
    row(E::Hook, "HookError", "HOOK_FAILED"),
    row(E::WasmLoad, "WasmLoadError", "WASM_LOAD_FAILED"),
];

/// How many rows of [`TABLE`] are gateway codes.
pub const GATEWAY_ROWS: usize = 25;

/// When each class is raised, in one line (README table, d.ts comments). Kept apart from
/// [`TABLE`] so the wasm, which never reads it, does not carry the text.
pub const WHEN: &[(ErrorClass, &str)] = &[
    (E::Authentication, "the gateway refused the credential: any 401 whose code has no class of its own (`AuthError` is a credential that could not be obtained locally)"),
    (E::PermissionDenied, "the credential may not call this function: any 403 whose code has no class of its own (see [Troubleshooting](#troubleshooting))"),
    (E::RateLimit, "a rate, quota or concurrency limit: any 429 whose code has no class of its own; only the concurrency codes are retried"),
    (E::FunctionNotFound, "no such function"),
    (E::FunctionQualifierNotFound, "no such version"),
    (E::FunctionInvocationFailed, "the function threw"),
    (E::FunctionParamInvalid, "the gateway refused the body"),
    (E::FunctionExceedResourceLimit, "over the function's concurrency limit (retried by default)"),
    (E::FunctionStatusAbnormal, "the function is not in a runnable state"),
    (E::FunctionTimeLimitExceeded, "the function ran past its time limit"),
    (E::FunctionMemoryLimitExceeded, "the function ran past its memory limit"),
    (E::ExceedAuthority, "blocked by the function's security rules"),
    (E::ActionForbidden, "blocked by authentication (the functions OpenAPI)"),
    (E::InvalidHost, "the gateway does not serve this host"),
    (E::PayloadTooLarge, "the JSON body is over `maxPayloadBytes` (6 MiB of UTF-8) and was not sent (no `status`), or the gateway refused its size"),
    (E::Network, "no answer: refused, dropped, DNS, CORS"),
    (E::Timeout, "no complete answer (or no token from the provider) within `timeoutMs`"),
    (E::Abort, "the caller's signal; its reason is `cause`"),
    (E::Http, "a non-2xx answer that is not CloudBase's error JSON (HTML 502, empty 500, status 999); `body` holds its first 1024 UTF-16 units, cut between characters"),
    (E::InvalidResponse, "a 2xx that says JSON but does not parse, or a transport that returned no Response"),
    (E::InvalidArgument, "bad input, caught before any request"),
    (E::Auth, "the token provider or anonymous sign-in failed, or gave no usable token; nothing more was sent"),
    (E::Hook, "a `beforeRequest`, `afterResponse` or `beforeRetry` hook threw (its error is `cause`); nothing further was sent"),
    (E::WasmLoad, "the mini-program entry could not instantiate its wasm (see `setWasmPath`); `cause` says why"),
];

/// The [`WHEN`] text of `class` ("" for `CloudBase`).
pub fn when(class: ErrorClass) -> &'static str {
    WHEN.iter().find(|(c, _)| *c == class).map_or("", |(_, w)| w)
}

/// Where a status in [`GATEWAY_STATUS`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusSource {
    /// emulator/src/gateway.rs `status_of` names the code (the emulator's tests check they agree).
    Emulator,
    /// Documented: docs.cloudbase.net/error-code/semantic-http-status (../shared/notes/gateway-facts.md,
    /// "Status categories") or the functions OpenAPI (`400`: "函数调用出错时返回").
    Documented,
    /// Neither says: the status is a stated guess (the reason is on the row).
    NotEstablished,
}

/// The status the gateway answers with each gateway code of [`TABLE`], for the test double
/// (`cloudbase-fn/testing`, generated into its JS by `tools/codegen statuses-js`). Like [`WHEN`],
/// the wasm never reads it, so it is not compiled in. Sources, in this order: the emulator's
/// `status_of` (emulator/src/gateway.rs); CloudBase's semantic HTTP status page and the functions
/// OpenAPI, as summed up in ../shared/notes/gateway-facts.md; otherwise not established, and the
/// row says what was chosen and why. Nothing here was checked against the live service.
pub const GATEWAY_STATUS: &[(&str, u16, StatusSource)] = {
    use StatusSource::{Documented as Doc, Emulator as Emu, NotEstablished as Unknown};
    &[
        // semantic-http-status, 401 (the emulator sends the two it names with 401 too).
        ("AUTHENTICATION_FAILED", 401, Doc),
        ("MISSING_CREDENTIALS", 401, Emu),
        ("INVALID_CREDENTIALS", 401, Doc),
        ("ACCESS_TOKEN_INVALID", 401, Doc),
        ("ACCESS_TOKEN_EXPIRED", 401, Emu),
        ("ACCESS_TOKEN_KID_INVALID", 401, Doc),
        // semantic-http-status, 403.
        ("ACCESS_DENIED", 403, Doc),
        ("FUNCTIONS_PERMISSION_DENIED", 403, Doc),
        // Its page gives no status; 403 is the category its class stands for.
        ("PERMISSION_DENIED", 403, Unknown),
        // semantic-http-status, 429.
        ("EXCEED_REQUEST_LIMIT", 429, Doc),
        ("EXCEED_CONCURRENT_REQUEST_LIMIT", 429, Doc),
        ("FUNCTION_NOT_FOUND", 404, Emu),
        ("FUNCTION_QUALIFIER_NOT_FOUND", 404, Emu),
        ("FUNCTION_INVOCATION_FAILED", 400, Emu),
        // Which status these come with is not established (gateway-facts.md); the OpenAPI's 400
        // for a failed function call, as FUNCTION_INVOCATION_FAILED.
        ("FUNCTION_EXECUTE_FAIL", 400, Unknown),
        ("FUNCTIONS_EXECUTE_FAIL", 400, Unknown),
        ("FUNCTION_PARAM_INVALID", 400, Emu),
        ("FUNCTION_EXCEED_RESOURCE_LIMIT", 429, Emu),
        ("FUNCTION_STATUS_ABNORMAL", 500, Emu),
        ("FUNCTION_TIME_LIMIT_EXCEEDED", 400, Emu),
        ("FUNCTION_MEMORY_LIMIT_EXCEEDED", 400, Emu),
        // semantic-http-status, 403 (the emulator's --deny-anonymous sends ACTION_FORBIDDEN).
        ("EXCEED_AUTHORITY", 403, Doc),
        ("ACTION_FORBIDDEN", 403, Emu),
        // The OpenAPI shows it only under `default`: the emulator's default status.
        ("INVALID_HOST", DEFAULT_GATEWAY_STATUS, Unknown),
        // The docs give only the code; the emulator sends HTTP's own 413.
        ("EXCEED_MAX_PAYLOAD_SIZE", 413, Emu),
    ]
};

/// The status of a code [`GATEWAY_STATUS`] does not list: emulator/src/gateway.rs `status_of`'s
/// default.
pub const DEFAULT_GATEWAY_STATUS: u16 = 500;

/// The status [`GATEWAY_STATUS`] gives `code`, else [`DEFAULT_GATEWAY_STATUS`].
pub fn gateway_status(code: &str) -> u16 {
    GATEWAY_STATUS.iter().find(|(c, ..)| *c == code).map_or(DEFAULT_GATEWAY_STATUS, |(_, s, _)| *s)
}

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

    /// The class of a gateway code, whatever the status; `CloudBase` for a code without one
    /// (including ones that look like our client-side codes).
    pub fn for_code(code: &str) -> ErrorClass {
        TABLE[..GATEWAY_ROWS]
            .iter()
            .find(|row| row.code == code)
            .map_or(ErrorClass::CloudBase, |row| row.class)
    }

    /// The class of a gateway error answer: the code's own class wins; otherwise the status
    /// picks the category (401, 403, 429); otherwise a plain `CloudBaseError`. The code is kept.
    pub fn for_answer(code: &str, status: u16) -> ErrorClass {
        match (ErrorClass::for_code(code), status) {
            (ErrorClass::CloudBase, 401) => ErrorClass::Authentication,
            (ErrorClass::CloudBase, 403) => ErrorClass::PermissionDenied,
            (ErrorClass::CloudBase, 429) => ErrorClass::RateLimit,
            (class, _) => class,
        }
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
    fn every_gateway_code_has_its_class() {
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
            ("EXCEED_MAX_PAYLOAD_SIZE", "PayloadTooLargeError"),
        ];
        for (code, name) in codes {
            let class = ErrorClass::for_code(code);
            assert_eq!(class.name(), name);
            assert_eq!(class.code(), code);
        }
        assert_eq!(TABLE[..GATEWAY_ROWS].last().unwrap().code, "EXCEED_MAX_PAYLOAD_SIZE");
        assert_eq!(TABLE[GATEWAY_ROWS].class, ErrorClass::Network, "GATEWAY_ROWS ends at the SDK's classes");
    }

    #[test]
    fn both_execute_fail_codes_are_invocation_failures() {
        for code in ["FUNCTION_EXECUTE_FAIL", "FUNCTIONS_EXECUTE_FAIL"] {
            for status in [400, 401, 403, 429, 500] {
                assert_eq!(ErrorClass::for_answer(code, status), ErrorClass::FunctionInvocationFailed);
            }
        }
        assert_eq!(ErrorClass::FunctionInvocationFailed.code(), "FUNCTION_INVOCATION_FAILED");
    }

    #[test]
    fn the_status_picks_the_category_when_the_code_has_no_class() {
        for code in ["MISSING_CREDENTIALS", "INVALID_CREDENTIALS", "ACCESS_TOKEN_INVALID", "ACCESS_TOKEN_EXPIRED", "ACCESS_TOKEN_KID_INVALID", "AUTHENTICATION_FAILED"] {
            assert_eq!(ErrorClass::for_answer(code, 400), ErrorClass::Authentication, "{code}");
        }
        for code in ["ACCESS_DENIED", "FUNCTIONS_PERMISSION_DENIED"] {
            assert_eq!(ErrorClass::for_answer(code, 500), ErrorClass::PermissionDenied, "{code}");
        }
        assert_eq!(ErrorClass::for_answer("EXCEED_REQUEST_LIMIT", 400), ErrorClass::RateLimit);
        assert_eq!(ErrorClass::for_answer("INVALID_ACCESS_TOKEN", 401), ErrorClass::Authentication);
        assert_eq!(ErrorClass::for_answer("SOMETHING_NEW", 403), ErrorClass::PermissionDenied);
        assert_eq!(ErrorClass::for_answer("SOMETHING_NEW", 429), ErrorClass::RateLimit);
        assert_eq!(ErrorClass::for_answer("SOMETHING_NEW", 400), ErrorClass::CloudBase);
        // A specific code's class wins over the status's category.
        assert_eq!(ErrorClass::for_answer("ACTION_FORBIDDEN", 401), ErrorClass::ActionForbidden);
        assert_eq!(ErrorClass::for_answer("FUNCTION_NOT_FOUND", 403), ErrorClass::FunctionNotFound);
        assert_eq!(ErrorClass::for_answer("FUNCTION_EXCEED_RESOURCE_LIMIT", 429), ErrorClass::FunctionExceedResourceLimit);
    }

    #[test]
    fn parents_come_before_their_children() {
        for (i, row) in TABLE.iter().enumerate() {
            if let Some(parent) = row.parent {
                assert!(TABLE[..i].iter().any(|r| r.class == parent), "{}", row.name);
            }
        }
        let parent = |c: ErrorClass| TABLE.iter().find(|r| r.class == c).and_then(|r| r.parent);
        assert_eq!(parent(ErrorClass::ExceedAuthority), Some(ErrorClass::PermissionDenied));
        assert_eq!(parent(ErrorClass::ActionForbidden), Some(ErrorClass::PermissionDenied));
        assert_eq!(parent(ErrorClass::FunctionExceedResourceLimit), Some(ErrorClass::RateLimit));
        assert_eq!(parent(ErrorClass::Auth), None, "AuthError is not an AuthenticationError");
    }

    #[test]
    fn unknown_and_sdk_codes_from_a_gateway_stay_plain() {
        for code in ["SYS_ERR", "TIMEOUT", "NETWORK_ERROR", "", "function_not_found", "WASM_LOAD_FAILED"] {
            assert_eq!(ErrorClass::for_code(code), ErrorClass::CloudBase);
        }
        assert_eq!(ErrorClass::CloudBase.name(), "CloudBaseError");
    }

    #[test]
    fn every_gateway_code_has_one_status_that_its_class_agrees_with() {
        for row in &TABLE[..GATEWAY_ROWS] {
            let rows = GATEWAY_STATUS.iter().filter(|(c, ..)| *c == row.code).count();
            assert_eq!(rows, 1, "{} needs exactly one row in GATEWAY_STATUS", row.code);
        }
        for (code, status, _) in GATEWAY_STATUS {
            assert_ne!(ErrorClass::for_code(code), ErrorClass::CloudBase, "{code} is not a gateway code of TABLE");
            assert!((400..600).contains(status), "{code}: {status}");
            // The status a code comes with never makes it a different class than its own.
            assert_eq!(ErrorClass::for_answer(code, *status), ErrorClass::for_code(code), "{code}");
        }
        // A category's codes come with the category's status (401, 403, 429).
        for (class, status) in [(E::Authentication, 401), (E::PermissionDenied, 403), (E::RateLimit, 429)] {
            for row in TABLE[..GATEWAY_ROWS].iter().filter(|r| r.class == class) {
                assert_eq!(gateway_status(row.code), status, "{}", row.code);
            }
        }
        assert_eq!(gateway_status("FUNCTION_NOT_FOUND"), 404);
        assert_eq!(gateway_status("SOMETHING_NEW"), DEFAULT_GATEWAY_STATUS);
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
        assert_eq!(ErrorClass::WasmLoad.code(), "WASM_LOAD_FAILED");
        assert_eq!(ErrorClass::Timeout.name(), "TimeoutError");
    }
}
