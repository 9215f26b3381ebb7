//! Protobuf text format output, used by every message's `Debug`: `{:?}` prints one line
//! (C++'s `ShortDebugString`), `{:#?}` prints one field per line (`DebugString`).
//!
//! ```
//! use zpb::well_known::Duration;
//! let d = Duration { seconds: 3, nanos: 5, ..Default::default() };
//! assert_eq!(format!("{d:?}"), "seconds: 3 nanos: 5");
//! assert_eq!(format!("{d:#?}"), "seconds: 3\nnanos: 5\n");
//! ```

use crate::field::{UnknownFieldValue, UnknownFields};
use crate::format::{float, text as escaping, TypeRegistry};
use std::fmt::{self, Write};

/// Writes fields in protobuf text format into a `fmt::Formatter`.
pub struct TextWriter<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    multiline: bool,
    indent: usize,
    /// Whether anything was written on the current line / level (for separators).
    first: bool,
    /// Whether unknown fields are printed.
    print_unknown: bool,
    /// Extensions to print by name (else they print as unknown fields).
    registry: Option<&'a TypeRegistry>,
}

impl<'a, 'b> TextWriter<'a, 'b> {
    /// A writer over `f`; multi-line when the formatter is in alternate (`{:#?}`) mode.
    /// Unknown fields are printed.
    pub fn new(f: &'a mut fmt::Formatter<'b>) -> Self {
        Self::with_unknown_fields(f, true)
    }

    /// A writer over `f` that prints unknown fields or not.
    pub fn with_unknown_fields(f: &'a mut fmt::Formatter<'b>, print_unknown: bool) -> Self {
        let multiline = f.alternate();
        TextWriter {
            f,
            multiline,
            indent: 0,
            first: true,
            print_unknown,
            registry: None,
        }
    }

