//! What the derives know about their input, before any code is emitted (serde_derive's
//! `internals` layout): [`attr`] parses `#[zpb(...)]` into typed attributes, [`model`] turns
//! them and the Rust types into typed fields, oneof members and enum values, [`check`] holds
//! one function per rule across fields, and [`ctxt`] collects errors so they are reported
//! together.

pub mod attr;
pub mod check;
pub mod ctxt;
pub mod model;
