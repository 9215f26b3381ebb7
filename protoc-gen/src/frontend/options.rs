//! Option interpretation as protoc does it: each option statement becomes wire bytes of its
//! options message (built-in options known fields, custom options extension fields that stay
//! unknown fields of zpb's options types, in statement order), aggregate values encoded as the
//! text-format message they spell (fields in number order, packed where the field is).

use super::hash::{HashMap, HashSet};

use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::field_options::OptionRetention;
use zpb::descriptor::{
    DescriptorProto, EnumOptions, EnumValueOptions, ExtensionRangeOptions, FieldOptions,
    FileDescriptorProto, FileOptions, MessageOptions, MethodOptions, OneofOptions, ServiceOptions,
};
use zpb::Message;

use std::fmt;
use std::hash::{Hash, Hasher};

use super::ast::{AggregateField, NamePart, OptionsKind, PendingOption, Scalar, Value};
use super::error::{FrontendError, Pos};
use super::link::{SymbolKind, SymbolTable};
use super::names::{join, with};
use super::parser::{ParsedFile, Syntax, MAX_FIELD_NUMBER, MAX_SENTINEL};
use super::path::Path;

/// A field as option interpretation needs it.
#[derive(Clone, Debug)]
pub struct FieldInfo {
    /// The field's name.
    pub name: String,
    /// Its number.
    pub number: i32,
    /// Whether it is repeated.
    pub repeated: bool,
    /// Its type.
    pub ty: Type,
    /// The full name of its message or enum type (no leading `.`).
    pub type_name: String,
    /// Whether repeated values are written packed.
    pub packed: bool,
    /// For an extension, the full name of the message it extends.
    pub extendee: String,
    /// Whether the field has `retention = RETENTION_SOURCE` (left out of descriptor sets).
    pub source_retention: bool,
    /// The `targets` of the field's options: which elements may set it (empty: any).
    pub targets: Vec<i32>,
}

/// The messages, enums and extensions of a set of files, for interpreting options: its own,
/// and those of the pool it extends ([`Pool::extending`], the built-in `descriptor.proto`'s,
/// shared by every compilation rather than copied into each).
#[derive(Clone, Debug, Default)]
pub struct Pool {
    /// The pool this one extends: its names cannot be redefined here, and are looked up
    /// there first.
    base: Option<&'static Pool>,
    messages: HashMap<String, Vec<FieldInfo>>,
    enums: HashMap<String, Vec<(String, i32)>>,
    extensions: HashMap<String, FieldInfo>,
    /// Closed enums (proto2's, and editions' with `enum_type = CLOSED`).
    closed_enums: HashSet<String>,
    /// Messages with `message_set_wire_format = true` (their extensions are written as
    /// MessageSet items).
    message_sets: HashSet<String>,
    /// Extension ranges (`start`, exclusive `end`) of each message.
    ranges: HashMap<String, Vec<(i32, i32)>>,
    /// Extension full names by extendee and number.
    extension_numbers: HashMap<String, HashMap<i32, String>>,
}

impl Pool {
    /// An empty pool on top of `base`, whose names (the built-in `descriptor.proto`'s, with
    /// which options are interpreted whatever copy of the file a compilation imports) later
    /// files cannot redefine.
    pub fn extending(base: &'static Pool) -> Self {
        Pool {
            base: Some(base),
            ..Pool::default()
        }
    }

    /// The base pool (if any), then this one.
    fn layers(&self) -> impl Iterator<Item = &Pool> {
        self.base.into_iter().chain(std::iter::once(self))
    }

    /// Whether the base pool defines `name` (a message, enum or extension).
    fn in_base(&self, name: &str) -> bool {
        self.base.is_some_and(|b| {
            b.messages.contains_key(name)
                || b.enums.contains_key(name)
                || b.extensions.contains_key(name)
        })
    }

    /// The fields of the message named `name`.
    fn message(&self, name: &str) -> Option<&[FieldInfo]> {
        self.layers()
            .find_map(|p| p.messages.get(name))
            .map(Vec::as_slice)
    }

    /// The extension named `name` (its full name).
    fn extension(&self, name: &str) -> Option<&FieldInfo> {
        self.layers().find_map(|p| p.extensions.get(name))
    }

    /// Whether the message named `name` uses `message_set_wire_format`.
    fn is_message_set(&self, name: &str) -> bool {
        self.layers().any(|p| p.message_sets.contains(name))
    }

    /// Adds (or, once its options are interpreted, updates) the types of a resolved file;
    /// built-in names keep their built-in definition.
    pub fn add_file(&mut self, file: &FileDescriptorProto, syntax: Syntax) {
        let package = file.package();
        let features = file.options.get().and_then(|o| o.features.get());
        let open = syntax.open_enums(None, features);
        for m in file.message_type.iter() {
            self.add_message(m, package, syntax, open);
        }
        for e in file.enum_type.iter() {
            self.add_enum(e, package, syntax, open);
        }
        for f in file.extension.iter() {
            self.add_extension(f, package, syntax);
        }
    }

    /// The extension ranges of `message` (`start`, exclusive `end`).
    pub fn extension_ranges(&self, message: &str) -> Option<&[(i32, i32)]> {
        self.layers()
            .find_map(|p| p.ranges.get(message))
            .map(Vec::as_slice)
    }

    /// The extension that first took `number` of `extendee` (its full name).
    pub fn extension_owner(&self, extendee: &str, number: i32) -> Option<&str> {
        self.layers()
            .find_map(|p| p.extension_numbers.get(extendee)?.get(&number))
            .map(String::as_str)
    }

