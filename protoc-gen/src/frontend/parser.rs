//! The parser: tokens → a [`FileDescriptorProto`] as protoc's parser fills it in (names as
//! written, map entries and groups as nested types, synthetic oneofs), plus the option
//! statements and type names the linker still has to interpret and resolve.

use super::hash::{HashMap, HashSet};
use std::rc::Rc;

use zpb::descriptor::feature_set::EnumType;
use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::{
    descriptor_proto, enum_descriptor_proto, DescriptorProto, Edition, EnumDescriptorProto,
    FieldDescriptorProto, FileDescriptorProto, MessageOptions, MethodDescriptorProto,
    MethodOptions, OneofDescriptorProto, ServiceDescriptorProto, SymbolVisibility,
};

use super::ast::{
    AggregateField, LocComments, NamePart, OptionsKind, PendingOption, Positions, RefKind, Scalar,
    SourceLoc, TypeRef, Value, UNINTERPRETED_OPTION,
};
use super::comments;
use super::error::{FrontendError, Pos};
use super::lexer::{tokenize, Token, TokenKind};
use super::names::map_entry_name;
use super::names::{join, with};
use super::path::Path;

/// How deep messages and groups may nest (protoc's limit: the 32nd level is an error).
pub const MAX_MESSAGE_DEPTH: usize = 32;

/// How deep aggregate option values may nest (protoc's text-format limit).
pub const MAX_AGGREGATE_DEPTH: usize = 100;

/// The end of a message range written `to max`, until the linker knows whether the message
/// uses `message_set_wire_format` (protoc's `kMaxRangeSentinel`).
pub const MAX_SENTINEL: i32 = -1;

/// The largest field number (`max` in extension and reserved ranges: one past it).
pub const MAX_FIELD_NUMBER: i32 = 536_870_911;

/// The syntax a file declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `syntax = "proto2";` or no declaration.
    Proto2,
    /// `syntax = "proto3";`
    Proto3,
    /// `edition = "2023";` or later.
    Editions(Edition),
}

impl Syntax {
    /// Whether enums under `features` (inheriting `inherited`, else this syntax's default)
    /// are open: the `enum_type` feature.
    pub fn open_enums(
        self,
        inherited: Option<bool>,
        features: Option<&zpb::descriptor::FeatureSet>,
    ) -> bool {
        match features.and_then(|f| f.enum_type) {
            Some(EnumType::Closed) => false,
            Some(EnumType::Open) => true,
            _ => inherited.unwrap_or(match self {
                Syntax::Proto2 => false,
                Syntax::Proto3 | Syntax::Editions(_) => true,
            }),
        }
    }
}

/// A parsed file: the descriptor as the parser fills it in, and what the linker still does.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    /// The descriptor: type names as written (not yet resolved), options not yet set.
    pub proto: FileDescriptorProto,
    /// The syntax the file declares.
    pub syntax: Syntax,
    /// Option statements in the order protoc interprets them.
    pub options: Vec<PendingOption>,
    /// Type names to resolve.
    pub type_refs: Vec<TypeRef>,
    /// Where each element (by source-code-info path) has its name.
    pub names: Positions,
    /// Where some parts of elements are, by source-code-info path: a field's or enum
    /// value's number (`path + [2]` for enum values, `path + [3]` for fields), a field's
    /// default (`path + [7]`).
    pub locs: Positions,
    /// Where the import statement of each imported file is.
    pub import_pos: HashMap<String, Pos>,
    /// Source locations in protoc's order (option paths not yet interpreted).
    pub source: Vec<SourceLoc>,
    /// Where the option interpreter moved each option's location (`uninterpreted_option`
    /// path → the path of the field it set).
    pub option_paths: HashMap<Path, Path>,
    /// The (interpreted) paths of options with `retention = RETENTION_SOURCE`.
    pub source_retention_paths: HashSet<Path>,
    /// Paths whose locations go with the options left out of the descriptor: source-retention
    /// options, and the `options` of elements that lost all of theirs.
    pub stripped_options: HashSet<Path>,
    /// The files whose definitions this file uses (type names, extendees, custom options;
    /// `descriptor.proto` for any option): an import none of them is reachable from is
    /// unused.
    pub used_files: HashSet<String>,
}

/// Parses `text`, the contents of the file named `name`.
pub fn parse(name: &str, text: &[u8]) -> Result<ParsedFile, FrontendError> {
    let (tokens, eof) = tokenize(name, text)?;
    let bom = if text.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let first = comments::gap_before(text, bom, &tokens, 0);
    let mut parser = Parser {
        file: name,
        text,
        bom,
        // About three locations per four tokens: one allocation for them, usually.
        source: Vec::with_capacity(tokens.len() / 4 * 3 + 4),
        tokens,
        eof,
        upcoming_doc: first.leading,
        upcoming_detached: first.detached,
        option_counts: HashMap::default(),
        at: 0,
        syntax: Syntax::Proto2,
        options: Vec::new(),
        type_refs: Vec::new(),
        names: Positions::default(),
        locs: Positions::default(),
        import_pos: HashMap::default(),
        depth: 0,
        aggregate_depth: 0,
        package: Rc::from(""),
        before_package: None,
    };
    let mut proto = FileDescriptorProto::default();
    proto.name.set(name.to_string());
    parser.parse_file(&mut proto)?;
    Ok(ParsedFile {
        proto,
        syntax: parser.syntax,
        options: parser.options,
        type_refs: parser.type_refs,
        names: parser.names,
        locs: parser.locs,
        import_pos: parser.import_pos,
        source: parser.source,
        option_paths: HashMap::default(),
        source_retention_paths: Default::default(),
        stripped_options: Default::default(),
        used_files: Default::default(),
    })
}

/// The scalar type keywords of the unstable edition (protoc 35.1): fixed-width `int32` /
/// `uint32`, varints spelled out, zig-zag renamed; `Err` names the obsolete spelling's
/// replacement.
fn unstable_scalar_type(name: &str) -> Option<Result<Type, &'static str>> {
    Some(Ok(match name {
        "int32" => Type::Sfixed32,
        "int64" => Type::Sfixed64,
        "uint32" => Type::Fixed32,
        "uint64" => Type::Fixed64,
        "zigzag32" => Type::Sint32,
        "zigzag64" => Type::Sint64,
        "varint32" => Type::Int32,
        "varint64" => Type::Int64,
        "uvarint32" => Type::Uint32,
        "uvarint64" => Type::Uint64,
        "sint32" => return Some(Err("zigzag32")),
        "sint64" => return Some(Err("zigzag64")),
        "fixed32" => return Some(Err("uint32")),
        "fixed64" => return Some(Err("uint64")),
        "sfixed32" => return Some(Err("int32")),
        "sfixed64" => return Some(Err("int64")),
        _ => return scalar_type(name).map(Ok),
    }))
}

/// Where protoc 35.1 accepts files of the unstable edition (its allowlist, as observed).
const UNSTABLE_EDITION_PATHS: &[&str] = &["google/protobuf/", "conformance/test_protos/", "upb/"];

/// The scalar type keywords.
fn scalar_type(name: &str) -> Option<Type> {
    Some(match name {
        "double" => Type::Double,
        "float" => Type::Float,
        "int64" => Type::Int64,
        "uint64" => Type::Uint64,
        "int32" => Type::Int32,
        "fixed64" => Type::Fixed64,
        "fixed32" => Type::Fixed32,
        "bool" => Type::Bool,
        "string" => Type::String,
        "group" => Type::Group,
        "bytes" => Type::Bytes,
        "uint32" => Type::Uint32,
        "sfixed32" => Type::Sfixed32,
        "sfixed64" => Type::Sfixed64,
        "sint32" => Type::Sint32,
        "sint64" => Type::Sint64,
        _ => return None,
    })
}

/// A field's type as written: a scalar keyword or a type name.
#[derive(Clone, Debug)]
enum FieldType {
    Scalar(Type),
    Named(String, Pos),
}

