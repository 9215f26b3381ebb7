//! The linker: the symbol table of all loaded files, protoc's name lookup, and what protoc
//! fills in after parsing (resolved `type_name`s and `type`s, `json_name`, `max` ranges).

use super::hash::{HashMap, HashSet};
use std::sync::Arc;

use zpb::descriptor::field_descriptor_proto::Type;
use zpb::descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use super::ast::{RefKind, TypeRef};
use super::error::FrontendError;

use super::names::{join, json_name, with};
use super::parser::{ParsedFile, MAX_FIELD_NUMBER, MAX_SENTINEL};
use super::path::Path;

/// What a name in the symbol table stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A package (or a prefix of one).
    Package,
    /// A message.
    Message,
    /// An enum.
    Enum,
    /// An enum value (in the enum's parent scope, as in C++).
    EnumValue,
    /// A field of a message.
    Field,
    /// An extension.
    Extension,
    /// A oneof.
    Oneof,
    /// A service.
    Service,
    /// A method.
    Method,
}

impl SymbolKind {
    fn is_type(self) -> bool {
        matches!(self, SymbolKind::Message | SymbolKind::Enum)
    }

    fn is_aggregate(self) -> bool {
        matches!(
            self,
            SymbolKind::Package | SymbolKind::Message | SymbolKind::Enum | SymbolKind::Service
        )
    }
}

/// A defined name: its kind and the file defining it.
#[derive(Clone, Debug)]
pub struct Symbol {
    /// What it is.
    pub kind: SymbolKind,
    /// The defining file's name (shared by all its symbols).
    pub file: Arc<str>,
}

/// All names defined by a set of files, by full name (no leading `.`).
#[derive(Clone, Debug, Default)]
pub struct SymbolTable {
    symbols: HashMap<String, Symbol>,
}

/// The scope enclosing `name` (`a.b.C` → `a.b`).
fn parent(name: &str) -> &str {
    name.rfind('.').map_or("", |i| &name[..i])
}

