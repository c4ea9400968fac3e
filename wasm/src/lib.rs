//! The npm package's wasm module: the core (`cloudbase_fn`) behind three number-only exports
//! (the wire of `cloudbase_fn::boundary::wire`), with a small allocator and a trapping panic
//! handler. Nothing else: the module imports nothing at all, so it can never call user code. The
//! exports take and return plain numbers, so they need no bindings: JS instantiates the module
//! itself (`js/binding.js`), with no glue and no start-up function.

#![cfg_attr(target_arch = "wasm32", no_std)]
// Built natively (`cargo test --workspace`), the crate is empty: it only means something in wasm.
#![cfg(target_arch = "wasm32")]

extern crate alloc;

mod allocator;

#[global_allocator]
static ALLOCATOR: allocator::BumpAllocator = allocator::BumpAllocator::new();

/// A panic traps. Nothing on the boundary panics by design; this keeps the std panic and
/// formatting machinery (several KB) out of the module.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use cloudbase_fn::boundary::wire::{run, Answer, Args};
use alloc::vec::Vec;
use core::cell::UnsafeCell;

struct Shared {
    input: Vec<u8>,
    /// Where each operation's allocations start: just after the input buffer.
    mark: usize,
    /// Where the last text answer is: [address, byte length]; its own address never moves.
    slot: [u32; 2],
}

struct Global(UnsafeCell<Shared>);
// SAFETY: wasm32-unknown-unknown without threads has one thread of execution, and no export
// holds a reference across a call into JS (the core never calls JS).
unsafe impl Sync for Global {}
static SHARED: Global = Global(UnsafeCell::new(Shared { input: Vec::new(), mark: 0, slot: [0; 2] }));

fn shared() -> &'static mut Shared {
    // SAFETY: see `Global`; each export takes the reference once and drops it before returning.
    unsafe { &mut *SHARED.0.get() }
}

/// The address of an input buffer of at least `bytes` bytes (it moves when it grows).
#[no_mangle]
pub extern "C" fn input(bytes: u32) -> u32 {
    let s = shared();
    if s.input.len() < bytes as usize {
        // The driver has read every earlier answer: start the heap afresh with the larger buffer.
        // SAFETY: nothing allocated before is used again; the old buffer is forgotten, not freed.
        unsafe { ALLOCATOR.rewind(0) };
        core::mem::forget(core::mem::replace(&mut s.input, alloc::vec![0; bytes as usize]));
        s.mark = ALLOCATOR.mark();
    }
    s.input.as_ptr() as u32
}

/// The address of the slot that locates each text answer.
#[no_mangle]
pub extern "C" fn slot() -> u32 {
    shared().slot.as_ptr() as u32
}

/// Runs operation `op` over the first `length` bytes of the input buffer. Returns the number
/// of a numeric answer, or the byte length of a text answer (located by the slot).
#[no_mangle]
pub extern "C" fn call(op: u32, length: u32) -> u32 {
    let s = shared();
    // SAFETY: the previous operation's answer has been read; nothing else lives above the mark.
    unsafe { ALLOCATOR.rewind(s.mark) };
    let bytes = s.input.get(..length as usize).unwrap_or(&[]);
    match run(op, &mut Args::new(bytes)) {
        Answer::Number(n) => n,
        Answer::Text(text) => {
            s.slot = [text.as_ptr() as u32, text.len() as u32];
            // Its bytes stay where they are until the next operation rewinds past them.
            core::mem::forget(text);
            s.slot[1]
        }
    }
}