    /// Whether the enum named `name` is closed.
    pub fn enum_is_closed(&self, name: &str) -> bool {
        self.layers().any(|p| p.closed_enums.contains(name))
    }

    /// The values (name, number) of the enum named `name`.
    pub fn enum_values(&self, name: &str) -> Option<&[(String, i32)]> {
        self.layers()
            .find_map(|p| p.enums.get(name))
            .map(Vec::as_slice)
    }

    fn add_message(&mut self, m: &DescriptorProto, scope: &str, syntax: Syntax, open: bool) {
        let name = join(scope, m.name());
        let features = m.options.get().and_then(|o| o.features.get());
        let open = syntax.open_enums(Some(open), features);
        if !self.in_base(&name) {
            let fields = m.field.iter().map(|f| field_info(f, syntax)).collect();
            self.messages.insert(name.clone(), fields);
            let message_set = m.options.get().and_then(|o| o.message_set_wire_format) == Some(true);
            if message_set {
                self.message_sets.insert(name.clone());
            }
            let max = if message_set {
                i32::MAX
            } else {
                MAX_FIELD_NUMBER + 1
            };
            let ranges = m
                .extension_range
                .iter()
                .map(|r| {
                    let end = r.end.unwrap_or(0);
                    (
                        r.start.unwrap_or(0),
                        if end == MAX_SENTINEL { max } else { end },
                    )
                })
                .collect();
            self.ranges.insert(name.clone(), ranges);
        }
        for n in m.nested_type.iter() {
            self.add_message(n, &name, syntax, open);
        }
        for e in m.enum_type.iter() {
            self.add_enum(e, &name, syntax, open);
        }
        for f in m.extension.iter() {
            self.add_extension(f, &name, syntax);
        }
    }

    fn add_enum(
        &mut self,
        e: &zpb::descriptor::EnumDescriptorProto,
        scope: &str,
        syntax: Syntax,
        open: bool,
    ) {
        let name = join(scope, e.name());
        if !self.in_base(&name) {
            let features = e.options.get().and_then(|o| o.features.get());
            if syntax.open_enums(Some(open), features) {
                self.closed_enums.remove(&name);
            } else {
                self.closed_enums.insert(name.clone());
            }
            let values = e
                .value
                .iter()
                .map(|v| (v.name().to_string(), v.number.unwrap_or(0)))
                .collect();
            self.enums.insert(name, values);
        }
    }

    fn add_extension(
        &mut self,
        f: &zpb::descriptor::FieldDescriptorProto,
        scope: &str,
        syntax: Syntax,
    ) {
        let name = join(scope, f.name());
        if self.in_base(&name) {
            return;
        }
        let info = field_info(f, syntax);
        if self.extension_owner(&info.extendee, info.number).is_none() {
            self.extension_numbers
                .entry(info.extendee.clone())
                .or_default()
                .insert(info.number, name.clone());
        }
        self.extensions.insert(name, info);
    }

    /// The field numbered `number` of `message`, or an extension of it.
    fn field_by_number(&self, message: &str, number: i32) -> Option<&FieldInfo> {
        self.message(message)
            .and_then(|fs| fs.iter().find(|f| f.number == number))
            .or_else(|| self.extension(self.extension_owner(message, number)?))
    }

    /// `bytes` (fields of `message`) as protoc writes an interpreted options message: fields
    /// and extensions in number order, repeated occurrences of a singular message merged, a
    /// singular scalar's last value kept, repeated scalars packed where the field is, fields
    /// the pool does not know last as they came; with `strip`, without the fields (at any
    /// depth) whose retention is `RETENTION_SOURCE`.
    pub fn canonicalize(&self, bytes: &[u8], message: &str, strip: bool) -> Vec<u8> {
        let mut reader = Reader {
            bytes,
            at: 0,
            payload_start: 0,
        };
        let mut known: Vec<Record<'_>> = Vec::new();
        let mut unknown = Vec::new();
        while let Some((number, wire, start)) = reader.field() {
            let record = &bytes[start..reader.at];
            match self.field_by_number(message, number) {
                Some(f) if strip && f.source_retention => {}
                Some(f) => {
                    let payload = match wire {
                        LEN => &bytes[reader.payload_start..reader.at],
                        _ => record,
                    };
                    known.push((number, f, wire, record, payload));
                }
                None => unknown.extend_from_slice(record),
            }
        }
        known.sort_by_key(|k| k.0);
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < known.len() {
            let number = known[i].0;
            let field = known[i].1;
            let mut j = i;
            while j < known.len() && known[j].0 == number {
                j += 1;
            }
            let group = &known[i..j];
            i = j;
            match field.ty {
                Type::Message if field.repeated => {
                    for (.., payload) in group {
                        put_len(
                            &mut out,
                            number,
                            &self.canonicalize(payload, &field.type_name, strip),
                        );
                    }
                }
                Type::Message => {
                    let merged: Vec<u8> = group.iter().flat_map(|g| g.4.iter().copied()).collect();
                    put_len(
                        &mut out,
                        number,
                        &self.canonicalize(&merged, &field.type_name, strip),
                    );
                }
                Type::Group | Type::String | Type::Bytes => {
                    let kept = if field.repeated {
                        group
                    } else {
                        &group[group.len() - 1..]
                    };
                    for (.., record, _) in kept {
                        out.extend_from_slice(record);
                    }
                }
                ty if field.repeated => {
                    // Each value's bytes without tags, whether it came packed or not.
                    let mut values = Vec::new();
                    for (_, _, wire, record, payload) in group {
                        if *wire == LEN {
                            values.extend_from_slice(payload);
                        } else {
                            let mut r = Reader {
                                bytes: record,
                                at: 0,
                                payload_start: 0,
                            };
                            r.varint();
                            values.extend_from_slice(&record[r.at..]);
                        }
                    }
                    if field.packed {
                        put_len(&mut out, number, &values);
                    } else {
                        let width = match wire_type(ty) {
                            FIXED32 => Some(4),
                            FIXED64 => Some(8),
                            _ => None,
                        };
                        let mut at = 0;
                        while at < values.len() {
                            let len = width.unwrap_or_else(|| {
                                values[at..]
                                    .iter()
                                    .position(|b| b & 0x80 == 0)
                                    .map_or(values.len() - at, |p| p + 1)
                            });
                            let end = (at + len).min(values.len());
                            put_tag(&mut out, number, wire_type(ty));
                            out.extend_from_slice(&values[at..end]);
                            at = end;
                        }
                    }
                }
                _ => out.extend_from_slice(group[group.len() - 1].3),
            }
        }
        out.extend_from_slice(&unknown);
        out
    }
}

