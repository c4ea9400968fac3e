//! The wasm build's global allocator: power-of-two size classes with a free list each, carved from
//! pages obtained with `memory.grow`. It replaces dlmalloc, which is several KB of the module,
//! for a workload of a few small, short-lived allocations per call. Freed blocks are reused by
//! later allocations of the same class, so steady traffic does not grow memory. wasm32 here is
//! single-threaded, which is what makes the unsynchronised state sound.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
const MIN_CLASS: u32 = 4; // 16-byte blocks
const CLASSES: usize = 32;

pub struct SizeClassAllocator {
    state: UnsafeCell<State>,
}

struct State {
    /// Head of each class's free list; a free block stores the next block's address in its first word.
    free: [*mut u8; CLASSES],
    next: usize,
    end: usize,
}

// SAFETY: wasm32-unknown-unknown without threads has one thread of execution.
unsafe impl Sync for SizeClassAllocator {}

impl SizeClassAllocator {
    pub const fn new() -> Self {
        SizeClassAllocator { state: UnsafeCell::new(State { free: [null_mut(); CLASSES], next: 0, end: 0 }) }
    }
}

/// The class of a layout: log2 of the block size, which is at least the size and the alignment.
fn class_of(layout: &Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros() as usize;
    (class < CLASSES && layout.align() <= PAGE).then_some(class)
}

unsafe impl GlobalAlloc for SizeClassAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(&layout) else { return null_mut() };
        let state = &mut *self.state.get();
        let head = state.free[class];
        if !head.is_null() {
            state.free[class] = *(head as *mut *mut u8);
            return head;
        }
        let size = 1usize << class;
        // Blocks are aligned to their size (capped at a page), so any block of a class serves
        // any alignment the class admits.
        let align = size.min(PAGE);
        let start = (state.next + align - 1) & !(align - 1);
        if start + size > state.end || state.end == 0 {
            let pages = size.div_ceil(PAGE);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            let region = old * PAGE;
            if region != state.end {
                // Someone else grew memory in between: start afresh in the new region.
                state.next = region;
            }
            state.end = region + pages * PAGE;
            return self.alloc(layout);
        }
        state.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(&layout) {
            let state = &mut *self.state.get();
            *(ptr as *mut *mut u8) = state.free[class];
            state.free[class] = ptr;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class_of(&layout) == class_of(&new_layout) {
            return ptr;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
