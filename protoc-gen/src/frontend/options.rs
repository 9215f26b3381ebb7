//! Option interpretation as protoc does it: each option statement becomes wire bytes of its
//! options message (built-in options known fields, custom options extension fields that stay
//! unknown fields of zpb's options types, in statement order), aggregate values encoded as the
//! text-format message they spell (fields in number order, packed where the field is).

use std::collections::{HashMap, HashSet};

use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::{
    DescriptorProto, EnumOptions, EnumValueOptions, ExtensionRangeOptions, FieldOptions, FileDescriptorProto,
    FileOptions, MessageOptions, MethodOptions, OneofOptions, ServiceOptions,
};
use zpb::Message;

use super::ast::{AggregateField, OptionsKind, PendingOption, Scalar, Value};
use super::error::{FrontendError, Pos};
use super::link::{SymbolKind, SymbolTable};
use super::parser::{ParsedFile, Syntax};

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
}

/// The messages, enums and extensions of a set of files, for interpreting options.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    messages: HashMap<String, Vec<FieldInfo>>,
    enums: HashMap<String, Vec<(String, i32)>>,
    extensions: HashMap<String, FieldInfo>,
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

impl Pool {
    /// Adds the types of a resolved file; names already in the pool keep their first
    /// definition (so the built-in `descriptor.proto` added first stays what options use).
    pub fn add_file(&mut self, file: &FileDescriptorProto, syntax: Syntax) {
        let package = file.package();
        for m in file.message_type.iter() {
            self.add_message(m, package, syntax);
        }
        for e in file.enum_type.iter() {
            self.add_enum(e, package);
        }
        for f in file.extension.iter() {
            self.add_extension(f, package, syntax);
        }
    }

    fn add_message(&mut self, m: &DescriptorProto, scope: &str, syntax: Syntax) {
        let name = join(scope, m.name());
        let fields = m.field.iter().map(|f| field_info(f, syntax)).collect();
        self.messages.entry(name.clone()).or_insert(fields);
        for n in m.nested_type.iter() {
            self.add_message(n, &name, syntax);
        }
        for e in m.enum_type.iter() {
            self.add_enum(e, &name);
        }
        for f in m.extension.iter() {
            self.add_extension(f, &name, syntax);
        }
    }

    fn add_enum(&mut self, e: &zpb::descriptor::EnumDescriptorProto, scope: &str) {
        let values = e.value.iter().map(|v| (v.name().to_string(), v.number.unwrap_or(0))).collect();
        self.enums.entry(join(scope, e.name())).or_insert(values);
    }

    fn add_extension(&mut self, f: &zpb::descriptor::FieldDescriptorProto, scope: &str, syntax: Syntax) {
        self.extensions
            .entry(join(scope, f.name()))
            .or_insert_with(|| field_info(f, syntax));
    }
}

fn field_info(f: &zpb::descriptor::FieldDescriptorProto, syntax: Syntax) -> FieldInfo {
    let ty = f.r#type.unwrap_or_default();
    let repeated = f.label == Some(Label::Repeated);
    let scalar = !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group);
    let explicit = f.options.get().and_then(|o| o.packed);
    let packed = repeated
        && scalar
        && explicit.unwrap_or(!matches!(syntax, Syntax::Proto2));
    FieldInfo {
        name: f.name().to_string(),
        number: f.number.unwrap_or(0),
        repeated,
        ty,
        type_name: f.type_name().trim_start_matches('.').to_string(),
        packed,
        extendee: f.extendee().trim_start_matches('.').to_string(),
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
    }
}

/// Interprets options against `pool` (types) and `table` (names as seen from each scope).
struct Interpreter<'a> {
    pool: &'a Pool,
    table: &'a SymbolTable,
    file: &'a str,
}

