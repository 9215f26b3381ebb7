//! `google.protobuf.FieldMask` paths: snake_case in the message, lowerCamelCase in JSON,
//! joined by `,` (`"user.displayName,photo"`).
//!
//! The rules are protobuf's: a path prints to JSON only if it has no uppercase letters and
//! every `_` is followed by a lowercase letter; a JSON path parses only if it has no `_`
//! (each uppercase letter becomes `_` and its lowercase). Both directions are then exact
//! inverses.

use super::WellKnownError;
use crate::format::StringSink;

/// Appends the lowerCamelCase JSON form of one snake_case `path` to `out`.
pub fn snake_to_camel(path: &str, out: &mut String) -> Result<(), WellKnownError> {
    let mut after_underscore = false;
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            return Err(WellKnownError::InvalidFieldMaskPath);
        }
        if after_underscore {
            if !c.is_ascii_lowercase() {
                return Err(WellKnownError::InvalidFieldMaskPath);
            }
            out.push(c.to_ascii_uppercase());
            after_underscore = false;
        } else if c == '_' {
            after_underscore = true;
        } else {
            out.push(c);
        }
    }
    if after_underscore {
        return Err(WellKnownError::InvalidFieldMaskPath);
    }
    Ok(())
}

/// Appends the snake_case form of one lowerCamelCase JSON `path` to `out`.
pub fn camel_to_snake(path: &str, out: &mut impl StringSink) -> Result<(), WellKnownError> {
    for c in path.chars() {
        if c == '_' {
            return Err(WellKnownError::InvalidFieldMaskPath);
        }
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(())
}

/// Appends the JSON string content of a field mask: each path in lowerCamelCase, joined by
/// `,`.
pub fn format<'p>(
    paths: impl IntoIterator<Item = &'p str>,
    out: &mut String,
) -> Result<(), WellKnownError> {
    for (i, path) in paths.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        snake_to_camel(path, out)?;
    }
    Ok(())
}

/// Splits the JSON string content of a field mask and hands each path, in snake_case, to
/// `path` (through `scratch`, cleared per path: a `String` allocates nothing once it has
/// grown, a [`KeyBuf`](crate::format::KeyBuf) nothing for paths that fit inline). An empty
/// string is a mask with no paths.
pub fn parse<S: StringSink>(
    text: &str,
    scratch: &mut S,
    mut path: impl FnMut(&str),
) -> Result<(), WellKnownError> {
    if text.is_empty() {
        return Ok(());
    }
    for camel in text.split(',') {
        scratch.clear();
        camel_to_snake(camel, &mut *scratch)?;
        path(scratch.as_str());
    }
    Ok(())
}
