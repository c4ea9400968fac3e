//! Every input validator on arbitrary text: never panics, and anything accepted cannot change the
//! request's host or path or inject a header.
#![no_main]
use cloudbase_fn::contract::{
    validate_base_url, validate_env_id, validate_function_name, validate_header, validate_qualifier, validate_token,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;
    let breaks_url = |v: &str| v.chars().any(|c| "/.%@#?\\:\r\n ".contains(c) || !c.is_ascii() || c.is_control());
    if validate_function_name(s).is_ok() {
        assert!(!breaks_url(s) && (2..=60).contains(&s.len()));
    }
    if validate_env_id(s).is_ok() {
        assert!(!breaks_url(s) && (1..=63).contains(&s.len()));
    }
    if validate_qualifier(s).is_ok() {
        assert!(s.is_ascii() && !s.contains(['\r', '\n', ' ', ':', '/']));
    }
    if validate_token(s).is_ok() {
        assert!(!s.is_empty() && s.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)));
    }
    let (name, value) = s.split_once('\u{0}').unwrap_or((s, ""));
    if validate_header(name, value).is_ok() {
        assert!(value.is_ascii() && !value.contains(['\r', '\n']) && !name.contains([':', ' ', '\r', '\n']));
    }
    if let Ok(base) = validate_base_url(s) {
        assert!(s.starts_with(&base));
        assert!(base.is_ascii() && !base.contains(['@', '?', '#', '\\', ' ', '%']));
        let rest = &base[base.find("://").unwrap() + 3..];
        assert!(rest.split('/').skip(1).all(|seg| seg != ".." && seg != "."));
    }
});
