//! Shared by the integration tests: the test schema and a counting allocator.
pub mod alloc;
pub mod schema;
