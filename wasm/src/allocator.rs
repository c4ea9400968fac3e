//! The wasm build's global allocator: a bump allocator over pages obtained with `memory.grow`,
//! rewound to a mark at the start of every operation (`rewind`). Each operation's allocations live
//! only until the driver has read its answer, which it does before the next operation, so nothing
//! needs freeing one by one: memory stays flat under any traffic, and the module carries no free
//! lists. wasm32 here is single-threaded, which is what makes the unsynchronised state sound.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;

pub struct BumpAllocator {
    state: UnsafeCell<State>,
}

struct State {
    /// Where the heap starts (0 until the first allocation grows memory).
    base: usize,
    next: usize,
    end: usize,
}

// SAFETY: wasm32-unknown-unknown without threads has one thread of execution.
unsafe impl Sync for BumpAllocator {}

impl BumpAllocator {
    pub const fn new() -> Self {
        BumpAllocator { state: UnsafeCell::new(State { base: 0, next: 0, end: 0 }) }
    }

    /// Where the next allocation starts: a mark for [`rewind`](Self::rewind).
    pub fn mark(&self) -> usize {
        // SAFETY: see `Sync`; no reference to the state outlives this call.
        unsafe { (*self.state.get()).next }
    }

    /// Makes everything allocated since `mark` (a [`mark`](Self::mark), or 0 for the whole heap)
    /// free again.
    ///
    /// # Safety
    /// Nothing allocated since `mark` may be used afterwards.
    pub unsafe fn rewind(&self, mark: usize) {
        let state = &mut *self.state.get();
        state.next = mark.max(state.base);
    }
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = &mut *self.state.get();
        let align = layout.align();
        let start = (state.next + align - 1) & !(align - 1);
        let Some(end) = start.checked_add(layout.size()) else { return null_mut() };
        if end > state.end || state.end == 0 {
            let pages = (layout.size() + align).div_ceil(PAGE);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            if old * PAGE != state.end {
                // First use, or someone else grew memory in between: the heap starts afresh in the
                // new region (what lies below it is never handed out again).
                state.base = old * PAGE;
                state.next = old * PAGE;
            }
            state.end = (old + pages) * PAGE;
            return self.alloc(layout);
        }
        state.next = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let state = &mut *self.state.get();
        // The last block grows in place when the region has room.
        if ptr as usize + layout.size() == state.next && ptr as usize + new_size <= state.end {
            state.next = ptr as usize + new_size;
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}
