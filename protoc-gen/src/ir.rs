//! The intermediate representation between lowering and emitting: what to generate, per
//! proto package, with every name already resolved to Rust (identifiers, type paths relative
//! to where they are used, renamed fields) and every proto2/proto3 rule already applied.
//!
//! Plain data: `lower` builds it from descriptors, `emit` turns it into tokens, and neither
//! looks at the other.

/// One generated Rust file: the items of one proto package.
pub struct Package {
    /// The proto package (`my.app`; empty for none).
    pub name: String,
    /// The `.proto` files it comes from.
    pub files: Vec<String>,
    /// Top-level messages.
    pub messages: Vec<Message>,
    /// Top-level enums.
    pub enums: Vec<Enum>,
    /// Services.
    pub services: Vec<Service>,
    /// Extensions declared at file level.
    pub extensions: Vec<ExtensionField>,
    /// The embedded descriptor of each file, in the order of `files`.
    pub descriptors: Vec<FileDescriptor>,
}

/// The embedded descriptor of one `.proto` file: a `zpb::reflect::GeneratedFile` static at
/// the package's root.
pub struct FileDescriptor {
    /// The file's import path (`my/app.proto`).
    pub name: String,
    /// The static's name (`FILE_DESCRIPTOR_MY_APP`).
    pub static_name: String,
    /// The serialized `FileDescriptorProto`, without source info.
    pub bytes: Vec<u8>,
    /// Paths of the imports' statics, from the package's root, in import order.
    pub dependencies: Vec<String>,
}

/// A proto2 extension (`extend Foo { ... }`): a `zpb::Extension` or `zpb::RepeatedExtension`
/// constant in the module of its scope.
pub struct ExtensionField {
    /// The constant's name (`EXTENSION_INT32`).
    pub const_name: String,
    /// Full proto name, without the leading dot.
    pub full_name: String,
    /// Field number.
    pub number: i32,
    /// Doc comment of the constant.
    pub doc: Doc,
    /// Path of the extended message, from the constant's module.
    pub extendee: String,
    /// Type of the value (of each element, when repeated).
    pub value: Value,
    /// Whether the extension is `repeated`.
    pub repeated: bool,
}

/// A message: a struct deriving `zpb::Message`, and a module for what is nested in it.
pub struct Message {
    /// Full proto name, without the leading dot.
    pub full_name: String,
    /// The struct's name.
    pub rust_name: String,
    /// Module of nested types and oneofs (`outer::Inner`).
    pub module: String,
    /// Doc comment of the struct.
    pub doc: Doc,
    /// The struct's fields, in declaration order (a oneof where its first member is).
    pub items: Vec<Item>,
    /// Nested messages (map entries excluded).
    pub messages: Vec<Message>,
    /// Nested enums.
    pub enums: Vec<Enum>,
    /// Extensions declared inside the message (they go in its module).
    pub extensions: Vec<ExtensionField>,
    /// Name of the `zpb::MessageState` field.
    pub state_field: String,
    /// Reserved field names (`reserved "foo";`), which text-format parsers skip.
    pub reserved_names: Vec<String>,
    /// Path of its file's descriptor static (a [`FileDescriptor`]), from the struct's
    /// module.
    pub descriptor_file: String,
    /// User attributes (`Config::type_attribute`).
    pub attributes: Vec<String>,
}

/// A struct field: a plain field or a oneof.
pub enum Item {
    /// A field outside any oneof.
    Field(Field),
    /// A oneof: one `Option<Enum>` field.
    Oneof(Oneof),
}

/// A field outside any (real) oneof.
pub struct Field {
    /// Name in the proto.
    pub proto_name: String,
    /// The struct field's name (collisions resolved).
    pub rust_name: String,
    /// Field number.
    pub number: i32,
    /// Doc comment.
    pub doc: Doc,
    /// `[deprecated = true]`.
    pub deprecated: bool,
    /// The `json_name`, when it differs from the default one.
    pub json_name: Option<String>,
    /// Singular, repeated or map, with the value types.
    pub shape: Shape,
    /// User attributes (`Config::field_attribute`).
    pub attributes: Vec<String>,
}

/// Field shapes, each with what decides the Rust type of the whole field.
pub enum Shape {
    /// A singular field.
    Singular {
        /// Type of the value.
        value: Value,
        /// How presence is tracked.
        presence: Presence,
        /// A proto2 `[default = ...]`.
        default: Option<DefaultValue>,
        /// A message or group on a cycle of singular message fields (see `graph`) or chosen
        /// by `Config::boxed`: boxed (`zpb::MessageField<M>`) instead of inline
        /// (`zpb::Optional<M>`).
        boxed: bool,
    },
    /// A repeated field.
    Repeated {
        /// Type of each element.
        value: Value,
        /// Packed encoding (only ever set for scalars and enums).
        packed: bool,
    },
    /// A map field.
    Map {
        /// Type of the keys.
        key: Value,
        /// Type of the values.
        value: Value,
        /// `BTreeMap` instead of `HashMap` (`Config::btree_map`).
        btree: bool,
    },
}

/// How a singular field tracks presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// No presence: the default value is "not set" (proto3 scalars).
    Implicit,
    /// Explicit presence (`has_x()`).
    Optional,
    /// proto2 `required`: explicit presence, checked by `is_initialized`.
    Required,
}