impl Pool {
    /// `bytes` (fields of `message`, in option statement order) as protoc keeps an options
    /// message it does not strip (`--retain_options`, a plugin's `source_file_descriptors`
    /// and imports): protoc reparses the interpreted options into its compiled
    /// `descriptor.proto` types, so the message's own fields come first as
    /// [`Pool::canonicalize`] writes them, then the extensions (custom options, unknown to
    /// protoc's compiled types) as the statements wrote them, in statement order: repeated
    /// values one statement each, `(m).a = 1` and `(m).b = 2` as two records of `m`.
    pub fn retained(&self, bytes: &[u8], message: &str) -> Vec<u8> {
        let own = self.message(message);
        let mut reader = Reader {
            bytes,
            at: 0,
            payload_start: 0,
        };
        let (mut known, mut custom) = (Vec::new(), Vec::new());
        while let Some((number, _, start)) = reader.field() {
            let record = &bytes[start..reader.at];
            match own.is_some_and(|fs| fs.iter().any(|f| f.number == number)) {
                true => known.extend_from_slice(record),
                false => custom.extend_from_slice(record),
            }
        }
        let mut out = self.canonicalize(&known, message, false);
        out.extend_from_slice(&custom);
        out
    }
}

/// A field read back: number, what it is, wire type, the whole record, its payload (the
/// record itself for non-length-delimited fields).
type Record<'a> = (i32, &'a FieldInfo, u32, &'a [u8], &'a [u8]);

/// Reads the fields of wire-format bytes this module wrote.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where the last length-delimited field's payload starts.
    payload_start: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// The next field: its number, wire type and start; `self.at` moves past it.
    fn field(&mut self) -> Option<(i32, u32, usize)> {
        let start = self.at;
        let tag = self.varint()?;
        let (number, wire) = ((tag >> 3) as i32, (tag & 7) as u32);
        self.skip(number, wire)?;
        Some((number, wire, start))
    }

    fn skip(&mut self, number: i32, wire: u32) -> Option<()> {
        match wire {
            VARINT => {
                self.varint()?;
            }
            FIXED64 => self.at += 8,
            FIXED32 => self.at += 4,
            LEN => {
                let len = self.varint()? as usize;
                self.payload_start = self.at;
                self.at += len;
            }
            START_GROUP => loop {
                let tag = self.varint()?;
                let (n, w) = ((tag >> 3) as i32, (tag & 7) as u32);
                if w == END_GROUP {
                    if n == number {
                        break;
                    }
                    return None;
                }
                self.skip(n, w)?;
            },
            _ => return None,
        }
        (self.at <= self.bytes.len()).then_some(())
    }
}

fn field_info(f: &zpb::descriptor::FieldDescriptorProto, syntax: Syntax) -> FieldInfo {
    let ty = f.r#type.unwrap_or_default();
    let repeated = f.label == Some(Label::Repeated);
    let scalar = !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group);
    let explicit = f.options.get().and_then(|o| o.packed);
    let packed = repeated && scalar && explicit.unwrap_or(!matches!(syntax, Syntax::Proto2));
    FieldInfo {
        name: f.name().to_string(),
        number: f.number.unwrap_or(0),
        repeated,
        ty,
        type_name: f.type_name().trim_start_matches('.').to_string(),
        packed,
        extendee: f.extendee().trim_start_matches('.').to_string(),
        source_retention: f.options.get().and_then(|o| o.retention)
            == Some(OptionRetention::RetentionSource),
        targets: f
            .options
            .get()
            .map(|o| o.targets.iter().map(|t| *t as i32).collect())
            .unwrap_or_default(),
    }
}

// ---- wire encoding ----

const VARINT: u32 = 0;
const FIXED64: u32 = 1;
const LEN: u32 = 2;
const START_GROUP: u32 = 3;
const END_GROUP: u32 = 4;
const FIXED32: u32 = 5;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_tag(out: &mut Vec<u8>, number: i32, wire_type: u32) {
    put_varint(out, (u64::from(number as u32) << 3) | u64::from(wire_type));
}

