//! The validators: they never panic and accept exactly what the contract's patterns accept.

use super::*;

// ---- regex-free reference implementations, written from the contract text -------------------

fn ref_name(s: &str) -> bool {
    // ^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$
    let c: Vec<char> = s.chars().collect();
    let n = c.len();
    if !(2..=60).contains(&n) {
        return false;
    }
    let letter = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_uppercase();
    let digit = |ch: char| ch.is_ascii_digit();
    letter(c[0])
        && (letter(c[n - 1]) || digit(c[n - 1]))
        && c[1..n - 1].iter().all(|&ch| letter(ch) || digit(ch) || ch == '_' || ch == '-')
}

fn ref_env_id(s: &str) -> bool {
    // One DNS label: 1..=63 of [A-Za-z0-9-], not starting or ending with '-'.
    let c: Vec<char> = s.chars().collect();
    let alnum = |ch: char| ch.is_ascii_alphanumeric();
    !c.is_empty()
        && c.len() <= 63
        && alnum(c[0])
        && alnum(c[c.len() - 1])
        && c.iter().all(|&ch| alnum(ch) || ch == '-')
}

fn ref_qualifier(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    (1..=64).contains(&c.len()) && c.iter().all(|&ch| ch.is_ascii_alphanumeric() || "_-.$".contains(ch))
}

fn ref_header_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|ch| ch.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(ch))
}

fn ref_header_value(s: &str) -> bool {
    s.chars().all(|ch| ch == '\t' || (' '..='~').contains(&ch))
}

fn no_url_breakers(s: &str) -> bool {
    !s.chars().any(|c| "/.%@#?\\:\r\n \t".contains(c) || !c.is_ascii() || c.is_control())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn function_names_match_the_contract_pattern(s in hostile_string(8)) {
        let ok = validate_function_name(&s).is_ok();
        prop_assert_eq!(ok, ref_name(&s), "{:?}", s);
        if ok {
            prop_assert!(no_url_breakers(&s));
            // The URL path gets exactly the name, nothing that escapes the functions prefix.
            let url = function_url("https://gw.example.com", &s);
            prop_assert_eq!(url.strip_prefix("https://gw.example.com/v1/functions/"), Some(s.as_str()));
        } else {
            // The message quotes the input without control characters (no log injection).
            let msg = validate_function_name(&s).unwrap_err().0;
            prop_assert!(!msg.contains('\r') && !msg.contains('\n'));
        }
    }

    #[test]
    fn env_ids_are_exactly_one_dns_label(s in hostile_string(8)) {
        let ok = validate_env_id(&s).is_ok();
        prop_assert_eq!(ok, ref_env_id(&s), "{:?}", s);
        if ok {
            prop_assert!(no_url_breakers(&s));
            let base = host_base_url(&s, false);
            let host = base.strip_prefix("https://").unwrap();
            prop_assert_eq!(host.strip_suffix(".api.tcloudbasegateway.com"), Some(s.as_str()));
            let intl = host_base_url(&s, true);
            prop_assert_eq!(intl.strip_prefix("https://").unwrap().strip_suffix(".api.intl.tcloudbasegateway.com"), Some(s.as_str()));
            prop_assert_eq!(validate_base_url(&intl), Ok(intl.clone()));
            // And the gateway's own base URL validator agrees it is a well-formed https URL.
            prop_assert_eq!(validate_base_url(&base), Ok(base.clone()));
        }
    }

    #[test]
    fn qualifiers_match_their_pattern(s in hostile_string(8)) {
        let ok = validate_qualifier(&s).is_ok();
        prop_assert_eq!(ok, ref_qualifier(&s), "{:?}", s);
        if ok {
            prop_assert!(!s.contains(['\r', '\n', ' ', ':']) && s.is_ascii());
        }
    }

    #[test]
    fn headers_refuse_injection_and_reserved_names(name in hostile_string(6), value in hostile_string(6)) {
        let result = validate_header(&name, &value);
        let reserved = RESERVED_HEADERS.iter().any(|(r, _)| r.eq_ignore_ascii_case(&name));
        prop_assert_eq!(result.is_ok(), ref_header_name(&name) && ref_header_value(&value) && !reserved,
            "{:?}: {:?}", name, value);
        if result.is_ok() {
            prop_assert!(!value.contains(['\r', '\n', '\0']) && value.is_ascii());
        }
    }

    #[test]
    fn tokens_are_never_echoed_and_never_break_a_header(t in hostile_string(10)) {
        match validate_token(&t) {
            Ok(()) => {
                prop_assert!(!t.is_empty() && ref_header_value(&t));
                prop_assert!(!t.starts_with(' ') && !t.ends_with(' '));
            }
            Err(e) => {
                prop_assert!(t.is_empty() || !ref_header_value(&t) || t.starts_with(' ') || t.ends_with(' '));
                if t.chars().count() >= 4 {
                    prop_assert!(!e.0.contains(t.as_str()), "the message echoes the token");
                }
            }
        }
    }

    #[test]
    fn base_urls_never_point_elsewhere(
        scheme in prop::sample::select(&["https://", "http://", "HTTPS://", "ftp://", "", "https:/", "https:\\\\"][..]),
        rest in hostile_string(10),
    ) {
        let url = [scheme, rest.as_str()].concat();
        if let Ok(base) = validate_base_url(&url) {
            prop_assert!(url.starts_with(&base) && url[base.len()..].chars().all(|c| c == '/'));
            prop_assert!(base.is_ascii() && !base.contains(['@', '?', '#', '\\', ' ', '%', '\r', '\n']));
            let after = &base[base.find("://").unwrap() + 3..];
            let authority = after.split('/').next().unwrap();
            prop_assert!(!authority.is_empty());
            prop_assert!(after.split('/').skip(1).all(|seg| seg != ".." && seg != "."));
            if base[..5].eq_ignore_ascii_case("http:") {
                let host = match authority.find(']') {
                    Some(i) => &authority[..=i],
                    None => authority.split(':').next().unwrap(),
                };
                prop_assert!(host.eq_ignore_ascii_case("localhost") || host == "[::1]" || host.starts_with("127."),
                    "plain http to a non-loopback host: {:?}", url);
            }
        }
    }

    #[test]
    fn generated_well_formed_base_urls_are_accepted(
        labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", 1..4),
        port in prop::option::of(1u32..=65535),
        path in prop::collection::vec("[a-zA-Z0-9_~-]{1,6}", 0..3),
    ) {
        let mut url = String::from("https://");
        url.push_str(&labels.join("."));
        if let Some(p) = port {
            url.push(':');
            url.push_str(&p.to_string());
        }
        for seg in &path {
            url.push('/');
            url.push_str(seg);
        }
        prop_assert_eq!(validate_base_url(&url), Ok(url.clone()));
        prop_assert_eq!(validate_base_url(&[url.as_str(), "/"].concat()), Ok(url.clone()));
    }

    #[test]
    fn timeouts_are_timer_safe(v in prop_oneof![any::<f64>(), -10.0f64..3e9, Just(f64::NAN), Just(f64::INFINITY)]) {
        match validate_timeout_ms(v) {
            Ok(ms) => prop_assert!(v >= 0.0 && v <= i32::MAX as f64 && ms as f64 <= v && (ms as i64) <= i32::MAX as i64),
            Err(_) => prop_assert!(!(v >= 0.0 && v <= i32::MAX as f64)),
        }
    }
}
