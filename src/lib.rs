//! cloudbase-fn: call Tencent CloudBase cloud functions from any JavaScript runtime.
//!
//! `contract` is the single source of truth for the functions OpenAPI contract. It is plain Rust
//! with no JS types, so it compiles and is unit-tested natively. `wasm` (wasm32 only) is the
//! wasm-bindgen boundary: it translates between JS values and the contract and performs the I/O
//! through the host's `fetch`, but makes no decision of its own.

pub mod contract;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use wasm::Client;