impl SymbolTable {
    /// Adds the symbols of `parsed`; a name defined twice is an error at its second place.
    pub fn add_file(&mut self, parsed: &ParsedFile) -> Result<(), FrontendError> {
        // Room for the file's symbols at once, rather than rehashing as they come.
        self.symbols.reserve(symbol_count(&parsed.proto));
        let file: Arc<str> = parsed.proto.name().into();
        let package = parsed.proto.package().to_string();
        let mut prefix = String::new();
        for part in package.split('.').filter(|p| !p.is_empty()) {
            prefix = join(&prefix, part);
            match self.symbols.get(&prefix) {
                Some(s) if s.kind != SymbolKind::Package => {
                    return Err(FrontendError::file(
                        &file,
                        format!(
                            "\"{prefix}\" is already defined (as something other than a package) in file \"{}\".",
                            s.file
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    self.symbols.insert(
                        prefix.clone(),
                        Symbol {
                            kind: SymbolKind::Package,
                            file: file.clone(),
                        },
                    );
                }
            }
        }
        let mut adder = Adder {
            table: self,
            parsed,
            file: file.clone(),
        };
        for (i, m) in parsed.proto.message_type.iter().enumerate() {
            adder.message(m, &package, Path::from([4, i as i32]))?;
        }
        for (i, e) in parsed.proto.enum_type.iter().enumerate() {
            adder.enumeration(e, &package, Path::from([5, i as i32]))?;
        }
        for (i, s) in parsed.proto.service.iter().enumerate() {
            let name = join(&package, s.name());
            adder.add(name.clone(), SymbolKind::Service, &[], &[6, i as i32])?;
            for (j, m) in s.method.iter().enumerate() {
                adder.add(
                    join(&name, m.name()),
                    SymbolKind::Method,
                    &[],
                    &[6, i as i32, 2, j as i32],
                )?;
            }
        }
        for (i, f) in parsed.proto.extension.iter().enumerate() {
            adder.add(
                join(&package, f.name()),
                SymbolKind::Extension,
                &[],
                &[7, i as i32],
            )?;
        }
        Ok(())
    }

    /// The symbol named `full_name` (no leading `.`).
    pub fn get(&self, full_name: &str) -> Option<&Symbol> {
        self.symbols.get(full_name)
    }

    /// protoc's `LookupSymbol`: `name` (relative, or absolute with a leading `.`) seen from
    /// `scope`; the innermost scope defining the first component wins, skipping non-types
    /// when `types_only` and non-aggregates when the name has more components. Returns the
    /// full name.
    pub fn lookup(&self, name: &str, scope: &str, types_only: bool) -> Option<(String, &Symbol)> {
        self.lookup_or_partial(name, scope, types_only).ok()
    }

    /// [`SymbolTable::lookup`], telling on failure the full name the first component led to
    /// (`Err(Some(_))`: an inner scope captured the name).
    pub fn lookup_or_partial(
        &self,
        name: &str,
        scope: &str,
        types_only: bool,
    ) -> Result<(String, &Symbol), Option<String>> {
        if let Some(absolute) = name.strip_prefix('.') {
            return self
                .symbols
                .get(absolute)
                .map(|s| (absolute.to_string(), s))
                .ok_or(None);
        }
        let first = name.split('.').next().unwrap_or(name);
        let compound = first.len() < name.len();
        let mut scope = scope;
        // `scope.first`, built in one buffer for every scope tried.
        let mut candidate = String::with_capacity(scope.len() + 1 + name.len());
        loop {
            candidate.clear();
            candidate.push_str(scope);
            if !scope.is_empty() {
                candidate.push('.');
            }
            candidate.push_str(first);
            if let Some(symbol) = self.symbols.get(candidate.as_str()) {
                if compound {
                    if symbol.kind.is_aggregate() {
                        // `scope.name`: the rest of the name (from its first `.`) appended.
                        candidate.push_str(&name[first.len()..]);
                        return match self.symbols.get(candidate.as_str()) {
                            Some(s) => Ok((candidate, s)),
                            None => Err(Some(candidate)),
                        };
                    }
                } else if !types_only || symbol.kind.is_type() {
                    return Ok((candidate, symbol));
                }
            }
            if scope.is_empty() {
                return Err(None);
            }
            scope = parent(scope);
        }
    }
}

/// How many symbols `file` defines, besides its package.
fn symbol_count(file: &FileDescriptorProto) -> usize {
    fn enumeration(e: &EnumDescriptorProto) -> usize {
        1 + e.value.len()
    }
    fn message(m: &DescriptorProto) -> usize {
        1 + m.oneof_decl.len()
            + m.field.len()
            + m.extension.len()
            + m.nested_type.iter().map(message).sum::<usize>()
            + m.enum_type.iter().map(enumeration).sum::<usize>()
    }
    file.message_type.iter().map(message).sum::<usize>()
        + file.enum_type.iter().map(enumeration).sum::<usize>()
        + file
            .service
            .iter()
            .map(|s| 1 + s.method.len())
            .sum::<usize>()
        + file.extension.len()
}

struct Adder<'a> {
    table: &'a mut SymbolTable,
    parsed: &'a ParsedFile,
    file: Arc<str>,
}

impl Adder<'_> {
    /// Adds `name`, defined by the element at source path `path` + `more` (looked up only
    /// to report a clash).
    fn add(
        &mut self,
        name: String,
        kind: SymbolKind,
        path: &[i32],
        more: &[i32],
    ) -> Result<(), FrontendError> {
        if let Some(existing) = self.table.symbols.get(&name) {
            let pos = self
                .parsed
                .names
                .get(&with(path, more))
                .copied()
                .unwrap_or_default();
            let (scope, short) = match name.rfind('.') {
                Some(i) => (&name[..i], &name[i + 1..]),
                None => ("", name.as_str()),
            };
            let message = if existing.file != self.file {
                format!(
                    "\"{name}\" is already defined in file \"{}\".",
                    existing.file
                )
            } else if kind == SymbolKind::EnumValue && existing.kind == SymbolKind::EnumValue {
                format!(
                    "\"{short}\" is already defined in \"{scope}\".  Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"{short}\" must be unique within \"{scope}\", not just within the enum."
                )
            } else if scope.is_empty() {
                format!("\"{short}\" is already defined.")
            } else {
                format!("\"{short}\" is already defined in \"{scope}\".")
            };
            return Err(FrontendError::at(&self.file, pos, message));
        }
        self.table.symbols.insert(
            name,
            Symbol {
                kind,
                file: self.file.clone(),
            },
        );
        Ok(())
    }

    fn message(
        &mut self,
        m: &DescriptorProto,
        scope: &str,
        path: Path,
    ) -> Result<(), FrontendError> {
        let name = join(scope, m.name());
        self.add(name.clone(), SymbolKind::Message, &path, &[])?;
        let sub = |more: &[i32]| with(&path, more);
        // protoc's order: oneofs, fields, nested types, enums, extensions (which of two
        // clashing names is reported).
        for (i, o) in m.oneof_decl.iter().enumerate() {
            self.add(
                join(&name, o.name()),
                SymbolKind::Oneof,
                &path,
                &[8, i as i32],
            )?;
        }
        for (i, f) in m.field.iter().enumerate() {
            self.add(
                join(&name, f.name()),
                SymbolKind::Field,
                &path,
                &[2, i as i32],
            )?;
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            self.message(n, &name, sub(&[3, i as i32]))?;
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.enumeration(e, &name, sub(&[4, i as i32]))?;
        }
        for (i, f) in m.extension.iter().enumerate() {
            self.add(
                join(&name, f.name()),
                SymbolKind::Extension,
                &path,
                &[6, i as i32],
            )?;
        }
        Ok(())
    }

    fn enumeration(
        &mut self,
        e: &EnumDescriptorProto,
        scope: &str,
        path: Path,
    ) -> Result<(), FrontendError> {
        let name = join(scope, e.name());
        self.add(name, SymbolKind::Enum, &path, &[])?;
        for (i, v) in e.value.iter().enumerate() {
            self.add(
                join(scope, v.name()),
                SymbolKind::EnumValue,
                &path,
                &[2, i as i32],
            )?;
        }
        Ok(())
    }
}

/// The field at `path` (`[.., 2 | 6 | 7, i]`) of `file`.
pub fn field_at<'a>(
    file: &'a mut FileDescriptorProto,
    path: &[i32],
) -> Option<&'a mut FieldDescriptorProto> {
    match path {
        [7, i] => file.extension.as_mut_slice().get_mut(*i as usize),
        [4, i, rest @ ..] => {
            let m = file.message_type.as_mut_slice().get_mut(*i as usize)?;
            field_in_message(m, rest)
        }
        _ => None,
    }
}

