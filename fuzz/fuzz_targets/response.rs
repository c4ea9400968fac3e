//! Response classification and error-body handling: `body_kind` on any content type, and
//! `classify_error` on any status, any (code, message, requestId) fields and any raw body.
#![no_main]
use cloudbase_fn::contract::{body_kind, classify_error, ErrorBody, ErrorClass, BODY_EXCERPT_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = body_kind(Some(&text));
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let flags = data[2];
    let mut fields = text[text.char_indices().nth(3).map_or(text.len(), |(i, _)| i)..].split('\u{1}');
    let mut next = |bit: u8| fields.next().filter(|_| flags & bit != 0);
    let (code, message, request_id, raw, header) = (next(1), next(2), next(4), next(8).unwrap_or(""), next(16));
    let parsed = (flags & 32 != 0).then_some(ErrorBody { code, message, request_id });
    let f = classify_error(status, parsed, raw, header);
    assert_eq!(f.status, Some(status));
    assert!(!f.message.is_empty());
    if let Some(body) = &f.body {
        assert_eq!(f.class, ErrorClass::Http);
        assert!(body.chars().count() <= BODY_EXCERPT_CHARS);
        assert!(raw.starts_with(body.as_str()));
    }
});
