//! Gateway behaviour over real HTTP: routing, ids, auth, CORS, bodies,
//! qualifiers and JavaScript functions run in the Node host.
mod common;

use common::*;
use std::time::{Duration, Instant};

#[test]
fn echo_returns_event_with_request_id() {
    let emu = Emu::examples(&[]);
    let r = emu.post("/v1/functions/echo", r#"{"a":1,"b":2}"#);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"a":1,"b":2}));
    assert!(is_uuid_v4(r.request_id()), "{}", r.request_id());
    // A query string on the same path is accepted.
    let r = emu.post("/v1/functions/echo?x=1&y=2", r#"{"q":true}"#);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"q":true}));
}

#[test]
fn request_ids_on_every_response_unique_and_equal_to_body() {
    let emu = Emu::examples(&[]);
    let mut seen = std::collections::HashSet::new();
    let cases: Vec<(Resp, u16, &str)> = vec![
        (emu.post("/v1/functions/nope", "{}"), 404, "FUNCTION_NOT_FOUND"),
        (emu.req("GET", "/v1/functions/echo", &[], b""), 405, "METHOD_NOT_ALLOWED"),
        (emu.req("POST", "/elsewhere", &[], b"{}"), 404, "NOT_FOUND"),
        (emu.post("/v1/functions/echo", "[1]"), 400, "FUNCTION_PARAM_INVALID"),
        (emu.post("/v1/functions/1bad", "{}"), 400, "INVALID_PARAM"),
        (emu.post("/v1/functions/boom", "{}"), 400, "FUNCTION_INVOCATION_FAILED"),
    ];
    for (r, status, code) in &cases {
        r.assert_error(*status, code);
        assert!(is_uuid_v4(r.request_id()));
        assert!(seen.insert(r.request_id().to_string()), "duplicate id");
    }
    for r in [
        emu.post("/v1/functions/echo", "{}"),
        emu.post("/v1/functions/hello", "{}"),
        emu.req("OPTIONS", "/v1/functions/echo", &[("Origin", "http://x")], b""),
    ] {
        assert!(is_uuid_v4(r.request_id()));
        assert!(seen.insert(r.request_id().to_string()), "duplicate id");
    }
    // 405 names the allowed methods.
    assert_eq!(cases[1].0.header("allow"), Some("POST, OPTIONS"));
}

#[test]
fn keep_alive_serves_many_requests_per_connection() {
    let emu = Emu::examples(&[]);
    let mut c = emu.conn();
    for i in 0..20 {
        let body = format!(r#"{{"i":{i}}}"#);
        let r = c.send("POST", "/v1/functions/echo", &[], body.as_bytes()).unwrap();
        assert_eq!(r.json()["i"], i);
    }
}

#[test]
fn text_and_other_results() {
    let emu = Emu::examples(&[]);
    let r = emu.post("/v1/functions/hello", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(r.text(), "Hello fn");

    let t = Emu::start(test_functions(), &[]);
    let r = t.post("/v1/functions/undef", "{}");
    assert_eq!((r.status, r.header("content-type"), r.text().as_str()), (200, Some("application/json"), "null"));
    let r = t.post("/v1/functions/number", "{}");
    assert_eq!((r.status, r.text().as_str()), (200, "42"));
    // A lone surrogate in a text result becomes U+FFFD (it used to stall the call until the backstop).
    let r = t.post("/v1/functions/surrogate", "{}");
    assert_eq!((r.status, r.text().as_str()), (200, "cut \u{fffd}"));
    // console.log in a function goes to stderr, not into the runtime protocol.
    let r = t.post("/v1/functions/noisy", "{}");
    assert_eq!((r.status, r.text().as_str()), (200, "quiet result"));
    let r = t.post("/v1/functions/echo", "{}");
    assert_eq!(r.json(), json!({}));
    // ESM syntax works too.
    let r = t.post("/v1/functions/esm", "{}");
    assert_eq!(r.json(), json!({"esm": true, "name": "esm"}));
}

#[test]
fn qualifiers() {
    let emu = Emu::examples(&[]);
    let q = |q: &str| emu.req("POST", "/v1/functions/hello", &[("X-Qualifier", q)], b"{}");
    assert_eq!(q("2").text(), "Hello fn v2");
    assert_eq!(q("$LATEST").text(), "Hello fn");
    q("3").assert_error(404, "FUNCTION_QUALIFIER_NOT_FOUND");
    q("../hello").assert_error(404, "FUNCTION_QUALIFIER_NOT_FOUND");
    let r = emu.req("POST", "/v1/functions/nope", &[("X-Qualifier", "2")], b"{}");
    r.assert_error(404, "FUNCTION_NOT_FOUND");
    // The qualifier reaches the context.
    let r = emu.req("POST", "/v1/functions/whoami", &[("X-Qualifier", "$LATEST")], b"{}");
    assert_eq!(r.json()["qualifier"], "$LATEST");
}

#[test]
fn context_and_webfn() {
    let emu = Emu::examples(&[]);
    let r = emu.post("/v1/functions/whoami", "{}");
    let ctx = r.json();
    assert_eq!(ctx["requestId"].as_str(), Some(r.request_id()));
    assert_eq!(ctx["functionName"], "whoami");
    assert_eq!(ctx["qualifier"], Value::Null);
    assert_eq!(ctx["webfn"], false);
    let r = emu.req("POST", "/v1/functions/whoami", &[("X-Tcb-Webfn", "true")], b"{}");
    assert_eq!(r.json()["webfn"], true);
    let r = emu.post("/v1/functions/whoami?webfn=true", "{}");
    assert_eq!(r.json()["webfn"], true);
    let r = emu.post("/v1/functions/whoami?webfn=false", "{}");
    assert_eq!(r.json()["webfn"], false);
}

#[test]
fn tokens() {
    let emu = Emu::examples(&["--token", "alpha", "--token", "beta"]);
    let call = |h: &[(&str, &str)]| emu.req("POST", "/v1/functions/echo", h, b"{}");
    call(&[]).assert_error(401, "MISSING_CREDENTIALS");
    call(&[("Authorization", "Basic abc")]).assert_error(401, "MISSING_CREDENTIALS");
    call(&[("Authorization", "Bearer gamma")]).assert_error(401, "INVALID_ACCESS_TOKEN");
    assert_eq!(call(&[("Authorization", "Bearer alpha")]).status, 200);
    assert_eq!(call(&[("Authorization", "Bearer beta")]).status, 200);
    // Preflights never need the token.
    assert_eq!(emu.req("OPTIONS", "/v1/functions/echo", &[], b"").status, 204);

    let open = Emu::examples(&[]);
    let r = open.req("POST", "/v1/functions/echo", &[("Authorization", "Bearer anything")], b"{}");
    assert_eq!(r.status, 200);
    assert_eq!(open.post("/v1/functions/echo", "{}").status, 200);
}

#[test]
fn cors() {
    let emu = Emu::examples(&[]);
    for path in ["/v1/functions/echo", "/anything/else"] {
        let r = emu.req(
            "OPTIONS",
            path,
            &[
                ("Origin", "http://localhost:5173"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "authorization,content-type,x-qualifier"),
            ],
            b"",
        );
        assert_eq!(r.status, 204);
        assert_eq!(r.header("access-control-allow-origin"), Some("http://localhost:5173"));
        assert_eq!(r.header("access-control-allow-methods"), Some("POST, OPTIONS"));
        assert_eq!(r.header("access-control-allow-headers"), Some("authorization,content-type,x-qualifier"));
        assert_eq!(r.header("access-control-max-age"), Some("600"));
        assert_eq!(r.header("vary"), Some("Origin"));
        assert!(is_uuid_v4(r.request_id()));
    }
    let expose = Some("X-Request-Id, Retry-After, Content-Type");
    let r = emu.req("POST", "/v1/functions/echo", &[("Origin", "https://app.example")], b"{}");
    assert_eq!(r.header("access-control-allow-origin"), Some("https://app.example"));
    assert_eq!(r.header("access-control-expose-headers"), expose);
    assert_eq!(r.header("vary"), Some("Origin"));
    let r = emu.post("/v1/functions/nope", "{}");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-expose-headers"), expose);
}

#[test]
fn bad_bodies() {
    let emu = Emu::examples(&[]);
    for body in [&b"not json"[..], b"[1,2]", b"\"s\"", b"42", b"null", b"{\"a\":", b"{} x", b"{\"a\":\"\xff\"}"] {
        let r = emu.req("POST", "/v1/functions/echo", &[("Content-Type", "text/plain")], body);
        r.assert_error(400, "FUNCTION_PARAM_INVALID");
    }
    // Empty (or blank) body counts as {}.
    assert_eq!(emu.post("/v1/functions/echo", "").json(), json!({}));
    assert_eq!(emu.post("/v1/functions/echo", " \n ").json(), json!({}));
    // Multi-line JSON and escapes survive the trip through the runtime.
    let body = "{\n  \"s\": \"line1\\nline2 \\u2603 \u{1F600}\",\r\n  \"n\": [1, 2.5, -3]\n}";
    assert_eq!(emu.post("/v1/functions/echo", body).json(), json!({"s":"line1\nline2 \u{2603} \u{1F600}","n":[1,2.5,-3]}));
}

#[test]
fn body_limit() {
    let emu = Emu::examples(&[]);
    // Declared too large: refused without reading it.
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/echo", &[("Content-Length", "7000000")], b"{").unwrap();
    c.read_response("POST").unwrap().assert_error(413, "EXCEED_MAX_PAYLOAD_SIZE");
    // Chunked and too large: refused once the limit is crossed.
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/echo", &[("Transfer-Encoding", "chunked")], b"").unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut payload = Vec::new();
    for _ in 0..7 {
        payload.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        payload.extend_from_slice(&chunk);
        payload.extend_from_slice(b"\r\n");
    }
    let w = c.r.get_ref().try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let mut w = w;
        let _ = std::io::Write::write_all(&mut w, &payload);
    });
    c.read_response("POST").unwrap().assert_error(413, "EXCEED_MAX_PAYLOAD_SIZE");
    drop(c);
    writer.join().unwrap();
    // Just under the limit is fine.
    let big = format!("{{\"s\":\"{}\"}}", "x".repeat(6 * 1024 * 1024 - 64));
    let r = emu.post("/v1/functions/echo", &big);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), big.len());
}

#[test]
fn names_and_routes() {
    let emu = Emu::examples(&[]);
    let long = format!("a{}", "b".repeat(60));
    for name in ["1abc", "a", "ab_", "a.b", "a%20b", long.as_str(), "echo/extra", ""] {
        emu.post(&format!("/v1/functions/{name}"), "{}").assert_error(400, "INVALID_PARAM");
    }
    for m in ["GET", "PUT", "DELETE", "PATCH"] {
        emu.req(m, "/v1/functions/echo", &[], b"").assert_error(405, "METHOD_NOT_ALLOWED");
    }
    emu.req("GET", "/", &[], b"").assert_error(404, "NOT_FOUND");
    emu.req("POST", "/v1/functions", &[], b"{}").assert_error(404, "NOT_FOUND");
    // Without --faults there is no /__emulator API and no built-ins.
    emu.req("GET", "/__emulator/stats", &[], b"").assert_error(404, "NOT_FOUND");
    emu.post("/v1/functions/fault-bytes", "{}").assert_error(404, "FUNCTION_NOT_FOUND");
}

#[test]
fn errors_from_functions() {
    let emu = Emu::examples(&[]);
    let v = emu.post("/v1/functions/boom", "{}").assert_error(400, "FUNCTION_INVOCATION_FAILED");
    assert_eq!(v["message"], "boom: something went wrong");
    let t = Emu::start(test_functions(), &[]);
    let v = t.post_json("reject", json!({"why": "nope"})).assert_error(400, "FUNCTION_INVOCATION_FAILED");
    assert_eq!(v["message"], "rejected: nope");
    let v = t.post("/v1/functions/badload", "{}").assert_error(400, "FUNCTION_INVOCATION_FAILED");
    assert!(v["message"].as_str().unwrap().contains("failed to load"), "{v}");
    t.post("/v1/functions/badconfig", "{}").assert_error(500, "FUNCTION_STATUS_ABNORMAL");
}

#[test]
fn time_limit_stops_runaway_code() {
    let emu = Emu::examples(&[]);
    for _ in 0..2 {
        let t = Instant::now();
        let v = emu.post("/v1/functions/spin", "{}").assert_error(400, "FUNCTION_TIME_LIMIT_EXCEEDED");
        let took = t.elapsed();
        assert!(took >= Duration::from_millis(450) && took < Duration::from_millis(2500), "{took:?} {v}");
    }
    let v = emu.post_json("slow", json!({"ms": 3000})).assert_error(400, "FUNCTION_TIME_LIMIT_EXCEEDED");
    assert!(v["message"].as_str().unwrap().contains("1000 ms"));
    // The emulator is not wedged.
    assert_eq!(emu.post_json("slow", json!({"ms": 10})).json(), json!({"slept": 10}));
    assert_eq!(emu.post("/v1/functions/echo", r#"{"ok":1}"#).json(), json!({"ok":1}));
}

#[test]
fn memory_limit() {
    let emu = Emu::examples(&[]);
    for _ in 0..2 {
        emu.post("/v1/functions/hog", "{}").assert_error(400, "FUNCTION_MEMORY_LIMIT_EXCEEDED");
    }
    assert_eq!(emu.post("/v1/functions/echo", r#"{"ok":1}"#).json(), json!({"ok":1}));
}

#[test]
fn concurrency_limit() {
    let emu = Emu::examples(&["--faults"]); // limited: concurrency 1
    let port = emu.port;
    let first = std::thread::spawn(move || {
        Conn::open(port).send("POST", "/v1/functions/limited", &[], br#"{"ms":1000}"#).unwrap()
    });
    emu.wait_stats("one call running", |s| s["running"] == 1);
    let r = emu.post_json("limited", json!({"ms": 1}));
    r.assert_error(429, "FUNCTION_EXCEED_RESOURCE_LIMIT");
    assert_eq!(r.header("retry-after"), Some("1"));
    let r = first.join().unwrap();
    assert_eq!(r.json(), json!({"waited": 1000}));
    assert_eq!(emu.post_json("limited", json!({"ms": 1})).status, 200);
}

#[test]
fn many_invocations_in_flight_at_once() {
    // `gate` answers only once all 16 calls are inside it at once: run one after another, the
    // first would end at its time limit instead.
    let dir = std::env::temp_dir().join(format!("cbfn-emu-gate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let emu = Emu::start(test_functions(), &[]);
    let port = emu.port;
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let body = json!({"dir": dir, "count": 16, "i": i}).to_string();
            std::thread::spawn(move || Conn::open(port).send("POST", "/v1/functions/gate", &[], body.as_bytes()).unwrap())
        })
        .collect();
    for (i, th) in threads.into_iter().enumerate() {
        assert_eq!(th.join().unwrap().json(), json!({"i": i}));
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_running_stat_counts_every_invocation_in_flight() {
    // Three calls wait inside `gate` for a fourth: `running` must reach 3 (not merely "some"),
    // then the fourth lets them all end and it drops back to 0.
    let dir = std::env::temp_dir().join(format!("cbfn-emu-running-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let emu = Emu::start(test_functions(), &["--faults"]);
    let port = emu.port;
    let call = |i: usize| {
        let body = json!({"dir": dir, "count": 4, "i": i}).to_string();
        std::thread::spawn(move || Conn::open(port).send("POST", "/v1/functions/gate", &[], body.as_bytes()).unwrap())
    };
    let waiting: Vec<_> = (0..3).map(call).collect();
    emu.wait_stats("three calls running", |s| s["running"] == 3);
    let last = call(3);
    for (i, th) in waiting.into_iter().chain([last]).enumerate() {
        assert_eq!(th.join().unwrap().json(), json!({"i": i}));
    }
    emu.wait_stats("no call running", |s| s["running"] == 0);
    let _ = std::fs::remove_dir_all(dir);
}