    /// Prints the extensions `registry` knows as `[pkg.ext]` fields.
    pub fn with_registry(mut self, registry: &'a TypeRegistry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Writes the unknown fields of a message of type `extendee`: the extensions the
    /// registry (if any) knows as `[pkg.ext]` fields, the rest as
    /// [`unknown_fields`](Self::unknown_fields) does.
    pub fn unknown_fields_of(&mut self, extendee: &str, unknown: &UnknownFields) -> fmt::Result {
        let Some(registry) = self.registry.filter(|_| !unknown.is_empty()) else {
            return self.unknown_fields(unknown);
        };
        let mut numbers = Vec::new();
        for codec in registry.extensions_of(extendee) {
            numbers.push(codec.number);
            (codec.write_text)(&codec, unknown, self)?;
        }
        for ext in registry.pool_extensions_of(extendee) {
            numbers.push(ext.number());
            crate::reflect::pool_extensions::write_text(ext, unknown, self)?;
        }
        if numbers.is_empty() {
            return self.unknown_fields(unknown);
        }
        let mut rest = unknown.clone();
        rest.retain(|n| !numbers.contains(&n));
        self.unknown_fields(&rest)
    }

    fn start_field(&mut self, name: &str) -> fmt::Result {
        if self.multiline {
            for _ in 0..self.indent {
                self.f.write_str("  ")?;
            }
        } else if !self.first {
            self.f.write_char(' ')?;
        }
        self.first = false;
        self.f.write_str(name)
    }

    /// Writes one field: its name, then the value written by `value` (a scalar after `: `,
    /// a message in braces).
    pub fn field(
        &mut self,
        name: &str,
        value: impl FnOnce(&mut Self) -> fmt::Result,
    ) -> fmt::Result {
        self.start_field(name)?;
        value(self)?;
        if self.multiline {
            self.f.write_char('\n')?;
        }
        Ok(())
    }

    /// Writes a scalar value (`: 42`).
    pub fn scalar(&mut self, v: &(impl TextScalar + ?Sized)) -> fmt::Result {
        self.f.write_str(": ")?;
        v.write_text(self.f)
    }

    /// Writes an already formatted value such as an enum name (`: RED`).
    pub fn raw(&mut self, s: &str) -> fmt::Result {
        self.f.write_str(": ")?;
        self.f.write_str(s)
    }

    /// Writes a string value, quoted and escaped as C++ does; UTF-8 text is kept readable.
    pub fn string(&mut self, s: &str) -> fmt::Result {
        self.f.write_str(": \"")?;
        escaping::escape_str(self.f, s)?;
        self.f.write_char('"')
    }

    /// Writes a bytes value, quoted, with non-printable bytes as octal escapes.
    pub fn bytes(&mut self, b: &[u8]) -> fmt::Result {
        self.f.write_str(": \"")?;
        escaping::escape_bytes(self.f, b)?;
        self.f.write_char('"')
    }

    /// Writes a nested message: ` { ... }` (as Python and C++ print it), its fields written by
    /// `body`.
    pub fn message(&mut self, body: impl FnOnce(&mut Self) -> fmt::Result) -> fmt::Result {
        self.f.write_str(" {")?;
        if self.multiline {
            self.f.write_char('\n')?;
        }
        self.indent += 1;
        // On one line every nested field is preceded by a space, the first one too.
        self.first = self.multiline;
        body(self)?;
        self.indent -= 1;
        if self.multiline {
            for _ in 0..self.indent {
                self.f.write_str("  ")?;
            }
            self.f.write_char('}')?;
        } else {
            self.f.write_str(" }")?;
        }
        self.first = false;
        Ok(())
    }

    /// Writes unknown fields as `number: value`, as C++ does (unless this writer leaves
    /// them out). A length-delimited field whose bytes parse as fields is printed as a
    /// message, as C++ does.
    pub fn unknown_fields(&mut self, unknown: &UnknownFields) -> fmt::Result {
        if !self.print_unknown {
            return Ok(());
        }
        for field in unknown.iter() {
            let Ok(field) = field else {
                return self.field("<malformed unknown fields>", |_| Ok(()));
            };
            let name = field.field_number.to_string();
            match field.value {
                UnknownFieldValue::Varint(v) => self.field(&name, |w| w.scalar(&v))?,
                UnknownFieldValue::Fixed64(v) => {
                    self.field(&name, |w| write!(w.f, ": 0x{v:016x}"))?
                }
                UnknownFieldValue::Fixed32(v) => {
                    self.field(&name, |w| write!(w.f, ": 0x{v:08x}"))?
                }
                UnknownFieldValue::LengthDelimited(b) => {
                    let mut inner = UnknownFields::default();
                    inner.extend_raw(b);
                    if !b.is_empty() && inner.iter().all(|f| f.is_ok()) {
                        self.field(&name, |w| w.message(|w| w.unknown_fields(&inner)))?
                    } else {
                        self.field(&name, |w| w.bytes(b))?
                    }
                }
                UnknownFieldValue::Group(b) => {
                    let mut inner = UnknownFields::default();
                    inner.extend_raw(b);
                    self.field(&name, |w| w.message(|w| w.unknown_fields(&inner)))?
                }
            }
        }
        Ok(())
    }
}

/// A scalar that prints itself in text format.
pub trait TextScalar {
    /// Writes the value.
    fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

macro_rules! text_integer {
    ($($t:ty),*) => {$(
        impl TextScalar for $t {
            /// The decimal digits (the formatter's width and flags do not apply).
            fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(itoa::Buffer::new().format(*self))
            }
        }
    )*};
}
text_integer!(i32, i64, u32, u64);

impl TextScalar for bool {
    /// `true` or `false`.
    fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if *self { "true" } else { "false" })
    }
}

impl TextScalar for f64 {
    /// `inf`, `-inf`, `nan`, and the shortest round-trip form otherwise, as C++ prints.
    fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        float::write_f64(f, *self)
    }
}

impl TextScalar for f32 {
    /// `inf`, `-inf`, `nan`, and the shortest form that reads back as the same `f32`.
    fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        float::write_f32(f, *self)
    }
}
