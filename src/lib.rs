//! cloudbase-fn: call Tencent CloudBase cloud functions from any JavaScript runtime.
//!
//! `contract` is the single source of truth for the functions OpenAPI contract. It is plain Rust
//! with no JS types, so it compiles and is unit-tested natively. `wasm` (wasm32 only) is the
//! wasm-bindgen boundary: it translates between JS values and the contract and performs the I/O
//! through the host's `fetch`, but makes no decision of its own.

#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub mod contract;

/// Without std, a panic traps. Nothing on the invoke path panics by design; this keeps the std
/// panic and formatting machinery (several KB) out of the module.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use wasm::Client;
