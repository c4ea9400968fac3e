//! Access-token lifetime: the `exp` of a JWT, when a cached token is still fresh, which answers
//! mean "the token was refused" (refresh it and retry once), and the CloudBase auth v2 requests
//! that obtain and refresh tokens. No JSON library: a JWT payload is scanned by hand, and nothing
//! here panics on any input. See `docs/auth-research.md` for the sources.

use alloc::string::String;
use alloc::vec::Vec;

/// `POST {gateway}/auth/v1/signin/anonymously`, header `x-device-id`, body `{}`.
pub const SIGNIN_ANONYMOUSLY_PATH: &str = "/auth/v1/signin/anonymously";
/// `POST {gateway}/auth/v1/token`, body `{"grant_type":"refresh_token","refresh_token":…}`.
pub const TOKEN_PATH: &str = "/auth/v1/token";
/// The device id header the anonymous sign-in requires.
pub const DEVICE_ID_HEADER: &str = "x-device-id";

/// The codes CloudBase documents under 401 ("credential missing, invalid or expired":
/// docs.cloudbase.net/error-code/semantic-http-status): refreshing the token and retrying once
/// can help. The same codes map to `AuthenticationError` (`errors::TABLE`).
pub const AUTH_REJECTION_CODES: [&str; 6] = [
    "MISSING_CREDENTIALS",
    "INVALID_CREDENTIALS",
    "ACCESS_TOKEN_INVALID",
    "ACCESS_TOKEN_EXPIRED",
    "ACCESS_TOKEN_KID_INVALID",
    "AUTHENTICATION_FAILED",
];

/// Margin, in milliseconds, by which a cached token must outlive "now" to be used
/// (`@cloudbase/js-sdk` treats a token as expired 30 s early).
pub const DEFAULT_SKEW_MS: u64 = 30_000;

/// Largest token looked at (CloudBase documents access tokens of at most 4096 characters).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The `exp` claim (seconds since the Unix epoch) of a JWT `header.payload.signature`.
///
/// `None` for anything that is not three base64url segments whose middle one decodes to a JSON
/// object with a top-level, non-negative numeric `exp` (a fraction is dropped; a later duplicate
/// key wins, as with `JSON.parse`). Opaque tokens, JWEs, garbage and absurd values give `None`.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let token = token.trim_ascii();
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = super::text::split_byte(token, b'.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() {
        return None;
    }
    let json = base64url_decode(payload)?;
    top_level_exp(&json)
}

/// Whether a token that expires at `expiry` (seconds, from [`jwt_expiry`]) may still be used at
/// `now_ms` (milliseconds since the epoch): it must outlive `now_ms + skew_ms`. A token without a
/// known expiry (`None`: opaque, not a JWT) is never fresh, so a token provider is asked again
/// for every call instead of its answer being cached.
pub fn token_is_fresh(expiry: Option<u64>, now_ms: u64, skew_ms: u64) -> bool {
    match expiry {
        Some(exp) => exp.saturating_mul(1000) > now_ms.saturating_add(skew_ms),
        None => false,
    }
}

/// The expiry, in seconds since the epoch, of a token answered with `expires_in` seconds at
/// `now_ms` (for a token response whose access token is not a JWT).
pub fn expiry_from_expires_in(now_ms: u64, expires_in_s: u64) -> u64 {
    (now_ms / 1000).saturating_add(expires_in_s)
}

/// Whether an error answer means "your token was refused": HTTP 401, or one of
/// [`AUTH_REJECTION_CODES`] whatever the status. The caller then drops its cached token, gets a
/// new one (refresh token or provider) and retries the call once, never more.
pub fn is_auth_rejection(status: u16, code: Option<&str>) -> bool {
    status == 401 || code.is_some_and(|c| AUTH_REJECTION_CODES.contains(&c.trim_ascii()))
}

