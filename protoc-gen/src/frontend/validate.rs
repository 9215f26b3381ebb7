//! The checks protoc makes once a file is linked: field numbers (range, duplicates, reserved,
//! extension ranges), extension numbers, defaults, map keys, enum values (zero first for open
//! enums, aliases). Errors carry protoc's words and positions.

use super::hash::HashMap;
use std::collections::hash_map::Entry;

use zpb::descriptor::feature_set::{FieldPresence, JsonFormat};
use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::{DescriptorProto, EnumDescriptorProto, FeatureSet, FieldDescriptorProto};

use super::error::{FrontendError, Pos};
use super::names::{join, json_name, with};
use super::options::Pool;
use super::parser::{ParsedFile, Syntax, MAX_FIELD_NUMBER};

/// Checks the linked file `parsed` against `pool` (which holds it and its imports).
pub fn validate(parsed: &ParsedFile, pool: &Pool) -> Result<(), FrontendError> {
    let file = &parsed.proto;
    let checker = Checker {
        parsed,
        pool,
        name: file.name(),
    };
    let package = file.package();
    let file_features = file.options.get().and_then(|o| o.features.get());
    let open = checker.open_enums(None, file_features);
    let implicit = implicit_presence(false, file_features);
    for (i, m) in file.message_type.iter().enumerate() {
        let features = m.options.get().and_then(|o| o.features.get());
        let scope = Scope {
            open: checker.open_enums(Some(open), features),
            implicit: implicit_presence(implicit, features),
        };
        checker.message(m, &join(package, m.name()), &[4, i as i32], scope)?;
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        checker.enumeration(e, &join(package, e.name()), &[5, i as i32], open)?;
    }
    for (i, f) in file.extension.iter().enumerate() {
        checker.extension(f, &join(package, f.name()), &[7, i as i32])?;
    }
    Ok(())
}

/// Whether fields under `features` (inheriting `inherited`) have implicit presence: the
/// `field_presence` feature (editions only; proto3's implicit presence is not a feature).
fn implicit_presence(inherited: bool, features: Option<&FeatureSet>) -> bool {
    match features.and_then(|f| f.field_presence) {
        Some(FieldPresence::Implicit) => true,
        Some(_) => false,
        None => inherited,
    }
}

