// C++ libprotobuf as a benchmark peer: a C interface over the messages protoc --cpp_out
// generated from the benchmark schemas (heap and arena), and counting replacements of the
// global operator new/delete. Compiled by build.rs with the `cpp` feature; the Rust side is
// benches/src/cpp.rs.

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

#include <google/protobuf/arena.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include "benchmark_message1_proto2.pb.h"
#include "benchmark_message1_proto3.pb.h"
#include "benchmark_message2.pb.h"
#include "spiky.pb.h"

using google::protobuf::Arena;
using google::protobuf::Message;

// ---- Allocation counting ------------------------------------------------------------------
// Every heap allocation libprotobuf makes for messages, strings, repeated fields and arena
// blocks goes through the global operator new (the array, nothrow and sized forms of the
// standard library call these two). Replacing them in the executable counts calls and live
// bytes (malloc_usable_size of each block, which is the requested size rounded up to the
// allocator's granule) without preloading anything.

static std::atomic<uint64_t> g_calls{0};
static std::atomic<int64_t> g_live{0};

void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  g_calls.fetch_add(1, std::memory_order_relaxed);
  g_live.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}

void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}

void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

// ---- Messages -------------------------------------------------------------------------------

namespace {

// Index = the `Kind` discriminant on the Rust side.
const Message* Prototype(int kind) {
  switch (kind) {
    case 0: return &benchmarks::proto2::GoogleMessage1::default_instance();
    case 1: return &benchmarks::proto3::GoogleMessage1::default_instance();
    case 2: return &benchmarks::proto2::GoogleMessage2::default_instance();
    case 3: return &spiky::Record::default_instance();
    case 4: return &spiky::Node::default_instance();
    default: return nullptr;
  }
}

}  // namespace

extern "C" {

uint64_t zpb_cpp_alloc_calls() { return g_calls.load(std::memory_order_relaxed); }

int64_t zpb_cpp_live_bytes() { return g_live.load(std::memory_order_relaxed); }

// A new empty message of `kind` on the heap (arena == nullptr) or on `arena`; nullptr for an
// unknown kind.
Message* zpb_cpp_new(int kind, Arena* arena) {
  const Message* proto = Prototype(kind);
  return proto == nullptr ? nullptr : proto->New(arena);
}

void zpb_cpp_delete(Message* msg) { delete msg; }

// Clear() and parse (what ParseFromArray does); false on malformed input.
bool zpb_cpp_parse(Message* msg, const uint8_t* data, size_t len) {
  if (len > static_cast<size_t>(INT32_MAX)) return false;  // beyond protobuf's 2 GiB limit
  return msg->ParseFromArray(data, static_cast<int>(len));
}

size_t zpb_cpp_byte_size(const Message* msg) { return msg->ByteSizeLong(); }

// Computes the size; if it fits in `cap`, serializes into `buf`. Returns the size either way.
size_t zpb_cpp_serialize(const Message* msg, uint8_t* buf, size_t cap) {
  size_t size = msg->ByteSizeLong();
  if (size <= cap) msg->SerializeWithCachedSizesToArray(buf);
  return size;
}

size_t zpb_cpp_space_used(const Message* msg) { return msg->SpaceUsedLong(); }

Arena* zpb_cpp_arena_new() { return new Arena(); }

void zpb_cpp_arena_delete(Arena* arena) { delete arena; }

// Frees everything on the arena (its messages included); returns the bytes it had allocated.
uint64_t zpb_cpp_arena_reset(Arena* arena) { return arena->Reset(); }

// ---- JSON and text format ---------------------------------------------------------------------
// `form`: 0 = JSON (util::MessageToJsonString / JsonStringToMessage, default options: compact,
// JSON names), 1 = text format (TextFormat, the printer in single-line mode).

// Prints `msg` into a string the shim keeps per thread (reused from call to call) and hands
// out its bytes until the next call on this thread; false when printing fails.
bool zpb_cpp_print(const Message* msg, int form, const char** data, size_t* len) {
  thread_local std::string out;
  out.clear();
  bool ok;
  if (form == 0) {
    ok = google::protobuf::util::MessageToJsonString(*msg, &out).ok();
  } else {
    google::protobuf::TextFormat::Printer printer;
    printer.SetSingleLineMode(true);
    ok = printer.PrintToString(*msg, &out);
  }
  *data = out.data();
  *len = out.size();
  return ok;
}

// Clear() and parse the document `data[0..len)` in `form`; false on invalid input.
bool zpb_cpp_parse_form(Message* msg, int form, const char* data, size_t len) {
  if (len > static_cast<size_t>(INT32_MAX)) return false;
  msg->Clear();
  if (form == 0) {
    return google::protobuf::util::JsonStringToMessage(
               google::protobuf::StringPiece(data, len), msg)
        .ok();
  }
  google::protobuf::io::ArrayInputStream in(data, static_cast<int>(len));
  return google::protobuf::TextFormat::Parse(&in, msg);
}

}  // extern "C"
