//! Input checks made before any request is sent. Each returns `Invalid` with a message that names
//! the offending input but never echoes a credential.

use alloc::string::String;
use super::text::split_byte;

/// A rejected input: becomes an `InvalidArgumentError` (or `AuthError` for credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

fn invalid(parts: &[&str]) -> Invalid {
    Invalid(super::text::cat(parts))
}

/// Quote a user-supplied value for a message, cut to 80 characters, ASCII control characters
/// shown as `?`. Bytes, not chars: the cut falls on a character start, so the text stays UTF-8.
fn quoted(value: &str) -> String {
    let mut out = alloc::vec::Vec::with_capacity(value.len().min(320) + 5);
    out.push(b'"');
    let mut chars = 0;
    let mut cut = false;
    for &b in value.as_bytes() {
        if b & 0xC0 != 0x80 {
            if chars == 80 {
                cut = true;
                break;
            }
            chars += 1;
        }
        out.push(if b < 0x20 || b == 0x7f { b'?' } else { b });
    }
    if cut {
        out.extend_from_slice("…".as_bytes());
    }
    out.push(b'"');
    String::from_utf8(out).unwrap_or_default()
}

/// A URL as it may be shown (a message, a `Debug`): with an `@` in it, all before the last `@` (a
/// `user:password`) is `[redacted]`. The `@` alone decides, whatever the scheme or the URL's
/// shape, so no userinfo can get through a parse of ours that disagrees with the runtime's.
pub fn shown_url(url: &str) -> alloc::borrow::Cow<'_, str> {
    match url.bytes().rposition(|b| b == b'@').and_then(|i| url.get(i..)) {
        Some(tail) => alloc::borrow::Cow::Owned(super::text::cat(&["[redacted]", tail])),
        None => alloc::borrow::Cow::Borrowed(url),
    }
}

/// `^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$`, the contract's pattern for `name`.
pub fn validate_function_name(name: &str) -> Result<(), Invalid> {
    let bytes = name.as_bytes();
    let ok = (2..=60).contains(&bytes.len())
        && bytes[0].is_ascii_alphabetic()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(&[
            "invalid function name ",
            &quoted(name),
            ": expected 2 to 60 characters of letters, digits, '_' or '-', starting with a letter and ending with a letter or digit",
        ]))
    }
}

/// An environment id is used as a DNS label of the gateway host, so it must be exactly one plain
/// label: nothing in it can turn the URL towards another host.
pub fn validate_env_id(env_id: &str) -> Result<(), Invalid> {
    let bytes = env_id.as_bytes();
    let ok = (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(&[
            "invalid envId ",
            &quoted(env_id),
            ": expected a DNS label (letters, digits and '-', at most 63, not starting or ending with '-')",
        ]))
    }
}

/// A version or alias: `1`, `2`, `$LATEST`, `prod`. Sent as a header, so no control characters.
pub fn validate_qualifier(qualifier: &str) -> Result<(), Invalid> {
    let ok = (1..=64).contains(&qualifier.len())
        && qualifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$'));
    if ok {
        Ok(())
    } else {
        Err(invalid(&[
            "invalid qualifier ",
            &quoted(qualifier),
            ": expected 1 to 64 characters of letters, digits, '_', '-', '.' or '$'",
        ]))
    }
}

/// A timeout in milliseconds: a finite number from 0 (no timeout) to 2^31-1 (what timers take).
pub fn validate_timeout_ms(value: f64) -> Result<u32, Invalid> {
    if value.is_finite() && value >= 0.0 && value <= i32::MAX as f64 {
        Ok(value as u32)
    } else {
        Err(Invalid(String::from(
            "invalid timeoutMs: expected a number of milliseconds from 0 (no timeout) to 2147483647",
        )))
    }
}

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_header_value_char(b: u8) -> bool {
    b == b'\t' || (0x20..0x7f).contains(&b)
}

