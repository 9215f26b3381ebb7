//! Descriptors of generated code: each generated `.proto` file embeds its serialized
//! `FileDescriptorProto` once, as a [`GeneratedFile`], which is added to the process-wide
//! generated pool ([`DescriptorPool::generated`]) the first time it is asked for, its
//! imports first. Every generated message answers [`ReflectMessage::descriptor`] from it.
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

use super::{DescriptorPool, FileDescriptor, MessageDescriptor, PoolError};
use std::sync::{Mutex, OnceLock, PoisonError};

/// A message that knows its descriptor (object safe: `&dyn ReflectMessage` works).
pub trait ReflectMessage {
    /// The descriptor of the message's type.
    fn descriptor(&self) -> MessageDescriptor;
}

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
                    .ok_or_else(|| PoolError::Invalid {
                        element: self.name.to_string(),
                        reason: "the embedded descriptor names another file".to_string(),
                    })
            })
            .clone()
    }

    /// Adds the file's imports, then the file, to `pool` (what is there already is skipped).
    fn add_to(&self, pool: &mut DescriptorPool) -> Result<(), PoolError> {
        if pool.get_file_by_name(self.name).is_some() {
            return Ok(());
        }
        for dependency in self.dependencies {
            dependency.add_to(pool)?;
        }
        pool.decode_file_descriptor_proto(self.bytes)
    }

    /// The descriptor of message `full_name` (no leading dot) declared in this file: what
    /// generated [`ReflectMessage::descriptor`]s return.
    ///
    /// # Panics
    /// When the file or the message is not there: the generated code and its embedded
    /// descriptor disagree, which is a bug in the generator, not bad input.
    pub fn message(&self, full_name: &str) -> MessageDescriptor {
        let file = self.file_descriptor().unwrap_or_else(|e| {
            panic!("zpb: embedded descriptor of {} is invalid: {e}", self.name)
        });
        file.pool()
            .get_message_by_name(full_name)
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
