//! Tests of `contract::call`: one invocation's decisions: reading answers, failures, retries and refreshes.

use super::*;

const FIRST: Attempt = Attempt { retries_done: 0, policy: RetryPolicy { retries: 2, base_delay_ms: 200, max_delay_ms: 5_000, on_network_error: false }, random: 0.5, can_refresh: false };

#[test]
fn heads_decide_how_bodies_are_read() {
    assert_eq!(read_for(200.0, Some("application/json")), Read::Body(BodyKind::Json));
    assert_eq!(read_for(201.0, Some("text/plain")), Read::Body(BodyKind::Text));
    assert_eq!(read_for(200.0, None), Read::Body(BodyKind::Bytes));
    assert_eq!(read_for(204.0, Some("application/json")), Read::Nothing);
    assert_eq!(read_for(404.0, Some("application/json")), Read::ErrorText);
    assert_eq!(read_for(302.0, None), Read::ErrorText);
    assert_eq!(read_for(999.0, Some("text/html")), Read::ErrorText, "999 is an answer: an HttpError");
    assert_eq!(read_for(600.0, None), Read::ErrorText);
    for bad in [f64::NAN, -1.0, 0.0, 99.0, 1000.0, 200.5, f64::INFINITY] {
        assert_eq!(read_for(bad, None), Read::NotAResponse, "{bad}");
    }
}

#[test]
fn busy_answers_are_retried_and_final_ones_are_not() {
    let busy = ErrorBody { code: Some("FUNCTION_EXCEED_RESOURCE_LIMIT"), message: Some("busy"), request_id: None };
    let d = answer_failed(429, Some(busy), "", None, None, 0.0, "", &FIRST);
    assert_eq!(d.failure.class, ErrorClass::FunctionExceedResourceLimit);
    assert!(matches!(d.next, Next::Retry(ms) if ms <= 200));
    assert!(d.retryable);
    assert_eq!(d.attempts, 1);

    let spent = Attempt { retries_done: 2, ..FIRST };
    let d = answer_failed(429, Some(busy), "", None, None, 0.0, "", &spent);
    assert_eq!(d.next, Next::GiveUp);
    assert!(d.retryable, "retryable keeps the default rule after the budget is spent");
    assert_eq!(d.attempts, 3);

    let thrown = ErrorBody { code: Some("FUNCTION_INVOCATION_FAILED"), message: None, request_id: None };
    let d = answer_failed(500, Some(thrown), "", Some("h"), None, 0.0, "", &FIRST);
    assert_eq!((d.next, d.retryable), (Next::GiveUp, false));
    assert_eq!(d.failure.request_id.as_deref(), Some("h"));
}

#[test]
fn a_refused_token_from_a_provider_is_refreshed_once() {
    let expired = ErrorBody { code: Some("ACCESS_TOKEN_EXPIRED"), message: None, request_id: None };
    let with_provider = Attempt { can_refresh: true, ..FIRST };
    assert_eq!(answer_failed(401, Some(expired), "", None, None, 0.0, "", &with_provider).next, Next::Refresh);
    assert_eq!(answer_failed(401, None, "", None, None, 0.0, "", &with_provider).next, Next::Refresh);
    assert_eq!(answer_failed(401, Some(expired), "", None, None, 0.0, "", &FIRST).next, Next::GiveUp);
}

#[test]
fn retry_after_is_honoured_and_a_long_one_gives_up() {
    let d = answer_failed(503, None, "", None, Some("1"), 0.0, "", &Attempt { random: 0.0, ..FIRST });
    assert_eq!(d.next, Next::Retry(1_000));
    let d = answer_failed(503, None, "", None, Some("60"), 0.0, "", &FIRST);
    assert_eq!(d.next, Next::GiveUp);
}

#[test]
fn credentials_echoed_by_the_gateway_are_redacted() {
    let body = ErrorBody { code: Some("INVALID_ACCESS_TOKEN"), message: Some("token sekrit-token is bad"), request_id: None };
    let d = answer_failed(401, Some(body), "", None, None, 0.0, "sekrit-token", &FIRST);
    assert_eq!(d.failure.message, "token [redacted] is bad");
    let d = answer_failed(502, None, "<p>sekrit-token</p>", None, None, 0.0, "other\nsekrit-token", &FIRST);
    assert_eq!(d.failure.body.as_deref(), Some("<p>[redacted]</p>"));
}