/// An extra header from `headers`: an RFC 9110 token name, a value without CR, LF or other control
/// characters (no header injection), and not one of the headers the SDK owns.
pub fn validate_header(name: &str, value: &str) -> Result<(), Invalid> {
    if name.is_empty() || !name.bytes().all(is_token_char) {
        return Err(invalid(&["invalid header name ", &quoted(name)]));
    }
    if !value.bytes().all(is_header_value_char) {
        return Err(invalid(&[
            "invalid value for header ",
            name,
            ": only printable ASCII is allowed (no CR, LF or other control characters)",
        ]));
    }
    if let Some((_, option)) = super::RESERVED_HEADERS
        .iter()
        .find(|(reserved, _)| reserved.eq_ignore_ascii_case(name))
    {
        return Err(invalid(&["header ", name, " is set by the SDK: ", option]));
    }
    Ok(())
}

/// A credential about to be sent as `Authorization: Bearer <token>`. The message never includes it.
pub fn validate_token(token: &str) -> Result<(), Invalid> {
    if token.is_empty() {
        return Err(Invalid(String::from("the access token is empty")));
    }
    if !token.bytes().all(is_header_value_char) || token.starts_with(' ') || token.ends_with(' ') {
        return Err(Invalid(String::from(
            "the access token contains characters that cannot be sent in a header",
        )));
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let mut parts = split_byte(host, b'.');
    parts.next() == Some("127")
        && parts.clone().count() == 3
        && parts.all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !host.is_empty()
        && host.len() <= 253
        && split_byte(host, b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) && {
        super::decimal::parse_decimal(port).is_some_and(|n| (1..=65535).contains(&n))
    }
}

fn valid_path(path: &str) -> bool {
    split_byte(path, b'/').skip(1).all(|segment| {
        segment != ".."
            && segment != "."
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
    })
}

/// `baseUrl` replaces the envId host (the emulator, a private gateway). Accepted: `https://host[:port][/path]`
/// for any host, `http://` only for loopback. No credentials, query, fragment, dot segments or
/// non-ASCII (look-alike hosts). Returns the URL without a trailing slash.
pub fn validate_base_url(url: &str) -> Result<String, Invalid> {
    let reject = |why: &str| invalid(&["invalid baseUrl ", &quoted(&shown_url(url)), ": ", why]);
    let scheme = |len: usize, name: &str| url.get(..len).is_some_and(|s| s.eq_ignore_ascii_case(name));
    let (secure, rest) = if scheme(8, "https://") {
        (true, url.get(8..).unwrap_or(""))
    } else if scheme(7, "http://") {
        (false, url.get(7..).unwrap_or(""))
    } else {
        return Err(reject("expected an http(s):// URL"));
    };
    if !rest.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(reject("only printable ASCII without spaces is allowed"));
    }
    if rest.bytes().any(|b| matches!(b, b'?' | b'#' | b'\\' | b'@')) {
        return Err(reject("no credentials, query or fragment are allowed"));
    }
    // Checked splits at ASCII bytes (the rest is ASCII here): nothing can panic, whatever the input.
    let (authority, path) = rest.bytes().position(|b| b == b'/').and_then(|i| rest.split_at_checked(i)).unwrap_or((rest, ""));
    let (host, port) = match authority.bytes().rposition(|b| b == b':').and_then(|i| authority.split_at_checked(i)) {
        Some((host, port)) if !port.bytes().any(|b| b == b']') => (host, port.get(1..)),
        _ => (authority, None),
    };
    if !valid_host(host) || port.is_some_and(|p| !valid_port(p)) {
        return Err(reject("invalid host or port"));
    }
    if !valid_path(path) {
        return Err(reject("invalid path"));
    }
    if !secure && !is_loopback(host) {
        return Err(reject("plain http is only allowed for loopback hosts; use https"));
    }
    Ok(String::from(super::text::trim_end_byte(url, b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_follow_the_contract_pattern() {
        for ok in ["ab", "echo", "a1", "my-fn_2", "A", "x".repeat(60).as_str()] {
            let expected = ok.len() >= 2;
            assert_eq!(validate_function_name(ok).is_ok(), expected, "{ok}");
        }
        for bad in [
            "", "a", "1abc", "_abc", "abc-", "abc_", "a b", "a/b", "../x", "a%2Fb", "ｅcho", "echo\n",
            "a.b", &"x".repeat(61),
        ] {
            assert!(validate_function_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn env_ids_are_single_dns_labels() {
        for ok in ["my-env-1a2b3c", "a", "env1", "A-b"] {
            assert!(validate_env_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "-a", "a-", "evil.com/", "a.b", "evil.com#", "a:80", "a@b", "ｅnv", "a b", "a\r\nb",
            &"a".repeat(64),
        ] {
            assert!(validate_env_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn qualifiers() {
        for ok in ["1", "$LATEST", "prod", "v1.2"] {
            assert!(validate_qualifier(ok).is_ok());
        }
        for bad in ["", "1\r\nX-Evil: 1", "a b", "é", &"1".repeat(65)] {
            assert!(validate_qualifier(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn timeouts() {
        assert_eq!(validate_timeout_ms(0.0), Ok(0));
        assert_eq!(validate_timeout_ms(1500.7), Ok(1500));
        for bad in [-1.0, f64::NAN, f64::INFINITY, 3e9] {
            assert!(validate_timeout_ms(bad).is_err());
        }
    }

    #[test]
    fn headers_refuse_injection_and_reserved_names() {
        assert!(validate_header("X-Trace", "1").is_ok());
        assert!(validate_header("X-Trace", "a\r\nX-Evil: 1").is_err());
        assert!(validate_header("X-Trace", "a\nb").is_err());
        assert!(validate_header("X Trace", "1").is_err());
        assert!(validate_header("", "1").is_err());
        assert!(validate_header("X-Trace", "é").is_err());
        for reserved in ["authorization", "Content-Type", "X-QUALIFIER", "x-tcb-webfn", "Host"] {
            let err = validate_header(reserved, "x").unwrap_err();
            assert!(err.0.contains("set by the SDK"), "{}", err.0);
        }
    }

    #[test]
    fn token_messages_never_contain_the_token() {
        let secret = "sekrit\r\nX-Evil: 1";
        let err = validate_token(secret).unwrap_err();
        assert!(!err.0.contains("sekrit"));
        assert!(validate_token("").is_err());
        assert!(validate_token("abc.def.ghi").is_ok());
    }

    #[test]
    fn a_base_url_with_credentials_is_refused_without_showing_them() {
        for url in ["https://deploy:S3cr3t@gw.example.com", "ftp://u:S3cr3t@h", "http://a@S3cr3t@b/x", "S3cr3t@"] {
            let Invalid(message) = validate_base_url(url).unwrap_err();
            assert!(!message.contains("S3cr3t") && message.contains("[redacted]@"), "{message}");
        }
        assert_eq!(shown_url("https://gw.example.com/p"), "https://gw.example.com/p");
    }

    #[test]
    fn base_urls() {
        assert_eq!(validate_base_url("http://127.0.0.1:8787/").unwrap(), "http://127.0.0.1:8787");
        assert_eq!(validate_base_url("http://localhost:8787").unwrap(), "http://localhost:8787");
        assert_eq!(validate_base_url("http://[::1]:8787").unwrap(), "http://[::1]:8787");
        assert_eq!(
            validate_base_url("https://gw.example.com/prefix/").unwrap(),
            "https://gw.example.com/prefix"
        );
        assert_eq!(validate_base_url("HTTPS://GW.example.com").unwrap(), "HTTPS://GW.example.com");
        for bad in [
            "http://example.com",
            "http://127.0.0.1.evil.com",
            "ftp://x",
            "https://",
            "https://user:pw@host",
            "https://host?x=1",
            "https://host#f",
            "https://host/../x",
            "https://host/a%2Fb",
            "https://ｅvil.com",
            "https://host:0",
            "https://host:99999",
            "https://host:abc",
            "https://ho st",
            "https://host\r\n",
            "https://evil.com\\@good.com",
            "127.0.0.1:8787",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad:?}");
        }
    }
}
