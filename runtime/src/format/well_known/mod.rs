//! Textual forms of the well-known types.