/// The JSON body of a refresh request:
/// `{"grant_type":"refresh_token","refresh_token":"…"}`, plus `"client_id":"…"` when given
/// (CloudBase defaults the client id to the environment id).
pub fn refresh_request_body(refresh_token: &str, client_id: Option<&str>) -> String {
    let mut out = String::with_capacity(64 + refresh_token.len());
    out.push_str("{\"grant_type\":\"refresh_token\",\"refresh_token\":");
    push_json_string(&mut out, refresh_token);
    if let Some(id) = client_id.filter(|id| !id.is_empty()) {
        out.push_str(",\"client_id\":");
        push_json_string(&mut out, id);
    }
    out.push_str("}");
    out
}

/// Appends `s` as a JSON string literal (quotes, backslashes and control characters escaped).
pub fn push_json_string(out: &mut String, s: &str) {
    out.push_str("\"");
    // Byte by byte, copying each run between escapes whole: every escaped byte is ASCII, so each
    // run starts and ends on a char boundary (and no char decoding is compiled in).
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "\\u00",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or(""));
        out.push_str(escape);
        if escape.len() == 4 {
            super::text::push_hex_digit(out, b >> 4);
            super::text::push_hex_digit(out, b);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push_str("\"");
}

/// Unpadded base64url, as JWT segments are written (used by the emulator to issue tokens, and by
/// tests).
pub fn base64url_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len() * 4 / 3 + 3);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded (or `=`-padded) base64url; also accepts the standard alphabet's `+` and `/`.
fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = super::text::trim_end_byte(s, b'=');
    let bytes = s.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &b in bytes {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Walks a JSON object and returns its last top-level numeric `exp`. Strings are skipped with
/// their escapes; nesting is tracked so that an `exp` inside a nested value is ignored. Any
/// structural error gives `None`.
fn top_level_exp(json: &[u8]) -> Option<u64> {
    let mut i = skip_ws(json, 0);
    if json.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut exp = None;
    let mut first = true;
    loop {
        i = skip_ws(json, i);
        match json.get(i)? {
            b'}' if first => break,
            b'"' => {}
            _ => return None,
        }
        let key_start = i + 1;
        i = skip_string(json, i)?;
        let key = json.get(key_start..i - 1)?;
        i = skip_ws(json, i);
        if json.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(json, i + 1);
        let value_start = i;
        i = skip_value(json, i)?;
        if key == b"exp" {
            exp = parse_seconds(json.get(value_start..i)?);
        }
        i = skip_ws(json, i);
        first = false;
        match json.get(i)? {
            b',' => i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    // Nothing but whitespace may follow the object.
    if skip_ws(json, i + 1) == json.len() {
        exp
    } else {
        None
    }
}

fn skip_ws(json: &[u8], mut i: usize) -> usize {
    while json
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// `json[i]` is `"`: returns the index just past the closing quote.
fn skip_string(json: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match json.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// Skips one JSON value (string, object, array or scalar) starting at `i`; returns the index
/// just past it. Containers are matched by depth, with strings skipped.
fn skip_value(json: &[u8], mut i: usize) -> Option<usize> {
    match json.get(i)? {
        b'"' => skip_string(json, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match json.get(i)? {
                    b'"' => {
                        i = skip_string(json, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let start = i;
            while json
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

/// A JSON number as whole seconds: digits, an optional fraction (dropped). Negative numbers,
/// exponents, leading zeros and values past year ~292 million (u64 milliseconds) give `None`.
fn parse_seconds(raw: &[u8]) -> Option<u64> {
    let (int, frac) = match raw.iter().position(|&b| b == b'.') {
        Some(dot) => (raw.get(..dot)?, Some(raw.get(dot + 1..)?)),
        None => (raw, None),
    };
    if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
        return None;
    }
    if frac.is_some_and(|f| f.is_empty() || !f.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let n = int.iter().try_fold(0u64, |n, &b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add((b - b'0') as u64)
        } else {
            None
        }
    })?;
    (n <= u64::MAX / 1000).then_some(n)
}

#[cfg(test)]
mod tests;
