//! The built-in functions enabled by --faults, and /__emulator/{stats,reset}.
mod common;

use common::*;
use std::io::Read;
use std::time::{Duration, Instant};

fn faults() -> Emu {
    Emu::examples(&["--faults"])
}

#[test]
fn native_echo() {
    let emu = faults();
    let body = "{ \"a\" : [1, 2],\n \"b\": \"x\" }";
    let r = emu.post("/v1/functions/native-echo", body);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), body, "returned as is");
    assert!(is_uuid_v4(r.request_id()));
    assert_eq!(emu.post("/v1/functions/native-echo", "").text(), "{}");
    emu.post("/v1/functions/native-echo", "[1]").assert_error(400, "FUNCTION_PARAM_INVALID");
    // Headers are honoured like for any function.
    let t = Emu::examples(&["--faults", "--token", "t"]);
    t.post("/v1/functions/native-echo", "{}").assert_error(401, "MISSING_CREDENTIALS");
    let r = t.req("POST", "/v1/functions/native-echo", &[("Authorization", "Bearer t"), ("Origin", "http://o")], b"{}");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("http://o"));
}

#[test]
fn builtins_take_precedence_over_folders() {
    // tests/functions has no fault-* folders, but examples has none either: check a
    // built-in works while an unknown fault-* name falls through to the folders.
    let emu = faults();
    assert_eq!(emu.post("/v1/functions/fault-bytes", "{}").status, 200);
    emu.post("/v1/functions/fault-unknown", "{}").assert_error(404, "FUNCTION_NOT_FOUND");
    assert_eq!(emu.post("/v1/functions/echo", r#"{"x":1}"#).json(), json!({"x":1}));
}

#[test]
fn delay_and_hang() {
    let emu = faults();
    let t = Instant::now();
    let r = emu.post_json("fault-delay", json!({"ms": 300}));
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.json(), json!({"ms": 300}));

    let mut c = emu.conn();
    c.r.get_ref().set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    c.write_request("POST", "/v1/functions/fault-hang", &[], b"{}").unwrap();
    let e = c.read_response("POST").unwrap_err();
    assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{e:?}");
    drop(c);
    // Still serving.
    assert_eq!(emu.post("/v1/functions/native-echo", "{}").status, 200);
}

#[test]
fn drop_and_drop_mid_body() {
    let emu = faults();
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/fault-drop", &[], b"{}").unwrap();
    let mut buf = Vec::new();
    let n = c.r.read_to_end(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "no response bytes at all: {:?}", String::from_utf8_lossy(&buf));

    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/fault-drop-mid-body", &[], b"{}").unwrap();
    let (status, headers) = c.read_head().unwrap();
    assert_eq!(status, 200);
    let h = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(h("content-type"), Some("application/json"));
    assert_eq!(h("content-length"), Some("100000"));
    assert!(h("x-request-id").is_some());
    let mut body = Vec::new();
    let _ = c.r.read_to_end(&mut body);
    assert_eq!(body.len(), 10, "{:?}", String::from_utf8_lossy(&body));
}

/// Waits (up to 5 s) until no `fault-drip` body is being sent any more.
fn drips_end(emu: &Emu) -> bool {
    let end = Instant::now() + Duration::from_secs(5);
    while emu.stats()["drips"] != 0 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    emu.stats()["drips"] == 0
}

#[test]
fn drip_sends_the_head_at_once_then_one_byte_at_a_time() {
    let emu = faults();
    // Defaults: 1000 bytes, one every 100 ms, so the whole body would take 100 s.
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/fault-drip", &[], b"{}").unwrap();
    let (status, headers) = c.read_head().unwrap();
    assert_eq!(status, 200);
    let h = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(h("content-type"), Some("application/json"));
    assert_eq!(h("content-length"), Some("1000"));
    assert!(is_uuid_v4(h("x-request-id").unwrap()));
    assert_eq!(emu.stats()["drips"], 1);
    // The head is in while the body is still coming: reading for 350 ms finds only its first bytes.
    c.r.get_ref().set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let (mut body, mut chunk, end) = (Vec::new(), [0u8; 64], Instant::now() + Duration::from_millis(350));
    while Instant::now() < end {
        match c.r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{e:?}"),
        }
    }
    assert!(!body.is_empty() && body.len() < 100, "{} bytes after 350 ms", body.len());
    assert!(br#"{"d":"xxxxxxxxxxxxxxxxxxxx"#.starts_with(&body), "{:?}", String::from_utf8_lossy(&body));
    // The client going away ends the stream.
    drop(c);
    assert!(drips_end(&emu), "the drip kept running after its client left");
    assert_eq!(emu.post("/v1/functions/native-echo", "{}").status, 200);
}

#[test]
fn drip_completes_as_valid_json() {
    let emu = faults();
    let r = emu.post_json("fault-drip", json!({"ms": 1, "bytes": 50}));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body.len(), 50);
    assert_eq!(r.json(), json!({"d": "x".repeat(42)}));
    // Fewer bytes than the smallest JSON body give that body.
    assert_eq!(emu.post_json("fault-drip", json!({"ms": 0, "bytes": 3})).json(), json!({"d": ""}));
    assert!(drips_end(&emu));
}

