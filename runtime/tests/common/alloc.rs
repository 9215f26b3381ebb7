//! A global allocator that counts allocations and live bytes per thread, so tests can assert
//! exact allocation counts for a piece of code.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
    static PEAK_REQUEST: Cell<u64> = const { Cell::new(0) };
}

fn note(size: usize) {
    // try_with: the thread-locals may be gone while a thread shuts down.
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + size as u64));
    let _ = PEAK_REQUEST.try_with(|c| c.set(c.get().max(size as u64)));
}

// SAFETY: delegates every call to the system allocator unchanged; the bookkeeping touches
// only thread-local counters (no allocation).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What a closure allocated on this thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocs {
    /// Allocation calls (alloc, alloc_zeroed, realloc).
    pub count: u64,
    /// Bytes requested in total.
    pub bytes: u64,
    /// Largest single request.
    pub largest: u64,
}

/// Allocation calls made on this thread so far (for code that runs on a thread the test
/// does not drive, read at two points).
pub fn allocations() -> u64 {
    ALLOCS.get()
}

/// Runs `f` and reports what it allocated on this thread.
pub fn count<R>(f: impl FnOnce() -> R) -> (R, Allocs) {
    let before = (ALLOCS.get(), BYTES.get());
    PEAK_REQUEST.set(0);
    let r = f();
    let allocs = Allocs {
        count: ALLOCS.get() - before.0,
        bytes: BYTES.get() - before.1,
        largest: PEAK_REQUEST.get(),
    };
    (r, allocs)
}
