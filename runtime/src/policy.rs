//! [`MemoryPolicy`]: what a message keeps when it is cleared — the user's choice.

use crate::field::Reuse;

/// What [`Message::clear_with`](crate::Message::clear_with) keeps.
///
/// C++ protobuf always retains (and advises clearing "periodically" by hand when memory
/// grows); zpb lets the caller choose, and `Budget` bounds retained memory outright.
///
/// ```
/// use zpb::{Message, MemoryPolicy, Reuse};
/// #[derive(zpb::Message, Clone, PartialEq, Default)]
/// struct Log {
///     #[zpb(1)]
///     lines: zpb::Repeated<String>,
///     _state: zpb::MessageState,
/// }
/// let mut log = Log::default();
/// log.add_lines().push_str(&"x".repeat(1000));
/// log.clear_with(&MemoryPolicy::Retain);
/// assert!(log.space_used() > 1000); // the line is kept for reuse
/// log.add_lines().push_str(&"y".repeat(1000));
/// log.clear_with(&MemoryPolicy::Budget { max_bytes: 64 });
/// assert!(log.space_used() <= 64);
/// log.clear_with(&MemoryPolicy::Release);
/// assert_eq!(log.space_used(), 0);
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
    /// allocation. When the last content alone needs more than `max_bytes`
    /// ([`space_needed`](crate::Reuse::space_needed)), the message is released at once,
    /// without shrinking first: a budget below the content costs what `Release` costs.
    Budget {
        /// Upper bound on retained heap bytes after a clear.
        max_bytes: usize,
    },
}

impl MemoryPolicy {
    /// Clears `message` under this policy.
    pub fn clear<M: Reuse>(&self, message: &mut M) {
        match *self {
            MemoryPolicy::Retain => message.clear(),
            MemoryPolicy::Shrink => {
                message.trim(&mut 0);
                message.clear();
            }
            MemoryPolicy::Release => release(message),
            MemoryPolicy::Budget { max_bytes } => {
                if message.space_used() <= max_bytes {
                    message.clear();
                    // Clearing keeps what is held, but the first clear of a map or oneof
                    // makes room for what they keep: trim that back if it went over.
                    if message.space_used() > max_bytes {
                        message.trim(&mut { max_bytes });
                    }
                    return;
                }
                if message.space_needed() > max_bytes {
                    // Even a full shrink would stay over: release at once rather than
                    // reallocate every buffer down to its content first.
                    release(message);
                    return;
                }
                message.trim(&mut 0);
                message.clear();
                if message.space_used() > max_bytes {
                    release(message);
                }
            }
        }
    }
}

/// Empties `message` and gives back everything it holds: as a new message, but in place, so
/// that a message whose type is data (`reflect::DynamicMessage`) keeps its type.
fn release<M: Reuse>(message: &mut M) {
    message.clear();
    message.trim(&mut 0);
}
