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
// `push_str(",")` rather than `push(',')`: `String::push` takes any char, and its UTF-8 encoding is
// code the wasm otherwise does not need.
#![allow(clippy::single_char_add_str)]

extern crate alloc;
// The Rust client (feature `client`) needs std: its async runtime pieces, locks and serde_json.
#[cfg(all(feature = "client", not(test)))]
extern crate std;

pub mod boundary;
#[cfg(feature = "client")]
pub mod client;
pub mod contract;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Error, InvokeOptions};
