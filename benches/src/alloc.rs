//! A counting global allocator for the benchmark binaries: allocation calls and live heap
//! bytes, process-wide. Install it with
//! `#[global_allocator] static A: zpb_benches::alloc::Counting = zpb_benches::alloc::Counting;`.
//!
//! With the `cpp` feature the counts also include C++'s: libprotobuf allocates through the
//! global `operator new`, never through Rust's allocator, and the shim counts those calls and
//! their live bytes itself (module `cpp`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Counts allocations and tracks live bytes, delegating to the system allocator.
pub struct Counting;

static CALLS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
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
        CALLS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocation calls so far (alloc + realloc, plus C++ operator new with `cpp`).
pub fn calls() -> u64 {
    let rust = CALLS.load(Ordering::Relaxed);
    #[cfg(feature = "cpp")]
    let rust = rust + crate::cpp::alloc_calls();
    rust
}

/// Heap bytes currently allocated (plus C++'s live operator-new blocks with `cpp`).
pub fn live_bytes() -> usize {
    let rust = LIVE.load(Ordering::Relaxed);
    #[cfg(feature = "cpp")]
    let rust = rust + crate::cpp::live_bytes();
    rust
}

/// Allocation calls made by `f`.
pub fn count_calls(f: impl FnOnce()) -> u64 {
    let before = calls();
    f();
    calls() - before
}

/// Heap bytes `value` holds, measured by dropping it: live bytes before minus after.
pub fn held_by<T>(value: T) -> usize {
    let before = live_bytes();
    drop(value);
    before.saturating_sub(live_bytes())
}