#[test]
fn canned_bad_responses() {
    let emu = faults();
    let r = emu.post("/v1/functions/fault-html502", "{}");
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.text(), "<html><body><h1>502 Bad Gateway</h1></body></html>");
    assert!(is_uuid_v4(r.request_id()));

    let r = emu.post("/v1/functions/fault-empty500", "{}");
    assert_eq!(r.status, 500);
    assert_eq!(r.header("content-type"), None);
    assert!(r.body.is_empty());
    assert!(is_uuid_v4(r.request_id()));

    let r = emu.post("/v1/functions/fault-bad-json", "{}");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), r#"{"a": 1,"#);

    let r = emu.post("/v1/functions/fault-bytes", "{}");
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.body, (0..=255u8).collect::<Vec<_>>());

    let r = emu.post_json("fault-redirect", json!({"location": "https://example.com/x"}));
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("https://example.com/x"));
}

#[test]
fn large_bodies() {
    let emu = faults();
    let r = emu.post_json("fault-large", json!({"bytes": 2_000_000}));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!((r.body.len() as i64 - 2_000_000).abs() < 64, "{}", r.body.len());
    assert!(r.json()["data"].as_str().unwrap().len() > 1_999_000);
    let r = emu.post_json("fault-large", json!({"bytes": 100_000, "type": "text"}));
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(r.body.len(), 100_000);
    let r = emu.post_json("fault-large", json!({"bytes": 1000, "type": "bytes"}));
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.body.len(), 1000);
    assert_eq!(r.body[257], 1);
}

#[test]
fn respond_exactly() {
    let emu = faults();
    let r = emu.post_json(
        "fault-respond",
        json!({"status": 503, "contentType": "application/json", "body": "{\"code\":\"X\"}", "headers": {"Retry-After": "2", "X-Extra": "yes"}}),
    );
    assert_eq!(r.status, 503);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), r#"{"code":"X"}"#);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(r.header("x-extra"), Some("yes"));
    assert!(is_uuid_v4(r.request_id()));

    let r = emu.post_json("fault-respond", json!({"status": 200, "body": "plain", "noRequestId": true}));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-request-id"), None);
    assert_eq!(r.header("content-type"), None);
    assert_eq!(r.text(), "plain");
    // Every contract code can be produced, e.g. with a missing requestId field.
    let r = emu.post_json(
        "fault-respond",
        json!({"status": 400, "contentType": "application/json", "body": "{\"code\":\"FUNCTION_TIME_LIMIT_EXCEEDED\",\"message\":\"t\"}"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "FUNCTION_TIME_LIMIT_EXCEEDED");
    emu.post_json("fault-respond", json!({"status": 42})).assert_error(400, "INVALID_PARAM");
}

#[test]
fn flaky_then_success_and_reset() {
    let emu = faults();
    for _ in 0..2 {
        let r = emu.post_json("fault-flaky", json!({"key": "k1", "failures": 2}));
        r.assert_error(429, "FUNCTION_EXCEED_RESOURCE_LIMIT");
        assert_eq!(r.header("retry-after"), None);
    }
    assert_eq!(emu.post_json("fault-flaky", json!({"key": "k1", "failures": 2})).json(), json!({"attempts": 3}));
    assert_eq!(emu.post_json("fault-flaky", json!({"key": "k1", "failures": 2})).json(), json!({"attempts": 4}));
    // Custom code and status, separate key, optional Retry-After.
    let r = emu.post_json("fault-flaky", json!({"key": "k2", "failures": 1, "code": "FUNCTION_STATUS_ABNORMAL", "status": 503, "retryAfter": 0}));
    r.assert_error(503, "FUNCTION_STATUS_ABNORMAL");
    assert_eq!(r.header("retry-after"), Some("0"));
    assert_eq!(emu.post_json("fault-flaky", json!({"key": "k2", "failures": 1})).json(), json!({"attempts": 2}));
    // Reset zeroes the counters.
    assert_eq!(emu.req("POST", "/__emulator/reset", &[], b"").status, 200);
    emu.post_json("fault-flaky", json!({"key": "k1", "failures": 1})).assert_error(429, "FUNCTION_EXCEED_RESOURCE_LIMIT");
}

#[test]
fn headers_mirror() {
    let emu = faults();
    let r = emu.req(
        "POST",
        "/v1/functions/fault-headers?webfn=true&a=b",
        &[("Authorization", "Bearer tok"), ("X-Qualifier", "3"), ("Content-Type", "application/json"), ("X-Custom", "v")],
        b"{}",
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["authorization"], "Bearer tok");
    assert_eq!(v["x-qualifier"], "3");
    assert_eq!(v["content-type"], "application/json");
    assert_eq!(v["x-custom"], "v");
    assert_eq!(v["content-length"], "2");
    assert_eq!(v["_method"], "POST");
    assert_eq!(v["_path"], "/v1/functions/fault-headers");
    assert_eq!(v["_query"], "webfn=true&a=b");
    assert_eq!(emu.post("/v1/functions/fault-headers", "{}").json()["_query"], Value::Null);
}

#[test]
fn stats_count_function_posts() {
    let emu = faults();
    assert_eq!(emu.stats()["requests"], 0);
    emu.post("/v1/functions/native-echo", "{}");
    emu.post("/v1/functions/nope", "{}");
    emu.post("/v1/functions/echo", "[]");
    emu.req("OPTIONS", "/v1/functions/echo", &[], b"");
    emu.req("GET", "/v1/functions/echo", &[], b"");
    emu.post("/other", "{}");
    assert_eq!(emu.stats()["requests"], 3);
    let r = emu.req("POST", "/__emulator/reset", &[], b"");
    assert_eq!(r.json(), json!({"ok": true}));
    assert_eq!(emu.stats()["requests"], 0);
}
