//! The CloudBase functions contract (`functions.openapi.yaml`), free of any JS type.

pub mod decimal;
pub mod call;
pub mod errors;
pub mod jwt;
pub mod request;
pub mod response;
pub mod retry;
pub mod text;
#[cfg(feature = "tc3")]
pub mod tc3;
pub mod validate;

pub use errors::{ErrorClass, Failure};
pub use request::{function_url, host_and_path, host_base_url, RESERVED_HEADERS};
pub use response::{body_kind, classify_error, BodyKind, ErrorBody, BODY_EXCERPT_CHARS};
pub use retry::{Outcome, RetryPolicy};
pub use validate::{
    validate_base_url, validate_env_id, validate_function_name, validate_header,
    validate_qualifier, validate_timeout_ms, validate_token, Invalid,
};
