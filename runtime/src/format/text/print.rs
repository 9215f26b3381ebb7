//! Printing messages in text format with options (C++ `TextFormat::Printer`): one field per
//! line or one line, unknown fields printed or left out. `Debug` prints with the defaults.

use crate::format::TypeRegistry;
use crate::text::TextWriter;
use crate::Message;
use std::fmt;

/// How [`to_text`] prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPrintOptions {
    /// One line (C++ `ShortDebugString`) instead of one field per line.
    pub single_line: bool,
    /// Print fields not in the schema as `number: value` (C++ prints them by default).
    pub print_unknown_fields: bool,
}

impl Default for TextPrintOptions {
    fn default() -> Self {
        TextPrintOptions {
            single_line: false,
            print_unknown_fields: true,
        }
    }
}

/// A message shown through `Display` with the unknown-field option.
struct Show<'m, M> {
    message: &'m M,
    print_unknown_fields: bool,
    registry: Option<&'m TypeRegistry>,
}

impl<M: Message> fmt::Display for Show<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = TextWriter::with_unknown_fields(f, self.print_unknown_fields);
        if let Some(registry) = self.registry {
            w = w.with_registry(registry);
        }
        self.message.fmt_text(&mut w)
    }
}

/// The message in text format.
///
/// ```
/// use zpb::format::text::{to_text, TextPrintOptions};
/// use zpb::well_known::Duration;
/// let d = Duration { seconds: 3, nanos: 5, ..Default::default() };
/// assert_eq!(to_text(&d, &TextPrintOptions::default()), "seconds: 3\nnanos: 5\n");
/// let one_line = TextPrintOptions { single_line: true, ..Default::default() };
/// assert_eq!(to_text(&d, &one_line), "seconds: 3 nanos: 5");
/// ```
pub fn to_text<M: Message>(message: &M, options: &TextPrintOptions) -> String {
    show(message, options, None)
}

/// The message in text format, with the extensions `registry` knows printed as
/// `[pkg.ext]` fields (instead of as unknown fields).
pub fn to_text_with<M: Message>(
    message: &M,
    options: &TextPrintOptions,
    registry: &TypeRegistry,
) -> String {
    show(message, options, Some(registry))
}

fn show<M: Message>(
    message: &M,
    options: &TextPrintOptions,
    registry: Option<&TypeRegistry>,
) -> String {
    let show = Show {
        message,
        print_unknown_fields: options.print_unknown_fields,
        registry,
    };
    if options.single_line {
        format!("{show}")
    } else {
        format!("{show:#}")
    }
}
