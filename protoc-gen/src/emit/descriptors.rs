//! Embedded descriptors: one `zpb::reflect::GeneratedFile` static per `.proto` file, and the
//! `zpb::reflect::ReflectMessage` impl of each message, which looks its descriptor up there.

use super::tokens::{code, ident};
use crate::ir::{FileDescriptor, Message};
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

/// `impl zpb::reflect::ReflectMessage` for message `m`'s struct.
pub fn reflect_impl(m: &Message) -> TokenStream {
    let name = ident(&m.rust_name);
    let full = &m.full_name;
    let file = code(&m.descriptor_file);
    quote! {
        impl ::zpb::reflect::ReflectMessage for #name {
            fn descriptor(&self) -> ::zpb::reflect::MessageDescriptor {
                #file.message(#full)
            }
        }
    }
}
