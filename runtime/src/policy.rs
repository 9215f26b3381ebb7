//! [`MemoryPolicy`]: what a message keeps when it is cleared — the user's choice.

use crate::Message;

/// What [`Message::clear_with`] keeps.
///
/// C++ protobuf always retains (and advises clearing "periodically" by hand when memory
/// grows); zpb lets the caller choose, and `Budget` bounds retained memory outright.
///
/// ```
/// use zpb::{Message, MemoryPolicy, Reuse};
/// use zpb::well_known::Struct;
/// let mut m = Struct::default();
/// m.fields.insert("k".repeat(1000), Default::default());
/// m.clear_with(&MemoryPolicy::Budget { max_bytes: 64 });
/// assert!(m.space_used() <= 64);
/// m.clear_with(&MemoryPolicy::Release);
/// assert_eq!(m.space_used(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MemoryPolicy {
    /// Keep every allocation (C++ behaviour): the next parse of a message of the same shape
    /// allocates nothing. Retained memory is the union of every past message's shape.
    #[default]
    Retain,
    /// Keep what the last content used, release anything beyond it (spare elements and
    /// capacity retained from earlier, larger messages). Memory follows the latest message.
    Shrink,
    /// Release everything: the message is as new.
    Release,
    /// Retain while the message holds at most `max_bytes` (by
    /// [`space_used`](crate::Reuse::space_used)); past that, shrink to what the last content
    /// used, and release everything if that is still over. Retained memory never exceeds
    /// `max_bytes` after a clear, and same-sized messages that fit reuse memory with no
    /// allocation.
    Budget {
        /// Upper bound on retained heap bytes after a clear.
        max_bytes: usize,
    },
}

impl MemoryPolicy {
    /// Clears `message` under this policy.
    pub fn clear<M: Message>(&self, message: &mut M) {
        match *self {
            MemoryPolicy::Retain => message.clear(),
            MemoryPolicy::Shrink => {
                message.trim(&mut 0);
                message.clear();
            }
            MemoryPolicy::Release => *message = M::default(),
            MemoryPolicy::Budget { max_bytes } => {
                if message.space_used() <= max_bytes {
                    // Clearing keeps exactly what is held: still within the budget.
                    message.clear();
                    return;
                }
                message.trim(&mut 0);
                message.clear();
                if message.space_used() > max_bytes {
                    *message = M::default();
                }
            }
        }
    }
}
