//! Formatting: one package's tokens to the text of its file, with prettyplease, behind a
//! header comment.

use crate::error::{Error, ErrorKind};
use crate::ir::Package;
use proc_macro2::TokenStream;

/// One generated Rust file: the code of one proto package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The proto package (`my.app`; empty when the files declare none).
    pub package: String,
    /// The file name: `<package>.rs` (`_.rs` without a package), as `zpb::include_proto!`
    /// expects.
    pub name: String,
    /// Formatted Rust source.
    pub content: String,
}

/// The file of package `p`, whose items are `tokens`.
pub fn file(p: &Package, tokens: TokenStream) -> Result<GeneratedFile, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            ErrorKind::Unsupported,
            format!("package {}: generated code does not parse: {e}", p.name),
        )
    })?;
    let name = if p.name.is_empty() {
        "_.rs".to_string()
    } else {
        format!("{}.rs", p.name)
    };
    Ok(GeneratedFile {
        package: p.name.clone(),
        name,
        content: format!("{}{}", header(p), unparse(file)?),
    })
}

/// The file's text: prettyplease's, with the bodies of the `::zpb::__rpc! { ... }` gates
/// (see `emit::services`) formatted as the items they are rather than as raw tokens.
fn unparse(file: syn::File) -> Result<String, Error> {
    let mut out = String::new();
    let mut run = Vec::new();
    let flush = |run: &mut Vec<syn::Item>, out: &mut String, attrs: Vec<syn::Attribute>| {
        if !run.is_empty() || !attrs.is_empty() {
            out.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs,
                items: std::mem::take(run),
            }));
        }
    };
    let mut attrs = file.attrs;
    for mut item in file.items {
        if let syn::Item::Trait(t) = &mut item {
            mark_gated_trait_items(t);
        }
        match rpc_gate(&item) {
            Some(tokens) => {
                flush(&mut run, &mut out, std::mem::take(&mut attrs));
                let inner: syn::File = syn::parse2(tokens).map_err(|e| {
                    Error::new(
                        ErrorKind::Unsupported,
                        format!("generated RPC code does not parse: {e}"),
                    )
                })?;
                out.push_str("::zpb::__rpc! {\n");
                for line in prettyplease::unparse(&inner).lines() {
                    if !line.is_empty() {
                        out.push_str("    ");
                    }
                    out.push_str(line);
                    out.push('\n');
                }
                out.push_str("}\n");
            }
            None => run.push(item),
        }
    }
    flush(&mut run, &mut out, attrs);
    Ok(wrap_marked(&out))
}

/// The attribute standing for `::zpb::__rpc!` around a trait item until the text is written.
const GATE_MARK: &str = "#[__zpb_rpc_gate]";

/// Replaces each `::zpb::__rpc! { fn ...; }` among `t`'s items by the method itself, marked
/// with [`GATE_MARK`], so that prettyplease formats it (see [`wrap_marked`]).
fn mark_gated_trait_items(t: &mut syn::ItemTrait) {
    for item in &mut t.items {
        let syn::TraitItem::Macro(m) = item else {
            continue;
        };
        if !is_gate(&m.mac.path) {
            continue;
        }
        if let Ok(mut f) = syn::parse2::<syn::TraitItemFn>(m.mac.tokens.clone()) {
            f.attrs.insert(0, syn::parse_quote!(#[__zpb_rpc_gate]));
            *item = syn::TraitItem::Fn(f);
        }
    }
}

/// `text` with each item marked by [`GATE_MARK`] (through the line at its indentation that
/// ends it with `;`) wrapped in `::zpb::__rpc! { ... }` again.
fn wrap_marked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gated: Option<usize> = None; // the indentation of the marked item being copied
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        match gated {
            None if line.trim() == GATE_MARK => {
                out.push_str(&format!("{}::zpb::__rpc! {{\n", &line[..indent]));
                gated = Some(indent);
                continue;
            }
            Some(at) => {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
                let code = !line.trim_start().starts_with("//");
                if code && indent == at && line.ends_with(';') {
                    out.push_str(&format!("{}}}\n", " ".repeat(at)));
                    gated = None;
                }
                continue;
            }
            None => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether `path` is `::zpb::__rpc`.
fn is_gate(path: &syn::Path) -> bool {
    path.leading_colon.is_some()
        && path.segments.len() == 2
        && path.segments[0].ident == "zpb"
        && path.segments[1].ident == "__rpc"
}

/// The body of an item-level `::zpb::__rpc! { ... }` invocation.
fn rpc_gate(item: &syn::Item) -> Option<proc_macro2::TokenStream> {
    match item {
        syn::Item::Macro(m) if is_gate(&m.mac.path) => Some(m.mac.tokens.clone()),
        _ => None,
    }
}

/// The comment at the top of every generated file.
fn header(p: &Package) -> String {
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
