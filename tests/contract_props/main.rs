//! Property tests over the pure contract (the same functions the `fuzz/` targets drive): the
//! validators never panic and accept exactly the contract's patterns (checked against small
//! regex-free reference implementations written here independently), response classification never
//! panics and bounds its excerpt, and retry delays stay within the policy's bounds for any input.
//!
//! Runs natively with `cargo test -p cloudbase-fn --test contract_props` (a few seconds).

use cloudbase_fn::contract::{
    body_kind, call::{check_size, Size}, classify_error, function_url, host_base_url, retry::{retry_after_ms, BURST_CODES}, validate_base_url,
    validate_env_id, validate_function_name, validate_header, validate_qualifier, validate_timeout_ms,
    validate_token, BodyKind, ErrorBody, ErrorClass, Outcome, RetryPolicy, BODY_EXCERPT_CHARS,
    RESERVED_HEADERS,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() }
}

/// Characters an attacker would try, mixed with ones the patterns accept, so that both accepted
/// and refused inputs are generated often (a purely random string is almost always refused).
const HOSTILE: &[&str] = &[
    "a", "Z", "m", "0", "9", "-", "_", ".", "/", "%", "2F", "@", "#", "?", "\\", ":", " ", "\t", "\r", "\n",
    "\0", "$", "е", /* Cyrillic ie */ "ｅ", /* full-width e */ "é", "ß", "İ", "\u{200b}", "😀", "..",
    "evil.com", "%2e", "\u{7f}", "~", "[", "]",
];

fn hostile_string(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        // Mostly-valid shapes.
        "[a-zA-Z][a-zA-Z0-9_-]{0,62}",
        // Pieces of attacks glued together.
        prop::collection::vec(prop::sample::select(HOSTILE), 0..max).prop_map(|v| v.concat()),
        // Anything at all.
        any::<String>(),
    ]
}

// The validators (names, env ids, URLs, headers, tokens, timeouts) against reference
// implementations; then how answers are read (content types, error bodies, retries, JWTs, text).
mod answers;
mod inputs;
