//! The wasm module's only entry, `wire::run`, for any operation number over any records: a panic
//! there is a wasm trap that can leave the instance unusable. The input is built in the record
//! format `Args` reads (tag, then an f64 or a u32 length and bytes), from pieces the fuzzer picks,
//! sometimes malformed (wrong lengths, unknown tags, cut-off records, invalid UTF-8).
#![no_main]
use cloudbase_fn::boundary::wire::{run, Answer, Args};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A credential marker: asserted absent from error messages when only a credential holds it.
const MARK: &str = "K3Y-s3cr3t";
const PIECES: &[&str] = &[
    "", "my-env", "http://127.0.0.1:1", "https://h.example", "echo", "../x", "x-a\nb", "\n", "{",
    "\"\\", "é", "😀", "\r\n", " ", "e30.eyJleHAiOjEwMH0.s", "Sun, 06 Nov 1994 08:49:37 GMT", "120",
    "FUNCTION_EXCEED_RESOURCE_LIMIT", "application/json", "text/plain", "authorization", MARK,
];
const NUMBERS: &[f64] = &[
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 123.0, 200.0, 401.0, 503.0, 999.0, 1e300, -1e300, 4294967295.0,
    4294967296.0, 2147483648.0, 9007199254740993.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
];

fn text(u: &mut Unstructured) -> Result<Vec<u8>> {
    let mut t = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        match u.int_in_range(0..=3)? {
            0 => {
                let n = u.int_in_range(0..=64)?;
                t.extend_from_slice(u.bytes(n)?) // may be invalid UTF-8
            }
            1 => t.resize(t.len() + u.int_in_range(0..=3000)?, u.arbitrary()?), // long texts
            _ => t.extend_from_slice(u.choose(PIECES)?.as_bytes()),
        }
    }
    Ok(t)
}

fn args(u: &mut Unstructured) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for _ in 0..u.int_in_range(0..=20)? {
        match u.int_in_range(0..=9)? {
            0 | 1 => {
                let t = text(u)?;
                let len = match u.int_in_range(0..=9)? {
                    0 => u.arbitrary()?, // a wrong length: the record and those after it shift
                    _ => t.len() as u32,
                };
                bytes.push(1);
                bytes.extend_from_slice(&len.to_le_bytes());
                bytes.extend_from_slice(&t);
            }
            2 | 3 => {
                let n = if u.arbitrary()? { *u.choose(NUMBERS)? } else { f64::from_bits(u.arbitrary()?) };
                bytes.push(2);
                bytes.extend_from_slice(&n.to_le_bytes());
            }
            4 | 5 => bytes.push(3), // true
            6 => bytes.push(0),     // absent, false
            7 => bytes.push(u.arbitrary()?), // any tag
            _ => {
                let n = u.int_in_range(0..=8)?;
                bytes.extend_from_slice(u.bytes(n)?) // raw bytes: cut-off records, any tag
            }
        }
    }
    Ok(bytes)
}

/// Record `i` read as a text, as `run` reads it (each reader takes one record, whatever its tag).
fn text_at(bytes: &[u8], i: usize) -> Option<&str> {
    let mut a = Args::new(bytes);
    for _ in 0..i {
        a.flag();
    }
    a.text()
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(op) = (if u.ratio(1, 8).unwrap_or(false) { u.arbitrary() } else { u.int_in_range(0..=13) }) else { return };
    let Ok(bytes) = args(&mut u) else { return };
    let t = match (op, run(op, &mut Args::new(&bytes))) {
        (3, Answer::Number(n)) => return assert!(n <= 5, "readFor answers 0 to 5"),
        (_, Answer::Text(t)) if op != 3 => t,
        _ => panic!("readFor alone answers a number"),
    };
    // mod.rs: an answer is a URL, a number, or JSON (a value object or an error descriptor).
    let json: Option<Value> = t.starts_with('{').then(|| serde_json::from_str(&t).expect("an answer starting with { is JSON"));
    let descriptor = json.as_ref().filter(|v| v.get("name").is_some());
    if let Some(d) = descriptor {
        assert!(d["name"].is_string() && d["code"].is_string() && d["message"].is_string() && d["retryable"].is_boolean(), "{t}");
    }
    let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match op {
        0 | 1 | 7 | 10 => assert!(json.is_some(), "{t}"),
        4 | 5 => assert!(descriptor.is_some_and(|d| d["next"].is_i64()), "a decision: {t}"),
        2 => assert!(t.is_empty() || descriptor.is_some() || t.contains("/v1/functions/"), "{t}"),
        6 | 11 => assert!(digits || descriptor.is_some(), "{t}"),
        8 => assert!(t.is_empty() || descriptor.is_some(), "{t}"),
        9 => match text_at(&bytes, 0) {
            Some(given) => assert!(descriptor.is_some() || t == given, "{t}"),
            None => assert!(t.len() == 32 && t.bytes().all(|b| b"0123456789abcdef".contains(&b)), "{t}"),
        },
        12 => assert!(t.starts_with("TC3-HMAC-SHA256 "), "{t}"),
        _ => assert!(descriptor.is_some_and(|d| d["message"].as_str().unwrap().contains("no such operation")), "{t}"),
    }
    let Some(d) = descriptor else { return };
    let message = d["message"].as_str().unwrap();
    // validate_token and accept_token: the message never includes the token (ops 0 and 6).
    let token = match op {
        0 => text_at(&bytes, 13),
        6 => text_at(&bytes, 0),
        _ => None,
    };
    let mut all = Args::new(&bytes); // every record, read as texts (each record takes a byte or more)
    let marked = (0..bytes.len()).filter_map(|_| all.text()).filter(|s| s.contains(MARK)).count();
    if token.is_some_and(|k| k.contains(MARK)) && marked == 1 {
        assert!(!message.contains(MARK), "the token is in the message: {t}");
    }
    // answer_failed: every credential in `secrets` (record 9) is redacted from message and body.
    // Skipped: those under 4 bytes (redact's floor) and those "[redacted]" itself could form.
    if op == 4 {
        let body = d.get("body").and_then(Value::as_str).unwrap_or("");
        for s in text_at(&bytes, 9).unwrap_or("").split('\n') {
            if s.len() >= 4 && !s.contains(['[', ']']) && !"redacted".contains(s) {
                assert!(!message.contains(s) && !body.contains(s), "{s:?} not redacted: {t}");
            }
        }
    }
});
