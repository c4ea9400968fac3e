//! The Rust client's checks that need no gateway: refusals at build time, the error type's
//! shape, a call outside a tokio runtime.

use cloudbase_fn::client::ErrorKind;
use cloudbase_fn::{Client, Error};
use serde_json::{json, Value};

#[test]
fn a_base_url_with_a_password_is_refused_and_never_shown() {
    let builder = Client::builder().base_url("https://deploy:S3cr3t-P4ss@gateway.example.com");
    let shown = format!("{builder:?}");
    assert!(shown.contains("[redacted]@gateway.example.com"), "{shown}");
    let e = builder.build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    for shown in [shown, e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains("S3cr3t-P4ss") && !shown.contains("deploy"), "{shown}");
    }
}

#[test]
fn every_error_class_of_the_table_is_an_error_kind() {
    for row in cloudbase_fn::contract::errors::TABLE {
        assert_eq!(row.class.name(), row.name);
    }
}

#[test]
fn an_error_result_is_as_wide_as_a_pointer() {
    // The fields are boxed (clippy's result_large_err): every `Result<_, Error>` a caller passes
    // around stays small, whatever the error carries.
    assert_eq!(std::mem::size_of::<Result<(), Error>>(), std::mem::size_of::<usize>());
    let e = Client::builder().build().unwrap_err();
    let shown = format!("{e:?}");
    assert!(shown.starts_with("Error { kind: InvalidArgument, code: \"INVALID_ARGUMENT\""), "{shown}");
}

#[test]
fn calls_outside_a_tokio_runtime_fail_typed() {
    let c = Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
    let e = futures_lite_block_on(c.invoke::<Value, _>("echo", &json!({}))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("tokio"), "{e}");
}

/// A minimal executor (no tokio), to show the error instead of a panic.
fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
    fn noop(_: *const ()) {}
    fn clone(p: *const ()) -> RawWaker {
        RawWaker::new(p, &VTABLE)
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    let waker = unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) };
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut Context::from_waker(&waker)) {
            return v;
        }
        std::thread::yield_now();
    }
}
