//! Reading the `exp` claim of an untrusted access token never panics.
#![no_main]
use cloudbase_fn::contract::jwt::{jwt_expiry, token_is_fresh};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let exp = jwt_expiry(&text);
    let _ = token_is_fresh(exp, u64::MAX, u64::MAX);
});