/// Where the fields a statement declares go.
struct Sink<'a> {
    /// The fields (a message's `field`, or `extension` of a message or file).
    fields: &'a mut zpb::Repeated<FieldDescriptorProto>,
    /// Path prefix of `fields` (e.g. `[4, 0, 2]`).
    field_path: Path,
    /// Where group types go (the enclosing message's `nested_type` or the file's types).
    messages: &'a mut zpb::Repeated<DescriptorProto>,
    /// Path prefix of `messages`.
    message_path: Path,
    /// The enclosing scope (message full name, or the package).
    scope: Rc<str>,
}

struct Parser<'a> {
    file: &'a str,
    tokens: Vec<Token<'a>>,
    /// Where the text ends (errors at end of input point there).
    eof: Pos,
    /// The file's text (its comments are read from the gaps between tokens).
    text: &'a [u8],
    /// Where the text starts (after a byte order mark).
    bom: usize,
    /// Source locations recorded so far.
    source: Vec<SourceLoc>,
    /// The comment leading the next declaration.
    upcoming_doc: String,
    /// The detached comments before the next declaration.
    upcoming_detached: Vec<String>,
    /// How many options each element has had so far (their `uninterpreted_option` index).
    option_counts: HashMap<Path, i32>,
    at: usize,
    syntax: Syntax,
    options: Vec<PendingOption>,
    type_refs: Vec<TypeRef>,
    names: Positions,
    locs: Positions,
    import_pos: HashMap<String, Pos>,
    depth: usize,
    aggregate_depth: usize,
    /// The scope of top-level definitions: the package once declared, else empty.
    package: Rc<str>,
    /// How many options and type references were recorded before the package statement
    /// (their scopes lack the package, which is added at the end).
    before_package: Option<(usize, usize)>,
}

fn len_i32<T>(r: &zpb::Repeated<T>) -> i32 {
    r.len() as i32
}

impl<'a> Parser<'a> {
    // ---- token helpers ----

    fn peek(&self) -> Option<&TokenKind<'a>> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn peek_at(&self, ahead: usize) -> Option<&TokenKind<'a>> {
        self.tokens.get(self.at + ahead).map(|t| &t.kind)
    }

    fn pos(&self) -> Pos {
        match self.tokens.get(self.at) {
            Some(t) => t.start,
            None => self.eof,
        }
    }

    fn error(&self, message: impl Into<String>) -> FrontendError {
        FrontendError::at(self.file, self.pos(), message)
    }

    fn error_at(&self, pos: Pos, message: impl Into<String>) -> FrontendError {
        FrontendError::at(self.file, pos, message)
    }

    fn at_end(&self) -> bool {
        self.at >= self.tokens.len()
    }

    fn looking_at(&self, word: &str) -> bool {
        matches!(self.peek(), Some(TokenKind::Ident(w)) if *w == word)
    }

    fn looking_at_symbol(&self, c: char) -> bool {
        self.peek() == Some(&TokenKind::Symbol(c))
    }

