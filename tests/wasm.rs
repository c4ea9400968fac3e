//! The core compiled to wasm32, as the driver reaches it: `boundary::wire::run` over argument
//! records, and the boundary functions. The same file runs natively under `cargo test`: typical
//! calls give the answers src/boundary/tests.rs expects natively; hostile input (long strings,
//! invalid UTF-8, truncated records, unknown operations, random records) gets an answer the driver
//! can use, never a trap, and leaves wasm memory flat; and 6,000 random calls over every operation
//! give byte-identical answers in both builds (scripts/test.d/20-wasm.sh passes the native run's
//! digest in CLOUDBASE_FN_NATIVE_DIGEST). Run in Node, and in headless Chromium with `browser-tests`.

use cloudbase_fn::boundary::{self, wire};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(all(target_arch = "wasm32", feature = "browser-tests"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A strict check of the compact JSON the core writes: what the driver's `JSON.parse` must accept.
fn is_json(text: &str) -> bool {
    fn string(b: &[u8], i: &mut usize) -> bool {
        let mut open = b.get(*i) == Some(&b'"');
        while open && *i + 1 < b.len() {
            *i += 1;
            match (b[*i], b.get(*i + 1)) {
                (b'"', _) => { *i += 1; return true }
                (b'\\', Some(b'u')) if b.get(*i + 2..*i + 6).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) => *i += 5,
                (b'\\', Some(e)) if b"\"\\/bfnrt".contains(e) => *i += 1,
                (c, _) => open = c != b'\\' && c >= 0x20,
            }
        }
        false
    }
    fn value(b: &[u8], i: &mut usize, depth: u32) -> bool {
        let Some(&c) = b.get(*i) else { return false };
        if c == b'{' || c == b'[' {
            let close = if c == b'{' { b'}' } else { b']' };
            *i += 1;
            let mut more = b.get(*i) != Some(&close);
            while more {
                if close == b'}' && !(string(b, i) && b.get(*i) == Some(&b':') && { *i += 1; true }) { return false }
                if depth > 32 || !value(b, i, depth + 1) { return false }
                more = b.get(*i) == Some(&b',');
                *i += more as usize;
            }
            *i += 1;
            return b.get(*i - 1) == Some(&close);
        }
        if c == b'"' { return string(b, i) }
        for word in [&b"true"[..], b"false", b"null"] { if b[*i..].starts_with(word) { *i += word.len(); return true } }
        let start = *i;
        while b.get(*i).is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(c)) { *i += 1 }
        core::str::from_utf8(&b[start..*i]).is_ok_and(|n| n.parse::<f64>().is_ok_and(f64::is_finite) && !n.starts_with(['+', '.']))
    }
    let mut i = 0;
    value(text.as_bytes(), &mut i, 0) && i == text.len()
}

/// Argument records as js/core.js writes them: a tag, then a u32 length and UTF-8, or an f64.
#[derive(Default)]
struct Records(Vec<u8>);
impl Records {
    fn text(self, s: &str) -> Self { self.bytes(s.as_bytes()) }
    fn bytes(mut self, b: &[u8]) -> Self { self.0.push(1); self.0.extend((b.len() as u32).to_le_bytes()); self.0.extend(b); self }
    fn number(mut self, n: f64) -> Self { self.0.push(2); self.0.extend(n.to_le_bytes()); self }
    fn flag(mut self, on: bool) -> Self { self.0.push(if on { 3 } else { 0 }); self }
}

fn op(name: &str) -> u32 { wire::OPS.iter().position(|o| *o == name).expect(name) as u32 }

/// Runs operation `op`: `Ok(text)` or `Err(number)`.
fn run(op: u32, input: &[u8]) -> Result<String, u32> {
    match wire::run(op, &mut wire::Args::new(input)) { wire::Answer::Text(t) => Ok(t), wire::Answer::Number(n) => Err(n) }
}

/// An answer the driver can use: `readFor` a read kind; an error or a value as JSON; or a plain
/// answer (a URL or "" to measure the body, a number, a device id, "" for usable credentials).
fn check(op: u32, answer: &Result<String, u32>) {
    match (wire::OPS.get(op as usize).copied(), answer) {
        (Some("readFor"), Err(kind)) => assert!(*kind <= 5, "readFor answered {kind}"),
        (_, Ok(t)) if t.starts_with('{') => assert!(is_json(t), "op {op}: not JSON: {}", &t[..t.len().min(200)]),
        (Some("prepare"), Ok(t)) => assert!(t.is_empty() || t.contains("/v1/functions/"), "{t}"),
        (Some("acceptToken" | "sessionAccept"), Ok(t)) => assert!(t.parse::<u64>().is_ok(), "{t}"),
        (Some("deviceId"), Ok(t)) => assert!(t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()), "{t}"),
        (Some("checkCredentials"), Ok(t)) => assert_eq!(t, ""),
        (Some("sign"), Ok(t)) => assert!(t.starts_with("TC3-HMAC-SHA256 "), "{t}"),
        (name, a) => panic!("op {op} ({name:?}) answered {a:?}"),
    }
}

