//! Checks that every name in the descriptors is a protobuf identifier before anything is
//! built from them: descriptors from a plugin request or a descriptor set are input, and a
//! name such as `a\0b` must be an error, not a panic in the emitter.

use crate::error::{Error, ErrorKind};
use zpb::descriptor::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

/// `[A-Za-z_][A-Za-z0-9_]*`, the identifier syntax of the protobuf language.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check(file: &str, what: &str, name: &str) -> Result<(), Error> {
    if is_identifier(name) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Parse,
        format!("{file}: {what} name {name:?} is not a protobuf identifier"),
    ))
}

/// A dotted name (`pkg.sub`) or type reference (`.pkg.Msg`): identifiers between the dots.
fn check_dotted(file: &str, what: &str, name: &str) -> Result<(), Error> {
    let body = name.strip_prefix('.').unwrap_or(name);
    if body.is_empty() {
        return Ok(());
    }
    body.split('.').try_for_each(|part| check(file, what, part))
}

fn check_enum(file: &str, e: &EnumDescriptorProto) -> Result<(), Error> {
    check(file, "enum", e.name())?;
    e.value
        .iter()
        .try_for_each(|v| check(file, "enum value", v.name()))
}

fn check_message(file: &str, m: &DescriptorProto) -> Result<(), Error> {
    check(file, "message", m.name())?;
    for f in &m.field {
        check(file, "field", f.name())?;
        check_dotted(file, "type", f.type_name())?;
    }
    for o in &m.oneof_decl {
        check(file, "oneof", o.name())?;
    }
    m.nested_type
        .iter()
        .try_for_each(|n| check_message(file, n))?;
    m.enum_type.iter().try_for_each(|e| check_enum(file, e))
}

/// Checks every name declared or referenced by `file`.
pub fn file(file: &FileDescriptorProto) -> Result<(), Error> {
    let name = file.name();
    check_dotted(name, "package", file.package())?;
    file.message_type
        .iter()
        .try_for_each(|m| check_message(name, m))?;
    file.enum_type
        .iter()
        .try_for_each(|e| check_enum(name, e))?;
    for s in &file.service {
        check(name, "service", s.name())?;
        for m in &s.method {
            check(name, "method", m.name())?;
            check_dotted(name, "type", m.input_type())?;
            check_dotted(name, "type", m.output_type())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier("_a1") && is_identifier("Foo"));
        assert!(!is_identifier("") && !is_identifier("1a") && !is_identifier("a\0b"));
        assert!(check_dotted("f", "type", ".pkg.Msg").is_ok());
        assert!(check_dotted("f", "type", ".pkg..Msg").is_err());
    }
}
