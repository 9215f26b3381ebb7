//! The accessors emitted for each field shape are exactly `zpb_naming::accessor_names` of
//! that shape, so the derive and the generator (which predicts the names) cannot drift.

use crate::internals::check;
use crate::internals::ctxt::Errors;
use crate::internals::model;
use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use zpb_naming::{accessor_names, FieldShape};

/// The name of every `fn` in `tokens`, without `r#`.
fn fn_names(tokens: TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_fn = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(i) if after_fn => {
                names.push(i.unraw().to_string());
                after_fn = false;
            }
            TokenTree::Ident(i) => after_fn = i == "fn",
            TokenTree::Group(g) => {
                names.extend(fn_names(g.stream()));
                after_fn = false;
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => after_fn = false,
        }
    }
    names
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

#[test]
fn field_accessors_are_accessor_names() {
    let input: syn::DeriveInput = syn::parse_quote! {
        struct M {
            #[zpb(1)] scalar: i32,
            #[zpb(2, sint64)] zigzag: i64,
            #[zpb(3)] open: ::zpb::OpenEnum<E>,
            #[zpb(4, enum)] closed: E,
            #[zpb(5)] text: String,
            #[zpb(6)] data: Vec<u8>,
            #[zpb(7)] shared: ::zpb::bytes::Bytes,
            #[zpb(8, optional)] opt: Option<i32>,
            #[zpb(9, optional, default = 5)] opt_default: Option<i32>,
            #[zpb(10, optional)] opt_text: ::zpb::Optional<String>,
            #[zpb(11, optional, default = "x")] opt_text_default: ::zpb::Optional<String>,
            #[zpb(12, required)] req: Option<u64>,
            #[zpb(13)] sub: ::zpb::MessageField<Sub>,
            #[zpb(14, message)] boxed: Option<Sub>,
            #[zpb(15)] numbers: Vec<i32>,
            #[zpb(16, unpacked)] unpacked: Vec<u32>,
            #[zpb(17)] texts: ::zpb::Repeated<String>,
            #[zpb(18)] subs: ::zpb::Repeated<Sub>,
            #[zpb(19, enum)] enums: Vec<E>,
            #[zpb(20)] map: ::std::collections::HashMap<String, i32>,
            #[zpb(21, map = "sint32, message")] map_sub: ::std::collections::BTreeMap<i32, Sub>,
            #[zpb(22)] r#type: i32,
            #[zpb(oneof = "30, 31")] pick: Option<Pick>,
            _state: ::zpb::MessageState,
        }
    };
    let expected = [
        ("scalar", FieldShape::Implicit { by_value: true }),
        ("zigzag", FieldShape::Implicit { by_value: true }),
        ("open", FieldShape::Implicit { by_value: true }),
        ("closed", FieldShape::Implicit { by_value: true }),
        ("text", FieldShape::Implicit { by_value: false }),
        ("data", FieldShape::Implicit { by_value: false }),
        ("shared", FieldShape::Implicit { by_value: false }),
        ("opt", FieldShape::Present),
        ("opt_default", FieldShape::Present),
        ("opt_text", FieldShape::Present),
        ("opt_text_default", FieldShape::Present),
        ("req", FieldShape::Present),
        ("sub", FieldShape::Present),
        ("boxed", FieldShape::Present),
        ("numbers", FieldShape::Repeated),
        ("unpacked", FieldShape::Repeated),
        ("texts", FieldShape::Repeated),
        ("subs", FieldShape::Repeated),
        ("enums", FieldShape::Repeated),
        ("map", FieldShape::Map),
        ("map_sub", FieldShape::Map),
        ("type", FieldShape::Implicit { by_value: true }),
        ("pick", FieldShape::Oneof),
    ];
    let mut errors = Errors::default();
    let model = model::message(&input, &mut errors);
    check::message(model.as_ref().expect("a model"), &mut errors);
    let model = errors.finish(model).expect("valid").expect("a model");
    assert_eq!(model.fields.len(), expected.len());
    let mut all = Vec::new();
    for (f, (base, shape)) in model.fields.iter().zip(expected) {
        assert_eq!(f.base_name(), base);
        assert_eq!(f.field_shape(), shape, "{base}");
        // Each field alone: its accessors are exactly the names of its shape.
        let one = model::MessageModel {
            ident: model.ident.clone(),
            full_name: model.full_name.clone(),
            fields: vec![model::field(
                match &input.data {
                    syn::Data::Struct(s) => s
                        .fields
                        .iter()
                        .find(|x| x.ident.as_ref().is_some_and(|i| i.unraw() == base))
                        .expect("the field"),
                    _ => unreachable!("a struct"),
                },
                model::Defaults::default(),
            )
            .expect("a valid field")],
            state: model.state.clone(),
            clone: false,
            descriptor: None,
            reserved_names: Vec::new(),
        };
        assert_eq!(
            sorted(fn_names(super::emit(&one))),
            sorted(accessor_names(base, shape)),
            "{base}"
        );
        all.extend(accessor_names(base, shape));
    }
    // And the whole message's accessors are the union of them.
    assert_eq!(sorted(fn_names(super::emit(&model))), sorted(all));
}

#[test]
fn member_accessors_are_accessor_names() {
    let input: syn::DeriveInput = syn::parse_quote! {
        #[zpb(message = "M", field = "pick")]
        enum Pick {
            #[zpb(1)] Number(i32),
            #[zpb(2)] Text(String),
            #[zpb(3)] Data(Vec<u8>),
            #[zpb(4)] Sub(Box<Sub>),
            #[zpb(5, enum)] Closed(E),
            #[zpb(6, name = "fooBar")] Renamed(u64),
            #[zpb(7, accessor = "other")] Named(bool),
            #[zpb(8, name = "type")] Keyword(f64),
        }
    };
    let mut errors = Errors::default();
    let model = model::oneof(&input, &mut errors);
    let model = errors.finish(model).expect("valid").expect("a model");
    let mut errors = Errors::default();
    let bases = check::oneof(&model, &mut errors).expect("usable accessor bases");
    errors.finish(()).expect("no clash");
    assert_eq!(
        bases,
        ["number", "text", "data", "sub", "closed", "foo_bar", "other", "type"]
    );
    let parent = model.parent.as_ref().expect("a parent");
    let emitted = fn_names(super::member::emit(&model, parent, &bases));
    let expected = bases
        .iter()
        .flat_map(|b| accessor_names(b, FieldShape::OneofMember))
        .collect();
    assert_eq!(sorted(emitted), sorted(expected));
}
