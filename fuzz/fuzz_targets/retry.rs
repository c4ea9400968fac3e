//! Retry delays for any policy, outcome, Retry-After and random value: within the bounds.
#![no_main]
use cloudbase_fn::contract::{retry::parse_retry_after, Outcome, RetryPolicy};
use libfuzzer_sys::fuzz_target;

fn u32_at(d: &[u8], i: usize) -> u32 {
    let mut b = [0u8; 4];
    for (k, x) in b.iter_mut().enumerate() {
        *x = d.get(i + k).copied().unwrap_or(0);
    }
    u32::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let _ = parse_retry_after(&String::from_utf8_lossy(data));
    let p = RetryPolicy {
        retries: u32_at(data, 0) % 16,
        base_delay_ms: u32_at(data, 4),
        max_delay_ms: u32_at(data, 8),
        on_network_error: u32_at(data, 12) & 1 == 1,
    };
    let done = u32_at(data, 16);
    let status = (u32_at(data, 20) % 600) as u16;
    let outcome = match u32_at(data, 24) % 4 {
        0 => Outcome::Answer { status, code: None },
        1 => Outcome::Answer { status, code: Some("FUNCTION_EXCEED_RESOURCE_LIMIT") },
        2 => Outcome::Network,
        _ => Outcome::Timeout,
    };
    let retry_after = (u32_at(data, 28) & 1 == 1).then(|| u32_at(data, 32));
    let random = f64::from_bits(u64::from(u32_at(data, 36)) << 32 | u64::from(u32_at(data, 40)));
    if let Some(d) = p.delay_ms(done, outcome, retry_after, random) {
        assert!(done < p.retries && p.is_retryable(outcome));
        assert!(d <= p.max_delay_ms);
        if let Some(a) = retry_after {
            assert!(d >= a);
        }
    }
});
