//! Emits the model as tokens: derive-annotated structs and enums (the derive in `zpb-derive`
//! writes all wire logic and accessors), service traits and descriptors.

use crate::model::{
    DefaultValue, Doc, Enum, ExtensionField, Field, Item, Member, Message, Method, Oneof, Package,
    Presence, Service, Shape, Value,
};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// Tokens of Rust source text the model already made valid (paths, types).
fn code(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        let message = format!("zpb-build produced an invalid path: {text}");
        quote!(::core::compile_error!(#message))
    })
}

/// An identifier, raw (`r#type`) when written so.
fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// User attributes (`Config::type_attribute`/`field_attribute`), parsed as given.
fn attributes(list: &[String]) -> TokenStream {
    list.iter().map(|a| code(a)).collect()
}

/// `#[doc]` lines for a comment: protoc's one leading space removed, indented blocks and bare
/// code fences marked as `text` so rustdoc does not compile them as Rust doc tests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    let mut out: Vec<String> = Vec::new();
    let mut fenced = false;
    let mut indented = false;
    for (i, line) in lines[start..end].iter().enumerate() {
        let trimmed = line.trim_start();
        if fenced {
            fenced = !is_fence(line);
            out.push(line.to_string());
            continue;
        }
        let is_code = line.starts_with("    ") || line.starts_with('\t');
        let fence = trimmed.strip_prefix("```").filter(|_| is_fence(line));
        if indented && (fence.is_some() || !is_code && !line.is_empty()) {
            let blanks = out.iter().rev().take_while(|l| l.is_empty()).count();
            out.insert(out.len() - blanks, "```".to_string());
            indented = false;
        }
        if let Some(lang) = fence {
            fenced = true;
            out.push(if lang.trim().is_empty() {
                "```text".to_string()
            } else {
                line.to_string()
            });
            continue;
        }
        let after_blank = i == 0 || lines[start + i - 1].is_empty();
        if is_code && !indented && after_blank {
            out.push("```text".to_string());
            indented = true;
        }
        out.push(line.to_string());
    }
    if fenced || indented {
        out.push("```".to_string());
    }
    escape_paragraphs(out)
}

/// Whether `line` opens or closes a code fence: three backticks after at most three spaces
/// (more makes it a line of code, as in CommonMark).
fn is_fence(line: &str) -> bool {
    let text = line.trim_start_matches(' ');
    line.len() - text.len() <= 3 && text.starts_with("```")
}

