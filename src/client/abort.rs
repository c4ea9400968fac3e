//! Cancelling a call from outside: the Rust counterpart of the npm package's `signal` option.

use std::prelude::rust_2021::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use core::future::Future;
use core::pin::Pin;

#[derive(Default)]
struct Shared {
    aborted: AtomicBool,
    waiting: Mutex<Waiting>,
}

impl Shared {
    fn waiting(&self) -> MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The wakers of the futures waiting for the abort, one entry per future (by its id), removed when
/// that future ends: a long-lived signal holds only the calls in flight.
#[derive(Default)]
struct Waiting {
    next_id: u64,
    wakers: Vec<(u64, Waker)>,
}

/// Aborts the calls given its [`AbortSignal`] (through [`InvokeOptions::signal`]).
///
/// Dropping an invocation's future also cancels it (the request is aborted, no error is
/// produced); a signal is for ending a call whose future someone else awaits: that call then
/// fails with [`ErrorKind::Abort`](super::ErrorKind::Abort) (`ABORTED`), its request is aborted,
/// any retry wait ends, and a call started with an already-aborted signal sends nothing. One
/// signal may serve any number of calls for as long as it lives: it holds a waker only for the
/// calls still waiting on it, never for one that ended.
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
        let wakers = core::mem::take(&mut self.shared.waiting().wakers);
        for (_, waker) in wakers {
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
    pub(crate) fn aborted(&self) -> Aborted<'_> {
        Aborted { shared: &self.shared, id: None }
    }
}

/// The future of [`AbortSignal::aborted`]: while pending, the signal holds its latest waker (one,
/// however often it is polled); once it completes or is dropped, none.
pub(crate) struct Aborted<'a> {
    shared: &'a Shared,
    /// Its entry in `Shared::waiting`, once polled.
    id: Option<u64>,
}

impl Aborted<'_> {
    fn unregister(&mut self) {
        if let Some(id) = self.id.take() {
            self.shared.waiting().wakers.retain(|(entry, _)| *entry != id);
        }
    }
}

impl Future for Aborted<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if !this.shared.aborted.load(Ordering::SeqCst) {
            let mut waiting = this.shared.waiting();
            match this.id.and_then(|id| waiting.wakers.iter_mut().find(|(entry, _)| *entry == id)) {
                Some((_, waker)) if waker.will_wake(cx.waker()) => {}
                Some((_, waker)) => *waker = cx.waker().clone(),
                None => {
                    let id = waiting.next_id;
                    waiting.next_id += 1;
                    waiting.wakers.push((id, cx.waker().clone()));
                    this.id = Some(id);
                }
            }
            drop(waiting);
            // abort() may have taken the list between the first check and the push.
            if !this.shared.aborted.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        this.unregister();
        Poll::Ready(())
    }
}

impl Drop for Aborted<'_> {
    fn drop(&mut self) {
        self.unregister();
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
