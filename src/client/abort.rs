//! Cancelling a call from outside: the Rust counterpart of the npm package's `signal` option.

use std::prelude::rust_2021::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

#[derive(Default)]
struct Shared {
    aborted: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

/// Aborts the calls given its [`AbortSignal`] (through [`InvokeOptions::signal`]).
///
/// Dropping an invocation's future also cancels it (the request is aborted, no error is
/// produced); a signal is for ending a call whose future someone else awaits: that call then
/// fails with [`ErrorKind::Abort`](super::ErrorKind::Abort) (`ABORTED`), its request is aborted,
/// any retry wait ends, and a call started with an already-aborted signal sends nothing.
///
/// [`InvokeOptions::signal`]: super::InvokeOptions::signal
#[derive(Clone, Default)]
pub struct AbortController {
    shared: Arc<Shared>,
}

impl AbortController {
    /// A controller that has not aborted.
    pub fn new() -> AbortController {
        AbortController::default()
    }

    /// The signal to pass to calls; every clone observes this controller.
    pub fn signal(&self) -> AbortSignal {
        AbortSignal { shared: self.shared.clone() }
    }

    /// Aborts every call holding this controller's signal, now and later. Idempotent.
    pub fn abort(&self) {
        self.shared.aborted.store(true, Ordering::SeqCst);
        let wakers = core::mem::take(&mut *self.shared.wakers.lock().unwrap_or_else(|e| e.into_inner()));
        for waker in wakers {
            waker.wake();
        }
    }
}

/// The read side of an [`AbortController`]; cheap to clone.
#[derive(Clone)]
pub struct AbortSignal {
    shared: Arc<Shared>,
}

impl AbortSignal {
    /// Whether the controller has aborted.
    pub fn is_aborted(&self) -> bool {
        self.shared.aborted.load(Ordering::SeqCst)
    }

    /// Resolves once the controller aborts.
    pub(crate) async fn aborted(&self) {
        core::future::poll_fn(|cx| {
            if self.is_aborted() {
                return Poll::Ready(());
            }
            let mut wakers = self.shared.wakers.lock().unwrap_or_else(|e| e.into_inner());
            if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                wakers.push(cx.waker().clone());
            }
            drop(wakers);
            if self.is_aborted() { Poll::Ready(()) } else { Poll::Pending }
        })
        .await
    }
}

impl core::fmt::Debug for AbortSignal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AbortSignal").field("aborted", &self.is_aborted()).finish()
    }
}

impl core::fmt::Debug for AbortController {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AbortController").field("aborted", &self.shared.aborted.load(Ordering::SeqCst)).finish()
    }
}