fn field_in_message<'a>(
    m: &'a mut DescriptorProto,
    path: &[i32],
) -> Option<&'a mut FieldDescriptorProto> {
    match path {
        [2, i] => m.field.as_mut_slice().get_mut(*i as usize),
        [6, i] => m.extension.as_mut_slice().get_mut(*i as usize),
        [3, i, rest @ ..] => {
            field_in_message(m.nested_type.as_mut_slice().get_mut(*i as usize)?, rest)
        }
        _ => None,
    }
}

/// Resolves the type names of `parsed` against `table` (protoc's cross-linking): fields get
/// `.full.Name` and `TYPE_MESSAGE` / `TYPE_ENUM`, extensions their extendee, methods their
/// input and output types.
///
/// `visible` are the files whose names `parsed` may use: itself, its imports and what they
/// import publicly.
pub fn resolve(
    parsed: &mut ParsedFile,
    table: &SymbolTable,
    visible: &HashSet<String>,
) -> Result<(), FrontendError> {
    let file_name = parsed.proto.name().to_string();
    let refs: Vec<TypeRef> = std::mem::take(&mut parsed.type_refs);
    for r in &refs {
        // Moved out: the resolved name replaces it (or the compilation fails).
        let written = take_written_name(&mut parsed.proto, r).unwrap_or_default();
        let types_only = r.kind == RefKind::FieldType;
        let (full, symbol) = match table.lookup_or_partial(&written, &r.scope, types_only) {
            Ok(found) => found,
            Err(partial) => {
                let message = match partial {
                    Some(full) => format!(
                        "\"{written}\" is resolved to \"{full}\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".{written}\") to start from the outermost scope."
                    ),
                    None => format!("\"{written}\" is not defined."),
                };
                return Err(FrontendError::at(&file_name, r.pos, message));
            }
        };
        if !visible.contains(&*symbol.file) {
            return Err(FrontendError::at(
                &file_name,
                r.pos,
                format!(
                    "\"{written}\" seems to be defined in \"{}\", which is not imported by \"{file_name}\".  To use it here, please add the necessary import.",
                    symbol.file
                ),
            ));
        }
        if !parsed.used_files.contains(&*symbol.file) {
            parsed.used_files.insert(symbol.file.to_string());
        }
        let mut resolved = String::with_capacity(1 + full.len());
        resolved.push('.');
        resolved.push_str(&full);
        match r.kind {
            RefKind::FieldType => {
                let Some(field) = field_at(&mut parsed.proto, &r.target) else {
                    continue;
                };
                match (symbol.kind, field.r#type) {
                    (SymbolKind::Message, Some(Type::Group)) => {}
                    (SymbolKind::Message, _) => field.r#type = Some(Type::Message),
                    (SymbolKind::Enum, None) => field.r#type = Some(Type::Enum),
                    _ => {
                        return Err(FrontendError::at(
                            &file_name,
                            r.pos,
                            format!("\"{written}\" is not a type."),
                        ))
                    }
                }
                field.type_name.set(resolved);
            }
            RefKind::Extendee => {
                if symbol.kind != SymbolKind::Message {
                    return Err(FrontendError::at(
                        &file_name,
                        r.pos,
                        format!("\"{written}\" is not a message type."),
                    ));
                }
                if let Some(field) = field_at(&mut parsed.proto, &r.target) {
                    field.extendee.set(resolved);
                }
            }
            RefKind::Input | RefKind::Output => {
                if symbol.kind != SymbolKind::Message {
                    return Err(FrontendError::at(
                        &file_name,
                        r.pos,
                        format!("\"{written}\" is not a message type."),
                    ));
                }
                if let [6, s, 2, m] = r.target[..] {
                    if let Some(method) = parsed
                        .proto
                        .service
                        .as_mut_slice()
                        .get_mut(s as usize)
                        .and_then(|s| s.method.as_mut_slice().get_mut(m as usize))
                    {
                        if r.kind == RefKind::Input {
                            method.input_type.set(resolved);
                        } else {
                            method.output_type.set(resolved);
                        }
                    }
                }
            }
        }
    }
    parsed.type_refs = refs;
    Ok(())
}

