//! Descriptors of generated code: each generated `.proto` file embeds its serialized
//! `FileDescriptorProto` once, as a [`GeneratedFile`], which is added to the process-wide
//! generated pool ([`DescriptorPool::generated`]) the first time it is asked for, its
//! imports first. Every generated message answers [`ReflectMessage::descriptor`] from it.
//!
//! The pool grows by copy (descriptors are handles into an immutable pool): a descriptor
//! keeps the pool of the moment its file was registered, so descriptors of types from files
//! registered at different times are equal by name, not as handles.
//!
//! ```
//! use zpb::reflect::{DescriptorPool, ReflectMessage};
//!
//! let stamp = zpb::well_known::Timestamp::default();
//! let desc = stamp.descriptor();
//! assert_eq!(desc.full_name(), "google.protobuf.Timestamp");
//! assert_eq!(desc.file().name(), "google/protobuf/timestamp.proto");
//! assert!(DescriptorPool::generated()
//!     .get_message_by_name("google.protobuf.Timestamp")
//!     .is_some());
//! ```

#[cfg(doc)]
use super::ReflectMessage;
use super::{DescriptorPool, EnumDescriptor, FileDescriptor, MessageDescriptor, PoolError};
use crate::descriptor::FileDescriptorProto;
use crate::Message;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The serialized `FileDescriptorProto` of one generated `.proto` file (without source
/// info), with the files it imports; generated code declares one `static` per file.
pub struct GeneratedFile {
    name: &'static str,
    bytes: &'static [u8],
    dependencies: &'static [&'static GeneratedFile],
    file: OnceLock<Result<FileDescriptor, PoolError>>,
}

/// The process-wide pool of generated files.
fn pool() -> &'static Mutex<DescriptorPool> {
    static POOL: OnceLock<Mutex<DescriptorPool>> = OnceLock::new();
    POOL.get_or_init(|| Mutex::new(DescriptorPool::new()))
}

impl DescriptorPool {
    /// The pool of the generated files registered so far in this process (a snapshot: files
    /// registered later are not in it). A generated file is registered, with its imports,
    /// the first time one of its messages is asked for its descriptor, or by
    /// [`GeneratedFile::file_descriptor`].
    pub fn generated() -> DescriptorPool {
        pool()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl GeneratedFile {
    /// A file named `name` (its import path, `google/protobuf/any.proto`), serialized as
    /// `bytes`, importing `dependencies` (in the order of its `import`s).
    pub const fn new(
        name: &'static str,
        bytes: &'static [u8],
        dependencies: &'static [&'static GeneratedFile],
    ) -> GeneratedFile {
        GeneratedFile {
            name,
            bytes,
            dependencies,
            file: OnceLock::new(),
        }
    }

    /// The file's import path.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The serialized `FileDescriptorProto`.
    pub fn bytes(&self) -> &'static [u8] {
        self.bytes
    }

    /// The files it imports.
    pub fn dependencies(&self) -> &'static [&'static GeneratedFile] {
        self.dependencies
    }

    /// The file in the generated pool, added to it (imports first) on the first call.
    ///
    /// # Errors
    /// The embedded bytes do not decode or do not resolve (another file of the same name
    /// and different content is in the pool).
    pub fn file_descriptor(&self) -> Result<FileDescriptor, PoolError> {
        self.file
            .get_or_init(|| {
                let mut pool = pool().lock().unwrap_or_else(PoisonError::into_inner);
                self.add_to(&mut pool)?;
                pool.get_file_by_name(self.name)
                    .ok_or_else(|| PoolError::MissingImport {
                        file: self.name.to_string(),
                        import: self.name.to_string(),
                    })
            })
            .clone()
    }

    /// Adds the file's imports, then the file, to `pool`. A file already there with the
    /// same content is skipped; one with different content is an error.
    fn add_to(&self, pool: &mut DescriptorPool) -> Result<(), PoolError> {
        let file = FileDescriptorProto::parse_from_slice(self.bytes)?;
        if file.name() != self.name {
            return Err(PoolError::Invalid {
                element: self.name.to_string(),
                reason: format!("the embedded descriptor is of {}", file.name()),
            });
        }
        if let Some(there) = pool.get_file_by_name(self.name) {
            return match *there.file_descriptor_proto() == file {
                true => Ok(()),
                false => Err(PoolError::DuplicateFile(self.name.to_string())),
            };
        }
        for dependency in self.dependencies {
            dependency.add_to(pool)?;
        }
        pool.add_file_descriptor_protos([file])
    }

    /// The descriptor of message `full_name` (no leading dot) declared in this file: what
    /// generated [`ReflectMessage::descriptor`]s return.
    ///
    /// # Panics
    /// When the file or the message is not there: the generated code and its embedded
    /// descriptor disagree (a bug in the generator, not bad input), or a different file of
    /// the same name was registered first (two versions of one `.proto` file linked into one
    /// process, which C++'s generated pool refuses too). [`GeneratedFile::file_descriptor`]
    /// returns that case as an error.
    pub fn message(&self, full_name: &str) -> MessageDescriptor {
        let file = self.file_descriptor().unwrap_or_else(|e| {
            panic!("zpb: embedded descriptor of {} is invalid: {e}", self.name)
        });
        file.pool()
            .get_message_by_name(full_name)
            .unwrap_or_else(|| panic!("zpb: {full_name} is not in {}", self.name))
    }
}

