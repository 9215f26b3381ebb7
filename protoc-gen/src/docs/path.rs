//! `SourceCodeInfo` paths: where an element sits in its file's descriptor, as the field
//! numbers of the descriptor messages leading to it, each followed by an index. protoc
//! records comments under these paths; the source scan records them the same way, and
//! lowering looks them up.

/// `FileDescriptorProto.message_type`.
pub const FILE_MESSAGE: i32 = 4;
/// `FileDescriptorProto.enum_type`.
pub const FILE_ENUM: i32 = 5;
/// `FileDescriptorProto.service`.
pub const FILE_SERVICE: i32 = 6;
/// `FileDescriptorProto.extension`.
pub const FILE_EXTENSION: i32 = 7;
/// `DescriptorProto.field`.
pub const MESSAGE_FIELD: i32 = 2;
/// `DescriptorProto.nested_type`.
pub const MESSAGE_NESTED: i32 = 3;
/// `DescriptorProto.enum_type`.
pub const MESSAGE_ENUM: i32 = 4;
/// `DescriptorProto.extension`.
pub const MESSAGE_EXTENSION: i32 = 6;
/// `DescriptorProto.oneof_decl`.
pub const MESSAGE_ONEOF: i32 = 8;
/// `EnumDescriptorProto.value`.
pub const ENUM_VALUE: i32 = 2;
/// `ServiceDescriptorProto.method`.
pub const SERVICE_METHOD: i32 = 2;

/// The path of element `index` of list `kind` inside the element at `path` (`&[]` for the
/// file itself).
pub fn child(path: &[i32], kind: i32, index: usize) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend([kind, index as i32]);
    p
}
