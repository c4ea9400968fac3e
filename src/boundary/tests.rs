//! The boundary's encoding, natively: what the driver will `JSON.parse`.

use super::*;

#[test]
fn client_configuration_is_one_json_object() {
    let out = configure_client(Some("my-env"), None, false, None, None, false, false, None, None, None, None, "X-Trace\n1", 1, Some("tok"));
    assert_eq!(
        out,
        r#"{"base":"https://my-env.api.tcloudbasegateway.com","timeoutMs":60000,"maxPayloadBytes":6291456,"policy":[2,200,5000,0],"headers":{"content-type":"application/json","authorization":"Bearer tok","x-trace":"1"},"bearer":"Bearer "}"#
    );
    let intl = configure_client(Some("my-env"), None, true, None, Some(0.0), false, false, Some(1.0), None, None, None, "", 0, None);
    assert!(intl.starts_with(r#"{"base":"https://my-env.api.intl.tcloudbasegateway.com","timeoutMs":60000,"maxPayloadBytes":0,"policy":[0,"#), "{intl}");
    let old = configure_client(Some("my-env"), None, false, None, None, false, true, None, None, None, None, "", 0, None);
    assert!(old.contains("InvalidArgumentError") && old.contains("retry.maxAttempts"), "{old}");
    let bad = configure_client(Some("evil.com/"), None, false, None, None, false, false, None, None, None, None, "", 0, None);
    assert!(bad.starts_with(r#"{"name":"InvalidArgumentError","code":"INVALID_ARGUMENT","message":"invalid envId"#), "{bad}");
    let token = configure_client(None, Some("http://127.0.0.1:1"), false, None, None, false, false, None, None, None, None, "", 0, Some("sekrit\r\n"));
    assert!(token.contains("InvalidArgumentError") && !token.contains("sekrit"), "{token}");
    let off = configure_client(None, Some("http://127.0.0.1:1"), false, Some(0.0), None, true, false, None, None, None, None, "", 0, None);
    assert!(off.contains(r#""timeoutMs":0,"maxPayloadBytes":6291456,"policy":[0,0,0,0]"#), "{off}");
}

#[test]
fn call_configuration() {
    assert_eq!(configure_call(None, false, None, false, false, false, None, None, None, None, "", 0), r#"{"headers":{}}"#);
    assert_eq!(
        configure_call(Some("2"), true, Some(5.0), true, false, false, Some(1.0), None, None, None, "x-a\nb", 1),
        r#"{"headers":{"x-qualifier":"2","x-tcb-webfn":"true","x-a":"b"},"timeoutMs":5,"policy":[0,200,5000,0]}"#
    );
    assert!(configure_call(Some("1\r\nX: y"), false, None, false, false, false, None, None, None, None, "", 0).contains("invalid qualifier"));
    assert!(configure_call(None, false, None, true, false, true, None, None, None, None, "", 0).contains("retry.attempts is now retry.maxAttempts"));
}

#[test]
fn prepare_gives_a_url_or_an_error() {
    let open = u32::from(b'{');
    assert_eq!(prepare("http://h", "echo", open, 2.0, 6_291_456, None), "http://h/v1/functions/echo");
    assert!(prepare("http://h", "../x", open, 2.0, 6_291_456, None).starts_with('{'));
    assert!(prepare("http://h", "echo", u32::from(b'['), 2.0, 6_291_456, None).contains("JSON object"));
    assert!(prepare("http://h", "echo", u32::from(b'"'), 2.0, 6_291_456, None).contains("JSON object"), "a toJSON returning a string");
    // Between a third of the limit and the limit: count the bytes and ask again.
    assert_eq!(prepare("http://h", "echo", open, 4_000_000.0, 6_291_456, None), "");
    assert_eq!(prepare("http://h", "echo", open, 4_000_000.0, 6_291_456, Some(6_291_456.0)), "http://h/v1/functions/echo");
    assert_eq!(
        prepare("http://h", "echo", open, 4_000_000.0, 6_291_456, Some(6_291_457.0)),
        r#"{"name":"PayloadTooLargeError","code":"EXCEED_MAX_PAYLOAD_SIZE","message":"the JSON body is 6291457 bytes; maxPayloadBytes is 6291456","retryable":false}"#
    );
}

#[test]
fn heads_and_failures() {
    assert_eq!(read_for(200.0, Some("application/json")), 0);
    assert_eq!(read_for(999.0, None), 4, "999 is read as an error answer");
    assert_eq!(read_for(1000.0, None), 5);
    let d = answer_failed(404, true, Some("FUNCTION_NOT_FOUND"), Some("no \"such\""), None, "", Some("h1"), None, 0.0, "", 0, 2, 200, 5000, 0, 0.5, false);
    assert_eq!(
        d,
        r#"{"name":"FunctionNotFoundError","code":"FUNCTION_NOT_FOUND","message":"no \"such\"","requestId":"h1","retryable":false,"status":404,"attempts":1,"next":-1}"#
    );
    let d = transport_failed(1, "http://h/v1/functions/f", 250, None, None, false, 1, 2, 200, 5000, 1, 0.0);
    assert!(d.contains(r#""name":"TimeoutError""#) && d.contains(r#""attempts":2,"next":0"#), "{d}");
}

#[test]
fn tokens_and_sessions() {
    assert_eq!(accept_token(Some("opaque")), "0");
    assert!(accept_token(None).contains("AuthError"));
    let jwt = ["e30.", &crate::contract::jwt::base64url_encode(br#"{"exp":100}"#), ".s"].concat();
    assert_eq!(accept_token(Some(&jwt)), "70000");
    assert_eq!(device_id(None, 0.25, 0.75).len(), 32);
    assert_ne!(device_id(None, 0.25, 0.75), device_id(None, 0.25, 0.5));
    assert!(device_id(Some("short"), 0.0, 0.0).contains("deviceId"));
    let req = session_request("http://h", "dev-0123456789abcdef", Some("r1"), Some("env"));
    assert_eq!(
        req,
        r#"{"url":"http://h/auth/v1/token","headers":{"content-type":"application/json","x-device-id":"dev-0123456789abcdef"},"body":"{\"grant_type\":\"refresh_token\",\"refresh_token\":\"r1\",\"client_id\":\"env\"}","timeoutMs":15000}"#
    );
    assert_eq!(session_accept(Some("opaque"), Some(7200.0), 1_000_000.0), "8170000");
    assert!(session_accept(None, None, 0.0).contains("AuthError"));
}

#[test]
fn credentials() {
    let web_or_ok = check_credentials(Some("id"), Some("key"), None, false, false);
    assert_eq!(web_or_ok.is_empty(), cfg!(feature = "tc3"), "{web_or_ok}");
    assert!(!check_credentials(Some("id"), Some("key"), None, true, false).is_empty());
    assert!(!check_credentials(Some("id"), None, None, false, false).is_empty());
}

#[test]
fn the_wire_reads_typed_records_and_runs_operations() {
    let mut input = alloc::vec::Vec::new();
    let text = |input: &mut alloc::vec::Vec<u8>, s: &str| {
        input.push(1);
        input.extend_from_slice(&(s.len() as u32).to_le_bytes());
        input.extend_from_slice(s.as_bytes());
    };
    text(&mut input, "http://h");
    text(&mut input, "echo");
    for n in [123f64, 2.0, 100.0] {
        input.push(2);
        input.extend_from_slice(&n.to_le_bytes());
    }
    match wire::run(2, &mut wire::Args::new(&input)) {
        wire::Answer::Text(url) => assert_eq!(url, "http://h/v1/functions/echo"),
        wire::Answer::Number(_) => panic!("prepare answers a text"),
    }
    // Truncated or mistyped records read as absent; nothing panics.
    let mut args = wire::Args::new(&[1, 200, 0, 0, 0, b'x']);
    assert_eq!(args.text(), None);
    let mut args = wire::Args::new(&[2, 0, 0]);
    assert_eq!(args.number(), None);
    let mut args = wire::Args::new(&[1, 1, 0, 0, 0, 0xff]);
    assert_eq!(args.text(), None, "invalid UTF-8");
    assert!(matches!(wire::run(99, &mut wire::Args::new(&[])), wire::Answer::Text(t) if t.contains("no such operation")));
}

#[test]
fn a_huge_header_count_is_refused_before_anything_is_allocated() {
    // Found by fuzz/fuzz_targets/wire.rs (configureCall, no headers, count 2^31): the count sized
    // a Vec before it was checked against the packing (80 GB natively, a trap in wasm32), and in
    // wasm32 `2 * count - 1` wrapped, so 2^31 + 1 passed for one pair.
    let found = [3, 3, 3, 3, 65, 42, 3, 3, 3, 3, 3, 2, 0, 0, 0, 0, 0, 0, 224, 65];
    assert!(matches!(wire::run(1, &mut wire::Args::new(&found)), wire::Answer::Text(t) if t.contains("line breaks")));
    for count in [1 << 31, (1 << 31) + 1, u32::MAX] {
        let call = configure_call(None, false, None, false, false, false, None, None, None, None, "a\nb", count);
        assert!(call.contains("line breaks"), "{count}: {call}");
        let client = configure_client(Some("my-env"), None, false, None, None, false, false, None, None, None, None, "a\nb", count, None);
        assert!(client.contains("line breaks"), "{count}: {client}");
    }
}