impl GeneratedFile {
    /// The descriptor of enum `full_name` (no leading dot) declared in this file: what
    /// generated [`ReflectEnum::enum_descriptor`](super::ReflectEnum::enum_descriptor)s
    /// return.
    ///
    /// # Panics
    /// As [`message`](Self::message): when the file or the enum is not there.
    pub fn enumeration(&self, full_name: &str) -> EnumDescriptor {
        let file = self.file_descriptor().unwrap_or_else(|e| {
            panic!("zpb: embedded descriptor of {} is invalid: {e}", self.name)
        });
        file.pool()
            .get_enum_by_name(full_name)
            .unwrap_or_else(|| panic!("zpb: {full_name} is not in {}", self.name))
    }
}

impl std::fmt::Debug for GeneratedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedFile")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .field(
                "dependencies",
                &self.dependencies.iter().map(|d| d.name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::field_descriptor_proto::{Label, Type};

    /// A `'static` file for the test (generated code has these as statics).
    fn leak(
        name: &'static str,
        proto: &FileDescriptorProto,
        dependencies: &'static [&'static GeneratedFile],
    ) -> &'static GeneratedFile {
        let bytes = Box::leak(proto.serialize_to_vec().unwrap().into_boxed_slice());
        Box::leak(Box::new(GeneratedFile::new(name, bytes, dependencies)))
    }

    #[test]
    fn files_register_imports_first_and_resolve_messages() {
        let mut dep = FileDescriptorProto::default();
        dep.set_name("zpb_test_generated/dep.proto");
        dep.set_package("zpb_test_generated");
        dep.add_message_type().set_name("Dep");
        let dep = leak("zpb_test_generated/dep.proto", &dep, &[]);
        let mut main = FileDescriptorProto::default();
        main.set_name("zpb_test_generated/main.proto");
        main.set_package("zpb_test_generated");
        *main.add_dependency() = "zpb_test_generated/dep.proto".to_string();
        let m = main.add_message_type();
        m.set_name("Main");
        let f = m.add_field();
        f.set_name("dep");
        f.set_number(1);
        f.set_label(Label::Optional);
        f.set_type(Type::Message);
        f.set_type_name(".zpb_test_generated.Dep");
        let deps: &'static [&'static GeneratedFile] = Box::leak(Box::new([dep]));
        let main = leak("zpb_test_generated/main.proto", &main, deps);

        let desc = main.message("zpb_test_generated.Main");
        assert_eq!(desc.full_name(), "zpb_test_generated.Main");
        let field = desc.get_field(1).unwrap();
        assert_eq!(
            field.kind().as_message().unwrap().full_name(),
            "zpb_test_generated.Dep"
        );
        let pool = DescriptorPool::generated();
        assert!(pool.get_file_by_name(dep.name()).is_some());
        // Asking again gives the same file, from the same pool.
        assert_eq!(
            main.file_descriptor().unwrap(),
            main.file_descriptor().unwrap()
        );
        assert_eq!(format!("{main:?}").matches("dep.proto").count(), 1);
    }

    #[test]
    fn bad_embedded_bytes_are_typed_errors() {
        let garbage = GeneratedFile::new("zpb_test_generated/garbage.proto", b"\xff", &[]);
        assert!(matches!(
            garbage.file_descriptor(),
            Err(PoolError::Decode(_))
        ));
        let mut other = FileDescriptorProto::default();
        other.set_name("zpb_test_generated/other.proto");
        let misnamed = leak("zpb_test_generated/misnamed.proto", &other, &[]);
        assert!(matches!(
            misnamed.file_descriptor(),
            Err(PoolError::Invalid { .. })
        ));
        // The misnamed file was not added.
        assert!(DescriptorPool::generated()
            .get_file_by_name("zpb_test_generated/other.proto")
            .is_none());
        let first = leak("zpb_test_generated/other.proto", &other, &[]);
        assert!(first.file_descriptor().is_ok());
        let mut clash = FileDescriptorProto::default();
        clash.set_name("zpb_test_generated/other.proto");
        clash.set_package("different");
        let clash = leak("zpb_test_generated/other.proto", &clash, &[]);
        assert_eq!(
            clash.file_descriptor(),
            Err(PoolError::DuplicateFile(
                "zpb_test_generated/other.proto".to_string()
            ))
        );
    }
}
