//! A counting global allocator: allocation calls and live heap bytes, process-wide, for the
//! benchmark binaries, the demo's memory section and the allocation tests that use it. Install
//! it with `#[global_allocator] static A: zpb_test_support::alloc::Counting =
//! zpb_test_support::alloc::Counting;` (`zpb_benches::alloc` and `zpb_examples::alloc` are
//! this module; the benches add C++'s `operator new` counts on top).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Counts allocations and tracks live bytes, delegating to the system allocator.
pub struct Counting;

static CALLS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Allocation calls made on threads marked with [`mark_thread`].
static MARKED_CALLS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Whether this thread's allocations also count in [`marked_calls`].
    static MARKED: Cell<bool> = const { Cell::new(false) };
}

/// Counts one allocation call.
fn count_call() {
    CALLS.fetch_add(1, Ordering::Relaxed);
    // A const-initialized thread local without a destructor: reading it never allocates.
    if MARKED.try_with(Cell::get).unwrap_or(false) {
        MARKED_CALLS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Marks the calling thread: from now on its allocations also count in [`marked_calls`]
/// (the RPC benchmark marks its client thread, so client and server sides are told apart in
/// one process).
pub fn mark_thread() {
    MARKED.with(|m| m.set(true));
}

/// Allocation calls made so far on threads marked with [`mark_thread`] (Rust's only).
pub fn marked_calls() -> u64 {
    MARKED_CALLS.load(Ordering::Relaxed)
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_call();
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_call();
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocation calls so far (alloc + realloc) through [`Counting`].
pub fn calls() -> u64 {
    CALLS.load(Ordering::Relaxed)
}

/// Heap bytes currently allocated through [`Counting`].
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Whether [`Counting`] is the global allocator of this process (an allocation moves its
/// counter).
pub fn installed() -> bool {
    let before = calls();
    std::hint::black_box(Box::new(0u64));
    calls() != before
}
