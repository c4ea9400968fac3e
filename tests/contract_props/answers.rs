//! Reading answers: content types, error bodies, retry delays and `Retry-After`, payload limits,
//! JWT expiry and the core's text helpers.

use super::*;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn body_kind_never_panics_and_reads_only_the_media_type(
        ct in prop_oneof![
            hostile_string(12),
            "[a-zA-Z]{1,8}/[a-zA-Z.+-]{0,12}(;[ a-z=0-9-]{0,12})?",
            // Latin-1 bytes (as `Headers.get` exposes obs-text) next to the suffix being sniffed.
            "[a-z]{1,6}/[a-zé©Ã+]{0,6}[+]?(json|jso|son|1234)",
        ],
    ) {
        let kind = body_kind(Some(&ct));
        let media = ct.split(';').next().unwrap().trim().to_ascii_lowercase();
        let expected = if media == "application/json" || (media.ends_with("+json") && media.len() > 5 && media.contains('/')) {
            BodyKind::Json
        } else if media == "text/plain" {
            BodyKind::Text
        } else {
            BodyKind::Bytes
        };
        prop_assert_eq!(kind, expected, "{:?}", ct);
    }

    #[test]
    fn classify_error_never_panics_and_bounds_the_excerpt(
        status in 100u16..=599,
        parsed in prop::option::of((
            prop::option::of(hostile_string(6)),
            prop::option::of(hostile_string(6)),
            prop::option::of(hostile_string(6)),
        )),
        raw in prop_oneof![any::<String>(), "[x😀é]{1000,1100}", Just(String::new())],
        header_id in prop::option::of("[a-f0-9-]{0,36}"),
    ) {
        let body = parsed.as_ref().map(|(c, m, r)| ErrorBody {
            code: c.as_deref(),
            message: m.as_deref(),
            request_id: r.as_deref(),
        });
        let f = classify_error(status, body, &raw, header_id.as_deref());
        prop_assert_eq!(f.status, Some(status));
        prop_assert!(!f.message.is_empty());
        let code = body.as_ref().and_then(|b| b.code).filter(|c| !c.is_empty());
        match code {
            Some(code) => {
                prop_assert_eq!(f.code.as_str(), code);
                prop_assert_eq!(f.class, ErrorClass::for_answer(code, status));
                if ErrorClass::for_code(code) == ErrorClass::CloudBase {
                    let category = match status { 401 => ErrorClass::Authentication, 403 => ErrorClass::PermissionDenied, 429 => ErrorClass::RateLimit, _ => ErrorClass::CloudBase };
                    prop_assert_eq!(f.class, category);
                }
                prop_assert_eq!(f.body, None);
            }
            None => {
                prop_assert_eq!(f.class, ErrorClass::Http);
                prop_assert_eq!(f.code.as_str(), "HTTP_ERROR");
                let excerpt = f.body.clone().unwrap();
                // The longest prefix of whole characters within BODY_EXCERPT_CHARS UTF-16 units.
                let units = excerpt.encode_utf16().count();
                prop_assert!(units <= BODY_EXCERPT_CHARS);
                prop_assert!(raw.starts_with(&excerpt));
                if let Some(next) = raw[excerpt.len()..].chars().next() {
                    prop_assert!(units + next.len_utf16() > BODY_EXCERPT_CHARS);
                }
            }
        }
        let body_id = body.as_ref().and_then(|b| b.request_id).filter(|id| !id.is_empty());
        prop_assert_eq!(f.request_id.as_deref(), body_id.or(header_id.as_deref()));
    }

    #[test]
    fn retry_delays_stay_within_the_policy(
        retries in 0u32..12,
        base in prop_oneof![0u32..1000, any::<u32>()],
        max in prop_oneof![0u32..10_000, any::<u32>()],
        on_network_error in any::<bool>(),
        done in prop_oneof![0u32..12, any::<u32>()],
        status in 100u16..=599,
        code in prop::option::of(prop::sample::select(&["FUNCTION_EXCEED_RESOURCE_LIMIT", "EXCEED_CONCURRENT_REQUEST_LIMIT", "EXCEED_REQUEST_LIMIT", "FUNCTION_INVOCATION_FAILED", "X"][..])),
        kind in 0u8..3,
        retry_after in prop::option::of(prop_oneof![0u32..10_000, any::<u32>()]),
        random in prop_oneof![0.0f64..1.0, any::<f64>(), Just(f64::NAN), Just(1.0 - f64::EPSILON)],
    ) {
        let p = RetryPolicy { retries, base_delay_ms: base, max_delay_ms: max, on_network_error };
        let outcome = match kind {
            0 => Outcome::Answer { status, code },
            1 => Outcome::Network,
            _ => Outcome::Timeout,
        };
        let d = p.delay_ms(done, outcome, retry_after, random);
        let retryable = match outcome {
            Outcome::Answer { status, code } => status == 503 || code.is_some_and(|c| BURST_CODES.contains(&c)),
            _ => on_network_error,
        };
        prop_assert_eq!(p.is_retryable(outcome), retryable);
        if done >= retries || !retryable || retry_after.is_some_and(|a| a > max) {
            prop_assert_eq!(d, None);
        } else {
            let d = d.expect("a retryable outcome within the budget has a delay");
            let ceiling = (base as u64).saturating_mul(1u64 << done.min(30)).min(max as u64);
            prop_assert!(d <= max, "{} > max {}", d, max);
            match retry_after {
                Some(a) => prop_assert!(d >= a && (d == a || d as u64 <= ceiling)),
                None => prop_assert!(d as u64 <= ceiling),
            }
        }
        // Off is off, whatever the outcome.
        prop_assert_eq!(RetryPolicy::OFF.delay_ms(done, outcome, retry_after, random), None);
    }

    #[test]
    fn retry_after_parsing_never_panics(
        s in prop_oneof![hostile_string(6), "[ 0-9]{0,30}", "[A-Za-z]{3}, [0-9]{2} [A-Za-z]{3} [0-9]{2,4} [0-9:]{8} GMT", any::<String>()],
        now in prop_oneof![any::<f64>(), 0.0f64..1e13],
    ) {
        let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
        let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        match retry_after_ms(&s, now) {
            Some(ms) if digits => {
                // Any number of digits, clamped instead of overflowing.
                let expected = t.parse::<u128>().map_or(u32::MAX as u128, |n| (n * 1000).min(u32::MAX as u128));
                prop_assert_eq!(ms as u128, expected);
            }
            Some(_) => prop_assert!(t.ends_with("GMT") || t.bytes().last().is_some_and(|b| b.is_ascii_digit())),
            None => prop_assert!(!digits),
        }
    }

    /// An IMF-fixdate written by a naive reference formatter gives back the wait it encodes.
    #[test]
    fn retry_after_dates_round_trip(secs in 0u64..253_402_300_799, wait_ms in 0u64..5_000_000) {
        let now = (secs * 1000).saturating_sub(wait_ms);
        let expected = (secs * 1000 - now).min(u32::MAX as u64);
        prop_assert_eq!(retry_after_ms(&imf_fixdate(secs), now as f64), Some(expected as u32), "{}", imf_fixdate(secs));
    }

    /// The payload check never lets a body over the limit through, nor refuses one within it,
    /// and asks for the exact count only when the UTF-16 length cannot tell.
    #[test]
    fn payload_limit_is_exact(s in prop_oneof![any::<String>(), hostile_string(40)], limit in prop_oneof![0u32..200, any::<u32>()]) {
        let (units, bytes) = (s.encode_utf16().count() as f64, s.len() as u64);
        let fits = limit == 0 || bytes <= limit as u64;
        match check_size(units, limit, None) {
            Ok(Size::Fits) => prop_assert!(fits),
            Err(f) => {
                prop_assert!(!fits);
                prop_assert_eq!(f.status, None);
                prop_assert_eq!(f.code.as_str(), "EXCEED_MAX_PAYLOAD_SIZE");
            }
            Ok(Size::Measure) => {
                prop_assert!(limit > 0 && units <= limit as f64 && units * 3.0 > limit as f64);
                prop_assert_eq!(check_size(units, limit, Some(bytes as f64)).is_ok(), fits);
                prop_assert_ne!(check_size(units, limit, Some(bytes as f64)), Ok(Size::Measure));
            }
        }
    }

    /// A repeated header reaches fetch joined by ", ": only the first media type counts.
    #[test]
    fn duplicated_content_types_read_as_the_first(a in "[a-z+/.-]{0,20}", b in any::<String>()) {
        prop_assert_eq!(body_kind(Some(&format!("{a}, {b}"))), body_kind(Some(&a)));
    }
}