/// The name `r` refers to as written, moved out of the descriptor.
fn take_written_name(file: &mut FileDescriptorProto, r: &TypeRef) -> Option<String> {
    let slot = match r.kind {
        RefKind::FieldType => &mut field_at(file, &r.target)?.type_name,
        RefKind::Extendee => &mut field_at(file, &r.target)?.extendee,
        RefKind::Input | RefKind::Output => {
            let [6, s, 2, m] = r.target[..] else {
                return None;
            };
            let method = file
                .service
                .as_mut_slice()
                .get_mut(s as usize)?
                .method
                .as_mut_slice()
                .get_mut(m as usize)?;
            if r.kind == RefKind::Input {
                &mut method.input_type
            } else {
                &mut method.output_type
            }
        }
    };
    Some(slot.take().unwrap_or_default())
}

/// What protoc fills in once a message's options are known: `json_name` of every field, and
/// the end of `to max` ranges (`2^29`, or `2^31 - 1` for `message_set_wire_format`).
pub fn finish(file: &mut FileDescriptorProto) {
    for f in file.extension.as_mut_slice() {
        fill_json_name(f);
    }
    for m in file.message_type.as_mut_slice() {
        finish_message(m);
    }
}

fn fill_json_name(f: &mut FieldDescriptorProto) {
    if !f.json_name.is_some() {
        f.json_name.set(json_name(f.name()));
    }
}

fn finish_message(m: &mut DescriptorProto) {
    let message_set = m.options.get().and_then(|o| o.message_set_wire_format) == Some(true);
    let max = if message_set {
        i32::MAX
    } else {
        MAX_FIELD_NUMBER + 1
    };
    for r in m.extension_range.as_mut_slice() {
        if r.end == Some(MAX_SENTINEL) {
            r.end = Some(max);
        }
    }
    for r in m.reserved_range.as_mut_slice() {
        if r.end == Some(MAX_SENTINEL) {
            r.end = Some(max);
        }
    }
    for f in m.field.as_mut_slice() {
        fill_json_name(f);
    }
    for f in m.extension.as_mut_slice() {
        fill_json_name(f);
    }
    for n in m.nested_type.as_mut_slice() {
        finish_message(n);
    }
}