fn put_len(out: &mut Vec<u8>, number: i32, payload: &[u8]) {
    put_tag(out, number, LEN);
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

fn wire_type(ty: Type) -> u32 {
    match ty {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => FIXED64,
        Type::Float | Type::Fixed32 | Type::Sfixed32 => FIXED32,
        Type::String | Type::Bytes | Type::Message => LEN,
        Type::Group => START_GROUP,
        _ => VARINT,
    }
}

/// A field's value as it goes on the wire, without its tag.
enum Encoded {
    /// A varint, fixed32 or fixed64 payload (can be packed).
    Scalar(Vec<u8>),
    /// The bytes of a string, bytes or message field.
    Delimited(Vec<u8>),
    /// A group's contents (between its start and end tags).
    Group(Vec<u8>),
    /// An extension of a MessageSet: the message, written as an item group.
    MessageSetItem(Vec<u8>),
}

fn write_field(out: &mut Vec<u8>, number: i32, ty: Type, encoded: &Encoded) {
    match encoded {
        Encoded::Scalar(b) => {
            put_tag(out, number, wire_type(ty));
            out.extend_from_slice(b);
        }
        Encoded::Delimited(b) => put_len(out, number, b),
        Encoded::Group(b) => {
            put_tag(out, number, START_GROUP);
            out.extend_from_slice(b);
            put_tag(out, number, END_GROUP);
        }
        Encoded::MessageSetItem(b) => {
            put_tag(out, 1, START_GROUP);
            put_tag(out, 2, VARINT);
            put_varint(out, u64::from(number as u32));
            put_len(out, 3, b);
            put_tag(out, 1, END_GROUP);
        }
    }
}

/// Interprets options against `pool` (types) and `table` (names as seen from each scope).
struct Interpreter<'a> {
    pool: &'a Pool,
    table: &'a SymbolTable,
    file: &'a str,
    syntax: Syntax,
    /// The files of the extensions the options name (for unused-import warnings).
    used: std::cell::RefCell<HashSet<String>>,
}

/// One interpreted option statement.
struct Interpretation {
    /// Its wire bytes for the options message.
    bytes: Vec<u8>,
    /// Whether any field on its path is repeated (so it may be set more than once).
    repeated: bool,
    /// The numbers of the fields on its path.
    numbers: Vec<i32>,
    /// Whether the last field is repeated (its location path then ends with an index).
    last_repeated: bool,
    /// Whether a field on its path has `retention = RETENTION_SOURCE`.
    source_retention: bool,
}

/// The scope names in an option are looked up from (the element's).
type Scope<'a> = &'a str;

impl<'a> Interpreter<'a> {
    fn error(&self, pos: Pos, message: impl Into<String>) -> FrontendError {
        FrontendError::at(self.file, pos, message)
    }