#[test]
fn a_credential_cut_by_the_excerpt_is_redacted_too() {
    let token = "sk-live-0123456789abcdef0123456789abcdef";
    for at in [1000, 1010, 1020, 1021, 1024] {
        let page = alloc::format!("{}{token}</p>", "x".repeat(at));
        let d = answer_failed(502, None, &page, None, None, 0.0, token, &FIRST);
        let body = d.failure.body.unwrap();
        assert!(!body.contains("sk-live"), "{at}: …{}", &body[body.len() - 40..]);
        let kept = (1024 - at).min(token.len());
        assert_eq!(body.ends_with("[redacted]"), kept >= 4, "{at}");
    }
    // A body that is not cut keeps a text that merely starts like a token.
    let d = answer_failed(502, None, "ends with sk-l", None, None, 0.0, token, &FIRST);
    assert_eq!(d.failure.body.as_deref(), Some("ends with sk-l"));
}

#[test]
fn transport_failures() {
    let d = transport_failed(TransportFailure::Timeout, "http://h/v1/functions/f", 300, None, None, false, &FIRST);
    assert_eq!(d.failure.class, ErrorClass::Timeout);
    assert_eq!(d.failure.message, "no complete answer from http://h/v1/functions/f within 300 ms");
    assert_eq!(d.next, Next::GiveUp);
    let opted_in = Attempt { policy: RetryPolicy { on_network_error: true, ..FIRST.policy }, ..FIRST };
    assert!(matches!(transport_failed(TransportFailure::Network, "u", 0, None, None, true, &opted_in).next, Next::Retry(_)));
    let d = transport_failed(TransportFailure::Network, "u", 0, None, None, true, &FIRST);
    assert!(d.failure.message.contains("CORS"));
    assert_eq!(transport_failed(TransportFailure::Aborted, "u", 0, None, None, false, &opted_in).next, Next::GiveUp);
    let d = transport_failed(TransportFailure::BadJson, "u", 0, Some(200), Some("r"), false, &FIRST);
    assert_eq!((d.failure.class, d.failure.status), (ErrorClass::InvalidResponse, Some(200)));
    assert_eq!(transport_failed(TransportFailure::TokenTimeout, "u", 5, None, None, false, &opted_in).next, Next::GiveUp);
}

#[test]
fn options() {
    assert_eq!(timeout(None), Ok(DEFAULT_TIMEOUT_MS));
    assert!(timeout(Some(-1.0)).is_err());
    assert_eq!(retry_policy(true, RetryInput::default()), Ok(RetryPolicy::OFF));
    let p = retry_policy(false, RetryInput { max_attempts: Some(5.0), ..Default::default() }).unwrap();
    assert_eq!((p.retries, p.base_delay_ms), (4, 200));
    assert_eq!(retry_policy(false, RetryInput::default()).unwrap().retries, 2, "3 attempts by default");
    assert_eq!(retry_policy(false, RetryInput { max_attempts: Some(1.0), ..Default::default() }).unwrap().retries, 0);
    assert_eq!(retry_policy(false, RetryInput { max_attempts: Some(10.0), ..Default::default() }).unwrap().retries, 9);
    for bad in [0.0, 1.5, 11.0, -1.0, f64::NAN] {
        assert!(retry_policy(false, RetryInput { max_attempts: Some(bad), ..Default::default() }).is_err(), "{bad}");
    }
    let old = retry_policy(false, RetryInput { old_attempts: true, ..Default::default() }).unwrap_err();
    assert!(old.0.contains("retry.maxAttempts"), "{}", old.0);
    assert!(retry_policy(false, RetryInput { max_delay_ms: Some(-1.0), ..Default::default() }).is_err());
    assert_eq!(extra_headers("X-A\n1\nx-b\n2", 2).unwrap(), vec![(String::from("x-a"), "1"), (String::from("x-b"), "2")]);
    assert!(extra_headers("a\nb\nc\nd", 1).is_err(), "a line break inside a name or value");
    assert!(extra_headers("X-A\n1\n", 1).is_err(), "a trailing line break in the last value");
    assert!(extra_headers("authorization\nx", 1).is_err());
    assert!(check_body(u32::from(b'{')).is_ok());
    assert!(check_body(u32::from(b'[')).is_err());
    assert!(function_url("http://h", "a/b").is_err());
}

