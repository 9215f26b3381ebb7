//! C++ libprotobuf (Debian's 3.21) as a peer, through the C interface of `cpp/shim.cc` over
//! the classes `protoc --cpp_out` generated from the same benchmark schemas (`cpp` feature).
//!
//! Two codecs per schema: [`Heap`] (`new` message, `ParseFromArray` into it; reuse parses into
//! the same message, which `ParseFromArray` clears first, keeping its storage) and [`OnArena`]
//! (a message created on a `google::protobuf::Arena`; reuse resets the arena and creates the
//! message on it again, the arena's usual reuse pattern).
//!
//! C++ allocations do not reach Rust's global allocator: the shim replaces the global
//! `operator new` / `operator delete` of the executable, which every libprotobuf heap
//! allocation (messages, strings, repeated fields, arena blocks) goes through, and counts
//! calls and live bytes (`malloc_usable_size`). [`alloc_calls`] and [`live_bytes`] read
//! them; [`crate::alloc`] adds them to its own counts.

use crate::Codec;
use std::ffi::c_int;
use std::ptr::NonNull;

/// `google::protobuf::Message` (opaque).
#[repr(C)]
struct CMessage {
    _private: [u8; 0],
}

/// `google::protobuf::Arena` (opaque).
#[repr(C)]
struct CArena {
    _private: [u8; 0],
}

extern "C" {
    fn zpb_cpp_alloc_calls() -> u64;
    fn zpb_cpp_live_bytes() -> i64;
    fn zpb_cpp_new(kind: c_int, arena: *mut CArena) -> *mut CMessage;
    fn zpb_cpp_delete(msg: *mut CMessage);
    fn zpb_cpp_parse(msg: *mut CMessage, data: *const u8, len: usize) -> bool;
    fn zpb_cpp_byte_size(msg: *const CMessage) -> usize;
    fn zpb_cpp_serialize(msg: *const CMessage, buf: *mut u8, cap: usize) -> usize;
    fn zpb_cpp_space_used(msg: *const CMessage) -> usize;
    fn zpb_cpp_arena_new() -> *mut CArena;
    fn zpb_cpp_arena_delete(arena: *mut CArena);
    fn zpb_cpp_arena_reset(arena: *mut CArena) -> u64;
    fn zpb_cpp_print(
        msg: *const CMessage,
        form: c_int,
        data: *mut *const u8,
        len: *mut usize,
    ) -> bool;
    fn zpb_cpp_parse_form(msg: *mut CMessage, form: c_int, data: *const u8, len: usize) -> bool;
}

/// The message types the shim knows (its `Prototype` table).
pub mod kind {
    /// `benchmarks.proto2.GoogleMessage1`.
    pub const MESSAGE1_PROTO2: i32 = 0;
    /// `benchmarks.proto3.GoogleMessage1`.
    pub const MESSAGE1_PROTO3: i32 = 1;
    /// `benchmarks.proto2.GoogleMessage2`.
    pub const MESSAGE2: i32 = 2;
    /// `spiky.Record`.
    pub const SPIKY_RECORD: i32 = 3;
    /// `spiky.Node`.
    pub const NESTED_NODE: i32 = 4;
}

/// Operator-new calls made by C++ code so far.
pub fn alloc_calls() -> u64 {
    // SAFETY: reads an atomic counter.
    unsafe { zpb_cpp_alloc_calls() }
}

/// C++ heap bytes currently allocated through operator new (usable sizes).
pub fn live_bytes() -> usize {
    // SAFETY: reads an atomic counter.
    let live = unsafe { zpb_cpp_live_bytes() };
    usize::try_from(live).unwrap_or(0)
}

/// libprotobuf rejected the input (`ParseFromArray` returned false).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError;

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("C++ libprotobuf could not parse the input")
    }
}

impl std::error::Error for ParseError {}

/// A message owned through a non-null pointer to a C++ `Message` of kind `K`.
struct Raw<const K: i32>(NonNull<CMessage>);

