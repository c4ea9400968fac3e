//! The Rust client in wasm32 (client-web): see scripts/test.d/25-rust-client.sh.
