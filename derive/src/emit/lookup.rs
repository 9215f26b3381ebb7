//! The key lookup of the generated JSON and text parsers: a field name read from the input
//! to the code of the field it names, by a decision on the name's length and then on single
//! bytes, ending in one whole comparison (instead of comparing the key with every name).

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// The code a key lookup gives when the key is none of the names.
pub const NO_MATCH: u32 = u32::MAX;

/// An expression over `key: &[u8]` giving the code of the name it equals, or [`NO_MATCH`]:
/// a `match` on the length, then on the byte that best separates the names of that length,
/// down to one candidate compared whole. A name listed twice keeps its first code.
pub fn key_lookup(names: &[(String, u32)]) -> TokenStream {
    let mut by_len: BTreeMap<usize, Vec<(&[u8], u32)>> = BTreeMap::new();
    for (name, code) in names {
        let group = by_len.entry(name.len()).or_default();
        if !group.iter().any(|(n, _)| *n == name.as_bytes()) {
            group.push((name.as_bytes(), *code));
        }
    }
    let arms = by_len.into_iter().map(|(len, group)| {
        let len = Literal::usize_unsuffixed(len);
        let tree = key_tree(&group);
        quote!(#len => #tree,)
    });
    quote!(match key.len() { #(#arms)* _ => #NO_MATCH })
}

/// The decision over names of one length (distinct, at least one).
fn key_tree(group: &[(&[u8], u32)]) -> TokenStream {
    if let [(name, code)] = group {
        let name = Literal::byte_string(name);
        return quote!(if key == #name { #code } else { #NO_MATCH });
    }
    let distinct_at = |i: usize| {
        let mut bytes: Vec<u8> = group.iter().map(|(n, _)| n[i]).collect();
        bytes.sort_unstable();
        bytes.dedup();
        bytes.len()
    };
    // Distinct names of equal length differ somewhere, so each branch is smaller.
    let len = group[0].0.len();
    let at = (0..len)
        .max_by_key(|&i| (distinct_at(i), std::cmp::Reverse(i)))
        .unwrap_or(0);
    let mut branches: BTreeMap<u8, Vec<(&[u8], u32)>> = BTreeMap::new();
    for &(name, code) in group {
        branches.entry(name[at]).or_default().push((name, code));
    }
    let arms = branches.into_iter().map(|(byte, sub)| {
        let byte = Literal::u8_suffixed(byte);
        let tree = key_tree(&sub);
        quote!(#byte => #tree,)
    });
    let at = Literal::usize_unsuffixed(at);
    quote!(match key[#at] { #(#arms)* _ => #NO_MATCH })
}