    fn try_consume(&mut self, word: &str) -> bool {
        if self.looking_at(word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn try_symbol(&mut self, c: char) -> bool {
        if self.looking_at_symbol(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect_symbol(&mut self, c: char) -> Result<(), FrontendError> {
        if self.try_symbol(c) {
            Ok(())
        } else {
            Err(self.error(format!("Expected \"{c}\".")))
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), FrontendError> {
        if self.try_consume(word) {
            Ok(())
        } else {
            Err(self.error(format!("Expected \"{word}\".")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<(&'a str, Pos), FrontendError> {
        let pos = self.pos();
        match self.peek() {
            Some(&TokenKind::Ident(w)) => {
                self.at += 1;
                Ok((w, pos))
            }
            _ => Err(self.error(what)),
        }
    }

    /// An unsigned integer token.
    fn integer(&mut self, what: &str) -> Result<(u64, Pos), FrontendError> {
        let pos = self.pos();
        match self.peek() {
            Some(TokenKind::Int(Some(v))) => {
                let v = *v;
                self.at += 1;
                Ok((v, pos))
            }
            Some(TokenKind::Int(None)) => Err(self.error("Integer out of range.")),
            _ => Err(self.error(what)),
        }
    }

    /// An integer with an optional `-`, in `[-(max+1)... max]` for negatives as protoc.
    fn signed_int(&mut self, max: u64, what: &str) -> Result<(i64, Pos), FrontendError> {
        let pos = self.pos();
        let negative = self.try_symbol('-');
        let (v, _) = self.integer(what)?;
        let limit = if negative { max + 1 } else { max };
        if v > limit {
            return Err(self.error_at(pos, "Integer out of range."));
        }
        Ok((
            if negative {
                (v as i128).wrapping_neg() as i64
            } else {
                v as i64
            },
            pos,
        ))
    }

    /// One or more adjacent string literals, concatenated.
    fn string(&mut self, what: &str) -> Result<(Vec<u8>, Pos), FrontendError> {
        let pos = self.pos();
        let mut out = Vec::new();
        let mut any = false;
        while let Some(TokenKind::Str(s)) = self.peek() {
            out.extend_from_slice(s);
            self.at += 1;
            any = true;
        }
        if any {
            Ok((out, pos))
        } else {
            Err(self.error(what))
        }
    }

    fn utf8_string(&mut self, what: &str) -> Result<(String, Pos), FrontendError> {
        let (bytes, pos) = self.string(what)?;
        String::from_utf8(bytes)
            .map(|s| (s, pos))
            .map_err(|_| self.error_at(pos, "String is not valid UTF-8."))
    }

    /// One more level of message nesting, starting at the current token.
    fn enter_message(&mut self) -> Result<(), FrontendError> {
        self.depth += 1;
        if self.depth >= MAX_MESSAGE_DEPTH {
            return Err(self.error("Reached maximum recursion limit for nested messages."));
        }
        Ok(())
    }

    /// One more level of aggregate nesting.
    fn enter_aggregate(&mut self) -> Result<(), FrontendError> {
        self.aggregate_depth += 1;
        if self.aggregate_depth > MAX_AGGREGATE_DEPTH {
            return Err(self.error(
                "Message is too deep, the parser exceeded the configured recursion limit of 100.",
            ));
        }
        Ok(())
    }

    /// Whether the file is edition 2024 or later (visibility keywords, `import option`).
    fn edition_2024(&self) -> bool {
        matches!(self.syntax, Syntax::Editions(e) if e as i32 >= Edition::Edition2024 as i32)
    }

    fn is_editions(&self) -> bool {
        matches!(self.syntax, Syntax::Editions(_))
    }

    // ---- source locations (protoc's `LocationRecorder`) ----

    /// Starts a source location at the current token.
    fn open(&mut self, path: Path) -> usize {
        let start = self.pos();
        self.open_at(path, start)
    }

    fn open_at(&mut self, path: Path, start: Pos) -> usize {
        self.source.push(SourceLoc {
            path,
            start,
            end: start,
            comments: None,
        });
        self.source.len() - 1
    }

    /// Where the previous token ends.
    fn previous_end(&self) -> Pos {
        self.at
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(self.eof, |t| t.end)
    }

    /// Ends a source location at the end of the previous token.
    fn close(&mut self, loc: usize) {
        self.source[loc].end = self.previous_end();
    }

    /// Consumes `c` ending a declaration, handing out comments as protoc does: the element at
    /// `loc` gets the comment leading it and the detached ones before it (both seen at the
    /// previous declaration's end) and the one trailing `c`.
    fn try_end(&mut self, c: char, loc: Option<usize>) -> bool {
        if !self.try_symbol(c) {
            return false;
        }
        // Each gap is read once: after the token before it, which is consumed here.
        let gap = comments::gap_before(self.text, self.bom, &self.tokens, self.at);
        let leading = std::mem::replace(&mut self.upcoming_doc, gap.leading);
        match loc {
            Some(loc) => {
                let detached = std::mem::replace(&mut self.upcoming_detached, gap.detached);
                let any = !(leading.is_empty() && gap.trailing.is_empty() && detached.is_empty());
                self.source[loc].comments = any.then(|| {
                    Box::new(LocComments {
                        leading,
                        trailing: gap.trailing,
                        detached,
                    })
                });
            }
            None if c == '}' => self.upcoming_detached = gap.detached,
            None => self.upcoming_detached.extend(gap.detached),
        }
        true
    }

    fn end(&mut self, c: char, loc: Option<usize>) -> Result<(), FrontendError> {
        if self.try_end(c, loc) {
            Ok(())
        } else {
            Err(self.error(format!("Expected \"{c}\".")))
        }
    }

    /// The `uninterpreted_option` path of the next option of the element at `target`.
    fn option_source_path(&mut self, target: &[i32], kind: OptionsKind) -> Path {
        let count = self.option_counts.entry(Path::from(target)).or_insert(0);
        let path = with(
            target,
            &[kind.options_field(), UNINTERPRETED_OPTION, *count],
        );
        *count += 1;
        path
    }

    // ---- file level ----

    fn parse_file(&mut self, file: &mut FileDescriptorProto) -> Result<(), FrontendError> {
        let root = self.open(Path::new());
        if self.looking_at("syntax") && self.peek_at(1) == Some(&TokenKind::Symbol('=')) {
            let loc = self.open(Path::from([12]));
            self.at += 2;
            let (s, pos) = self.utf8_string("Expected syntax identifier.")?;
            self.syntax = match s.as_str() {
                "proto2" => Syntax::Proto2,
                "proto3" => Syntax::Proto3,
                _ => {
                    return Err(self.error_at(
                        pos,
                        format!(
                            "Unrecognized syntax identifier \"{s}\".  This parser only recognizes \"proto2\" and \"proto3\"."
                        ),
                    ))
                }
            };
            self.end(';', Some(loc))?;
            self.close(loc);
        } else if self.looking_at("edition") && self.peek_at(1) == Some(&TokenKind::Symbol('=')) {
            let loc = self.open(Path::from([12]));
            self.at += 2;
            let (s, pos) = self.utf8_string("Expected edition string.")?;
            let edition = match s.as_str() {
                "2023" => Edition::Edition2023,
                "2024" => Edition::Edition2024,
                "UNSTABLE" if UNSTABLE_EDITION_PATHS.iter().any(|p| self.file.starts_with(p)) => {
                    Edition::Unstable
                }
                "UNSTABLE" => {
                    return Err(FrontendError::file(
                        self.file,
                        "is a file using edition UNSTABLE, which is later than the protoc maximum supported edition 2024.",
                    ))
                }
                _ => {
                    return Err(self.error_at(
                        pos,
                        format!("Edition {s} is later than the maximum supported edition 2024"),
                    ))
                }
            };
            self.syntax = Syntax::Editions(edition);
            self.end(';', Some(loc))?;
            self.close(loc);
        }
        match self.syntax {
            Syntax::Proto2 => {}
            Syntax::Proto3 => file.syntax.set("proto3".to_string()),
            Syntax::Editions(e) => {
                file.syntax.set("editions".to_string());
                file.edition = Some(e);
            }
        }
        let mut package_seen = false;
        while !self.at_end() {
            if self.try_end(';', None) {
                continue;
            }
            if self.looking_at("import") {
                self.parse_import(file)?;
            } else if self.looking_at("package") {
                let pos = self.pos();
                if package_seen {
                    return Err(self.error_at(pos, "Multiple package definitions."));
                }
                package_seen = true;
                let loc = self.open(Path::from([2]));
                self.at += 1;
                let name = self.dotted_name("Expected identifier.")?;
                self.package = Rc::from(name.as_str());
                self.before_package = Some((self.options.len(), self.type_refs.len()));
                file.package.set(name);
                self.end(';', Some(loc))?;
                self.close(loc);
            } else if self.looking_at("option") {
                let scope = self.package.clone();
                self.parse_option_statement(Path::new(), OptionsKind::File, scope)?;
            } else if self.looking_at("extend") {
                let scope = self.package.clone();
                let mut sink = Sink {
                    field_path: Path::from([7]),
                    message_path: Path::from([4]),
                    fields: &mut file.extension,
                    messages: &mut file.message_type,
                    scope,
                };
                self.parse_extend(&mut sink)?;
            } else if self.looking_at("service") {
                let index = len_i32(&file.service);
                let service = self.parse_service(Path::from([6, index]))?;
                file.service.push(service);
            } else {
                let visibility = self.visibility()?;
                let scope = self.package.clone();
                if self.looking_at("message") {
                    let index = len_i32(&file.message_type);
                    let message = file.message_type.add();
                    self.parse_message(message, Path::from([4, index]), &scope)?;
                    message.visibility = visibility;
                } else if self.looking_at("enum") {
                    let index = len_i32(&file.enum_type);
                    let e = file.enum_type.add();
                    self.parse_enum(e, Path::from([5, index]), &scope)?;
                    e.visibility = visibility;
                } else {
                    return Err(self.error("Expected top-level statement (e.g. \"message\")."));
                }
            }
        }
        // Scopes recorded before the package statement lack it.
        if let Some((options, type_refs)) = self.before_package {
            let package = file.package();
            let in_package = |scope: &Rc<str>| -> Rc<str> {
                match scope.is_empty() {
                    true => Rc::from(package),
                    false => Rc::from(join(package, scope)),
                }
            };
            for o in &mut self.options[..options] {
                o.scope = in_package(&o.scope);
            }
            for r in &mut self.type_refs[..type_refs] {
                r.scope = in_package(&r.scope);
            }
        }
        self.close(root);
        Ok(())
    }

    /// `export` / `local` before a message or enum (edition 2024).
    fn visibility(&mut self) -> Result<Option<SymbolVisibility>, FrontendError> {
        let word = if self.looking_at("export") {
            SymbolVisibility::VisibilityExport
        } else if self.looking_at("local") {
            SymbolVisibility::VisibilityLocal
        } else {
            return Ok(None);
        };
        if !(self.looking_at_word_at(1, "message") || self.looking_at_word_at(1, "enum")) {
            return Ok(None);
        }
        if !self.edition_2024() {
            return Err(self.error(
                "Symbol visibility keywords (export / local) are only supported in edition 2024 and later.",
            ));
        }
        self.at += 1;
        Ok(Some(word))
    }

    fn looking_at_word_at(&self, ahead: usize, word: &str) -> bool {
        matches!(self.peek_at(ahead), Some(TokenKind::Ident(w)) if *w == word)
    }

    fn dotted_name(&mut self, what: &str) -> Result<String, FrontendError> {
        let (first, _) = self.ident(what)?;
        let mut name = first.to_string();
        while self.try_symbol('.') {
            let (part, _) = self.ident(what)?;
            name.push('.');
            name.push_str(part);
        }
        Ok(name)
    }

    fn parse_import(&mut self, file: &mut FileDescriptorProto) -> Result<(), FrontendError> {
        let pos = self.pos();
        let index = len_i32(&file.dependency);
        let loc = self.open(Path::from([3, index]));
        self.at += 1;
        let mut option_import = false;
        if self.looking_at("public") {
            let public = self.open(Path::from([10, file.public_dependency.len() as i32]));
            self.at += 1;
            self.close(public);
            file.public_dependency.push(index);
        } else if self.looking_at("weak") {
            let weak = self.open(Path::from([11, file.weak_dependency.len() as i32]));
            self.at += 1;
            self.close(weak);
            file.weak_dependency.push(index);
        } else if self.looking_at("option") {
            if !self.edition_2024() {
                return Err(self.error("option import is not supported before edition 2024."));
            }
            self.at += 1;
            option_import = true;
        }
        let (name, _) = self.utf8_string("Expected a string naming the file to import.")?;
        if self.import_pos.contains_key(&name) {
            return Err(self.error_at(pos, format!("Import \"{name}\" was listed twice.")));
        }
        self.import_pos.insert(name.clone(), pos);
        if option_import {
            self.source[loc].path = Path::from([15, file.option_dependency.len() as i32]);
            file.option_dependency.push(name);
        } else {
            file.dependency.push(name);
        }
        self.end(';', Some(loc))?;
        self.close(loc);
        Ok(())
    }

    // ---- options ----

    fn option_name(&mut self) -> Result<Vec<NamePart>, FrontendError> {
        let mut parts = Vec::new();
        loop {
            let pos = self.pos();
            if self.try_symbol('(') {
                let mut name = String::new();
                if self.try_symbol('.') {
                    name.push('.');
                }
                name.push_str(&self.dotted_name("Expected identifier.")?);
                self.expect_symbol(')')?;
                parts.push(NamePart {
                    name,
                    is_extension: true,
                    pos,
                });
            } else {
                let (name, _) = self.ident("Expected identifier.")?;
                parts.push(NamePart {
                    name: name.to_string(),
                    is_extension: false,
                    pos,
                });
            }
            if !self.try_symbol('.') {
                return Ok(parts);
            }
        }
    }

    /// `option name = value;`
    fn parse_option_statement(
        &mut self,
        target: Path,
        kind: OptionsKind,
        scope: Rc<str>,
    ) -> Result<(), FrontendError> {
        let outer = self.open(with(&target, &[kind.options_field()]));
        let source_path = self.option_source_path(&target, kind);
        let loc = self.open(source_path.clone());
        self.at += 1;
        let pos = self.pos();
        let name = self.option_name()?;
        self.expect_symbol('=')?;
        let value = self.option_value()?;
        self.options.push(PendingOption {
            target,
            kind,
            scope,
            name,
            value,
            pos,
            source_path,
        });
        self.end(';', Some(loc))?;
        self.close(loc);
        self.close(outer);
        Ok(())
    }

    /// `[a = 1, (b).c = 2]` after a field, enum value or extension range; returns the
    /// pseudo-options `default` and `json_name` when `field` allows them.
    fn option_list(
        &mut self,
        targets: &[Path],
        kind: OptionsKind,
        scope: &Rc<str>,
        mut field: Option<(&mut FieldDescriptorProto, &FieldType, bool)>,
    ) -> Result<(), FrontendError> {
        if !self.looking_at_symbol('[') {
            return Ok(());
        }
        let first = targets.first().cloned().unwrap_or_default();
        let outer = self.open(with(&first, &[kind.options_field()]));
        self.at += 1;
        loop {
            let pos = self.pos();
            if let Some((proto, ty, is_extension)) = field.as_mut() {
                if self.looking_at("default") && self.peek_at(1) == Some(&TokenKind::Symbol('=')) {
                    if proto.default_value.is_some() {
                        return Err(self.error("Already set option \"default\"."));
                    }
                    self.at += 2;
                    self.locs.insert(with(&first, &[7]), self.pos());
                    let loc = self.open(with(&first, &[7]));
                    let value = self.default_value(ty, proto.label == Some(Label::Repeated))?;
                    self.close(loc);
                    proto.default_value.set(value);
                    if !self.try_symbol(',') {
                        break;
                    }
                    continue;
                }
                if self.looking_at("json_name") && self.peek_at(1) == Some(&TokenKind::Symbol('='))
                {
                    if *is_extension {
                        return Err(
                            self.error("option json_name is not allowed on extension fields.")
                        );
                    }
                    if proto.json_name.is_some() {
                        return Err(self.error("Already set option \"json_name\"."));
                    }
                    let loc = self.open(with(&first, &[10]));
                    self.at += 2;
                    let value_loc = self.open(with(&first, &[10]));
                    let (value, _) = self.utf8_string("Expected string for JSON name.")?;
                    self.close(value_loc);
                    self.close(loc);
                    proto.json_name.set(value);
                    if !self.try_symbol(',') {
                        break;
                    }
                    continue;
                }
            }
            let source_paths: Vec<Path> = targets
                .iter()
                .map(|t| self.option_source_path(t, kind))
                .collect();
            let loc = self.open(source_paths.first().cloned().unwrap_or_default());
            let name = self.option_name()?;
            self.expect_symbol('=')?;
            let value = self.option_value()?;
            self.close(loc);
            for (target, source_path) in targets.iter().zip(source_paths) {
                self.options.push(PendingOption {
                    target: target.clone(),
                    kind,
                    scope: scope.clone(),
                    name: name.clone(),
                    value: value.clone(),
                    pos,
                    source_path,
                });
            }
            if !self.try_symbol(',') {
                break;
            }
        }
        self.expect_symbol(']')?;
        self.close(outer);
        Ok(())
    }

    /// A field's `default = ...`, as protoc stores it in `default_value`.
    fn default_value(&mut self, ty: &FieldType, repeated: bool) -> Result<String, FrontendError> {
        if repeated {
            return Err(self.error("Repeated fields can't have default values."));
        }
        let ty = match ty {
            FieldType::Scalar(t) => *t,
            FieldType::Named(..) => {
                let negative = self.try_symbol('-');
                let (name, _) =
                    self.ident("Default value for an enum field must be an identifier.")?;
                return Ok(if negative {
                    format!("-{name}")
                } else {
                    name.to_string()
                });
            }
        };
        Ok(match ty {
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => self
                .signed_int(i32::MAX as u64, "Expected integer for field default value.")?
                .0
                .to_string(),
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => self
                .signed_int(i64::MAX as u64, "Expected integer for field default value.")?
                .0
                .to_string(),
            Type::Uint32 | Type::Fixed32 | Type::Uint64 | Type::Fixed64 => {
                if self.looking_at_symbol('-') {
                    return Err(self.error("Unsigned field can't have negative default value."));
                }
                let max = if matches!(ty, Type::Uint32 | Type::Fixed32) {
                    u32::MAX as u64
                } else {
                    u64::MAX
                };
                let (v, pos) = self.integer("Expected integer for field default value.")?;
                if v > max {
                    return Err(self.error_at(pos, "Integer out of range."));
                }
                v.to_string()
            }
            Type::Float | Type::Double => {
                let negative = self.try_symbol('-');
                let value = match self.peek() {
                    Some(&TokenKind::Int(Some(v))) => v as f64,
                    Some(TokenKind::Int(None)) => u64::MAX as f64,
                    Some(&TokenKind::Float(v)) => v,
                    Some(&TokenKind::Ident("inf")) => f64::INFINITY,
                    Some(&TokenKind::Ident("nan")) => f64::NAN,
                    _ => return Err(self.error("Expected number.")),
                };
                self.at += 1;
                let value = if negative { -value } else { value };
                if ty == Type::Float {
                    super::names::simple_ftoa(value as f32)
                } else {
                    super::names::simple_dtoa(value)
                }
            }
            Type::Bool => {
                if self.try_consume("true") {
                    "true".to_string()
                } else if self.try_consume("false") {
                    "false".to_string()
                } else {
                    return Err(self.error("Expected \"true\" or \"false\"."));
                }
            }
            Type::String => self.utf8_string("Expected string.")?.0,
            Type::Bytes => super::names::c_escape(&self.string("Expected string.")?.0),
            Type::Group | Type::Message => {
                return Err(self.error("Messages can't have default values."))
            }
            Type::Enum => self
                .ident("Default value for an enum field must be an identifier.")?
                .0
                .to_string(),
        })
    }

    /// An option's value: a scalar or an aggregate `{ ... }`.
    fn option_value(&mut self) -> Result<Value, FrontendError> {
        let pos = self.pos();
        if self.try_symbol('{') {
            let fields = self.aggregate_fields('}')?;
            return Ok(Value::Message(fields, pos));
        }
        Ok(Value::Scalar(self.scalar()?, pos))
    }

    fn scalar(&mut self) -> Result<Scalar, FrontendError> {
        let negative = self.try_symbol('-');
        let scalar = match self.peek() {
            Some(&TokenKind::Ident(name)) => {
                self.at += 1;
                Scalar::Ident {
                    name: name.to_string(),
                    negative,
                }
            }
            Some(&TokenKind::Int(value)) => {
                self.at += 1;
                Scalar::Int { value, negative }
            }
            Some(&TokenKind::Float(v)) => {
                self.at += 1;
                Scalar::Float(if negative { -v } else { v })
            }
            Some(TokenKind::Str(_)) if !negative => Scalar::Str(self.string("Expected string.")?.0),
            _ => return Err(self.error("Expected option value.")),
        };
        Ok(scalar)
    }

    /// The fields of an aggregate value up to `close`.
    fn aggregate_fields(&mut self, close: char) -> Result<Vec<AggregateField>, FrontendError> {
        self.enter_aggregate()?;
        let mut fields = Vec::new();
        while !self.try_symbol(close) {
            if self.at_end() {
                return Err(self.error(format!("Expected \"{close}\".")));
            }
            let pos = self.pos();
            let (name, is_extension) = if self.try_symbol('[') {
                let mut name = self.dotted_name("Expected identifier.")?;
                if self.try_symbol('/') {
                    name.push('/');
                    name.push_str(&self.dotted_name("Expected identifier.")?);
                }
                self.expect_symbol(']')?;
                (name, true)
            } else {
                (self.ident("Expected identifier.")?.0.to_string(), false)
            };
            let has_colon = self.try_symbol(':');
            let value = self.aggregate_value(has_colon)?;
            fields.push(AggregateField {
                name,
                is_extension,
                pos,
                value,
            });
            if !self.try_symbol(',') {
                self.try_symbol(';');
            }
        }
        self.aggregate_depth -= 1;
        Ok(fields)
    }

    fn aggregate_value(&mut self, has_colon: bool) -> Result<Value, FrontendError> {
        let pos = self.pos();
        if self.try_symbol('{') {
            return Ok(Value::Message(self.aggregate_fields('}')?, pos));
        }
        if self.try_symbol('<') {
            return Ok(Value::Message(self.aggregate_fields('>')?, pos));
        }
        if !has_colon {
            return Err(self.error("Expected \":\"."));
        }
        if self.try_symbol('[') {
            let mut items = Vec::new();
            if !self.try_symbol(']') {
                loop {
                    items.push(self.aggregate_value(true)?);
                    if self.try_symbol(']') {
                        break;
                    }
                    self.expect_symbol(',')?;
                }
            }
            return Ok(Value::List(items, pos));
        }
        Ok(Value::Scalar(self.scalar()?, pos))
    }

    // ---- messages ----

    /// A message into `message` (a new element of its parent's list, filled in place).
    fn parse_message(
        &mut self,
        message: &mut DescriptorProto,
        path: Path,
        scope: &str,
    ) -> Result<(), FrontendError> {
        self.enter_message()?;
        let loc = self.open(path.clone());
        self.at += 1; // "message"
        let name_loc = self.open(with(&path, &[1]));
        let (name, pos) = self.ident("Expected message name.")?;
        self.close(name_loc);
        self.names.insert(path.clone(), pos);
        message.name.set(name.to_string());
        self.end('{', Some(loc))?;
        let body_scope = Rc::from(join(scope, name));
        self.parse_message_body(message, &path, &body_scope)?;
        self.close(loc);
        self.depth -= 1;
        Ok(())
    }

    /// The statements of a message up to its closing `}`.
    fn parse_message_body(
        &mut self,
        message: &mut DescriptorProto,
        path: &[i32],
        scope: &Rc<str>,
    ) -> Result<(), FrontendError> {
        loop {
            if self.at_end() {
                return Err(self.error("Reached end of input in message definition (missing '}')."));
            }
            if self.try_end('}', None) {
                break;
            }
            if self.try_end(';', None) {
                continue;
            }
            let visibility = self.visibility()?;
            if self.looking_at("message") {
                let index = len_i32(&message.nested_type);
                let nested = message.nested_type.add();
                self.parse_message(nested, with(path, &[3, index]), scope)?;
                nested.visibility = visibility;
                continue;
            }
            if self.looking_at("enum") {
                let index = len_i32(&message.enum_type);
                let e = message.enum_type.add();
                self.parse_enum(e, with(path, &[4, index]), scope)?;
                e.visibility = visibility;
                continue;
            }
            if self.looking_at("extensions") {
                self.parse_extensions(message, path, scope)?;
            } else if self.looking_at("reserved") {
                self.parse_reserved(message, path)?;
            } else if self.looking_at("extend") {
                let mut sink = Sink {
                    fields: &mut message.extension,
                    field_path: with(path, &[6]),
                    messages: &mut message.nested_type,
                    message_path: with(path, &[3]),
                    scope: scope.clone(),
                };
                self.parse_extend(&mut sink)?;
            } else if self.looking_at("option") {
                self.parse_option_statement(Path::from(path), OptionsKind::Message, scope.clone())?;
            } else if self.looking_at("oneof") {
                self.parse_oneof(message, path, scope)?;
            } else {
                let mut sink = Sink {
                    fields: &mut message.field,
                    field_path: with(path, &[2]),
                    messages: &mut message.nested_type,
                    message_path: with(path, &[3]),
                    scope: scope.clone(),
                };
                self.parse_field(&mut sink, None, None)?;
            }
        }
        if self.syntax == Syntax::Proto3 {
            generate_synthetic_oneofs(message);
        }
        Ok(())
    }

    fn parse_oneof(
        &mut self,
        message: &mut DescriptorProto,
        path: &[i32],
        scope: &Rc<str>,
    ) -> Result<(), FrontendError> {
        let index = len_i32(&message.oneof_decl);
        let oneof_path = with(path, &[8, index]);
        let loc = self.open(oneof_path.clone());
        self.at += 1;
        let name_loc = self.open(with(&oneof_path, &[1]));
        let (name, pos) = self.ident("Expected oneof name.")?;
        self.close(name_loc);
        self.names.insert(oneof_path.clone(), pos);
        let mut oneof = OneofDescriptorProto::default();
        oneof.name.set(name.to_string());
        message.oneof_decl.push(oneof);
        self.end('{', Some(loc))?;
        if self.looking_at_symbol('}') {
            return Err(self.error("Expected type name."));
        }
        loop {
            if self.at_end() {
                return Err(self.error("Reached end of input in oneof definition (missing '}')."));
            }
            if self.try_end('}', None) {
                self.close(loc);
                return Ok(());
            }
            if self.try_end(';', None) {
                continue;
            }
            if self.looking_at("option") {
                self.parse_option_statement(oneof_path.clone(), OptionsKind::Oneof, scope.clone())?;
                continue;
            }
            if self.looking_at("required")
                || self.looking_at("optional")
                || self.looking_at("repeated")
            {
                return Err(self.error(
                    "Fields in oneofs must not have labels (required / optional / repeated).",
                ));
            }
            let mut sink = Sink {
                fields: &mut message.field,
                field_path: with(path, &[2]),
                messages: &mut message.nested_type,
                message_path: with(path, &[3]),
                scope: scope.clone(),
            };
            self.parse_field(&mut sink, Some(index), None)?;
        }
    }

    fn parse_extend(&mut self, sink: &mut Sink<'_>) -> Result<(), FrontendError> {
        let loc = self.open(sink.field_path.clone());
        self.at += 1;
        let pos = self.pos();
        let mut extendee = String::new();
        if self.try_symbol('.') {
            extendee.push('.');
        }
        extendee.push_str(&self.dotted_name("Expected type name.")?);
        let end = self.previous_end();
        self.end('{', Some(loc))?;
        loop {
            if self.at_end() {
                return Err(self.error("Reached end of input in extend definition (missing '}')."));
            }
            if self.try_end('}', None) {
                self.close(loc);
                return Ok(());
            }
            if self.try_end(';', None) {
                continue;
            }
            self.parse_field(sink, None, Some((&extendee, pos, end)))?;
        }
    }

    /// A field (or group, or map) into `sink`.
    fn parse_field(
        &mut self,
        sink: &mut Sink<'_>,
        oneof: Option<i32>,
        extendee: Option<(&str, Pos, Pos)>,
    ) -> Result<(), FrontendError> {
        let index = len_i32(sink.fields);
        let path = with(&sink.field_path, &[index]);
        let field_loc = self.open(path.clone());
        let field_start = self.pos();
        if let Some((_, start, end)) = extendee {
            let loc = self.open_at(with(&path, &[2]), start);
            self.source[loc].end = end;
        }
        // Filled in place: a field descriptor is large to build aside and move in.
        let field = sink.fields.add();
        let label_pos = self.pos();
        let label = ["optional", "repeated", "required"]
            .iter()
            .position(|w| self.looking_at(w))
            .map(|i| [Label::Optional, Label::Repeated, Label::Required][i]);
        if label.is_some() {
            let loc = self.open(with(&path, &[4]));
            self.at += 1;
            self.close(loc);
        }
        match (label, self.syntax) {
            (Some(Label::Required), Syntax::Proto3) => {
                return Err(self.error_at(label_pos, "Required fields are not allowed in proto3."))
            }
            (Some(Label::Required), Syntax::Editions(_)) => {
                return Err(self.error_at(
                    label_pos,
                    "Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.",
                ))
            }
            (Some(Label::Optional), Syntax::Editions(_)) => {
                return Err(self.error_at(
                    label_pos,
                    "Label \"optional\" is not supported in editions. By default, all singular fields in edition 2023 have explicit presence.",
                ))
            }
            (Some(Label::Optional), Syntax::Proto3) => field.proto3_optional = Some(true),
            _ => {}
        }
        if let Some(l) = label {
            field.label = Some(l);
        }
        let is_map = self.looking_at("map") && self.peek_at(1) == Some(&TokenKind::Symbol('<'));
        if label.is_none() && oneof.is_none() && !is_map {
            if self.syntax == Syntax::Proto2 {
                return Err(self.error("Expected \"required\", \"optional\", or \"repeated\"."));
            }
            field.label = Some(Label::Optional);
        }
        if oneof.is_some() {
            field.label = Some(Label::Optional);
        }
        let mut map_types = None;
        let type_loc = self.open(Path::new());
        let mut ty = if is_map {
            let map_pos = self.pos();
            if label.is_some() {
                return Err(self.error_at(
                    map_pos,
                    "Field labels (required/optional/repeated) are not allowed on map fields.",
                ));
            }
            if extendee.is_some() {
                return Err(self.error_at(map_pos, "Map fields are not allowed to be extensions."));
            }
            if oneof.is_some() {
                return Err(self.error_at(map_pos, "Map fields are not allowed in oneofs."));
            }
            self.at += 2;
            let key = self.field_type()?;
            self.expect_symbol(',')?;
            let value = self.field_type()?;
            self.expect_symbol('>')?;
            field.label = Some(Label::Repeated);
            map_types = Some((key, value));
            FieldType::Named(String::new(), map_pos)
        } else {
            self.field_type()?
        };
        self.close(type_loc);
        let type_field = if matches!(ty, FieldType::Scalar(_)) {
            5
        } else {
            6
        };
        self.source[type_loc].path = with(&path, &[type_field]);
        let is_group = matches!(ty, FieldType::Scalar(Type::Group));
        if is_group && self.is_editions() {
            return Err(self.error("Group syntax is no longer supported in editions. To get group behavior you can specify features.message_encoding = DELIMITED on a message field."));
        }
        if is_group && self.syntax == Syntax::Proto3 {
            return Err(self.error("Groups are not supported in proto3 syntax."));
        }
        let name_loc = self.open(with(&path, &[1]));
        let (name, name_pos) = self.ident("Expected field name.")?;
        self.close(name_loc);
        let name_end = self.previous_end();
        self.names.insert(path.clone(), name_pos);
        if is_group && !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Err(self.error_at(name_pos, "Group names must start with a capital letter."));
        }
        field.name.set(if is_group {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        });
        self.expect_symbol('=')?;
        let number_loc = self.open(with(&path, &[3]));
        let (number, number_pos) = self.integer("Expected field number.")?;
        self.close(number_loc);
        self.locs.insert(with(&path, &[3]), number_pos);
        if number > i32::MAX as u64 {
            return Err(self.error_at(number_pos, "Integer out of range."));
        }
        field.number = Some(number as i32);
        // The type name moves into the field; `ty` still tells the default's type.
        match &mut ty {
            FieldType::Scalar(t) => {
                field.r#type = Some(*t);
                if is_group {
                    field.type_name.set(name.to_string());
                    self.type_refs.push(TypeRef {
                        target: path.clone(),
                        scope: sink.scope.clone(),
                        pos: name_pos,
                        kind: RefKind::FieldType,
                    });
                }
            }
            FieldType::Named(type_name, pos) => {
                let type_name = if map_types.is_some() {
                    map_entry_name(name)
                } else {
                    std::mem::take(type_name)
                };
                field.type_name.set(type_name);
                self.type_refs.push(TypeRef {
                    target: path.clone(),
                    scope: sink.scope.clone(),
                    pos: *pos,
                    kind: RefKind::FieldType,
                });
            }
        }
        if let Some((extendee, pos, _)) = extendee {
            field.extendee.set(extendee.to_string());
            self.type_refs.push(TypeRef {
                target: path.clone(),
                scope: sink.scope.clone(),
                pos,
                kind: RefKind::Extendee,
            });
        }
        if let Some(o) = oneof {
            field.oneof_index = Some(o);
        }
        self.option_list(
            std::slice::from_ref(&path),
            OptionsKind::Field,
            &sink.scope,
            Some((&mut *field, &ty, extendee.is_some())),
        )?;
        if let Some((key, value)) = map_types {
            let entry_index = len_i32(sink.messages);
            let entry = self.map_entry(
                name,
                key,
                value,
                &sink.message_path,
                entry_index,
                &sink.scope,
            )?;
            sink.messages.push(entry);
        }
        if is_group {
            let group_index = len_i32(sink.messages);
            let group_path = with(&sink.message_path, &[group_index]);
            // A group is a field and a message: protoc gives both locations.
            let group_loc = self.open_at(group_path.clone(), field_start);
            let group_name = self.open_at(with(&group_path, &[1]), name_pos);
            self.source[group_name].end = name_end;
            let type_name = self.open_at(with(&path, &[6]), name_pos);
            self.source[type_name].end = name_end;
            self.names.insert(group_path.clone(), name_pos);
            let mut group = DescriptorProto::default();
            group.name.set(name.to_string());
            self.end('{', Some(group_loc))?;
            self.enter_message()?;
            let group_scope = Rc::from(join(&sink.scope, name));
            self.parse_message_body(&mut group, &group_path, &group_scope)?;
            self.depth -= 1;
            self.close(group_loc);
            sink.messages.push(group);
        } else {
            self.end(';', Some(field_loc))?;
        }
        self.close(field_loc);
        Ok(())
    }

    /// The `XEntry` message of a map field.
    fn map_entry(
        &mut self,
        field_name: &str,
        key: FieldType,
        value: FieldType,
        message_path: &[i32],
        index: i32,
        scope: &str,
    ) -> Result<DescriptorProto, FrontendError> {
        let entry_name = map_entry_name(field_name);
        let path = with(message_path, &[index]);
        let mut entry = DescriptorProto::default();
        entry.name.set(entry_name.clone());
        let entry_scope: Rc<str> = Rc::from(join(scope, &entry_name));
        for (number, (name, ty)) in [("key", key), ("value", value)].into_iter().enumerate() {
            let mut f = FieldDescriptorProto::default();
            f.name.set(name.to_string());
            f.number = Some(number as i32 + 1);
            f.label = Some(Label::Optional);
            match ty {
                FieldType::Scalar(Type::Group) => {
                    return Err(self.error("Map fields cannot have group types."))
                }
                FieldType::Scalar(t) => f.r#type = Some(t),
                FieldType::Named(n, pos) => {
                    f.type_name.set(n);
                    self.type_refs.push(TypeRef {
                        target: with(&path, &[2, number as i32]),
                        scope: entry_scope.clone(),
                        pos,
                        kind: RefKind::FieldType,
                    });
                }
            }
            entry.field.push(f);
        }
        entry.options.set(MessageOptions {
            map_entry: Some(true),
            ..Default::default()
        });
        Ok(entry)
    }

    fn field_type(&mut self) -> Result<FieldType, FrontendError> {
        let pos = self.pos();
        if let Some(TokenKind::Ident(w)) = self.peek() {
            let found = if self.syntax == Syntax::Editions(Edition::Unstable) {
                unstable_scalar_type(w)
            } else {
                scalar_type(w).map(Ok)
            };
            match found {
                Some(Ok(t)) => {
                    self.at += 1;
                    return Ok(FieldType::Scalar(t));
                }
                Some(Err(instead)) => {
                    return Err(self.error(format!(
                        "Type '{w}' is obsolete in unstable editions, use '{instead}' instead."
                    )))
                }
                None => {}
            }
        }
        let mut name = String::new();
        if self.try_symbol('.') {
            name.push('.');
        }
        name.push_str(&self.dotted_name("Expected type name.")?);
        Ok(FieldType::Named(name, pos))
    }

    /// `extensions 100 to 199, 500 to max [opts];`
    fn parse_extensions(
        &mut self,
        message: &mut DescriptorProto,
        path: &[i32],
        scope: &Rc<str>,
    ) -> Result<(), FrontendError> {
        let statement = self.open(with(path, &[5]));
        self.at += 1;
        let first = message.extension_range.len();
        let mut targets = Vec::new();
        loop {
            let range_path = with(path, &[5, len_i32(&message.extension_range)]);
            self.locs.insert(range_path.clone(), self.pos());
            let (start, end) = self.range(
                MAX_FIELD_NUMBER + 1,
                "Expected field number range.",
                &range_path,
            )?;
            let range = descriptor_proto::ExtensionRange {
                start: Some(start),
                end: Some(end),
                ..Default::default()
            };
            targets.push(with(path, &[5, len_i32(&message.extension_range)]));
            message.extension_range.push(range);
            if !self.try_symbol(',') {
                break;
            }
        }
        // The options' locations, recorded for the first range, are given to every range.
        let mark = self.source.len();
        self.option_list(&targets, OptionsKind::ExtensionRange, scope, None)?;
        let recorded: Vec<SourceLoc> = self.source.drain(mark..).collect();
        let index_at = path.len() + 1;
        for i in first..message.extension_range.len() {
            for loc in &recorded {
                let mut loc = loc.clone();
                loc.path[index_at] = i as i32;
                self.source.push(loc);
            }
        }
        self.end(';', Some(statement))?;
        self.close(statement);
        Ok(())
    }

    /// `N` or `N to M` or `N to max`: returns `(start, end)` with `end` exclusive when
    /// `max_end` is one past the largest number (messages), inclusive otherwise (enums).
    fn range(
        &mut self,
        max_end: i32,
        what: &str,
        path: &[i32],
    ) -> Result<(i32, i32), FrontendError> {
        let exclusive = max_end == MAX_FIELD_NUMBER + 1;
        let range_loc = self.open(Path::from(path));
        // A single number's end location is its first token (for `- 1`, the `-`), as
        // protoc records it.
        let first_token = (
            self.pos(),
            self.tokens.get(self.at).map_or(self.eof, |t| t.end),
        );
        let start_loc = self.open(with(path, &[1]));
        let (start, _) = if exclusive {
            let (v, p) = self.integer(what)?;
            if v > i32::MAX as u64 {
                return Err(self.error_at(p, "Integer out of range."));
            }
            (v as i64, p)
        } else {
            self.signed_int(i32::MAX as u64, what)?
        };
        self.close(start_loc);
        let end = if self.try_consume("to") {
            let end_loc = self.open(with(path, &[2]));
            let end = if self.try_consume("max") {
                if exclusive {
                    MAX_SENTINEL as i64
                } else {
                    max_end as i64
                }
            } else {
                let (v, _) = if exclusive {
                    let (v, p) = self.integer(what)?;
                    if v > i32::MAX as u64 {
                        return Err(self.error_at(p, "Integer out of range."));
                    }
                    (v as i64, p)
                } else {
                    self.signed_int(i32::MAX as u64, what)?
                };
                if exclusive {
                    v + 1
                } else {
                    v
                }
            };
            self.close(end_loc);
            end
        } else {
            let end_loc = self.open_at(with(path, &[2]), first_token.0);
            self.source[end_loc].end = first_token.1;
            if exclusive {
                start + 1
            } else {
                start
            }
        };
        self.close(range_loc);
        Ok((start as i32, end.min(i32::MAX as i64) as i32))
    }

    /// Reserved names (strings before editions, identifiers in editions), or `None` when the
    /// statement reserves numbers; `path` is where the element's reserved names go (their
    /// locations), `count` how many it has, `start` where the statement starts.
    fn reserved_names(
        &mut self,
        path: &[i32],
        count: usize,
        start: Pos,
    ) -> Result<Option<Vec<String>>, FrontendError> {
        let strings = matches!(self.peek(), Some(TokenKind::Str(_)));
        let idents = matches!(self.peek(), Some(TokenKind::Ident(_)));
        if !strings && !idents {
            return Ok(None);
        }
        if strings && self.is_editions() {
            return Err(
                self.error("Reserved names must be identifiers in editions, not string literals.")
            );
        }
        if idents && !self.is_editions() {
            return Err(self.error(
                "Reserved names must be string literals. (Only editions supports identifiers.)",
            ));
        }
        let statement = self.open_at(Path::from(path), start);
        let mut names = Vec::new();
        loop {
            let loc = self.open(with(path, &[(count + names.len()) as i32]));
            let (name, pos) = if strings {
                self.utf8_string("Expected string.")?
            } else {
                let (name, pos) = self.ident("Expected identifier.")?;
                (name.to_string(), pos)
            };
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(self.error_at(
                    pos,
                    format!("Reserved name \"{name}\" is not a valid identifier."),
                ));
            }
            self.close(loc);
            names.push(name);
            if !self.try_symbol(',') {
                break;
            }
        }
        self.end(';', Some(statement))?;
        self.close(statement);
        Ok(Some(names))
    }

    fn parse_reserved(
        &mut self,
        message: &mut DescriptorProto,
        path: &[i32],
    ) -> Result<(), FrontendError> {
        let start_pos = self.pos();
        self.at += 1;
        let names_path = with(path, &[10]);
        if let Some(names) =
            self.reserved_names(&names_path, message.reserved_name.len(), start_pos)?
        {
            for n in names {
                message.reserved_name.push(n);
            }
            return Ok(());
        }
        let statement = self.open_at(with(path, &[9]), start_pos);
        loop {
            let range_path = with(path, &[9, len_i32(&message.reserved_range)]);
            self.locs.insert(range_path.clone(), self.pos());
            let (start, end) = self.range(
                MAX_FIELD_NUMBER + 1,
                "Expected field name or number range.",
                &range_path,
            )?;
            let range = descriptor_proto::ReservedRange {
                start: Some(start),
                end: Some(end),
                ..Default::default()
            };
            message.reserved_range.push(range);
            if !self.try_symbol(',') {
                break;
            }
        }
        self.end(';', Some(statement))?;
        self.close(statement);
        Ok(())
    }

    // ---- enums ----

    /// An enum into `e` (a new element of its parent's list, filled in place).
    fn parse_enum(
        &mut self,
        e: &mut EnumDescriptorProto,
        path: Path,
        scope: &str,
    ) -> Result<(), FrontendError> {
        let loc = self.open(path.clone());
        self.at += 1;
        let name_loc = self.open(with(&path, &[1]));
        let (name, pos) = self.ident("Expected enum name.")?;
        self.close(name_loc);
        self.names.insert(path.clone(), pos);
        e.name.set(name.to_string());
        let enum_scope: Rc<str> = Rc::from(join(scope, name));
        self.end('{', Some(loc))?;
        loop {
            if self.at_end() {
                return Err(self.error("Reached end of input in enum definition (missing '}')."));
            }
            if self.try_end('}', None) {
                self.close(loc);
                return Ok(());
            }
            if self.try_end(';', None) {
                continue;
            }
            if self.looking_at("option") {
                self.parse_option_statement(path.clone(), OptionsKind::Enum, enum_scope.clone())?;
            } else if self.looking_at("reserved") {
                let start_pos = self.pos();
                self.at += 1;
                let names_path = with(&path, &[5]);
                if let Some(names) =
                    self.reserved_names(&names_path, e.reserved_name.len(), start_pos)?
                {
                    for n in names {
                        e.reserved_name.push(n);
                    }
                    continue;
                }
                let statement = self.open_at(with(&path, &[4]), start_pos);
                loop {
                    let range_path = with(&path, &[4, len_i32(&e.reserved_range)]);
                    self.locs.insert(range_path.clone(), self.pos());
                    let (start, end) =
                        self.range(i32::MAX, "Expected enum number range.", &range_path)?;
                    let range = enum_descriptor_proto::EnumReservedRange {
                        start: Some(start),
                        end: Some(end),
                        ..Default::default()
                    };
                    e.reserved_range.push(range);
                    if !self.try_symbol(',') {
                        break;
                    }
                }
                self.end(';', Some(statement))?;
                self.close(statement);
            } else {
                let index = len_i32(&e.value);
                let value_path = with(&path, &[2, index]);
                let value_loc = self.open(value_path.clone());
                let name_loc = self.open(with(&value_path, &[1]));
                let (value_name, pos) = self.ident("Expected enum constant name.")?;
                self.close(name_loc);
                self.names.insert(value_path.clone(), pos);
                self.expect_symbol('=')?;
                let number_loc = self.open(with(&value_path, &[2]));
                let (number, number_pos) = self.signed_int(i32::MAX as u64, "Expected integer.")?;
                self.close(number_loc);
                self.locs.insert(with(&value_path, &[2]), number_pos);
                let value = e.value.add();
                value.name.set(value_name.to_string());
                value.number = Some(number as i32);
                self.option_list(
                    std::slice::from_ref(&value_path),
                    OptionsKind::EnumValue,
                    &enum_scope,
                    None,
                )?;
                self.end(';', Some(value_loc))?;
                self.close(value_loc);
            }
        }
    }

    // ---- services ----

    fn parse_service(&mut self, path: Path) -> Result<ServiceDescriptorProto, FrontendError> {
        let loc = self.open(path.clone());
        self.at += 1;
        let name_loc = self.open(with(&path, &[1]));
        let (name, pos) = self.ident("Expected service name.")?;
        self.close(name_loc);
        self.names.insert(path.clone(), pos);
        let scope: Rc<str> = Rc::from(join(&self.package, name));
        let mut service = ServiceDescriptorProto::default();
        service.name.set(name.to_string());
        self.end('{', Some(loc))?;
        loop {
            if self.at_end() {
                return Err(self.error("Reached end of input in service definition (missing '}')."));
            }
            if self.try_end('}', None) {
                self.close(loc);
                return Ok(service);
            }
            if self.try_end(';', None) {
                continue;
            }
            if self.looking_at("option") {
                self.parse_option_statement(path.clone(), OptionsKind::Service, scope.clone())?;
                continue;
            }
            let index = len_i32(&service.method);
            let method_path = with(&path, &[2, index]);
            let method_loc = self.open(method_path.clone());
            self.expect_word("rpc")?;
            let name_loc = self.open(with(&method_path, &[1]));
            let (method_name, pos) = self.ident("Expected method name.")?;
            self.close(name_loc);
            self.names.insert(method_path.clone(), pos);
            let mut method = MethodDescriptorProto::default();
            method.name.set(method_name.to_string());
            for (i, kind) in [RefKind::Input, RefKind::Output].into_iter().enumerate() {
                if i == 1 {
                    self.expect_word("returns")?;
                }
                self.expect_symbol('(')?;
                // As in protoc, `stream` here is always the keyword.
                if self.looking_at("stream") {
                    let stream_loc = self.open(with(&method_path, &[5 + i as i32]));
                    self.at += 1;
                    self.close(stream_loc);
                    if i == 0 {
                        method.client_streaming = Some(true);
                    } else {
                        method.server_streaming = Some(true);
                    }
                }
                let pos = self.pos();
                let type_loc = self.open(with(&method_path, &[2 + i as i32]));
                let FieldType::Named(type_name, _) = self.field_type()? else {
                    return Err(self.error_at(pos, "Expected message type."));
                };
                self.close(type_loc);
                if i == 0 {
                    method.input_type.set(type_name);
                } else {
                    method.output_type.set(type_name);
                }
                self.type_refs.push(TypeRef {
                    target: method_path.clone(),
                    scope: scope.clone(),
                    pos,
                    kind,
                });
                self.expect_symbol(')')?;
            }
            if self.try_end('{', Some(method_loc)) {
                // protoc gives a method with a body an options message, even an empty one.
                method.options.set(MethodOptions::default());
                loop {
                    if self.at_end() {
                        return Err(
                            self.error("Reached end of input in method options (missing '}').")
                        );
                    }
                    if self.try_end('}', None) {
                        break;
                    }
                    if self.try_end(';', None) {
                        continue;
                    }
                    if !self.looking_at("option") {
                        return Err(self.error("Expected \"option\"."));
                    }
                    self.parse_option_statement(
                        method_path.clone(),
                        OptionsKind::Method,
                        scope.clone(),
                    )?;
                }
            } else {
                self.end(';', Some(method_loc))?;
            }
            self.close(method_loc);
            service.method.push(method);
        }
    }
}

/// protoc's synthetic oneofs for proto3 `optional` fields: `_name`, prefixed with `X` until
/// no field or oneof has the name.
fn generate_synthetic_oneofs(message: &mut DescriptorProto) {
    let mut names: HashSet<String> = message
        .field
        .iter()
        .map(|f| f.name().to_string())
        .chain(message.oneof_decl.iter().map(|o| o.name().to_string()))
        .collect();
    for i in 0..message.field.len() {
        if message.field[i].proto3_optional != Some(true) {
            continue;
        }
        let mut name = message.field[i].name().to_string();
        if !name.starts_with('_') {
            name.insert(0, '_');
        }
        while names.contains(&name) {
            name.insert(0, 'X');
        }
        names.insert(name.clone());
        message.field.as_mut_slice()[i].oneof_index = Some(message.oneof_decl.len() as i32);
        let mut oneof = OneofDescriptorProto::default();
        oneof.name.set(name);
        message.oneof_decl.push(oneof);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_recorded_before_the_package_statement_get_it() {
        let text = b"syntax = \"proto2\";\noption (a) = 1;\nmessage A { optional B b = 1; message B {} }\npackage late.pkg;\nmessage C { optional A.B ab = 1 [(c) = 2]; }\nservice S { rpc M(C) returns (C); }\n";
        let parsed = parse("late.proto", text).unwrap();
        let scopes: Vec<&str> = parsed.type_refs.iter().map(|r| &*r.scope).collect();
        assert_eq!(
            scopes,
            ["late.pkg.A", "late.pkg.C", "late.pkg.S", "late.pkg.S"]
        );
        let option_scopes: Vec<&str> = parsed.options.iter().map(|o| &*o.scope).collect();
        assert_eq!(option_scopes, ["late.pkg", "late.pkg.C"]);
    }
}