    fn message_fields(&self, name: &str, pos: Pos) -> Result<&'a [FieldInfo], FrontendError> {
        let pool: &'a Pool = self.pool;
        pool.message(name)
            .ok_or_else(|| self.error(pos, format!("\"{name}\" is not defined.")))
    }

    /// The extension `name` names as seen from `scope` (its full name, and what it is),
    /// noting its file as used.
    fn extension(&self, name: &str, scope: &str) -> Option<&'a FieldInfo> {
        let pool: &'a Pool = self.pool;
        let (full, symbol) = self
            .table
            .lookup(name, scope, false)
            .filter(|(_, s)| s.kind == SymbolKind::Extension)?;
        let mut used = self.used.borrow_mut();
        if !used.contains(&*symbol.file) {
            used.insert(symbol.file.to_string());
        }
        pool.extension(&full)
    }

    /// The wire bytes of one option statement for its options message.
    fn option(&self, option: &PendingOption) -> Result<Interpretation, FrontendError> {
        let display = display_name(option);
        let mut message: &str = option.kind.message_name();
        let mut chain: Vec<&'a FieldInfo> = Vec::new();
        for (i, part) in option.name.iter().enumerate() {
            if i == 0 && !part.is_extension && part.name == "uninterpreted_option" {
                return Err(self.error(
                    part.pos,
                    "Option must not use reserved name \"uninterpreted_option\".",
                ));
            }
            if let Some(&prev) = chain.last() {
                if !matches!(prev.ty, Type::Message | Type::Group) {
                    return Err(self.error(
                        part.pos,
                        format!(
                            "Option \"{}\" is an atomic type, not a message.",
                            prefix_name(option, i)
                        ),
                    ));
                }
                if prev.repeated {
                    return Err(self.error(
                        part.pos,
                        format!(
                            "Option field \"{}\" is a repeated message. Repeated message options must be initialized using an aggregate value.",
                            prefix_name(option, i)
                        ),
                    ));
                }
                message = &prev.type_name;
            }
            let field = if part.is_extension {
                let Some(field) = self.extension(&part.name, &option.scope) else {
                    return Err(self.error(part.pos, unknown_option(prefix_name(option, i + 1))));
                };
                if field.extendee != message {
                    return Err(self.error(
                        part.pos,
                        format!(
                            "Option \"{}\" is not a field or extension of message \"{}\".",
                            prefix_name(option, i + 1),
                            short_name(message)
                        ),
                    ));
                }
                field
            } else {
                let fields = self.message_fields(message, part.pos)?;
                let Some(field) = fields.iter().find(|f| f.name == part.name) else {
                    return Err(self.error(
                        part.pos,
                        if i == 0 {
                            unknown_option(&part.name)
                        } else {
                            format!(
                                "Option field \"{}\" is not a field or extension of message \"{}\".",
                                prefix_name(option, i + 1),
                                short_name(message)
                            )
                        },
                    ));
                };
                field
            };
            chain.push(field);
        }
        if option.kind == OptionsKind::Message
            && option.name.len() == 1
            && option.name[0].name == "map_entry"
        {
            return Err(self.error(
                option.pos,
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
            ));
        }
        let Some(&last) = chain.last() else {
            return Err(self.error(option.pos, "Expected option name."));
        };
        self.check_features(option, &chain)?;
        let encoded = self.value(&option.value, last, &display, true, &option.scope)?;
        let mut bytes = Vec::new();
        write_field(&mut bytes, last.number, last.ty, &encoded);
        for field in chain.iter().rev().skip(1) {
            let mut outer = Vec::new();
            let wrapped = if field.ty == Type::Group {
                Encoded::Group(bytes)
            } else {
                Encoded::Delimited(bytes)
            };
            write_field(&mut outer, field.number, field.ty, &wrapped);
            bytes = outer;
        }
        Ok(Interpretation {
            bytes,
            repeated: chain.iter().any(|f| f.repeated),
            numbers: chain.iter().map(|f| f.number).collect(),
            last_repeated: last.repeated,
            source_retention: chain.iter().any(|f| f.source_retention),
        })
    }

    /// `features.*` options: only in editions, and only on the elements each feature
    /// targets.
    fn check_features(
        &self,
        option: &PendingOption,
        chain: &[&FieldInfo],
    ) -> Result<(), FrontendError> {
        let first = &option.name[0];
        if first.is_extension || first.name != "features" {
            return Ok(());
        }
        if !matches!(self.syntax, Syntax::Editions(_)) {
            return Err(self.error(first.pos, "Features are only valid under editions."));
        }
        let target = option.kind.target_type();
        let Some(feature) = chain.iter().skip(1).rev().find(|f| !f.targets.is_empty()) else {
            return Ok(());
        };
        if feature.targets.contains(&target) {
            return Ok(());
        }
        Err(FrontendError::file(
            self.file,
            format!(
                "Option google.protobuf.FeatureSet.{} cannot be set on an entity of type `{}`.",
                display_name(option)
                    .to_string()
                    .trim_start_matches("features."),
                option.kind.entity()
            ),
        ))
    }

    /// `value` for `field`; `statement` when it is an option statement's value (stricter
    /// than text format about how scalars are spelled, as protoc is).
    fn value(
        &self,
        value: &Value,
        field: &FieldInfo,
        display: &dyn fmt::Display,
        statement: bool,
        scope: Scope<'_>,
    ) -> Result<Encoded, FrontendError> {
        let pos = value.pos();
        let scalar = match value {
            Value::Message(fields, _) => {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    return Err(self.error(pos, format!("Option \"{display}\" is not a message; it cannot be set with an aggregate value.")));
                }
                let bytes = self.aggregate(fields, &field.type_name, scope)?;
                return Ok(if field.ty == Type::Group {
                    Encoded::Group(bytes)
                } else {
                    Encoded::Delimited(bytes)
                });
            }
            Value::List(..) => {
                return Err(self.error(pos, format!("Unexpected list for option \"{display}\".")))
            }
            Value::Scalar(s, _) => s,
        };
        let kind = type_word(field.ty);
        let mut out = Vec::new();
        match field.ty {
            Type::Message | Type::Group => {
                return Err(self.error(
                    pos,
                    format!(
                        "Option \"{display}\" is a message. To set the entire message, use syntax like \"{display} = {{ <proto text format> }}\". To set fields within it, use syntax like \"{display}.foo = value\"."
                    ),
                ))
            }
            Type::String | Type::Bytes => {
                let Scalar::Str(s) = scalar else {
                    return Err(self.error(pos, format!("Value must be quoted string for {kind} option \"{display}\".")));
                };
                return Ok(Encoded::Delimited(s.clone()));
            }
            Type::Bool => {
                let b = match scalar {
                    Scalar::Ident { name, negative: false } if name == "true" => true,
                    Scalar::Ident { name, negative: false } if name == "false" => false,
                    Scalar::Ident { name, negative: false } if !statement && matches!(name.as_str(), "True" | "t") => true,
                    Scalar::Ident { name, negative: false } if !statement && matches!(name.as_str(), "False" | "f") => false,
                    Scalar::Int { value: Some(v @ (0 | 1)), negative: false } if !statement => *v == 1,
                    _ => {
                        return Err(self.error(pos, format!("Value must be \"true\" or \"false\" for boolean option \"{display}\".")))
                    }
                };
                put_varint(&mut out, u64::from(b));
            }
            Type::Enum => {
                let values = self.pool.enum_values(&field.type_name);
                let number = match scalar {
                    Scalar::Ident { name, negative: false } => values
                        .and_then(|vs| vs.iter().find(|(n, _)| n == name))
                        .map(|(_, n)| *n)
                        .ok_or_else(|| {
                            self.error(
                                pos,
                                format!(
                                    "Enum type \"{}\" has no value named \"{name}\" for option \"{display}\".",
                                    field.type_name
                                ),
                            )
                        })?,
                    Scalar::Int { value: Some(v), negative } if !statement && *v <= i32::MAX as u64 + u64::from(*negative) => {
                        if *negative {
                            (-(*v as i64)) as i32
                        } else {
                            *v as i32
                        }
                    }
                    _ => {
                        return Err(self.error(pos, format!("Value must be identifier for enum-valued option \"{display}\".")))
                    }
                };
                put_varint(&mut out, number as i64 as u64);
            }
            Type::Float | Type::Double => {
                let v = match scalar {
                    Scalar::Int { value: Some(v), negative } => {
                        if *negative {
                            -(*v as f64)
                        } else {
                            *v as f64
                        }
                    }
                    Scalar::Int { value: None, negative } => {
                        if *negative {
                            -(u64::MAX as f64)
                        } else {
                            u64::MAX as f64
                        }
                    }
                    Scalar::Float(v) => *v,
                    Scalar::Ident { name, negative } if is_inf(name, statement) || is_nan(name, statement) => {
                        let v = if is_nan(name, statement) { f64::NAN } else { f64::INFINITY };
                        if *negative {
                            -v
                        } else {
                            v
                        }
                    }
                    _ => return Err(self.error(pos, format!("Value must be number for {kind} option \"{display}\"."))),
                };
                // protoc writes every NaN as the positive quiet NaN.
                let v = if v.is_nan() { f64::NAN } else { v };
                if field.ty == Type::Float {
                    out.extend_from_slice(&(v as f32).to_le_bytes());
                } else {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
            _ => {
                let (magnitude, negative) = match scalar {
                    Scalar::Int { value: Some(v), negative } => (*v, *negative),
                    Scalar::Int { value: None, .. } => {
                        return Err(self.error(pos, format!("Value out of range for {kind} option \"{display}\".")))
                    }
                    _ => return Err(self.error(pos, format!("Value must be integer for {kind} option \"{display}\"."))),
                };
                let v: i128 = if negative { -i128::from(magnitude) } else { i128::from(magnitude) };
                let (min, max): (i128, i128) = match field.ty {
                    Type::Int32 | Type::Sint32 | Type::Sfixed32 => (i32::MIN.into(), i32::MAX.into()),
                    Type::Int64 | Type::Sint64 | Type::Sfixed64 => (i64::MIN.into(), i64::MAX.into()),
                    Type::Uint32 | Type::Fixed32 => (0, u32::MAX.into()),
                    _ => (0, u64::MAX.into()),
                };
                if v < min || v > max {
                    let message = if negative && min == 0 {
                        format!("Value must be non-negative integer for {kind} option \"{display}\".")
                    } else {
                        format!("Value out of range, {min} to {max}, for {kind} option \"{display}\".")
                    };
                    return Err(self.error(pos, message));
                }
                match field.ty {
                    Type::Sint32 | Type::Sint64 => {
                        let v = v as i64;
                        put_varint(&mut out, ((v << 1) ^ (v >> 63)) as u64);
                    }
                    Type::Fixed32 | Type::Sfixed32 => out.extend_from_slice(&(v as u32).to_le_bytes()),
                    Type::Fixed64 | Type::Sfixed64 => out.extend_from_slice(&(v as u64).to_le_bytes()),
                    _ => put_varint(&mut out, v as i64 as u64),
                }
            }
        }
        Ok(Encoded::Scalar(out))
    }

    /// An aggregate value: the text-format message `fields` of type `message`, encoded in
    /// field-number order.
    fn aggregate(
        &self,
        fields: &[AggregateField],
        message: &str,
        scope: Scope<'_>,
    ) -> Result<Vec<u8>, FrontendError> {
        let known =
            self.message_fields(message, fields.first().map(|f| f.pos).unwrap_or_default())?;
        let mut items: Vec<(&FieldInfo, Encoded)> = Vec::new();
        for af in fields {
            let field = if af.is_extension {
                if let Some((_, type_name)) = af.name.split_once('/') {
                    if message == "google.protobuf.Any" {
                        let Value::Message(inner, _) = &af.value else {
                            return Err(self.error(af.pos, "Expected \"{\"."));
                        };
                        let payload = self.aggregate(inner, type_name, scope)?;
                        // An expanded Any: its `type_url` and `value` fields.
                        for (number, bytes) in [(1, af.name.as_bytes().to_vec()), (2, payload)] {
                            if let Some(f) = known.iter().find(|f| f.number == number) {
                                items.push((f, Encoded::Delimited(bytes)));
                            }
                        }
                        continue;
                    }
                }
                let name = af.name.as_str();
                self.extension(name, scope)
                    .filter(|f| f.extendee == message)
                    .ok_or_else(|| {
                        self.error(af.pos, format!("Extension \"{name}\" is not defined or is not an extension of \"{message}\"."))
                    })?
            } else {
                known
                    .iter()
                    .find(|f| {
                        f.name == af.name
                            || (f.ty == Type::Group && short_name(&f.type_name) == af.name)
                    })
                    .ok_or_else(|| {
                        self.error(
                            af.pos,
                            format!(
                                "Message type \"{message}\" has no field named \"{}\".",
                                af.name
                            ),
                        )
                    })?
            };
            let values: Vec<&Value> = match &af.value {
                Value::List(items, pos) => {
                    if !field.repeated {
                        return Err(
                            self.error(*pos, format!("Field \"{}\" is not repeated.", field.name))
                        );
                    }
                    items.iter().collect()
                }
                v => vec![v],
            };
            let message_set = af.is_extension && self.pool.is_message_set(message);
            for v in values {
                let encoded = match self.value(v, field, &field.name, false, scope)? {
                    Encoded::Delimited(b) if message_set && field.ty == Type::Message => {
                        Encoded::MessageSetItem(b)
                    }
                    e => e,
                };
                items.push((field, encoded));
            }
        }
        let mut seen = HashSet::default();
        for (f, _) in &items {
            if !f.repeated && !seen.insert(f.number) && !matches!(f.ty, Type::Message | Type::Group)
            {
                return Err(self.error(
                    fields.first().map(|f| f.pos).unwrap_or_default(),
                    format!(
                        "Non-repeated field \"{}\" is specified multiple times.",
                        f.name
                    ),
                ));
            }
        }
        items.sort_by_key(|(f, _)| f.number);
        let mut out = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let (field, encoded) = &items[i];
            if field.packed {
                let mut payload = Vec::new();
                while i < items.len() && items[i].0.number == field.number {
                    if let Encoded::Scalar(b) = &items[i].1 {
                        payload.extend_from_slice(b);
                    }
                    i += 1;
                }
                put_len(&mut out, field.number, &payload);
                continue;
            }
            write_field(&mut out, field.number, field.ty, encoded);
            i += 1;
        }
        Ok(out)
    }
}