impl<const K: i32> Raw<K> {
    /// A new message on the heap (`arena` null) or on `arena`.
    fn new(arena: *mut CArena) -> Self {
        // SAFETY: `arena` is null or a live arena; the shim returns null only for unknown kinds.
        let ptr = unsafe { zpb_cpp_new(K, arena) };
        Self(NonNull::new(ptr).expect("zpb::cpp: unknown message kind"))
    }

    fn parse(&mut self, bytes: &[u8]) -> Result<(), ParseError> {
        // SAFETY: the message is live; `bytes` is valid for its length.
        match unsafe { zpb_cpp_parse(self.0.as_ptr(), bytes.as_ptr(), bytes.len()) } {
            true => Ok(()),
            false => Err(ParseError),
        }
    }

    fn byte_size(&self) -> usize {
        // SAFETY: the message is live.
        unsafe { zpb_cpp_byte_size(self.0.as_ptr()) }
    }

    fn serialize(&self, out: &mut Vec<u8>) {
        out.clear();
        let write = |out: &mut Vec<u8>| {
            // SAFETY: the message is live; the shim writes only when the size fits `capacity`.
            unsafe { zpb_cpp_serialize(self.0.as_ptr(), out.as_mut_ptr(), out.capacity()) }
        };
        let mut size = write(out);
        if size > out.capacity() {
            out.reserve(size);
            size = write(out);
        }
        // SAFETY: the shim wrote `size <= capacity` bytes (the second call always fits).
        unsafe { out.set_len(size) };
    }

    /// Appends the message printed in `form` (0: JSON, 1: one-line text format) to `out`.
    fn print(&self, form: c_int, out: &mut String) -> Result<(), ParseError> {
        let (mut data, mut len) = (std::ptr::null(), 0usize);
        // SAFETY: the message is live; the shim points `data` at `len` bytes of its
        // thread-local string, valid until the next print on this thread, and copied before.
        let printed = unsafe {
            zpb_cpp_print(self.0.as_ptr(), form, &mut data, &mut len)
                .then(|| std::slice::from_raw_parts(data, len))
        };
        let text = printed.and_then(|bytes| std::str::from_utf8(bytes).ok());
        out.push_str(text.ok_or(ParseError)?);
        Ok(())
    }

    /// Clears and parses the document `text` in `form` (0: JSON, 1: text format).
    fn parse_form(&mut self, form: c_int, text: &str) -> Result<(), ParseError> {
        // SAFETY: the message is live; `text` is valid for its length.
        match unsafe { zpb_cpp_parse_form(self.0.as_ptr(), form, text.as_ptr(), text.len()) } {
            true => Ok(()),
            false => Err(ParseError),
        }
    }

    fn space_used(&self) -> usize {
        // SAFETY: the message is live.
        unsafe { zpb_cpp_space_used(self.0.as_ptr()) }
    }
}

/// A heap-allocated C++ message of kind `K`.
pub struct HeapMessage<const K: i32>(Raw<K>);

impl<const K: i32> Default for HeapMessage<K> {
    fn default() -> Self {
        Self(Raw::new(std::ptr::null_mut()))
    }
}

impl<const K: i32> Drop for HeapMessage<K> {
    fn drop(&mut self) {
        // SAFETY: heap messages are owned by this value alone.
        unsafe { zpb_cpp_delete(self.0 .0.as_ptr()) }
    }
}

impl<const K: i32> HeapMessage<K> {
    /// Clears and parses `bytes`.
    pub fn parse(&mut self, bytes: &[u8]) -> Result<(), ParseError> {
        self.0.parse(bytes)
    }

    /// `SpaceUsedLong()`: libprotobuf's own estimate of the bytes the message holds.
    pub fn space_used(&self) -> usize {
        self.0.space_used()
    }
}

/// A C++ message of kind `K` on its own arena.
pub struct ArenaMessage<const K: i32> {
    arena: NonNull<CArena>,
    msg: Raw<K>,
}

