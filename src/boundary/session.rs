//! `signInAnonymously`: the requests of a CloudBase auth v2 anonymous session and the reading of
//! its answers. The driver performs the requests and keeps the tokens.

use super::json::Object;
use super::{invalid, local_error};
use crate::contract::{jwt, validate_token, ErrorClass, Invalid};
use alloc::string::String;

/// An auth request gets this long (it is small and the user is waiting for it).
const AUTH_TIMEOUT_MS: i64 = 15_000;

/// splitmix64: spreads a seed over 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `x-device-id` to send: the caller's (16 to 48 letters, digits or '-'), or 32 hex digits
/// made from two random numbers in [0, 1) when none is given.
pub fn device_id(given: Option<&str>, random_a: f64, random_b: f64) -> String {
    if let Some(id) = given {
        let ok = (16..=48).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        return if ok { String::from(id) } else { invalid(Invalid(String::from("deviceId must be 16 to 48 letters, digits or '-'"))) };
    }
    let mut out = String::with_capacity(32);
    for seed in [random_a, random_b] {
        let bits = mix((seed * 9_007_199_254_740_992.0) as u64);
        for i in 0..16 {
            crate::contract::text::push_hex_digit(&mut out, (bits >> (i * 4)) as u8);
        }
    }
    out
}

/// The next auth request: a refresh with `refresh_token` when there is one, a sign-in otherwise.
/// `{ url, headers, body, timeoutMs }` for fetch.
pub fn session_request(base: &str, device_id: &str, refresh_token: Option<&str>, client_id: Option<&str>) -> String {
    let (path, body) = match refresh_token {
        Some(token) => (jwt::TOKEN_PATH, jwt::refresh_request_body(token, client_id)),
        None => (jwt::SIGNIN_ANONYMOUSLY_PATH, String::from("{}")),
    };
    let headers = Object::new().text("content-type", "application/json").text(jwt::DEVICE_ID_HEADER, device_id).end();
    Object::new()
        .text("url", &crate::contract::text::cat(&[base, path]))
        .json("headers", &headers)
        .text("body", &body)
        .number("timeoutMs", AUTH_TIMEOUT_MS)
        .end()
}

/// An auth answer's `access_token` and `expires_in`: the time until which the token may be used
/// (its JWT `exp`, else `expires_in` from `now_ms`, less the skew; 0 when neither is known), or an
/// `AuthError` descriptor.
pub fn session_accept(access_token: Option<&str>, expires_in: Option<f64>, now_ms: f64) -> String {
    let Some(token) = access_token.filter(|t| validate_token(t).is_ok()) else {
        return local_error(ErrorClass::Auth, String::from("the auth answer has no usable access_token"));
    };
    let now = if now_ms.is_finite() && now_ms > 0.0 { now_ms as u64 } else { 0 };
    let expiry = jwt::jwt_expiry(token).or_else(|| {
        expires_in.filter(|s| s.is_finite() && *s >= 0.0).map(|s| jwt::expiry_from_expires_in(now, s as u64))
    });
    let fresh_until = expiry.map_or(0, |exp| exp.saturating_mul(1000).saturating_sub(jwt::DEFAULT_SKEW_MS));
    let mut out = String::new();
    crate::contract::decimal::push_decimal(&mut out, fresh_until);
    out
}