impl Interpreter<'_> {
    fn error(&self, pos: Pos, message: impl Into<String>) -> FrontendError {
        FrontendError::at(self.file, pos, message)
    }

    fn message_fields(&self, name: &str, pos: Pos) -> Result<&[FieldInfo], FrontendError> {
        self.pool
            .messages
            .get(name)
            .map(Vec::as_slice)
            .ok_or_else(|| self.error(pos, format!("\"{name}\" is not defined.")))
    }

    /// The wire bytes of one option statement for its options message.
    fn option(&self, option: &PendingOption) -> Result<(Vec<u8>, bool), FrontendError> {
        let display = display_name(option);
        let mut message = option.kind.message_name().to_string();
        let mut chain: Vec<FieldInfo> = Vec::new();
        for (i, part) in option.name.iter().enumerate() {
            if i == 0 && !part.is_extension && part.name == "uninterpreted_option" {
                return Err(self.error(part.pos, "Option must not use reserved name \"uninterpreted_option\"."));
            }
            if let Some(prev) = chain.last() {
                if !matches!(prev.ty, Type::Message | Type::Group) {
                    return Err(self.error(
                        part.pos,
                        format!("Option \"{}\" is an atomic type, not a message.", prefix_name(option, i)),
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
                message = prev.type_name.clone();
            }
            let field = if part.is_extension {
                let found = self
                    .table
                    .lookup(&part.name, &option.scope, false)
                    .filter(|(_, s)| s.kind == SymbolKind::Extension)
                    .and_then(|(full, _)| self.pool.extensions.get(&full));
                let Some(field) = found else {
                    return Err(self.error(
                        part.pos,
                        format!(
                            "Option \"{}\" unknown. Ensure that your proto definition file imports the proto which defines the option.",
                            prefix_name(option, i + 1)
                        ),
                    ));
                };
                if field.extendee != message {
                    return Err(self.error(
                        part.pos,
                        format!(
                            "Option \"{}\" is not a field or extension of message \"{}\".",
                            prefix_name(option, i + 1),
                            short_name(&message)
                        ),
                    ));
                }
                field.clone()
            } else {
                let fields = self.message_fields(&message, part.pos)?;
                let Some(field) = fields.iter().find(|f| f.name == part.name) else {
                    return Err(self.error(
                        part.pos,
                        if i == 0 {
                            format!(
                                "Option \"{}\" unknown. Ensure that your proto definition file imports the proto which defines the option.",
                                part.name
                            )
                        } else {
                            format!(
                                "Option field \"{}\" is not a field or extension of message \"{}\".",
                                prefix_name(option, i + 1),
                                short_name(&message)
                            )
                        },
                    ));
                };
                field.clone()
            };
            chain.push(field);
        }
        if option.kind == OptionsKind::Message && option.name.len() == 1 && option.name[0].name == "map_entry" {
            return Err(self.error(
                option.pos,
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
            ));
        }
        let Some(last) = chain.last() else {
            return Err(self.error(option.pos, "Expected option name."));
        };
        let encoded = self.value(&option.value, last, &display, true)?;
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
        let repeated = chain.iter().any(|f| f.repeated);
        Ok((bytes, repeated))
    }

    /// `value` for `field`; `statement` when it is an option statement's value (stricter
    /// than text format about how scalars are spelled, as protoc is).
    fn value(&self, value: &Value, field: &FieldInfo, display: &str, statement: bool) -> Result<Encoded, FrontendError> {
        let pos = value.pos();
        let scalar = match value {
            Value::Message(fields, _) => {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    return Err(self.error(pos, format!("Option \"{display}\" is not a message; it cannot be set with an aggregate value.")));
                }
                let bytes = self.aggregate(fields, &field.type_name)?;
                return Ok(if field.ty == Type::Group {
                    Encoded::Group(bytes)
                } else {
                    Encoded::Delimited(bytes)
                });
            }
            Value::List(..) => return Err(self.error(pos, format!("Unexpected list for option \"{display}\"."))),
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
                let values = self.pool.enums.get(&field.type_name);
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
                        format!("Value out of range for {kind} option \"{display}\".")
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
    fn aggregate(&self, fields: &[AggregateField], message: &str) -> Result<Vec<u8>, FrontendError> {
        let known = self.message_fields(message, fields.first().map(|f| f.pos).unwrap_or_default())?;
        let mut items: Vec<(FieldInfo, Encoded)> = Vec::new();
        for af in fields {
            let field = if af.is_extension {
                if let Some((_, type_name)) = af.name.split_once('/') {
                    if message == "google.protobuf.Any" {
                        let Value::Message(inner, _) = &af.value else {
                            return Err(self.error(af.pos, "Expected \"{\"."));
                        };
                        let payload = self.aggregate(inner, type_name)?;
                        let mut any = Vec::new();
                        put_len(&mut any, 1, af.name.as_bytes());
                        put_len(&mut any, 2, &payload);
                        items.push((any_field(), Encoded::Delimited(any)));
                        continue;
                    }
                }
                let name = af.name.trim_start_matches('.');
                self.pool
                    .extensions
                    .get(name)
                    .filter(|f| f.extendee == message)
                    .ok_or_else(|| {
                        self.error(af.pos, format!("Extension \"{name}\" is not defined or is not an extension of \"{message}\"."))
                    })?
                    .clone()
            } else {
                known
                    .iter()
                    .find(|f| f.name == af.name || (f.ty == Type::Group && short_name(&f.type_name) == af.name))
                    .ok_or_else(|| {
                        self.error(af.pos, format!("Message type \"{message}\" has no field named \"{}\".", af.name))
                    })?
                    .clone()
            };
            let values: Vec<&Value> = match &af.value {
                Value::List(items, pos) => {
                    if !field.repeated {
                        return Err(self.error(*pos, format!("Field \"{}\" is not repeated.", field.name)));
                    }
                    items.iter().collect()
                }
                v => vec![v],
            };
            for v in values {
                let encoded = self.value(v, &field, &field.name, false)?;
                items.push((field.clone(), encoded));
            }
        }
        let mut seen = HashSet::new();
        for (f, _) in &items {
            if !f.repeated && !seen.insert(f.number) && !matches!(f.ty, Type::Message | Type::Group) {
                return Err(self.error(
                    fields.first().map(|f| f.pos).unwrap_or_default(),
                    format!("Non-repeated field \"{}\" is specified multiple times.", f.name),
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

fn any_field() -> FieldInfo {
    FieldInfo {
        name: "any".to_string(),
        number: 0,
        repeated: false,
        ty: Type::Message,
        type_name: String::new(),
        packed: false,
        extendee: String::new(),
    }
}

fn is_inf(name: &str, statement: bool) -> bool {
    name == "inf" || (!statement && (name.eq_ignore_ascii_case("inf") || name.eq_ignore_ascii_case("infinity")))
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

/// The option's name as written (`(foo.bar).baz`).
fn display_name(option: &PendingOption) -> String {
    prefix_name(option, option.name.len())
}

fn prefix_name(option: &PendingOption, parts: usize) -> String {
    option.name[..parts]
        .iter()
        .map(|p| if p.is_extension { format!("({})", p.name) } else { p.name.clone() })
        .collect::<Vec<_>>()
        .join(".")
}

/// Interprets the pending options of `parsed` and stores them in its descriptor.
pub fn interpret(parsed: &mut ParsedFile, pool: &Pool, table: &SymbolTable) -> Result<(), FrontendError> {
    let file = parsed.proto.name().to_string();
    let interpreter = Interpreter {
        pool,
        table,
        file: &file,
    };
    let mut buffers: Vec<(Vec<i32>, OptionsKind, Vec<u8>)> = Vec::new();
    let mut index: HashMap<Vec<i32>, usize> = HashMap::new();
    let mut set_once: HashSet<(Vec<i32>, String)> = HashSet::new();
    for option in &parsed.options {
        let (bytes, repeated) = interpreter.option(option)?;
        let name = display_name(option);
        if !repeated && !set_once.insert((option.target.clone(), name.clone())) {
            return Err(interpreter.error(option.pos, format!("Option \"{name}\" was already set.")));
        }
        let slot = *index.entry(option.target.clone()).or_insert_with(|| {
            buffers.push((option.target.clone(), option.kind, Vec::new()));
            buffers.len() - 1
        });
        buffers[slot].2.extend_from_slice(&bytes);
    }
    for (target, kind, bytes) in buffers {
        let pos = parsed.names.get(&target).copied().unwrap_or_default();
        apply(&mut parsed.proto, &target, kind, &bytes)
            .ok_or_else(|| FrontendError::at(&file, pos, "Options could not be stored in the descriptor."))?;
    }
    Ok(())
}

fn parse<M: Message + Default>(bytes: &[u8]) -> Option<M> {
    let mut m = M::default();
    m.merge_from_slice(bytes).ok()?;
    Some(m)
}

/// Stores the options `bytes` of kind `kind` on the element at `path`.
fn apply(file: &mut FileDescriptorProto, path: &[i32], kind: OptionsKind, bytes: &[u8]) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::File) => file.options.set(parse::<FileOptions>(bytes)?),
        ([5, e, rest @ ..], _) => apply_enum(file.enum_type.as_mut_slice().get_mut(*e as usize)?, rest, kind, bytes)?,
        ([6, s], OptionsKind::Service) => file
            .service
            .as_mut_slice()
            .get_mut(*s as usize)?
            .options
            .set(parse::<ServiceOptions>(bytes)?),
        ([6, s, 2, m], OptionsKind::Method) => file
            .service
            .as_mut_slice()
            .get_mut(*s as usize)?
            .method
            .as_mut_slice()
            .get_mut(*m as usize)?
            .options
            .set(parse::<MethodOptions>(bytes)?),
        ([7, f], OptionsKind::Field) => file
            .extension
            .as_mut_slice()
            .get_mut(*f as usize)?
            .options
            .set(parse::<FieldOptions>(bytes)?),
        ([4, m, rest @ ..], _) => {
            apply_message(file.message_type.as_mut_slice().get_mut(*m as usize)?, rest, kind, bytes)?
        }
        _ => return None,
    }
    Some(())
}

fn apply_enum(
    e: &mut zpb::descriptor::EnumDescriptorProto,
    path: &[i32],
    kind: OptionsKind,
    bytes: &[u8],
) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::Enum) => e.options.set(parse::<EnumOptions>(bytes)?),
        ([2, v], OptionsKind::EnumValue) => e
            .value
            .as_mut_slice()
            .get_mut(*v as usize)?
            .options
            .set(parse::<EnumValueOptions>(bytes)?),
        _ => return None,
    }
    Some(())
}

fn apply_message(m: &mut DescriptorProto, path: &[i32], kind: OptionsKind, bytes: &[u8]) -> Option<()> {
    match (path, kind) {
        ([], OptionsKind::Message) => m.options.set(parse::<MessageOptions>(bytes)?),
        ([2 | 6, f], OptionsKind::Field) => {
            let fields = if path[0] == 2 { &mut m.field } else { &mut m.extension };
            fields
                .as_mut_slice()
                .get_mut(*f as usize)?
                .options
                .set(parse::<FieldOptions>(bytes)?)
        }
        ([8, o], OptionsKind::Oneof) => m
            .oneof_decl
            .as_mut_slice()
            .get_mut(*o as usize)?
            .options
            .set(parse::<OneofOptions>(bytes)?),
        ([5, r], OptionsKind::ExtensionRange) => m
            .extension_range
            .as_mut_slice()
            .get_mut(*r as usize)?
            .options
            .set(parse::<ExtensionRangeOptions>(bytes)?),
        ([4, e, rest @ ..], _) => apply_enum(m.enum_type.as_mut_slice().get_mut(*e as usize)?, rest, kind, bytes)?,
        ([3, n, rest @ ..], _) => apply_message(m.nested_type.as_mut_slice().get_mut(*n as usize)?, rest, kind, bytes)?,
        _ => return None,
    }
    Some(())
}