/// Applies [`rustdoc_safe`] to each paragraph (run of non-blank lines) outside the code
/// fences of `lines`, as [`doc_lines`] made them: every code block is fenced by then.
fn escape_paragraphs(lines: Vec<String>) -> Vec<String> {
    fn flush(paragraph: &mut Vec<String>, out: &mut Vec<String>) {
        let text = rustdoc_safe(&paragraph.join("\n"));
        out.extend(text.lines().map(String::from));
        paragraph.clear();
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut paragraph = Vec::new();
    let mut fenced = false;
    for line in lines {
        let fence = is_fence(&line);
        if fenced || fence || line.is_empty() {
            flush(&mut paragraph, &mut out);
            fenced ^= fence;
            out.push(line);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// Markdown prose from a `.proto` comment made safe for rustdoc, which would take proto
/// references such as `[google.protobuf.Type][]` for broken intra-doc links and warn about
/// bare URLs: `[` and `]` become `\[` and `\]`, and bare `http://` / `https://` URLs are
/// wrapped in `<...>`. Inline code spans, backslash escapes, `<...>` autolinks and inline
/// links to URLs (`[text](https://...)`, whose text is made safe in turn) are kept as they
/// are. `prose` is one paragraph, without code blocks; line breaks are kept.
fn rustdoc_safe(prose: &str) -> String {
    let chars: Vec<char> = prose.chars().collect();
    let mut out = String::with_capacity(prose.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let verbatim = match c {
            '`' => Some(code_span_end(&chars, i)),
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => Some(i + 2),
            '<' => chars[i + 1..]
                .iter()
                .position(|&e| e == '>' || e.is_whitespace())
                .filter(|&n| chars[i + 1 + n] == '>' && url_at(&chars, i + 1))
                .map(|n| i + n + 2),
            _ => None,
        };
        let link = if c == '[' { url_link(&chars, i) } else { None };
        if let Some(end) = verbatim {
            out.extend(&chars[i..end]);
            i = end;
        } else if let Some((close, end)) = link {
            let text: String = chars[i + 1..close].iter().collect();
            out.push('[');
            out.push_str(&rustdoc_safe(&text));
            out.extend(&chars[close..end]);
            i = end;
        } else if c == '[' || c == ']' {
            out.push('\\');
            out.push(c);
            i += 1;
        } else if url_at(&chars, i) && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let mut end = i;
            while chars
                .get(end)
                .is_some_and(|e| !e.is_whitespace() && !"<>`\"[]".contains(*e))
            {
                end += 1;
            }
            loop {
                let url = &chars[i..end];
                let count = |p| url.iter().filter(|&&x| x == p).count();
                match url.last() {
                    Some('.' | ',' | ';' | ':' | '!' | '?' | '\'') => end -= 1,
                    Some(')') if count(')') > count('(') => end -= 1,
                    _ => break,
                }
            }
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether an `http://` or `https://` URL starts at `chars[i]`.
fn url_at(chars: &[char], i: usize) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        let n = scheme.len();
        chars.len() >= i + n && chars[i..i + n].iter().copied().eq(scheme.chars())
    })
}

/// The end of the code span opened by the run of backticks at `chars[i]`, or the end of the
/// run when no run as long closes it (its backticks are then literal text).
fn code_span_end(chars: &[char], i: usize) -> usize {
    let run = |at: usize| chars[at..].iter().take_while(|&&c| c == '`').count();
    let n = run(i);
    let mut j = i + n;
    while j < chars.len() {
        if chars[j] == '`' {
            let m = run(j);
            if m == n {
                return j + m;
            }
            j += m;
        } else {
            j += 1;
        }
    }
    i + n
}

/// For an inline link to a URL, `[text](https://...)`, starting at `chars[i]`: the index of
/// its `]` and the end of its `)`.
fn url_link(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut j = i;
    let close = loop {
        match chars.get(j)? {
            '`' => j = code_span_end(chars, j),
            '\\' => j += 2,
            '[' => {
                depth += 1;
                j += 1;
            }
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
                j += 1;
            }
            _ => j += 1,
        }
    };
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let mut start = close + 2;
    while chars.get(start).is_some_and(|c| c.is_whitespace()) {
        start += 1;
    }
    let mut end = start;
    while chars
        .get(end)
        .is_some_and(|c| *c != ')' && !c.is_whitespace())
    {
        end += 1;
    }
    while chars.get(end).is_some_and(|c| c.is_whitespace()) {
        end += 1;
    }
    (chars.get(end) == Some(&')') && url_at(chars, start)).then_some((close, end + 1))
}

fn doc(d: &Doc) -> TokenStream {
    let lines = match &d.comment {
        Some(c) => doc_lines(c),
        None => vec![d.fallback.clone()],
    };
    lines
        .iter()
        .map(|l| {
            let l = format!(" {l}");
            let l = l.trim_end();
            quote!(#[doc = #l])
        })
        .collect()
}

/// The Rust type of one value: `i32`, `String`, `M`, `OpenEnum<E>`, ...
fn value_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { rust, .. } => code(rust),
        Value::String => quote!(::std::string::String),
        Value::Bytes { shared: false } => quote!(::std::vec::Vec<u8>),
        Value::Bytes { shared: true } => quote!(::zpb::bytes::Bytes),
        Value::Message { path }
        | Value::Group { path, .. }
        | Value::Enum { path, closed: true } => code(path),
        Value::Enum {
            path,
            closed: false,
        } => {
            let p = code(path);
            quote!(::zpb::OpenEnum<#p>)
        }
    }
}

/// The derive's word for a value's protobuf type.
fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Scalar { word, .. } => word,
        Value::String => "string",
        Value::Bytes { .. } => "bytes",
        Value::Message { .. } => "message",
        Value::Group { .. } => "group",
        Value::Enum { .. } => "enum",
    }
}

