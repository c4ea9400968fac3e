//! TC3-HMAC-SHA256 (Tencent Cloud API 3.0 signature v3) for the CloudBase gateway, which takes
//! it in `Authorization` with `, Timestamp=<ts>` and, for temporary credentials,
//! `, Token=<session token>` appended after the signature. Differences from the CVM-style API 3.0
//! signature, as `@cloudbase/js-sdk`'s Node adapter signs gateway calls (`docs/auth-research.md`):
//! the canonical URI is the real request path, the canonical query string is the raw query, and
//! the service is `tcb`.
//!
//! ```text
//! CanonicalRequest = METHOD \n path \n query \n (name:value\n)* \n name;name \n hex(sha256(body))
//! StringToSign     = "TC3-HMAC-SHA256" \n timestamp \n date/service/tc3_request \n hex(sha256(CanonicalRequest))
//! key              = HMAC(HMAC(HMAC("TC3" + secretKey, date), service), "tc3_request")
//! Authorization    = TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
//!                    SignedHeaders=<names>, Signature=<hex>, Timestamp=<ts>[, Token=<token>]
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name, first word of the header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The service name CloudBase signs with (`@cloudbase/signature-nodejs` default).
pub const SERVICE: &str = "tcb";
/// How far, in seconds, a signature's timestamp may be from the server's clock.
pub const MAX_CLOCK_SKEW_S: u64 = 300;

/// The request body, or its SHA-256 when the body is hashed elsewhere (e.g. a stream).
#[derive(Clone, Copy, Debug)]
pub enum Payload<'a> {
    Bytes(&'a [u8]),
    /// Lower-case hex SHA-256 of the body.
    Sha256Hex(&'a str),
}

/// Everything a signature covers.
#[derive(Clone, Copy, Debug)]
pub struct SignInput<'a> {
    /// HTTP method; upper-cased for the canonical request (`POST`).
    pub method: &'a str,
    /// `Host` as sent: `{envId}.api.tcloudbasegateway.com` (with `:port` when not default).
    pub host: &'a str,
    /// The request path, e.g. `/v1/functions/echo` (no query); empty counts as `/`.
    pub path: &'a str,
    /// The raw query string without `?` (empty when none), exactly as sent.
    pub query: &'a str,
    /// `Content-Type` as sent, e.g. `application/json`.
    pub content_type: &'a str,
    /// Further headers to sign, besides `host` and `content-type` (which win over duplicates).
    pub extra_headers: &'a [(&'a str, &'a str)],
    pub payload: Payload<'a>,
    /// Seconds since the Unix epoch; also gives the credential scope's UTC date.
    pub timestamp: u64,
    /// [`SERVICE`] for CloudBase.
    pub service: &'a str,
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    /// The temporary credential's token, appended as `, Token=…` (empty counts as none).
    pub session_token: Option<&'a str>,
}

/// The complete `Authorization` header value for `input`.
pub fn sign(input: &SignInput) -> String {
    let date = utc_date(input.timestamp);
    let headers = canonical_headers(input);
    let signature = signature_hex(input, &date, &headers);
    let mut out = String::with_capacity(200);
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(input.secret_id);
    out.push('/');
    push_scope(&mut out, &date, input.service);
    out.push_str(", SignedHeaders=");
    push_signed_headers(&mut out, &headers);
    out.push_str(", Signature=");
    out.push_str(&signature);
    out.push_str(", Timestamp=");
    super::decimal::push_decimal(&mut out, input.timestamp);
    if let Some(token) = input.session_token.filter(|t| !t.is_empty()) {
        out.push_str(", Token=");
        out.push_str(token);
    }
    out
}

/// Just the hex signature of `input`.
pub fn signature(input: &SignInput) -> String {
    let date = utc_date(input.timestamp);
    let headers = canonical_headers(input);
    signature_hex(input, &date, &headers)
}

/// The canonical request of `input` (exposed for tests and debugging).
pub fn canonical_request(input: &SignInput) -> String {
    canonical_request_with(input, &canonical_headers(input))
}

/// The string to sign of `input` (exposed for tests and debugging).
pub fn string_to_sign(input: &SignInput) -> String {
    let date = utc_date(input.timestamp);
    string_to_sign_with(input, &date, &canonical_headers(input))
}

/// The UTC date `YYYY-MM-DD` of a Unix timestamp in seconds (years past 9999 get more digits).
pub fn utc_date(timestamp: u64) -> String {
    // Howard Hinnant's civil_from_days, on non-negative days only.
    let days = timestamp / 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let mut out = String::with_capacity(10);
    for div in [1000u64, 100, 10] {
        if year < div {
            out.push('0');
        }
    }
    super::decimal::push_decimal(&mut out, year);
    out.push('-');
    push_two(&mut out, month);
    out.push('-');
    push_two(&mut out, day);
    out
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The parts of a TC3 `Authorization` value, as the gateway reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub secret_id: &'a str,
    pub date: &'a str,
    pub service: &'a str,
    /// `;`-separated lower-case header names.
    pub signed_headers: &'a str,
    pub signature: &'a str,
    pub timestamp: u64,
    pub token: Option<&'a str>,
}

/// Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=…,
/// Signature=…, Timestamp=…[, Token=…]` (a `SignedParams=` part is ignored). `None` when it is
/// not such a value or a required part is missing.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.trim().strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut credential, mut signed_headers, mut signature, mut timestamp, mut token) =
        (None, None, None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        let slot = match k {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            "Timestamp" => &mut timestamp,
            "Token" => &mut token,
            _ => continue,
        };
        if slot.replace(v).is_some() {
            return None;
        }
    }
    let mut scope = credential?.split('/');
    let (secret_id, date, service) = (scope.next()?, scope.next()?, scope.next()?);
    if scope.next()? != "tc3_request" || scope.next().is_some() || secret_id.is_empty() {
        return None;
    }
    let ts = timestamp?;
    if ts.is_empty() || ts.len() > 19 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let timestamp = ts.bytes().fold(0u64, |n, b| n * 10 + (b - b'0') as u64);
    Some(Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed_headers.filter(|h| !h.is_empty())?,
        signature: signature.filter(|s| !s.is_empty())?,
        timestamp,
        token,
    })
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

// ---------------------------------------------------------------------------

/// Signed headers as (encoded lower-case name, trimmed lower-case value), sorted by name.
fn canonical_headers(input: &SignInput) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(2 + input.extra_headers.len());
    let all = [("content-type", input.content_type), ("host", input.host)];
    for &(name, value) in all.iter().chain(input.extra_headers.iter()) {
        let name = encode_name(name);
        // Inserted in order: a handful of headers, and no sort routine in the wasm (2 KB).
        let at = out.iter().position(|(n, _)| *n >= name).unwrap_or(out.len());
        if out.get(at).is_some_and(|(n, _)| *n == name) {
            continue;
        }
        out.insert(at, (name, value.trim().to_ascii_lowercase()));
    }
    out
}

/// Lower-cases, trims and percent-encodes every byte outside RFC 3986's unreserved set, as
/// `@cloudbase/signature-nodejs` does (`camSafeUrlEncode`); real header names are unchanged.
fn encode_name(name: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(name.len());
    for b in name.trim().bytes() {
        let b = b.to_ascii_lowercase();
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

fn push_signed_headers(out: &mut String, headers: &[(String, String)]) {
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
}

fn push_scope(out: &mut String, date: &str, service: &str) {
    out.push_str(date);
    out.push('/');
    out.push_str(service);
    out.push_str("/tc3_request");
}

fn canonical_request_with(input: &SignInput, headers: &[(String, String)]) -> String {
    let mut out = String::with_capacity(256);
    for c in input.method.trim().chars() {
        out.push(c.to_ascii_uppercase());
    }
    out.push('\n');
    out.push_str(if input.path.is_empty() {
        "/"
    } else {
        input.path
    });
    out.push('\n');
    out.push_str(input.query.strip_prefix('?').unwrap_or(input.query));
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    push_signed_headers(&mut out, headers);
    out.push('\n');
    match input.payload {
        Payload::Bytes(body) => out.push_str(&sha256_hex(body)),
        Payload::Sha256Hex(hash) => out.push_str(&hash.to_ascii_lowercase()),
    }
    out
}

fn string_to_sign_with(input: &SignInput, date: &str, headers: &[(String, String)]) -> String {
    let mut out = String::with_capacity(128);
    out.push_str(ALGORITHM);
    out.push('\n');
    super::decimal::push_decimal(&mut out, input.timestamp);
    out.push('\n');
    push_scope(&mut out, date, input.service);
    out.push('\n');
    out.push_str(&sha256_hex(
        canonical_request_with(input, headers).as_bytes(),
    ));
    out
}

fn signature_hex(input: &SignInput, date: &str, headers: &[(String, String)]) -> String {
    let mut key = Vec::with_capacity(3 + input.secret_key.len());
    key.extend_from_slice(b"TC3");
    key.extend_from_slice(input.secret_key.as_bytes());
    let k_date = hmac(&key, date.as_bytes());
    let k_service = hmac(&k_date, input.service.as_bytes());
    let k_signing = hmac(&k_service, b"tc3_request");
    hex(&hmac(
        &k_signing,
        string_to_sign_with(input, date, headers).as_bytes(),
    ))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this never fails.
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

fn push_two(out: &mut String, n: u64) {
    out.push((b'0' + (n / 10 % 10) as u8) as char);
    out.push((b'0' + (n % 10) as u8) as char);
}

#[cfg(test)]
mod tests;