impl<const K: i32> Default for ArenaMessage<K> {
    fn default() -> Self {
        // SAFETY: creates an arena owned by the new value.
        let arena =
            NonNull::new(unsafe { zpb_cpp_arena_new() }).expect("zpb::cpp: arena not created");
        Self {
            arena,
            msg: Raw::new(arena.as_ptr()),
        }
    }
}

impl<const K: i32> Drop for ArenaMessage<K> {
    fn drop(&mut self) {
        // SAFETY: the arena owns the message and is owned by this value alone.
        unsafe { zpb_cpp_arena_delete(self.arena.as_ptr()) }
    }
}

impl<const K: i32> ArenaMessage<K> {
    /// Resets the arena (freeing the message) and creates an empty message on it.
    pub fn reset(&mut self) {
        // SAFETY: the arena is live; the old message dies with the reset and is replaced
        // before any further use.
        unsafe { zpb_cpp_arena_reset(self.arena.as_ptr()) };
        self.msg = Raw::new(self.arena.as_ptr());
    }
}

/// C++ libprotobuf, heap messages, as a [`Codec`] for message kind `K`.
pub struct Heap<const K: i32>;

impl<const K: i32> Codec for Heap<K> {
    type Msg = HeapMessage<K>;
    const IMPL: &'static str = "c++";
    fn parse(bytes: &[u8]) -> HeapMessage<K> {
        let mut msg = HeapMessage::default();
        msg.parse(bytes).unwrap();
        msg
    }
    fn reparse(msg: &mut HeapMessage<K>, bytes: &[u8]) {
        msg.parse(bytes).unwrap();
    }
    fn serialize(msg: &HeapMessage<K>, out: &mut Vec<u8>) {
        msg.0.serialize(out);
    }
    fn size(msg: &HeapMessage<K>) -> usize {
        msg.0.byte_size()
    }
}

/// C++ libprotobuf, messages on an arena, as a [`Codec`] for message kind `K`.
pub struct OnArena<const K: i32>;

impl<const K: i32> Codec for OnArena<K> {
    type Msg = ArenaMessage<K>;
    const IMPL: &'static str = "c++ arena";
    fn parse(bytes: &[u8]) -> ArenaMessage<K> {
        let mut msg = ArenaMessage::default();
        msg.msg.parse(bytes).unwrap();
        msg
    }
    fn reparse(msg: &mut ArenaMessage<K>, bytes: &[u8]) {
        msg.reset();
        msg.msg.parse(bytes).unwrap();
    }
    fn serialize(msg: &ArenaMessage<K>, out: &mut Vec<u8>) {
        msg.msg.serialize(out);
    }
    fn size(msg: &ArenaMessage<K>) -> usize {
        msg.msg.byte_size()
    }
}

/// The shim's `form` of JSON.
const JSON: c_int = 0;
/// The shim's `form` of text format.
const TEXT: c_int = 1;

impl<const K: i32> crate::formats::JsonCodec for Heap<K> {
    fn print_json(msg: &HeapMessage<K>, out: &mut String) {
        out.clear();
        msg.0.print(JSON, out).unwrap();
    }
    fn parse_json(json: &str) -> HeapMessage<K> {
        let mut msg = HeapMessage::default();
        msg.0.parse_form(JSON, json).unwrap();
        msg
    }
    fn reparse_json(msg: &mut HeapMessage<K>, json: &str) {
        msg.0.parse_form(JSON, json).unwrap();
    }
}

impl<const K: i32> crate::formats::TextCodec for Heap<K> {
    fn print_text(msg: &HeapMessage<K>, out: &mut String) {
        out.clear();
        msg.0.print(TEXT, out).unwrap();
    }
    fn parse_text(text: &str) -> HeapMessage<K> {
        let mut msg = HeapMessage::default();
        msg.0.parse_form(TEXT, text).unwrap();
        msg
    }
    fn reparse_text(msg: &mut HeapMessage<K>, text: &str) {
        msg.0.parse_form(TEXT, text).unwrap();
    }
}
