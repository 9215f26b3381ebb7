//! The benchmarks' counting allocator: [`zpb_test_support::alloc`]'s, whose counts also
//! include C++'s with the `cpp` feature (libprotobuf allocates through the global
//! `operator new`, never through Rust's allocator, and the shim counts those calls and their
//! live bytes itself, module `cpp`). Install it with
//! `#[global_allocator] static A: zpb_benches::alloc::Counting = zpb_benches::alloc::Counting;`.

pub use zpb_test_support::alloc::{installed, mark_thread, marked_calls, Counting};

/// Allocation calls so far (alloc + realloc, plus C++ operator new with `cpp`).
pub fn calls() -> u64 {
    let rust = zpb_test_support::alloc::calls();
    #[cfg(feature = "cpp")]
    let rust = rust + crate::cpp::alloc_calls();
    rust
}

/// Heap bytes currently allocated (plus C++'s live operator-new blocks with `cpp`).
pub fn live_bytes() -> usize {
    let rust = zpb_test_support::alloc::live_bytes();
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
