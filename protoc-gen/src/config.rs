//! [`Config`]: the options of the generator. Its entry points (`compile_protos`,
//! `generate`, ...) run the pipeline and live with it, in `generate`.

use std::path::PathBuf;

/// Which parser turns `.proto` files into descriptors.
#[derive(Clone, Debug, Default)]
pub enum Parser {
    /// zpb's own front end ([`crate::frontend`]): pure Rust, no protoc needed, proto2,
    /// proto3 and editions.
    #[default]
    Own,
    /// A `protoc` binary: the given path, else `$PROTOC`, else `protoc` on `PATH`.
    Protoc(Option<PathBuf>),
}

/// Options of the generator, like prost-build's `Config`.
///
/// Paths in options name proto elements: `.` matches everything, a fully qualified
/// `.pkg.Msg` matches that message and everything in it (`.pkg.Msg.field`), and a name
/// without a leading dot matches by suffix (`Msg.field`).
///
/// ```no_run
/// // build.rs
/// fn main() -> std::io::Result<()> {
///     zpb_build::Config::new()
///         .btree_map(["."])
///         .bytes([".my.app.Blob.data"])
///         .type_attribute(".my.app.Order", "#[allow(clippy::large_enum_variant)]")
///         .compile_protos(&["proto/app.proto"], &["proto"])
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) type_attributes: Vec<(String, String)>,
    pub(crate) field_attributes: Vec<(String, String)>,
    pub(crate) bytes: Vec<String>,
    pub(crate) btree_map: Vec<String>,
    pub(crate) boxed: Vec<String>,
    pub(crate) std_strings: Vec<String>,
    pub(crate) compile_well_known_types: bool,
    pub(crate) file_descriptor_set_path: Option<PathBuf>,
    pub(crate) parser: Parser,
    pub(crate) skip_rerun_if_changed: bool,
}

impl Config {
    /// Default options: zpb's own pure-Rust front end, `HashMap` maps, `Vec<u8>` bytes, output to
    /// `$OUT_DIR`, `cargo:rerun-if-changed` lines printed.
    pub fn new() -> Config {
        Config::default()
    }

    /// Where [`compile_protos`](Config::compile_protos) writes (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Config {
        self.out_dir = Some(dir.into());
        self
    }

    /// Adds an attribute (e.g. `#[derive(Hash)]`) to the messages and enums matching `path`.
    pub fn type_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.type_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Adds an attribute to the fields matching `path` (e.g. `.my.app.Order.id`).
    pub fn field_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.field_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Stores the `bytes` fields matching these paths as `bytes::Bytes` (shared, cheap to
    /// clone) instead of `Vec<u8>`.
    pub fn bytes<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bytes.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Stores the map fields matching these paths as `BTreeMap` (sorted, deterministic
    /// encoding) instead of `HashMap`.
    pub fn btree_map<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.btree_map.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Stores the singular message fields matching these paths boxed
    /// (`zpb::MessageField<M>`) instead of inline (`zpb::Optional<M>`): an unset field then
    /// takes one pointer instead of the whole sub-message, and a set one costs an allocation
    /// the first time it is set. Worth it for large sub-messages that are rarely set. Like
    /// every kept allocation, the box stays across `clear()` under `MemoryPolicy::Retain`
    /// (so a reused message sets it again without allocating) and is given back, when unset,
    /// by `Release`, `Shrink` and an exceeded `Budget`. Fields on a cycle of singular message
    /// fields are boxed whatever the options; oneof members are always boxed.
    ///
    /// ```no_run
    /// zpb_build::Config::new()
    ///     .boxed([".my.app.Order.audit_trail"])
    ///     .compile_protos(&["proto/app.proto"], &["proto"])
    ///     .unwrap();
    /// ```
    pub fn boxed<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.boxed.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Stores the singular and repeated `string` fields matching these paths as `String`
    /// (`Optional<String>` with presence, `Repeated<String>`) instead of the default
    /// `zpb::ThinString` (`zpb::OptionalThinString`, `Repeated<ThinString>`).
    ///
    /// A `ThinString` is one pointer (8 bytes in the message, against 24 for a `String` and
    /// 32 for an `Optional<String>`) to a block holding its length and capacity (8 bytes)
    /// before the text; an empty one allocates nothing. It reads as a `&str`, grows like a
    /// `String`, and keeps its buffer across `clear()` the same way, so the accessors are the
    /// same either way; choose `String` where code needs the fields themselves to be
    /// `String`s (taking one out without a copy, passing `&mut String` on). Map keys and
    /// values, oneof members and extensions are always `String`.
    ///
    /// ```no_run
    /// zpb_build::Config::new()
    ///     .std_strings([".my.app"])
    ///     .compile_protos(&["proto/app.proto"], &["proto"])
    ///     .unwrap();
    /// ```
    pub fn std_strings<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.std_strings.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Generates the well-known types (`google/protobuf/timestamp.proto`, ...) instead of
    /// referring to `zpb::well_known` (used to build `zpb::well_known` itself).
    pub fn compile_well_known_types(&mut self) -> &mut Config {
        self.compile_well_known_types = true;
        self
    }

    /// Also writes the parsed files (inputs and imports) as a serialized `FileDescriptorSet`.
    pub fn file_descriptor_set_path(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.file_descriptor_set_path = Some(path.into());
        self
    }

    /// Parses with a `protoc` binary (`$PROTOC`, else `protoc` on `PATH`) instead of zpb's
    /// own front end (which gives the same descriptors on every file of protobuf's own
    /// corpus): Google's parser itself, for syntax newer than the front end knows.
    pub fn protoc(&mut self) -> &mut Config {
        self.parser = Parser::Protoc(None);
        self
    }

    /// Parses with the `protoc` binary at `path`.
    pub fn protoc_path(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.parser = Parser::Protoc(Some(path.into()));
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every input and import (default: yes).
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Config {
        self.skip_rerun_if_changed = !emit;
        self
    }
}
