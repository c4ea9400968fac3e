//! TC3-HMAC-SHA256 signing of one attempt (server build only: feature `tc3`).

use crate::contract::{self, tc3};
use alloc::string::String;

/// The `Authorization` value of a `POST` of the JSON `body` to `url`, signed at `now_ms` (ms
/// since the epoch) with credentials [`super::check_credentials`] accepted.
pub fn sign(url: &str, body: &str, secret_id: &str, secret_key: &str, session_token: Option<&str>, now_ms: f64) -> String {
    let (host, path) = contract::host_and_path(url);
    let host = host.to_ascii_lowercase();
    tc3::sign(&tc3::SignInput {
        method: "POST",
        host: &host,
        path,
        query: "",
        content_type: "application/json",
        extra_headers: &[],
        payload: tc3::Payload::Bytes(body.as_bytes()),
        timestamp: if now_ms.is_finite() && now_ms > 0.0 { now_ms as u64 / 1000 } else { 0 },
        service: tc3::SERVICE,
        secret_id,
        secret_key,
        session_token,
    })
}
