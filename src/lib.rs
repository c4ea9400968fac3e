//! cloudbase-fn: call Tencent CloudBase cloud functions from any JavaScript runtime.
//!
//! `contract` is the single source of truth for the functions OpenAPI contract: pure functions over
//! plain data (validation, URLs, response classification, the error table, retry and refresh
//! decisions, JWT expiry, TC3 signing) that never perform I/O. `boundary` exposes them to the JS
//! driver as a few synchronous wasm exports over strings and numbers; the driver (`js/`) reads
//! options, fetches, waits and builds error objects, and decides nothing.

#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub mod boundary;
pub mod contract;

#[cfg(target_arch = "wasm32")]
mod allocator;

/// Without std, a panic traps. Nothing on the boundary panics by design; this keeps the std
/// panic and formatting machinery (several KB) out of the module.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
