//! Embedded descriptors: one `zpb::reflect::GeneratedFile` static per `.proto` file. Each
//! message's derive names it (`#[zpb(descriptor = "...")]`) and implements
//! `zpb::reflect::ReflectMessage` from it.

use super::tokens::{code, ident};
use crate::ir::FileDescriptor;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The static holding the serialized descriptor of one file.
pub fn file_static(f: &FileDescriptor) -> TokenStream {
    let name = ident(&f.static_name);
    let file = &f.name;
    let doc = format!(
        " The serialized `FileDescriptorProto` of `{file}` (without source info), registered in \
         `zpb::reflect::DescriptorPool::generated()` on first use."
    );
    let bytes = Literal::byte_string(&f.bytes);
    let dependencies = f.dependencies.iter().map(|d| code(d));
    quote! {
        #[doc = #doc]
        pub static #name: ::zpb::reflect::GeneratedFile = ::zpb::reflect::GeneratedFile::new(
            #file,
            #bytes,
            &[#(&#dependencies),*],
        );
    }
}
