//! Tests of `contract::tc3`: the TC3 signature, against Tencent Cloud's documented example and the official signer.

use super::*;

/// Tencent Cloud's documented example (cloud.tencent.com/document/api/213/30654, CVM
/// DescribeInstances): canonical URI `/`, no query, content-type + host.
fn cvm<'a>(payload: &'a [u8]) -> SignInput<'a> {
    SignInput {
        method: "POST",
        host: "cvm.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json; charset=utf-8",
        extra_headers: &[],
        payload: Payload::Bytes(payload),
        timestamp: 1_551_113_065,
        service: "cvm",
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        session_token: None,
    }
}

const CVM_BODY: &[u8] =
    br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

#[test]
fn tencent_documented_vector() {
    let input = cvm(CVM_BODY);
    assert_eq!(
        sha256_hex(CVM_BODY),
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    assert_eq!(
        canonical_request(&input),
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    assert_eq!(
        string_to_sign(&input),
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    assert_eq!(
        signature(&input),
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    assert_eq!(
        sign(&input),
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168, Timestamp=1551113065"
    );
    // A precomputed body hash signs the same; method case and a leading '?' do not matter.
    let hashed = SignInput {
        payload: Payload::Sha256Hex(
            "35E9C5B0E3AE67532D3C9F17EAD6C90222632E5B1FF7F6E89887F1398934F064",
        ),
        method: "post",
        ..input
    };
    assert_eq!(signature(&hashed), signature(&input));
}

#[test]
fn token_and_header_normalisation() {
    let input = SignInput {
        session_token: Some("tok+/="),
        extra_headers: &[
            (" X-Request-Id ", " ABC "),
            ("Host", "ignored.example"),
            ("x-a", ""),
        ],
        ..cvm(b"{}")
    };
    let auth = sign(&input);
    assert!(
        auth.ends_with(", Timestamp=1551113065, Token=tok+/="),
        "{auth}"
    );
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-a;x-request-id,"),
        "{auth}"
    );
    let cr = canonical_request(&input);
    assert!(
        cr.contains("\nhost:cvm.tencentcloudapi.com\nx-a:\nx-request-id:abc\n"),
        "{cr}"
    );
    // An empty token is no token.
    let none = sign(&SignInput {
        session_token: Some(""),
        ..input
    });
    assert!(none.ends_with(", Timestamp=1551113065"), "{none}");
    assert_eq!(encode_name("A b(c)!"), "a%20b%28c%29%21");
}

#[test]
fn utc_dates() {
    for (ts, date) in [
        (0u64, "1970-01-01"),
        (86_399, "1970-01-01"),
        (86_400, "1970-01-02"),
        (951_782_400, "2000-02-29"),
        (1_551_113_065, "2019-02-25"),
        (1_709_164_800, "2024-02-29"),
        (1_735_689_599, "2024-12-31"),
        (1_735_689_600, "2025-01-01"),
        (4_102_444_800, "2100-01-01"),
        (253_402_300_799, "9999-12-31"),
        (253_402_300_800, "10000-01-01"),
    ] {
        assert_eq!(utc_date(ts), date, "{ts}");
    }
    let _ = utc_date(u64::MAX); // no overflow panic
    let _ = sign(&SignInput {
        timestamp: u64::MAX,
        ..cvm(b"")
    });
}

#[test]
fn parses_what_it_signs() {
    let input = SignInput {
        session_token: Some("T0k"),
        ..cvm(CVM_BODY)
    };
    let header = sign(&input);
    let a = parse_authorization(&header).unwrap();
    assert_eq!(
        a,
        Authorization {
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            date: "2019-02-25",
            service: "cvm",
            signed_headers: "content-type;host",
            signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            timestamp: 1_551_113_065,
            token: Some("T0k"),
        }
    );
    // SignedParams (tcbapi mode) is tolerated.
    let with_params = "TC3-HMAC-SHA256 Credential=id/2020-01-01/tcb/tc3_request, SignedParams=a;b, SignedHeaders=host, Signature=ab, Timestamp=1";
    assert_eq!(
        parse_authorization(with_params).unwrap().signed_headers,
        "host"
    );
    for bad in [
        "",
        "Bearer x",
        "TC3-HMAC-SHA256",
        "TC3-HMAC-SHA256 Credential=id/2020-01-01/tcb/tc3_request, SignedHeaders=host, Signature=ab",
        "TC3-HMAC-SHA256 Credential=id/2020-01-01/tcb, SignedHeaders=host, Signature=ab, Timestamp=1",
        "TC3-HMAC-SHA256 Credential=/2020-01-01/tcb/tc3_request, SignedHeaders=host, Signature=ab, Timestamp=1",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request/x, SignedHeaders=host, Signature=ab, Timestamp=1",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request, SignedHeaders=, Signature=ab, Timestamp=1",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request, SignedHeaders=host, Signature=ab, Timestamp=-1",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request, SignedHeaders=host, Signature=ab, Timestamp=99999999999999999999",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request, SignedHeaders=host, Signature=ab, Signature=cd, Timestamp=1",
        "TC3-HMAC-SHA256 Credential=id/d/tcb/tc3_request, SignedHeaders host, Signature=ab, Timestamp=1",
    ] {
        assert_eq!(parse_authorization(bad), None, "{bad}");
    }
    assert!(constant_time_eq("abc", "abc"));
    assert!(!constant_time_eq("abc", "abd"));
    assert!(!constant_time_eq("abc", "ab"));
}