#[test]
fn typical_calls_answer_what_the_native_build_answers() {
    assert!(is_json(r#"{"a":[1,-2.5e3,"\u00e9\n\"",true,null,{},[]],"b":""}"#) && is_json("[]"));
    for bad in [r#"{"a":1"#, "\"\u{1}\"", "{'a':1}", r#"{"a":1,}"#, r#"["\x"]"#, "[1]]", r#"{"a"}"#, "01x", "\""] { assert!(!is_json(bad), "{bad}") }
    assert_eq!(
        boundary::configure_client(Some("my-env"), None, false, None, None, false, false, None, None, None, None, "X-Trace\n1", 1, Some("tok")),
        r#"{"base":"https://my-env.api.tcloudbasegateway.com","timeoutMs":60000,"maxPayloadBytes":6291456,"policy":[2,200,5000,0],"headers":{"content-type":"application/json","authorization":"Bearer tok","x-trace":"1"},"bearer":"Bearer "}"#
    );
    let url = Records::default().text("http://h").text("echo").number(123.0).number(2.0).number(6_291_456.0);
    assert_eq!(run(op("prepare"), &url.0), Ok("http://h/v1/functions/echo".into()));
    assert!(boundary::prepare("http://h", "../x", 123, 2.0, 6_291_456, None).starts_with(r#"{"name":"InvalidArgumentError""#));
    assert_eq!(boundary::prepare("http://h", "echo", 123, 4e6, 6_291_456, None), "", "count the bytes and ask again");
    assert!(boundary::prepare("http://h", "echo", 123, 4e6, 6_291_456, Some(6_291_457.0)).contains("PayloadTooLargeError"));
    assert_eq!(run(op("readFor"), &Records::default().number(200.0).text("application/json; charset=utf-8").0), Err(0));
    assert_eq!([200.0, 204.0, 404.0, 1000.0].map(|s| boundary::read_for(s, Some("text/plain"))), [1, 3, 4, 5]);
    assert_eq!(
        boundary::answer_failed(404, true, Some("FUNCTION_NOT_FOUND"), Some("no \"such\""), None, "", Some("h1"), None, 0.0, "", 0, 2, 200, 5000, 0, 0.5, false),
        r#"{"name":"FunctionNotFoundError","code":"FUNCTION_NOT_FOUND","message":"no \"such\"","requestId":"h1","retryable":false,"status":404,"attempts":1,"next":-1}"#
    );
    let d = boundary::transport_failed(1, "http://h/v1/functions/f", 250, None, None, false, 1, 2, 200, 5000, 1, 0.0);
    assert!(d.contains(r#""name":"TimeoutError""#) && d.contains(r#""attempts":2,"next":0"#), "{d}");
    assert_eq!([boundary::accept_token(Some("opaque")), boundary::accept_token(Some("e30.eyJleHAiOjEwMH0.s"))], ["0", "70000"]);
    assert_eq!(boundary::session_accept(Some("opaque"), Some(7200.0), 1_000_000.0), "8170000");
    assert_eq!(boundary::device_id(None, 0.0, 0.0), "fadcd1b7938a022efadcd1b7938a022e");
    assert_eq!(run(op("deviceId"), &Records::default().flag(false).number(0.25).number(0.75).0), Ok(boundary::device_id(None, 0.25, 0.75)));
    let creds = boundary::check_credentials(Some("id"), Some("key"), None, false, false);
    assert_eq!(creds.is_empty(), cfg!(feature = "tc3"), "{creds}");
}

#[test]
fn every_operation_number_answers_with_no_arguments() {
    for n in (0..=20).chain([u32::MAX]) {
        let answer = run(n, &[]);
        check(n, &answer);
        if n as usize >= wire::OPS.len() {
            assert!(answer.unwrap().contains("no such operation"));
        }
    }
    assert!(run(op("configureClient"), &[]).unwrap().contains("envId or baseUrl is required"));
}

#[test]
fn hostile_records_read_as_absent_and_long_strings_are_answered() {
    let base = || Records::default().text("http://h");
    let cases: [(&str, Vec<u8>); 6] = [
        ("invalid UTF-8", base().bytes(&[b'e', 0xff, 0xfe]).number(123.0).0),
        ("a lone surrogate", base().bytes(&[0xed, 0xa0, 0x80]).number(123.0).0),
        ("a length past the end", [base().0, vec![1, 200, 0, 0, 0, b'x']].concat()),
        ("a length of u32::MAX", [base().0, vec![1, 0xff, 0xff, 0xff, 0xff]].concat()),
        ("a truncated number", [base().text("echo").0, vec![2, 0, 0]].concat()),
        ("unknown tags", [base().0, vec![0xff; 64]].concat()),
    ];
    for (what, input) in cases {
        let answer = run(op("prepare"), &input).unwrap();
        assert!(answer.starts_with(r#"{"name":"InvalidArgumentError""#) && is_json(&answer), "{what}: {answer}");
    }
    assert_eq!(run(op("readFor"), &[2, 0, 0]), Err(5), "a truncated status reads as absent");
    for status in [f64::NAN, f64::INFINITY, -1.0, 1e300, 200.5] {
        check(op("readFor"), &Err(boundary::read_for(status, None)));
    }
    let long = "a".repeat(1 << 20);
    assert!(boundary::prepare("http://h", &long, 123, 2.0, 0, None).contains("InvalidArgumentError"));
    let token = "t".repeat(100_000);
    let headers: String = (0..10_000).map(|i| ["x-h", &i.to_string(), "\nv\n"].concat()).collect();
    for (extra, count) in [("", 0), (&headers[..], 10_000)] {
        let client = boundary::configure_client(Some("my-env"), None, false, None, None, false, false, None, None, None, None, extra, count, Some(&token));
        assert!(is_json(&client) && (client.contains(&["\"Bearer ", &token, "\""].concat()) || client.contains("Error\"")), "{}", &client[..200]);
    }
    let body = "é<html>".repeat(200_000);
    let failed = boundary::answer_failed(502, false, None, None, None, &body, None, Some(&long), f64::NAN, &token, 0, 2, 200, 5000, 0, 0.5, false);
    assert!(failed.starts_with(r#"{"name":"HttpError""#) && is_json(&failed), "{}", &failed[..200]);
    // Counters at their largest (the wire reads any u32 as the attempts already made) do not overflow.
    check(op("answerFailed"), &Ok(boundary::answer_failed(503, false, None, None, None, "", None, Some("9e99"), 0.0, "", u32::MAX, u32::MAX, u32::MAX, u32::MAX, 1, 1.0, true)));
    for kind in [0, 1, 2, 3, 4, 5, 6, u32::MAX] {
        check(op("transportFailed"), &Ok(boundary::transport_failed(kind, &long, u32::MAX, Some(u32::MAX), Some(&long), true, u32::MAX, u32::MAX, u32::MAX, u32::MAX, 1, f64::NAN)));
    }
}

/// 6,000 calls with random records, every operation number 0..=20 in turn; each answer checked and
/// hashed (FNV-1a) into a digest of all of them.
fn random_calls(mut seed: u64) -> String {
    let mut next = move || { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed };
    let mut digest = 0xcbf2_9ce4_8422_2325u64;
    for i in 0..6_000u32 {
        let mut r = Records::default();
        for _ in 0..next() % 24 {
            let x = next();
            r = match x % 6 {
                0 => r.text(["http://127.0.0.1:1", "echo", "application/json", "\u{10FFFF}é\r\n", "X-A\nb", "e30.eyJleHAiOjEwMH0.s"][((x >> 8) % 6) as usize]),
                1 => r.bytes(&x.to_le_bytes()[..(x >> 60) as usize % 9]),
                2 => r.number(f64::from_bits(next())),
                3 => r.number((x % 70_000) as f64),
                4 => r.flag(x & 256 != 0),
                _ => { r.0.extend(&x.to_le_bytes()[..(x >> 61) as usize]); r }
            };
        }
        let answer = run(i % 21, &r.0);
        check(i % 21, &answer);
        let bytes = match &answer { Ok(t) => t.as_bytes().to_vec(), Err(n) => n.to_le_bytes().to_vec() };
        for b in [&(i % 21).to_le_bytes()[..], &bytes, b"\0"].concat() { digest = (digest ^ u64::from(b)).wrapping_mul(0x100_0000_01b3) }
    }
    format!("{digest:016x}")
}

#[test]
fn random_calls_get_the_native_answers_and_memory_stays_flat() {
    let digest = random_calls(0x9e37_79b9_7f4a_7c15);
    #[cfg(not(target_arch = "wasm32"))]
    println!("wire digest: {digest}");
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(native) = option_env!("CLOUDBASE_FN_NATIVE_DIGEST") {
            assert_eq!(digest, native, "the wasm build answered 6,000 random calls differently from the native build");
        }
        let pages = core::arch::wasm32::memory_size(0);
        assert_eq!(random_calls(0x9e37_79b9_7f4a_7c15), digest); // the same calls again: all the first run allocated was freed
        assert_eq!(core::arch::wasm32::memory_size(0), pages, "wasm memory grew on a second identical run");
    }
}
