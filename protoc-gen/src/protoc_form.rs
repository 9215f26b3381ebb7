//! Brings what the pure-Rust front end (protobuf-parse) parses to the form protoc writes, so
//! that both front ends give the same descriptors (and so the same embedded descriptor
//! bytes). protobuf-parse differs from protoc in five ways, each undone here:
//! - a field with `[default = ...]` gets an empty `options {}` (protoc: no options);
//! - proto2 files get `syntax: "proto2"` (protoc leaves `syntax` out for proto2);
//! - a float or double default is spelled from the source (`9000000000`) where protoc writes
//!   the value as C++'s `absl::StrCat(double)` does (six significant digits, `%g`: `9e+09`);
//! - `extensions N to max` ends at 2^29 even in a `message_set_wire_format` message, where
//!   protoc ends it at 2^31 - 1;
//! - the synthetic oneofs of proto3 `optional` fields come where the field is, where protoc
//!   puts them after every real oneof (in field order).

use zpb::descriptor::field_descriptor_proto::Type;
use zpb::descriptor::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};

/// The end (exclusive) of `extensions N to max`: one past the largest field number.
const MAX_END: i32 = 1 << 29;

/// The end (exclusive) of `extensions N to max` in a message set, as protoc writes it.
const MESSAGE_SET_MAX_END: i32 = i32::MAX;

/// Rewrites `set` as protoc would have written it.
pub fn normalize(set: &mut FileDescriptorSet) {
    for file in set.file.iter_mut() {
        if file.syntax() == "proto2" {
            file.clear_syntax();
        }
        for field in file.extension.iter_mut() {
            normalize_field(field);
        }
        for message in file.message_type.iter_mut() {
            normalize_message(message);
        }
    }
}

fn normalize_message(m: &mut DescriptorProto) {
    for field in m.field.iter_mut().chain(m.extension.iter_mut()) {
        normalize_field(field);
    }
    if m.options().message_set_wire_format() {
        for range in m.extension_range.iter_mut() {
            if range.end() == MAX_END {
                range.set_end(MESSAGE_SET_MAX_END);
            }
        }
    }
    synthetic_oneofs_last(m);
    for nested in m.nested_type.iter_mut() {
        normalize_message(nested);
    }
}

/// Moves the synthetic oneofs of proto3 `optional` fields after the real ones, in field
/// order, renumbering the fields' `oneof_index`.
fn synthetic_oneofs_last(m: &mut DescriptorProto) {
    let count = m.oneof_decl.len();
    let synthetic: Vec<usize> = m
        .field
        .iter()
        .filter(|f| f.proto3_optional() && f.has_oneof_index())
        .filter_map(|f| usize::try_from(f.oneof_index()).ok())
        .filter(|&i| i < count)
        .collect();
    let order: Vec<usize> = (0..count)
        .filter(|i| !synthetic.contains(i))
        .chain(synthetic.iter().copied())
        .collect();
    if order.len() != count || order.iter().enumerate().all(|(new, &old)| new == old) {
        return;
    }
    let mut new_index = vec![0i32; count];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = i32::try_from(new).unwrap_or(i32::MAX);
    }
    let decls: Vec<_> = order.iter().map(|&old| m.oneof_decl[old].clone()).collect();
    for (slot, decl) in m.oneof_decl.iter_mut().zip(decls) {
        *slot = decl;
    }
    for f in m.field.iter_mut() {
        if let Some(&new) = usize::try_from(f.oneof_index())
            .ok()
            .filter(|_| f.has_oneof_index())
            .and_then(|old| new_index.get(old))
        {
            f.set_oneof_index(new);
        }
    }
}

fn normalize_field(f: &mut FieldDescriptorProto) {
    if f.has_options() && zpb::Message::compute_size(f.options()) == 0 {
        f.clear_options();
    }
    if matches!(f.r#type(), Type::Float | Type::Double) && f.has_default_value() {
        if let Ok(v) = f.default_value().parse::<f64>() {
            f.set_default_value(six_digits(v));
        }
    }
}

/// `v` as C++'s `absl::StrCat(double)` writes it: `%g` with six significant digits, `inf`,
/// `-inf`, `nan`.
fn six_digits(v: f64) -> String {
    if v.is_nan() {
        return "nan".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // The exponent after rounding to six digits decides the style, as in C's `%g`.
    let sci = format!("{v:.5e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        let decimals = usize::try_from(5 - exponent).unwrap_or(0);
        trim_zeros(&format!("{v:.decimals$}")).to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa),
            exponent.unsigned_abs()
        )
    }
}

/// `1.50000` → `1.5`, `2.000` → `2`, `100` → `100`.
fn trim_zeros(s: &str) -> &str {
    match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.'),
        false => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_written_as_cpp_strcat_does() {
        for (v, want) in [
            (9e9, "9e+09"),
            (7e22, "7e+22"),
            (1.5, "1.5"),
            (-0.25, "-0.25"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (999999.5, "1e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.234567891, "1.23457"),
            (1e-300, "1e-300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (0.0, "0"),
        ] {
            assert_eq!(six_digits(v), want, "{v}");
        }
    }
}
