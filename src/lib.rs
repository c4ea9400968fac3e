//! cloudbase-fn: call Tencent CloudBase cloud functions from any JavaScript runtime.
//!
//! `contract` is the single source of truth for the functions OpenAPI contract: pure functions over
//! plain data (validation, URLs, response classification, the error table, retry and refresh
//! decisions, JWT expiry, TC3 signing) that never perform I/O. `boundary` exposes them to the JS
//! driver as a few synchronous wasm exports over strings and numbers; the driver (`js/`) reads
//! options, fetches, waits and builds error objects, and decides nothing.

//!
//! The crate is `no_std` (it needs `alloc` only), so any Rust program can depend on it; the npm
//! package's wasm module is the thin crate in `wasm/`.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod boundary;
pub mod contract;
