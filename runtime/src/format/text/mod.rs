//! Protobuf text format: the tokenizer and string escaping.