/// protoc's comparison key for enum value names: the enum's name stripped as a prefix
/// (ignoring case and `_`), then PascalCase.
fn enum_value_key(enum_name: &str, value: &str) -> String {
    let prefix: Vec<u8> = enum_name
        .bytes()
        .filter(|c| *c != b'_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let bytes = value.as_bytes();
    let (mut i, mut j) = (0, 0);
    while i < bytes.len() && j < prefix.len() {
        if bytes[i] == b'_' {
            i += 1;
        } else if bytes[i].to_ascii_lowercase() == prefix[j] {
            i += 1;
            j += 1;
        } else {
            break;
        }
    }
    let mut rest = value;
    if j == prefix.len() {
        while i < bytes.len() && bytes[i] == b'_' {
            i += 1;
        }
        if i < bytes.len() {
            rest = &value[i..];
        }
    }
    let mut out = String::new();
    let mut upper = true;
    for c in rest.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// What a message's fields and enums inherit from their parents' features.
#[derive(Clone, Copy)]
struct Scope {
    /// Enums are open (`enum_type`).
    open: bool,
    /// Fields have implicit presence (`field_presence`, editions).
    implicit: bool,
}

struct Checker<'a> {
    parsed: &'a ParsedFile,
    pool: &'a Pool,
    name: &'a str,
}

impl Checker<'_> {
    fn error(&self, pos: Option<Pos>, message: impl Into<String>) -> FrontendError {
        match pos {
            Some(p) => FrontendError::at(self.name, p, message),
            None => FrontendError::file(self.name, message),
        }
    }

    /// Where the part `more` of the element at `path` is, else the element's name.
    fn at(&self, path: &[i32], more: &[i32]) -> Option<Pos> {
        self.parsed
            .locs
            .get(&with(path, more))
            .or_else(|| self.parsed.names.get(path))
            .copied()
    }

    fn open_enums(&self, inherited: Option<bool>, features: Option<&FeatureSet>) -> bool {
        self.parsed.syntax.open_enums(inherited, features)
    }

    fn message(
        &self,
        m: &DescriptorProto,
        full: &str,
        path: &[i32],
        scope: Scope,
    ) -> Result<(), FrontendError> {
        let open = scope.open;
        if self.parsed.syntax == Syntax::Proto3 && !m.extension_range.is_empty() {
            return Err(self.error(
                self.at(path, &[5, 0]),
                "Extension ranges are not allowed in proto3.",
            ));
        }
        let mut numbers: HashMap<i32, &str> = HashMap::default();
        let mut json_names: HashMap<String, &str> = HashMap::default();
        let check_json = self.json_conflicts_are_errors(m);
        for (i, f) in m.field.iter().enumerate() {
            let field_path = with(path, &[2, i as i32]);
            // Positions are looked up only for an error.
            let name_pos = || self.parsed.names.get(&field_path).copied();
            if check_json {
                match json_names.entry(json_name(f.name())) {
                    Entry::Occupied(other) => {
                        return Err(self.error(
                            name_pos(),
                            format!(
                                "The default JSON name of field \"{}\" (\"{}\") conflicts with the default JSON name of field \"{}\".",
                                f.name(),
                                other.key(),
                                other.get()
                            ),
                        ));
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(f.name());
                    }
                }
            }
            let scalar = !matches!(
                f.r#type,
                Some(Type::String | Type::Bytes | Type::Message | Type::Group)
            );
            let repeated = f.label == Some(Label::Repeated);
            if f.options.get().and_then(|o| o.packed) == Some(true) && !(repeated && scalar) {
                return Err(self.error(
                    name_pos(),
                    "[packed = true] can only be specified for repeated primitive fields.",
                ));
            }
            let number_pos = || self.at(&field_path, &[3]);
            let n = f.number.unwrap_or(0);
            if n <= 0 {
                return Err(self.error(number_pos(), "Field numbers must be positive integers."));
            }
            if n > MAX_FIELD_NUMBER {
                return Err(self.error(
                    number_pos(),
                    format!("Field numbers cannot be greater than {MAX_FIELD_NUMBER}."),
                ));
            }
            if (19000..=19999).contains(&n) {
                return Err(self.error(
                    number_pos(),
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.",
                ));
            }
            if let Some(other) = numbers.insert(n, f.name()) {
                return Err(self.error(
                    number_pos(),
                    format!(
                        "Field number {n} has already been used in \"{full}\" by field \"{other}\".{}",
                        next_available(m)
                    ),
                ));
            }
            for (j, r) in m.reserved_range.iter().enumerate() {
                if (r.start.unwrap_or(0)..r.end.unwrap_or(0)).contains(&n) {
                    return Err(self.error(
                        self.at(path, &[9, j as i32]),
                        format!("Field \"{}\" uses reserved number {n}.", f.name()),
                    ));
                }
            }
            if m.reserved_name.iter().any(|r| r == f.name()) {
                return Err(self.error(
                    name_pos(),
                    format!("Field name \"{}\" is reserved.", f.name()),
                ));
            }
            for (j, r) in m.extension_range.iter().enumerate() {
                let (start, end) = (r.start.unwrap_or(0), r.end.unwrap_or(0));
                if (start..end).contains(&n) {
                    return Err(self.error(
                        self.at(path, &[5, j as i32]),
                        format!(
                            "Extension range {start} to {} includes field \"{}\" ({n}).",
                            end - 1,
                            f.name()
                        ),
                    ));
                }
            }
            let field_features = f.options.get().and_then(|o| o.features.get());
            self.field_features(f, field_features, &name_pos, false)?;
            if f.default_value.is_some()
                && implicit_presence(scope.implicit, field_features)
                && !repeated
            {
                return Err(self.error(
                    name_pos(),
                    "Implicit presence fields can't specify defaults.",
                ));
            }
            if self.parsed.syntax == Syntax::Proto3 && f.r#type == Some(Type::Enum) {
                let enum_name = f.type_name().trim_start_matches('.');
                if self.pool.enum_is_closed(enum_name) {
                    return Err(self.error(
                        name_pos(),
                        format!("Enum type \"{enum_name}\" is not an open enum, but is used in \"{full}\" which is a proto3 message type."),
                    ));
                }
            }
            self.default(f, &field_path)?;
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let nested_full = join(full, n.name());
            if n.options.get().and_then(|o| o.map_entry) == Some(true) {
                self.map_key(m, n, &nested_full, path)?;
            }
            let features = n.options.get().and_then(|o| o.features.get());
            let nested = Scope {
                open: self.open_enums(Some(open), features),
                implicit: implicit_presence(scope.implicit, features),
            };
            self.message(n, &nested_full, &with(path, &[3, i as i32]), nested)?;
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.enumeration(e, &join(full, e.name()), &with(path, &[4, i as i32]), open)?;
        }
        for (i, f) in m.extension.iter().enumerate() {
            self.extension(f, &join(full, f.name()), &with(path, &[6, i as i32]))?;
        }
        Ok(())
    }

    /// Whether clashing default JSON names are errors in `m`: in proto3, and in editions
    /// unless `json_format` is `LEGACY_BEST_EFFORT` (on the message or the file); never in a
    /// message with `deprecated_legacy_json_field_conflicts`.
    // protoc still honours the deprecated option, so the check reads it.
    #[allow(deprecated)]
    fn json_conflicts_are_errors(&self, m: &DescriptorProto) -> bool {
        if m.options
            .get()
            .and_then(|o| o.deprecated_legacy_json_field_conflicts)
            == Some(true)
        {
            return false;
        }
        let legacy = |f: Option<&FeatureSet>| {
            f.and_then(|f| f.json_format) == Some(JsonFormat::LegacyBestEffort)
        };
        match self.parsed.syntax {
            Syntax::Proto2 => false,
            Syntax::Proto3 => true,
            Syntax::Editions(_) => {
                let file = self
                    .parsed
                    .proto
                    .options
                    .get()
                    .and_then(|o| o.features.get());
                let message = m.options.get().and_then(|o| o.features.get());
                !(legacy(message)
                    || (message.and_then(|f| f.json_format).is_none() && legacy(file)))
            }
        }
    }

    /// The features a field sets for itself must make sense for it.
    fn field_features(
        &self,
        f: &FieldDescriptorProto,
        features: Option<&FeatureSet>,
        pos: &dyn Fn() -> Option<Pos>,
        extension: bool,
    ) -> Result<(), FrontendError> {
        let Some(features) = features else {
            return Ok(());
        };
        let repeated = f.label == Some(Label::Repeated);
        let presence = features.field_presence;
        let message = if presence.is_some() && extension {
            "Extensions can't specify field presence."
        } else if presence.is_some() && repeated {
            "Repeated fields can't specify field presence."
        } else if presence.is_some() && f.oneof_index.is_some() && f.proto3_optional.is_none() {
            "Oneof fields can't specify field presence."
        } else if presence == Some(FieldPresence::Implicit)
            && matches!(f.r#type, Some(Type::Message | Type::Group))
        {
            "Message fields can't specify implicit presence."
        } else if features.repeated_field_encoding.is_some() && !repeated {
            "Only repeated fields can specify repeated field encoding."
        } else {
            return Ok(());
        };
        Err(self.error(pos(), message))
    }

    /// A map entry's key must be an integral, bool or string type.
    fn map_key(
        &self,
        parent: &DescriptorProto,
        entry: &DescriptorProto,
        entry_full: &str,
        parent_path: &[i32],
    ) -> Result<(), FrontendError> {
        let Some(key) = entry.field.first() else {
            return Ok(());
        };
        let message = match key.r#type {
            Some(Type::Float | Type::Double | Type::Bytes | Type::Message | Type::Group) => {
                "Key in map fields cannot be float/double, bytes or message types."
            }
            Some(Type::Enum) => "Key in map fields cannot be enum types.",
            _ => return Ok(()),
        };
        let type_name = format!(".{entry_full}");
        let pos = parent
            .field
            .iter()
            .position(|f| f.type_name() == type_name)
            .and_then(|i| {
                self.parsed
                    .names
                    .get(&with(parent_path, &[2, i as i32]))
                    .copied()
            });
        Err(self.error(pos, message))
    }

    /// A field's default: none in proto3, an enum value's name for enums, none for messages.
    fn default(&self, f: &FieldDescriptorProto, path: &[i32]) -> Result<(), FrontendError> {
        let Some(value) = f.default_value.get() else {
            return Ok(());
        };
        let pos = || self.at(path, &[7]);
        if self.parsed.syntax == Syntax::Proto3 {
            return Err(self.error(pos(), "Explicit default values are not allowed in proto3."));
        }
        match f.r#type {
            Some(Type::Message | Type::Group) => {
                Err(self.error(pos(), "Messages can't have default values."))
            }
            Some(Type::Enum) => {
                let enum_name = f.type_name().trim_start_matches('.');
                let known = self
                    .pool
                    .enum_values(enum_name)
                    .is_some_and(|vs| vs.iter().any(|(n, _)| n == value));
                if known {
                    Ok(())
                } else {
                    Err(self.error(
                        pos(),
                        format!("Enum type \"{enum_name}\" has no value named \"{value}\"."),
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    /// An extension's number must be in one of its extendee's extension ranges, and not
    /// taken by another extension.
    fn extension(
        &self,
        f: &FieldDescriptorProto,
        full: &str,
        path: &[i32],
    ) -> Result<(), FrontendError> {
        let extendee = f.extendee().trim_start_matches('.');
        let n = f.number.unwrap_or(0);
        if n <= 0 {
            return Err(self.error(
                self.at(path, &[3]),
                "Field numbers must be positive integers.",
            ));
        }
        if let Some(owner) = self.pool.extension_owner(extendee, n) {
            if owner != full {
                return Err(self.error(
                    self.at(path, &[3]),
                    format!("Extension number {n} has already been used in \"{extendee}\" by extension \"{owner}\"."),
                ));
            }
        }
        let declared = self
            .pool
            .extension_ranges(extendee)
            .is_some_and(|rs| rs.iter().any(|(s, e)| (*s..*e).contains(&n)));
        if !declared {
            return Err(self.error(
                self.at(path, &[3]),
                format!("\"{extendee}\" does not declare {n} as an extension number."),
            ));
        }
        let features = f.options.get().and_then(|o| o.features.get());
        self.field_features(f, features, &|| self.parsed.names.get(path).copied(), true)?;
        if self.parsed.syntax == Syntax::Proto3 && !extendee.starts_with("google.protobuf.") {
            return Err(self.error(
                self.at(path, &[2]),
                "Extensions in proto3 are only allowed for defining options.",
            ));
        }
        self.default(f, path)
    }

    fn enumeration(
        &self,
        e: &EnumDescriptorProto,
        full: &str,
        path: &[i32],
        inherited_open: bool,
    ) -> Result<(), FrontendError> {
        let Some(first) = e.value.first() else {
            return Err(self.error(
                self.parsed.names.get(path).copied(),
                "Enums must contain at least one value.",
            ));
        };
        let features = e.options.get().and_then(|o| o.features.get());
        if self.open_enums(Some(inherited_open), features) && first.number != Some(0) {
            return Err(self.error(
                self.at(&with(path, &[2, 0]), &[2]),
                "The first enum value must be zero for open enums.",
            ));
        }
        let allow_alias = e.options.get().and_then(|o| o.allow_alias) == Some(true);
        let scope = full.rsplit_once('.').map_or("", |(s, _)| s);
        let mut seen: HashMap<i32, &str> = HashMap::default();
        let mut keys: HashMap<String, (&str, i32)> = HashMap::default();
        let open = self.open_enums(Some(inherited_open), features);
        for (i, v) in e.value.iter().enumerate() {
            let n = v.number.unwrap_or(0);
            let pos = || self.at(&with(path, &[2, i as i32]), &[2]);
            if open {
                let key = enum_value_key(e.name(), v.name());
                if let Some((other, other_n)) = keys.insert(key, (v.name(), n)) {
                    if other_n != n {
                        return Err(self.error(
                            self.parsed.names.get(&with(path, &[2, i as i32])).copied(),
                            format!(
                                "Enum name {} has the same name as {other} if you ignore case and strip out the enum name prefix (if any). (If you are using allow_alias, please assign the same number to each enum value name.)",
                                v.name()
                            ),
                        ));
                    }
                }
            }
            if let Some(other) = seen.insert(n, v.name()) {
                if !allow_alias {
                    return Err(self.error(
                        pos(),
                        format!(
                            "\"{}\" uses the same enum value as \"{}\". If this is intended, set 'option allow_alias = true;' to the enum definition.",
                            join(scope, v.name()),
                            join(scope, other)
                        ),
                    ));
                }
            }
            for (j, r) in e.reserved_range.iter().enumerate() {
                if (r.start.unwrap_or(0)..=r.end.unwrap_or(0)).contains(&n) {
                    return Err(self.error(
                        self.at(path, &[4, j as i32]),
                        format!("Enum value \"{}\" uses reserved number {n}.", v.name()),
                    ));
                }
            }
            if e.reserved_name.iter().any(|r| r == v.name()) {
                return Err(self.error(pos(), format!("Enum value \"{}\" is reserved.", v.name())));
            }
        }
        Ok(())
    }
}

/// protoc's hint after a duplicate field number: the smallest number that no field of `m`
/// uses and no reserved or extension range of `m` covers, or that there is none.
fn next_available(m: &DescriptorProto) -> String {
    let fields = m.field.iter().map(|f| {
        let n = i64::from(f.number.unwrap_or(0));
        (n, n + 1)
    });
    let reserved = m.reserved_range.iter().map(|r| {
        (
            i64::from(r.start.unwrap_or(0)),
            i64::from(r.end.unwrap_or(0)),
        )
    });
    let extensions = m.extension_range.iter().map(|r| {
        (
            i64::from(r.start.unwrap_or(0)),
            i64::from(r.end.unwrap_or(0)),
        )
    });
    let mut taken: Vec<(i64, i64)> = fields.chain(reserved).chain(extensions).collect();
    taken.sort_unstable();
    let mut next = 1;
    for (start, end) in taken {
        if start > next {
            break;
        }
        next = next.max(end);
    }
    if next <= i64::from(MAX_FIELD_NUMBER) {
        format!(" Next available field number is {next}.")
    } else {
        " There are no available field numbers.".to_string()
    }
}