#[test]
fn payload_limit_decided_from_the_utf16_length_when_it_can() {
    let limit = DEFAULT_MAX_PAYLOAD_BYTES;
    assert_eq!(max_payload(None), Ok(6_291_456));
    assert_eq!(max_payload(Some(0.0)), Ok(0));
    assert!(max_payload(Some(-1.0)).is_err() && max_payload(Some(1.5)).is_err() && max_payload(Some(f64::NAN)).is_err());
    // Clearly under: 3 bytes per unit at most.
    assert_eq!(check_size(f64::from(limit / 3), limit, None), Ok(Size::Fits));
    // In between: ask for the exact count, then decide on it.
    assert_eq!(check_size(f64::from(limit / 3 + 1), limit, None), Ok(Size::Measure));
    assert_eq!(check_size(f64::from(limit), limit, None), Ok(Size::Measure));
    assert_eq!(check_size(3_000_000.0, limit, Some(f64::from(limit))), Ok(Size::Fits));
    let f = check_size(3_000_000.0, limit, Some(f64::from(limit) + 1.0)).unwrap_err();
    assert_eq!((f.class, f.code.as_str(), f.status), (ErrorClass::PayloadTooLarge, "EXCEED_MAX_PAYLOAD_SIZE", None));
    assert_eq!(f.message, "the JSON body is 6291457 bytes; maxPayloadBytes is 6291456");
    // Clearly over: at least one byte per unit.
    let f = check_size(f64::from(limit) + 1.0, limit, None).unwrap_err();
    assert_eq!(f.message, "the JSON body is at least 6291457 bytes; maxPayloadBytes is 6291456");
    // No limit.
    assert_eq!(check_size(1e9, 0, None), Ok(Size::Fits));
}

#[test]
fn quota_429s_are_final_and_burst_429s_are_retried() {
    let body = |code| Some(ErrorBody { code: Some(code), message: None, request_id: None });
    let d = answer_failed(429, body("EXCEED_REQUEST_LIMIT"), "", None, Some("1"), 0.0, "", &FIRST);
    assert_eq!((d.failure.class, d.retryable, d.next), (ErrorClass::RateLimit, false, Next::GiveUp));
    let d = answer_failed(429, body("EXCEED_CONCURRENT_REQUEST_LIMIT"), "", None, None, 0.0, "", &FIRST);
    assert_eq!((d.failure.class, d.retryable), (ErrorClass::RateLimit, true));
    assert!(matches!(d.next, Next::Retry(_)));
    let d = answer_failed(429, None, "<h1>Too Many Requests</h1>", None, None, 0.0, "", &FIRST);
    assert_eq!((d.failure.class, d.retryable, d.next), (ErrorClass::Http, false, Next::GiveUp));
}

#[test]
fn retry_after_dates_use_the_drivers_clock() {
    let at = Attempt { random: 0.0, ..FIRST };
    let now = 784_111_777_000.0 - 1_200.0;
    let d = answer_failed(503, None, "", None, Some("Sun, 06 Nov 1994 08:49:37 GMT"), now, "", &at);
    assert_eq!(d.next, Next::Retry(1_200));
    let d = answer_failed(503, None, "", None, Some("1000000000"), 0.0, "", &at);
    assert_eq!((d.next, d.retryable), (Next::GiveUp, true), "ten digits: too long to wait, not at once");
}

#[test]
fn documented_token_refusals_refresh_whatever_the_status() {
    let with_provider = Attempt { can_refresh: true, ..FIRST };
    for code in super::super::jwt::AUTH_REJECTION_CODES {
        let body = ErrorBody { code: Some(code), message: None, request_id: None };
        let d = answer_failed(400, Some(body), "", None, None, 0.0, "", &with_provider);
        assert_eq!((d.failure.class, d.next), (ErrorClass::Authentication, Next::Refresh), "{code}");
    }
    let forbidden = ErrorBody { code: Some("ACTION_FORBIDDEN"), message: None, request_id: None };
    assert_eq!(answer_failed(403, Some(forbidden), "", None, None, 0.0, "", &with_provider).next, Next::GiveUp);
}