/// protoc's error for an option name nothing defines.
fn unknown_option(name: impl fmt::Display) -> String {
    format!(
        "Option \"{name}\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024)."
    )
}

fn is_inf(name: &str, statement: bool) -> bool {
    name == "inf"
        || (!statement
            && (name.eq_ignore_ascii_case("inf") || name.eq_ignore_ascii_case("infinity")))
}

fn is_nan(name: &str, statement: bool) -> bool {
    name == "nan" || (!statement && name.eq_ignore_ascii_case("nan"))
}

fn type_word(ty: Type) -> &'static str {
    match ty {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

fn short_name(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

/// The first `parts` parts of an option's name as written (`(foo.bar).baz`), spelled out
/// only when a message shows it.
#[derive(Clone, Copy)]
struct OptionName<'a> {
    option: &'a PendingOption,
    parts: usize,
}

impl fmt::Display for OptionName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.option.name[..self.parts].iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            if p.is_extension {
                write!(f, "({})", p.name)?;
            } else {
                f.write_str(&p.name)?;
            }
        }
        Ok(())
    }
}

/// The option's name as written (`(foo.bar).baz`).
fn display_name(option: &PendingOption) -> OptionName<'_> {
    prefix_name(option, option.name.len())
}

fn prefix_name(option: &PendingOption, parts: usize) -> OptionName<'_> {
    OptionName { option, parts }
}

