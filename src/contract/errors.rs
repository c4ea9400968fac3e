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

/// (class, JS class name, code). Contract codes first: `for_code` searches this table.
const TABLE: &[(ErrorClass, &str, &str)] = &[
    (ErrorClass::FunctionNotFound, "FunctionNotFoundError", "FUNCTION_NOT_FOUND"),
    (ErrorClass::FunctionQualifierNotFound, "FunctionQualifierNotFoundError", "FUNCTION_QUALIFIER_NOT_FOUND"),
    (ErrorClass::FunctionInvocationFailed, "FunctionInvocationFailedError", "FUNCTION_INVOCATION_FAILED"),
    (ErrorClass::FunctionParamInvalid, "FunctionParamInvalidError", "FUNCTION_PARAM_INVALID"),
    (ErrorClass::FunctionExceedResourceLimit, "FunctionExceedResourceLimitError", "FUNCTION_EXCEED_RESOURCE_LIMIT"),
    (ErrorClass::FunctionStatusAbnormal, "FunctionStatusAbnormalError", "FUNCTION_STATUS_ABNORMAL"),
    (ErrorClass::FunctionTimeLimitExceeded, "FunctionTimeLimitExceededError", "FUNCTION_TIME_LIMIT_EXCEEDED"),
    (ErrorClass::FunctionMemoryLimitExceeded, "FunctionMemoryLimitExceededError", "FUNCTION_MEMORY_LIMIT_EXCEEDED"),
    (ErrorClass::ExceedAuthority, "ExceedAuthorityError", "EXCEED_AUTHORITY"),
    (ErrorClass::ActionForbidden, "ActionForbiddenError", "ACTION_FORBIDDEN"),
    (ErrorClass::InvalidHost, "InvalidHostError", "INVALID_HOST"),
    (ErrorClass::Network, "NetworkError", "NETWORK_ERROR"),
    (ErrorClass::Timeout, "TimeoutError", "TIMEOUT"),
    (ErrorClass::Abort, "AbortError", "ABORTED"),
    (ErrorClass::Http, "HttpError", "HTTP_ERROR"),
    (ErrorClass::InvalidResponse, "InvalidResponseError", "INVALID_RESPONSE"),
    (ErrorClass::InvalidArgument, "InvalidArgumentError", "INVALID_ARGUMENT"),
    (ErrorClass::Auth, "AuthError", "AUTH_ERROR"),
];

/// Codes the SDK itself produces; a gateway answer carrying one of them is still a gateway error.
const CONTRACT_ROWS: usize = 11;

impl ErrorClass {
    fn row(self) -> Option<&'static (ErrorClass, &'static str, &'static str)> {
        TABLE.iter().find(|row| row.0 == self)
    }

    /// The JS class name (`error.name`).
    pub fn name(self) -> &'static str {
        self.row().map_or("CloudBaseError", |row| row.1)
    }

    /// The stable code this class carries when it is not set by a gateway answer.
    pub fn code(self) -> &'static str {
        self.row().map_or("UNKNOWN", |row| row.2)
    }

    /// The class for a code found in a gateway error body. Only contract codes have their own
    /// class; any other code (including ones that look like our client-side codes) stays a plain
    /// `CloudBaseError` that keeps the code.
    pub fn for_code(code: &str) -> ErrorClass {
        TABLE[..CONTRACT_ROWS]
            .iter()
            .find(|row| row.2 == code)
            .map_or(ErrorClass::CloudBase, |row| row.0)
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
