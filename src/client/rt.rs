//! The few things the driver needs from its platform: a timer, the clock, a random number, and
//! whether it runs in a browser page (for the CORS hint in network errors).

use super::BoxFuture;
use std::prelude::rust_2021::*;

/// A future that completes after `ms` milliseconds; dropping it cancels the timer.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn sleep(ms: u32) -> BoxFuture<'static, ()> {
    Box::pin(tokio::time::sleep(core::time::Duration::from_millis(ms.into())))
}

/// A future that completes after `ms` milliseconds; dropping it clears the JS timer.
#[cfg(target_arch = "wasm32")]
pub(crate) fn sleep(ms: u32) -> BoxFuture<'static, ()> {
    Box::pin(gloo_timers::future::TimeoutFuture::new(ms))
}

/// Milliseconds since the Unix epoch.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Uniform in [0, 1), for the backoff's jitter (not for anything secret).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(now_ms());
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn random() -> f64 {
    js_sys::Math::random()
}

/// Native code must run inside a tokio runtime (timers, and the native transport's sockets).
/// Whether its time and IO drivers are enabled cannot be asked (tokio has no public API for it):
/// without them tokio panics, as documented in the module's docs.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn check_runtime() -> Result<(), super::Error> {
    tokio::runtime::Handle::try_current().map(|_| ()).map_err(|_| {
        super::Error::local(
            crate::contract::ErrorClass::InvalidArgument,
            String::from(concat!(
                "no tokio runtime: the native client runs inside a tokio runtime with its time and IO drivers ",
                "(#[tokio::main], or Runtime::block_on on a runtime built with enable_all())",
            )),
        )
    })
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn check_runtime() -> Result<(), super::Error> {
    Ok(())
}

/// A page (a global `document`), where a CORS refusal looks like a network error.
#[cfg(all(target_arch = "wasm32", feature = "client-web"))]
pub(crate) fn has_document() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &wasm_bindgen::JsValue::from_str("document")).unwrap_or(false)
}