/// An option's name as a key: its parts and whether each is an extension (the positions
/// aside), which is what its spelling [`display_name`] shows.
struct NameKey<'a>(&'a [NamePart]);

impl PartialEq for NameKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0)
                .all(|(a, b)| a.is_extension == b.is_extension && a.name == b.name)
    }
}

impl Eq for NameKey<'_> {}

impl Hash for NameKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for p in self.0 {
            p.name.hash(state);
            p.is_extension.hash(state);
        }
    }
}

/// The file defining the options messages.
const DESCRIPTOR_PROTO: &str = "google/protobuf/descriptor.proto";

/// Interprets the pending options of `parsed`; returns them per element, for [`store`] to
/// put in its descriptor. The files the options use are added to `parsed.used_files`.
pub fn interpret(
    parsed: &mut ParsedFile,
    pool: &Pool,
    table: &SymbolTable,
) -> Result<Interpreted, FrontendError> {
    let file = parsed.proto.name().to_string();
    let interpreter = Interpreter {
        pool,
        table,
        file: &file,
        syntax: parsed.syntax,
        used: Default::default(),
    };
    let mut buffers: Interpreted = Vec::new();
    let mut index: HashMap<Path, usize> = HashMap::default();
    let mut repeated_counts: HashMap<Path, i32> = HashMap::default();
    parsed.option_paths.clear();
    parsed.source_retention_paths.clear();
    let options = std::mem::take(&mut parsed.options);
    // The (element, option name) pairs set so far, of options that may be set once.
    let mut set_once: HashSet<(&[i32], NameKey<'_>)> = HashSet::default();
    for option in &options {
        let Interpretation {
            bytes,
            repeated,
            numbers,
            last_repeated,
            source_retention,
        } = interpreter.option(option)?;
        // Its source location moves to the field it set, as protoc moves it.
        let mut dest = with(&option.target, &[option.kind.options_field()]);
        dest.extend_from_slice(&numbers);
        if last_repeated {
            let count = repeated_counts.entry(dest.clone()).or_insert(0);
            dest.push(*count);
            *count += 1;
        }
        if source_retention {
            parsed.source_retention_paths.insert(dest.clone());
        }
        parsed.option_paths.insert(option.source_path.clone(), dest);
        if !repeated && !set_once.insert((option.target.as_slice(), NameKey(&option.name))) {
            return Err(interpreter.error(
                option.pos,
                format!("Option \"{}\" was already set.", display_name(option)),
            ));
        }
        let slot = *index.entry(option.target.clone()).or_insert_with(|| {
            buffers.push((option.target.clone(), option.kind, Vec::new()));
            buffers.len() - 1
        });
        buffers[slot].2.extend_from_slice(&bytes);
    }
    drop(set_once);
    // protoc looks the options messages up by name: any option uses `descriptor.proto`.
    if !options.is_empty() {
        parsed.used_files.insert(DESCRIPTOR_PROTO.to_string());
    }
    parsed.used_files.extend(interpreter.used.take());
    parsed.options = options;
    Ok(buffers)
}

/// Whether an option value of `parsed` expands an `Any` (`[type.googleapis.com/pkg.Msg]
/// { ... }`): the message it names may be one of the file's own, which the pool must then
/// hold before the options are interpreted.
pub fn expands_any(parsed: &ParsedFile) -> bool {
    fn in_value(value: &Value) -> bool {
        match value {
            Value::Scalar(..) => false,
            Value::Message(fields, _) => fields
                .iter()
                .any(|f| (f.is_extension && f.name.contains('/')) || in_value(&f.value)),
            Value::List(items, _) => items.iter().any(in_value),
        }
    }
    parsed.options.iter().any(|o| in_value(&o.value))
}

/// The interpreted options of one element: its path, which options message, the bytes.
pub type Interpreted = Vec<(Path, OptionsKind, Vec<u8>)>;

/// Stores interpreted options in `parsed`'s descriptor as protoc writes them: with `strip`,
/// as protoc's descriptor sets have them ([`Pool::canonicalize`], without the fields whose
/// retention is `RETENTION_SOURCE`, dropping an options message they leave empty); without,
/// as protoc keeps them unstripped ([`Pool::retained`]).
pub fn store(
    parsed: &mut ParsedFile,
    buffers: &Interpreted,
    pool: &Pool,
    strip: bool,
) -> Result<(), FrontendError> {
    parsed.stripped_options.clear();
    if strip && !buffers.is_empty() {
        let retained = &parsed.source_retention_paths;
        parsed.stripped_options.extend(retained.iter().cloned());
    }
    for (target, kind, bytes) in buffers {
        let kept = match strip {
            true => pool.canonicalize(bytes, kind.message_name(), true),
            false => pool.retained(bytes, kind.message_name()),
        };
        if strip && kept.is_empty() && !bytes.is_empty() {
            parsed
                .stripped_options
                .insert(with(target, &[kind.options_field()]));
        }
        let value = (!kept.is_empty()).then_some(kept.as_slice());
        apply(&mut parsed.proto, target, *kind, value).ok_or_else(|| {
            FrontendError::at(
                parsed.proto.name(),
                parsed.names.get(target).copied().unwrap_or_default(),
                "Options could not be stored in the descriptor.",
            )
        })?;
    }
    Ok(())
}

/// Sets `slot` to the options `bytes`, or clears it (`None`: every option was stripped).
fn put<M: Message + Default>(slot: &mut zpb::Optional<M>, bytes: Option<&[u8]>) -> Option<()> {
    match bytes {
        Some(bytes) => {
            let mut m = M::default();
            m.merge_from_slice(bytes).ok()?;
            slot.set(m);
        }
        None => {
            slot.take();
        }
    }
    Some(())
}

/// Stores the options `bytes` of kind `kind` on the element at `path`.
fn apply(
    file: &mut FileDescriptorProto,
    path: &[i32],
    kind: OptionsKind,
    bytes: Option<&[u8]>,
) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::File) => put::<FileOptions>(&mut file.options, bytes),
        ([5, e, rest @ ..], _) => apply_enum(
            file.enum_type.as_mut_slice().get_mut(*e as usize)?,
            rest,
            kind,
            bytes,
        ),
        ([6, s], OptionsKind::Service) => put::<ServiceOptions>(
            &mut file.service.as_mut_slice().get_mut(*s as usize)?.options,
            bytes,
        ),
        ([6, s, 2, m], OptionsKind::Method) => put::<MethodOptions>(
            &mut file
                .service
                .as_mut_slice()
                .get_mut(*s as usize)?
                .method
                .as_mut_slice()
                .get_mut(*m as usize)?
                .options,
            bytes,
        ),
        ([7, f], OptionsKind::Field) => put::<FieldOptions>(
            &mut file.extension.as_mut_slice().get_mut(*f as usize)?.options,
            bytes,
        ),
        ([4, m, rest @ ..], _) => apply_message(
            file.message_type.as_mut_slice().get_mut(*m as usize)?,
            rest,
            kind,
            bytes,
        ),
        _ => None,
    }
}