/// The `zpb::kind` marker type of a value's protobuf type.
fn codec_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { word, .. } => {
            let name = ident(zpb_naming::scalar_codec(word).unwrap_or("UnknownScalar"));
            quote!(::zpb::kind::#name)
        }
        Value::String => quote!(::zpb::kind::Str),
        Value::Bytes { shared: false } => quote!(::zpb::kind::Bytes),
        Value::Bytes { shared: true } => quote!(::zpb::kind::SharedBytes),
        Value::Message { path } => {
            let p = code(path);
            quote!(::zpb::kind::Msg<#p>)
        }
        Value::Group { path, .. } => {
            let p = code(path);
            quote!(::zpb::kind::Grp<#p>)
        }
        Value::Enum { path, closed } => {
            let p = code(path);
            match closed {
                true => quote!(::zpb::kind::ClosedEnum<#p>),
                false => quote!(::zpb::kind::Enum<#p>),
            }
        }
    }
}

/// An extension's constant.
fn extension(x: &ExtensionField) -> TokenStream {
    let d = doc(&x.doc);
    let name = ident(&x.const_name);
    let extendee = code(&x.extendee);
    let kind = codec_type(&x.value);
    let ty = match x.repeated {
        true => quote!(::zpb::RepeatedExtension),
        false => quote!(::zpb::Extension),
    };
    let number = Literal::u32_unsuffixed(x.number as u32);
    let full = &x.full_name;
    quote! {
        #d
        pub const #name: #ty<#extendee, #kind> = #ty::new(#number, #full);
    }
}

/// Strings, bytes and messages are kept in retained containers; scalars and enums are `Copy`.
fn is_heap(v: &Value) -> bool {
    matches!(
        v,
        Value::String | Value::Bytes { .. } | Value::Message { .. } | Value::Group { .. }
    )
}

fn default_tokens(d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Int(text) => code(text),
        DefaultValue::Float(text) => Literal::string(text).into_token_stream(),
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Str(s) => Literal::string(s).into_token_stream(),
        DefaultValue::Bytes(b) => Literal::byte_string(b).into_token_stream(),
        DefaultValue::Enum(v) => Literal::string(v.trim_start_matches("r#")).into_token_stream(),
    }
}

use quote::ToTokens as _;

/// The `name = "..."` item when the proto name differs from the Rust one (or, for a group,
/// always: text format prints a group by its type name).
fn name_item(proto: &str, rust: &str) -> Option<TokenStream> {
    (crate::names::unraw(rust) != proto).then(|| quote!(name = #proto))
}

fn field(f: &Field) -> TokenStream {
    let number = Literal::i32_unsuffixed(f.number);
    let mut items: Vec<TokenStream> = vec![quote!(#number)];
    let mut name = name_item(&f.proto_name, &f.rust_name);
    let ty = match &f.shape {
        Shape::Singular {
            value,
            presence,
            default,
            boxed,
        } => {
            items.push(code(kind_word(value)));
            if let Value::Group { type_name, .. } = value {
                name = Some(quote!(name = #type_name));
            }
            if *presence == Presence::Required {
                items.push(quote!(required));
            }
            if let Some(d) = default {
                let d = default_tokens(d);
                items.push(quote!(default = #d));
            }
            let v = value_type(value);
            match (presence, value) {
                (Presence::Implicit, _) => v,
                (_, Value::Message { .. } | Value::Group { .. }) if *boxed => {
                    quote!(::zpb::MessageField<#v>)
                }
                (_, Value::Message { .. } | Value::Group { .. }) => quote!(::zpb::Optional<#v>),
                (_, Value::String | Value::Bytes { .. }) => quote!(::zpb::Optional<#v>),
                _ => quote!(::core::option::Option<#v>),
            }
        }
        Shape::Repeated { value, packed } => {
            items.push(code(kind_word(value)));
            items.push(quote!(repeated));
            if let Value::Group { type_name, .. } = value {
                name = Some(quote!(name = #type_name));
            }
            if !packed && !is_heap(value) {
                items.push(quote!(unpacked));
            }
            let v = value_type(value);
            match is_heap(value) {
                true => quote!(::zpb::Repeated<#v>),
                false => quote!(::std::vec::Vec<#v>),
            }
        }
        Shape::Map { key, value, btree } => {
            let words = format!("{}, {}", kind_word(key), kind_word(value));
            items.push(quote!(map = #words));
            let (k, v) = (value_type(key), value_type(value));
            match btree {
                true => quote!(::std::collections::BTreeMap<#k, #v>),
                false => quote!(::std::collections::HashMap<#k, #v>),
            }
        }
    };
    items.extend(name);
    if let Some(json) = &f.json_name {
        items.push(quote!(json_name = #json));
    }
    let d = doc(&f.doc);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let attrs = attributes(&f.attributes);
    let id = ident(&f.rust_name);
    quote! {
        #d
        #[zpb(#(#items),*)]
        #deprecated
        #attrs
        pub #id: #ty,
    }
}

fn oneof_field(o: &Oneof) -> TokenStream {
    let numbers = o
        .members
        .iter()
        .map(|m| m.number.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let d = doc(&o.doc);
    let id = ident(&o.rust_name);
    let path = code(&o.enum_path);
    quote! {
        #d
        #[zpb(oneof = #numbers)]
        pub #id: ::core::option::Option<#path>,
    }
}

fn member(m: &Member) -> TokenStream {
    let number = Literal::i32_unsuffixed(m.number);
    let word = code(kind_word(&m.value));
    // The derive's default proto name is `zpb_naming::variant_proto_name`.
    let name = (zpb_naming::variant_proto_name(&m.variant) != m.proto_name).then(|| {
        let n = &m.proto_name;
        quote!(, name = #n)
    });
    let accessor = (m.accessor != zpb_naming::oneof_accessor_base(&m.proto_name)).then(|| {
        let a = &m.accessor;
        quote!(, accessor = #a)
    });
    let v = value_type(&m.value);
    let ty = match &m.value {
        Value::Message { .. } | Value::Group { .. } => quote!(::std::boxed::Box<#v>),
        _ => v,
    };
    let d = doc(&m.doc);
    let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
    let variant = ident(&m.variant);
    quote! {
        #d
        #[zpb(#number, #word #name #accessor)]
        #deprecated
        #variant(#ty),
    }
}

fn oneof_enum(message: &Message, o: &Oneof) -> TokenStream {
    let d = doc(&o.doc);
    let parent = format!("super::{}", message.rust_name);
    let field = &o.rust_name;
    let name = ident(&o.enum_name);
    let members = o.members.iter().map(member);
    quote! {
        #d
        #[derive(::zpb::Oneof, Clone, PartialEq, Debug)]
        #[zpb(message = #parent, field = #field)]
        pub enum #name {
            #(#members)*
        }
    }
}

fn message(m: &Message) -> TokenStream {
    let d = doc(&m.doc);
    let full = &m.full_name;
    let name = ident(&m.rust_name);
    let attrs = attributes(&m.attributes);
    let fields = m.items.iter().map(|i| match i {
        Item::Field(f) => field(f),
        Item::Oneof(o) => oneof_field(o),
    });
    let state = ident(&m.state_field);
    let mut nested: Vec<TokenStream> = m.messages.iter().map(message).collect();
    nested.extend(m.enums.iter().map(enumeration));
    nested.extend(m.items.iter().filter_map(|i| match i {
        Item::Oneof(o) => Some(oneof_enum(m, o)),
        Item::Field(_) => None,
    }));
    nested.extend(m.extensions.iter().map(extension));
    let module = (!nested.is_empty()).then(|| {
        let module = ident(&m.module);
        let mdoc = match m.extensions.is_empty() {
            true => format!(" Nested types and oneofs of `{full}`."),
            false => format!(" Nested types, oneofs and extensions of `{full}`."),
        };
        quote! {
            #[doc = #mdoc]
            pub mod #module {
                #(#nested)*
            }
        }
    });
    quote! {
        #d
        #[derive(::zpb::Message, Clone, PartialEq, Default)]
        #[zpb(name = #full)]
        #attrs
        pub struct #name {
            #(#fields)*
            /// Unknown fields and the cached encoded size.
            pub #state: ::zpb::MessageState,
        }
        #module
    }
}

fn enumeration(e: &Enum) -> TokenStream {
    let d = doc(&e.doc);
    let full = &e.full_name;
    let name = ident(&e.rust_name);
    let attrs = attributes(&e.attributes);
    let variants = e.values.iter().enumerate().map(|(i, v)| {
        let vd = doc(&v.doc);
        let default = (i == 0).then(|| quote!(#[default]));
        let proto = &v.proto_name;
        let derived = zpb_naming::variant_proto_name(&v.rust_name).to_uppercase();
        let zpb = (derived != *proto).then(|| quote!(#[zpb(name = #proto)]));
        let variant = ident(&v.rust_name);
        let number = Literal::i32_unsuffixed(v.number);
        quote! {
            #vd
            #default
            #zpb
            #variant = #number,
        }
    });
    let aliases = (!e.aliases.is_empty()).then(|| {
        let consts = e.aliases.iter().map(|a| {
            let ad = doc(&a.doc);
            let alias = ident(&a.rust_name);
            let target = ident(&a.target);
            quote! {
                #ad
                #[allow(non_upper_case_globals)]
                pub const #alias: #name = #name::#target;
            }
        });
        quote! {
            impl #name {
                #(#consts)*
            }
        }
    });
    quote! {
        #d
        #[derive(::zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        #[zpb(name = #full)]
        #attrs
        pub enum #name {
            #(#variants)*
        }
        #aliases
    }
}

fn method_sig(m: &Method) -> TokenStream {
    let d = doc(&m.doc);
    let name = ident(&m.rust_name);
    let (input, output) = (code(&m.input), code(&m.output));
    let streaming = match (m.client_streaming, m.server_streaming) {
        (false, false) => None,
        (c, s) => {
            let text = format!(
                " Streaming in the proto ({}); this trait sees one request and one response per call.",
                [(c, "client"), (s, "server")].iter().filter(|x| x.0).map(|x| x.1).collect::<Vec<_>>().join(" and ")
            );
            Some(quote!(#[doc = ""] #[doc = #text]))
        }
    };
    quote! {
        #d
        #streaming
        fn #name(&self, request: &#input, response: &mut #output) -> ::core::result::Result<(), Self::Error>;
    }
}

fn service(s: &Service) -> TokenStream {
    let d = doc(&s.doc);
    let name = ident(&s.rust_name);
    let full = &s.full_name;
    let methods = s.methods.iter().map(method_sig);
    let descriptors = s.methods.iter().map(|m| {
        let (n, i, o, cs, ss) = (
            &m.proto_name,
            &m.input_full,
            &m.output_full,
            m.client_streaming,
            m.server_streaming,
        );
        quote! {
            ::zpb::well_known::MethodDescriptor {
                name: #n,
                input_type: #i,
                output_type: #o,
                client_streaming: #cs,
                server_streaming: #ss,
            }
        }
    });
    let konst = ident(&s.descriptor_const);
    let const_doc = format!(
        " Name and methods of service `{full}` (see [`{}`]).",
        s.rust_name
    );
    quote! {
        #d
        pub trait #name {
            /// The error a method returns.
            type Error;
            #(#methods)*
        }
        #[doc = #const_doc]
        pub const #konst: ::zpb::well_known::ServiceDescriptor = ::zpb::well_known::ServiceDescriptor {
            name: #full,
            methods: &[#(#descriptors),*],
        };
    }
}

/// All items of a package.
pub fn package(p: &Package) -> TokenStream {
    let messages = p.messages.iter().map(message);
    let enums = p.enums.iter().map(enumeration);
    let services = p.services.iter().map(service);
    let extensions = p.extensions.iter().map(extension);
    quote! {
        #(#messages)*
        #(#enums)*
        #(#services)*
        #(#extensions)*
    }
}

/// The comment at the top of every generated file.
pub fn header(p: &Package) -> String {
    let package = if p.name.is_empty() {
        "(no package)".to_string()
    } else {
        format!("`{}`", p.name)
    };
    format!(
        "// Generated by zpb-build from {} (package {package}). Do not edit.\n\
         //\n\
         // Each message is a struct deriving `zpb::Message`, which adds C++-named accessors:\n\
         // `x()`, `set_x(v)`, `mutable_x()`, `clear_x()`, `take_x()`, and `has_x()` for fields with\n\
         // presence; for repeated fields `x()` (a slice), `x_size()`, `x_at(i)`, `set_x(i, v)`,\n\
         // `add_x()`, `mutable_x_at(i)`; for maps `x()`, `x_size()`, `mutable_x()`; for a oneof\n\
         // `which_x()` and, per member, `m()`, `has_m()`, `set_m(v)`, `mutable_m()`. A field whose\n\
         // accessors would collide with another's (or with a `zpb::Message` method) gets a trailing\n\
         // `_` (`clear` -> `clear_`); its proto name stays in `#[zpb(name = ...)]`.\n\n",
        p.files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_references_are_not_intra_doc_links() {
        assert_eq!(
            rustdoc_safe("for message [google.protobuf.Duration][]: a [foo][bar] or [x]"),
            r"for message \[google.protobuf.Duration\]\[\]: a \[foo\]\[bar\] or \[x\]"
        );
        // Code spans and escapes stay as written.
        assert_eq!(
            rustdoc_safe(r"`a[0]` and ``b ` [c]`` and \[d] and ``e [f]"),
            r"`a[0]` and ``b ` [c]`` and \[d\] and ``e \[f\]"
        );
    }

    #[test]
    fn bare_urls_are_wrapped_once() {
        assert_eq!(
            rustdoc_safe("See https://cloud.google.com/apis/design/glossary for more."),
            "See <https://cloud.google.com/apis/design/glossary> for more."
        );
        assert_eq!(
            rustdoc_safe("(at http://a.b/c_(d).) or http://x.y/z, then"),
            "(at <http://a.b/c_(d)>.) or <http://x.y/z>, then"
        );
        // Autolinks, inline links (even across a line break) and code are left alone.
        let kept = "<https://a.b/c> and [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt)\n\
                    [`strftime`](\nhttp://x.y/z#a%2D\n) and `https://c.d`";
        assert_eq!(rustdoc_safe(kept), kept);
        // The text of an inline link is made safe; a link to a non-URL is not a link.
        assert_eq!(
            rustdoc_safe("[see [T][]](https://a.b) [U](crate::U)"),
            r"[see \[T\]\[\]](https://a.b) \[U\](crate::U)"
        );
        assert_eq!(rustdoc_safe("nohttp://x ftp://y"), "nohttp://x ftp://y");
    }

    #[test]
    fn doc_lines_escape_prose_but_not_code() {
        let comment = " An HTTP GET on the URL must yield a [google.protobuf.Type][]\n \
                       value; see https://example.com/x.\n\n     let v = a[0]; // http://x.y\n\n \
                       ```\n [raw] https://raw\n ```\n";
        assert_eq!(
            doc_lines(comment),
            [
                r"An HTTP GET on the URL must yield a \[google.protobuf.Type\]\[\]",
                "value; see <https://example.com/x>.",
                "",
                "```text",
                "    let v = a[0]; // http://x.y",
                "```",
                "",
                "```text",
                "[raw] https://raw",
                "```",
            ]
        );
    }

    /// Comments are untrusted text: any mix of the characters the escaping looks at must
    /// come out without a panic and with every code fence closed.
    #[test]
    fn any_mix_of_markup_is_handled() {
        const PIECES: [&str; 18] = [
            "[",
            "]",
            "`",
            "``",
            "```",
            "<",
            ">",
            "\\",
            "(",
            ")",
            " ",
            "\n",
            "    ",
            "\t",
            "http://a.b",
            "https://",
            "x",
            "é",
        ];
        crate::test_util::random_mixes(&PIECES, 24, |comment| {
            let lines = doc_lines(comment);
            let fences = lines.iter().filter(|l| is_fence(l)).count();
            assert_eq!(fences % 2, 0, "{comment:?} -> {lines:?}");
        });
    }
}