/// Regression (found by `body_kind_never_panics_and_reads_only_the_media_type`): a content type
/// with a multi-byte character just before its last five bytes made `body_kind` slice inside a
/// character and panic, which in the wasm build (panic = "abort") traps the instance. `Headers.get`
/// gives such characters for obs-text bytes a server may send (`text/aé1234` as Latin-1).
#[test]
fn body_kind_with_non_ascii_near_the_end_does_not_panic() {
    for ct in ["text/aé1234", "application/xé+jso", "a/ÃA©json", "é+json", "x/😀json"] {
        assert_eq!(body_kind(Some(ct)), BodyKind::Bytes, "{ct:?}");
    }
    assert_eq!(body_kind(Some("application/é+json")), BodyKind::Json);
}

proptest! {
    #![proptest_config(config())]

    /// Reading `exp` from an untrusted token never panics, whatever the segments hold.
    #[test]
    fn jwt_expiry_never_panics(
        token in prop_oneof![
            any::<String>(),
            "[A-Za-z0-9_=-]{0,40}\\.[A-Za-z0-9_=+/-]{0,60}\\.[A-Za-z0-9_-]{0,10}",
            // base64url of a JSON object with an `exp` of any shape
            (any::<i64>(), "[ \"a-z0-9.eE+-]{0,12}").prop_map(|(n, s)| {
                let json = format!("{{\"exp\":{n},\"x\":\"{s}\",\"exp\":{s}}}");
                format!("e30.{}.sig", base64url(json.as_bytes()))
            }),
        ],
        now in any::<u64>(),
        skew in any::<u64>(),
    ) {
        let exp = cloudbase_fn::contract::jwt::jwt_expiry(&token);
        let _ = cloudbase_fn::contract::jwt::token_is_fresh(exp, now, skew);
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for `secs` since the epoch, by counting days year by year
/// and month by month (independent of the parser's civil-date arithmetic).
fn imf_fixdate(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let (mut days, rest) = (secs / 86_400, secs % 86_400);
    let weekday = DAYS[(days % 7) as usize];
    let mut year = 1970;
    while days >= if leap(year) { 366 } else { 365 } {
        days -= if leap(year) { 366 } else { 365 };
        year += 1;
    }
    let mut month = 0;
    loop {
        let len = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
        if days < len {
            break;
        }
        days -= len;
        month += 1;
    }
    format!("{weekday}, {:02} {} {year} {:02}:{:02}:{:02} GMT", days + 1, MONTHS[month], rest / 3600, rest / 60 % 60, rest % 60)
}

fn base64url(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The JSON string escaping as first written, char by char: the byte-wise `push_json_string`
/// (which compiles smaller) must write exactly this.
fn json_string_reference(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_string_escaping_matches_the_reference(s in prop_oneof![any::<String>(), hostile_string(40)]) {
        let mut out = String::new();
        cloudbase_fn::contract::jwt::push_json_string(&mut out, &s);
        prop_assert_eq!(out, json_string_reference(&s));
    }

    #[test]
    fn byte_split_and_trim_match_std(s in prop_oneof![any::<String>(), hostile_string(40)], sep in prop::sample::select(vec![b'.', b'/', b'\n', b'='])) {
        use cloudbase_fn::contract::text::{split_byte, trim_end_byte};
        let c = sep as char;
        prop_assert_eq!(split_byte(&s, sep).collect::<Vec<_>>(), s.split(c).collect::<Vec<_>>());
        prop_assert_eq!(trim_end_byte(&s, sep), s.trim_end_matches(c));
    }
}

proptest! {
    #![proptest_config(config())]

    /// Wherever a credential stands in an error page (whole, cut by the 1024-unit excerpt, or
    /// repeated), the excerpt an `HttpError` keeps holds neither the credential nor a start of it
    /// of 4 bytes or more at its cut end.
    #[test]
    fn an_http_error_excerpt_never_holds_a_credential(
        secret in "[A-Za-z0-9._-]{4,80}",
        before in 0usize..1100,
        after in 0usize..40,
        filler in prop::sample::select(vec!["x", "é", "😀", " "]),
        twice in any::<bool>(),
    ) {
        use cloudbase_fn::contract::call::{answer_failed, Attempt};
        let at = Attempt { retries_done: 0, policy: RetryPolicy::default(), random: 0.5, can_refresh: false };
        let mut page = filler.repeat(before);
        page.push_str(&secret);
        if twice {
            page.push_str(&filler.repeat(before % 37));
            page.push_str(&secret);
        }
        page.push_str(&"~".repeat(after)); // not in the credential's alphabet
        let d = answer_failed(502, None, &page, None, None, 0.0, &secret, &at);
        let body = d.failure.body.unwrap();
        prop_assert!(!body.contains(secret.as_str()), "the whole credential: …{}", &body[body.len().saturating_sub(60)..]);
        let cut_start = (4..secret.len()).any(|n| body.ends_with(&secret[..n]));
        prop_assert!(!cut_start, "a start of the credential at the cut: …{}", &body[body.len().saturating_sub(60)..]);
    }
}

/// The boundary the property test above rarely draws: a `Retry-After` of exactly `maxDelayMs`
/// is within what the caller agreed to wait, so it is waited for; one millisecond more ends the
/// retries.
#[test]
fn a_retry_after_of_exactly_max_delay_is_waited_for() {
    let p = RetryPolicy { retries: 2, base_delay_ms: 100, max_delay_ms: 5_000, on_network_error: false };
    let busy = Outcome::Answer { status: 429, code: Some("FUNCTION_EXCEED_RESOURCE_LIMIT") };
    assert_eq!(p.delay_ms(0, busy, Some(5_000), 0.0), Some(5_000));
    assert_eq!(p.delay_ms(0, busy, Some(5_001), 0.0), None);
    assert_eq!(p.delay_ms(0, Outcome::Answer { status: 503, code: None }, Some(5_000), 0.9), Some(5_000));
}