fn apply_enum(
    e: &mut zpb::descriptor::EnumDescriptorProto,
    path: &[i32],
    kind: OptionsKind,
    bytes: Option<&[u8]>,
) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::Enum) => put::<EnumOptions>(&mut e.options, bytes),
        ([2, v], OptionsKind::EnumValue) => put::<EnumValueOptions>(
            &mut e.value.as_mut_slice().get_mut(*v as usize)?.options,
            bytes,
        ),
        _ => None,
    }
}

fn apply_message(
    m: &mut DescriptorProto,
    path: &[i32],
    kind: OptionsKind,
    bytes: Option<&[u8]>,
) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::Message) => put::<MessageOptions>(&mut m.options, bytes),
        ([2, f], OptionsKind::Field) => put::<FieldOptions>(
            &mut m.field.as_mut_slice().get_mut(*f as usize)?.options,
            bytes,
        ),
        ([6, f], OptionsKind::Field) => put::<FieldOptions>(
            &mut m.extension.as_mut_slice().get_mut(*f as usize)?.options,
            bytes,
        ),
        ([8, o], OptionsKind::Oneof) => put::<OneofOptions>(
            &mut m.oneof_decl.as_mut_slice().get_mut(*o as usize)?.options,
            bytes,
        ),
        ([5, r], OptionsKind::ExtensionRange) => put::<ExtensionRangeOptions>(
            &mut m
                .extension_range
                .as_mut_slice()
                .get_mut(*r as usize)?
                .options,
            bytes,
        ),
        ([4, e, rest @ ..], _) => apply_enum(
            m.enum_type.as_mut_slice().get_mut(*e as usize)?,
            rest,
            kind,
            bytes,
        ),
        ([3, n, rest @ ..], _) => apply_message(
            m.nested_type.as_mut_slice().get_mut(*n as usize)?,
            rest,
            kind,
            bytes,
        ),
        _ => None,
    }
}