/// The type of a field's values.
#[derive(Clone)]
pub enum Value {
    /// A scalar: its proto name (`sint32`) and Rust type (`i32`).
    Scalar {
        /// The proto type's name, the derive's word for it.
        word: &'static str,
        /// The Rust type.
        rust: &'static str,
    },
    /// `string`.
    String {
        /// Stored as `zpb::ThinString` (a singular or repeated field's, unless
        /// `Config::std_strings` says otherwise) instead of `String`.
        thin: bool,
    },
    /// `bytes`.
    Bytes {
        /// `bytes::Bytes` instead of `Vec<u8>` (`Config::bytes`).
        shared: bool,
    },
    /// A message, length-prefixed on the wire.
    Message {
        /// Path of the message type from where the field is used.
        path: String,
    },
    /// A message in delimited (group) encoding.
    Group {
        /// Path of the message type from where the field is used.
        path: String,
        /// The type's proto name, under which text format prints the field, when the field
        /// looks like a proto2 group (all groups do; in editions, a delimited field named as
        /// its type in lower case, whose type is declared beside it). `None`: the field name.
        text_name: Option<String>,
    },
    /// An enum.
    Enum {
        /// Path of the enum type from where the field is used.
        path: String,
        /// Closed: unknown values go to the unknown fields instead of the field.
        closed: bool,
    },
}

/// A proto2 default value, ready to print.
pub enum DefaultValue {
    /// An integer, as written (`-7`).
    Int(String),
    /// A float: a number, `inf`, `-inf` or `nan`.
    Float(String),
    /// A bool.
    Bool(bool),
    /// A string.
    Str(String),
    /// Bytes, unescaped.
    Bytes(Vec<u8>),
    /// An enum value's Rust variant.
    Enum(String),
}

/// A (real) oneof: a field holding `Option` of an enum with one variant per member.
pub struct Oneof {
    /// The struct field's name.
    pub rust_name: String,
    /// The oneof enum, as a path from the message's scope (`msg::Kind`).
    pub enum_path: String,
    /// The oneof enum's name.
    pub enum_name: String,
    /// Doc comment of the field and the enum.
    pub doc: Doc,
    /// The members, in declaration order.
    pub members: Vec<Member>,
}

/// A member of a oneof: one variant of its enum.
pub struct Member {
    /// Name in the proto.
    pub proto_name: String,
    /// The variant's name.
    pub variant: String,
    /// Base of the member's accessors on the message (`x`, `has_x`, ...).
    pub accessor: String,
    /// Field number.
    pub number: i32,
    /// Type of the value.
    pub value: Value,
    /// Doc comment.
    pub doc: Doc,
    /// `[deprecated = true]`.
    pub deprecated: bool,
}

/// An enum deriving `zpb::Enumeration`.
pub struct Enum {
    /// Full proto name, without the leading dot.
    pub full_name: String,
    /// The enum's name.
    pub rust_name: String,
    /// Doc comment.
    pub doc: Doc,
    /// The variants: one per number, the first value with it.
    pub values: Vec<EnumValue>,
    /// `allow_alias` duplicates: `impl E { pub const ALIAS: E = E::Original; }`.
    pub aliases: Vec<EnumValue>,
    /// User attributes (`Config::type_attribute`).
    pub attributes: Vec<String>,
    /// The path of the static holding the file's embedded descriptor, from the enum's
    /// module.
    pub descriptor_file: String,
}

/// An enum value: a variant, or an alias const.
pub struct EnumValue {
    /// Name in the proto.
    pub proto_name: String,
    /// Variant (or, for an alias, the const's name).
    pub rust_name: String,
    /// The variant a value stands for (itself, unless an alias).
    pub target: String,
    /// The number.
    pub number: i32,
    /// Doc comment.
    pub doc: Doc,
}

/// A service: a trait with one method per rpc, a descriptor const, and (with zpb's `zmq`
/// feature) a typed RPC client and server adapter.
pub struct Service {
    /// Full proto name, without the leading dot.
    pub full_name: String,
    /// The trait's name.
    pub rust_name: String,
    /// The typed client's name (`GreeterClient`).
    pub client_name: String,
    /// The server adapter's name (`GreeterServer`).
    pub server_name: String,
    /// The const holding the service's descriptor (`GREETER_SERVICE`).
    pub descriptor_const: String,
    /// Doc comment.
    pub doc: Doc,
    /// The rpcs.
    pub methods: Vec<Method>,
}

/// An rpc of a service.
pub struct Method {
    /// Name in the proto.
    pub proto_name: String,
    /// The trait method's name (also the client's method).
    pub rust_name: String,
    /// The client's method returning a new response (`say_hello_owned`).
    pub owned_name: String,
    /// The client's constant holding the method's index in the service (`SAY_HELLO`).
    pub index_const: String,
    /// Declared `idempotency_level = IDEMPOTENT` or `NO_SIDE_EFFECTS`: the client retries it.
    pub idempotent: bool,
    /// Path of the request type from the package root.
    pub input: String,
    /// Path of the response type from the package root.
    pub output: String,
    /// Full proto name of the request type, without the leading dot.
    pub input_full: String,
    /// Full proto name of the response type, without the leading dot.
    pub output_full: String,
    /// `stream` requests.
    pub client_streaming: bool,
    /// `stream` responses.
    pub server_streaming: bool,
    /// Doc comment.
    pub doc: Doc,
}

/// A doc comment: the proto comment, or a fallback sentence.
pub struct Doc {
    /// The proto comment (leading, then trailing), as protoc records it.
    pub comment: Option<String>,
    /// What to write without a comment.
    pub fallback: String,
}
