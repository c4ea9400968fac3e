//! TC3-HMAC-SHA256: signing any input never panics and yields a value that parses back to the same
//! parts; parsing any `Authorization` header never panics.
#![no_main]
use cloudbase_fn::contract::tc3::{parse_authorization, sign, utc_date, Payload, SignInput, SERVICE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_authorization(&text);
    let mut f = text.split('\u{1}');
    let mut next = || f.next().unwrap_or("");
    let (method, host, path, query, ct, id, key, hname, hvalue) =
        (next(), next(), next(), next(), next(), next(), next(), next(), next());
    let timestamp = data.iter().take(8).fold(0u64, |n, &b| n << 8 | u64::from(b)) % 4_102_444_800; // < year 2100
    let _ = utc_date(timestamp);
    let extra = [(hname, hvalue)];
    let input = SignInput {
        method,
        host,
        path,
        query,
        content_type: ct,
        extra_headers: &extra,
        payload: Payload::Bytes(data),
        timestamp,
        service: SERVICE,
        secret_id: id,
        secret_key: key,
        session_token: None,
    };
    let header = sign(&input);
    if !id.is_empty() && !id.contains(['/', ',', ' ', '=']) && !id.chars().any(char::is_whitespace) {
        let parsed = parse_authorization(&header).expect("a signature we made parses");
        assert_eq!(parsed.secret_id, id);
        assert_eq!(parsed.timestamp, timestamp);
    }
});
