//! [`Pool<M>`]: reusable messages handed out and returned on drop.

use crate::{MemoryPolicy, Message};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, MutexGuard};

/// A pool of messages of one type, for receive loops and servers: [`get`](Pool::get) hands
/// out a cleared message (a previously used one, with its memory, when available), and the
/// returned [`Pooled`] guard gives it back on drop, cleared under the pool's
/// [`MemoryPolicy`]. In steady state a loop that parses into pooled messages allocates
/// nothing. The pool is `Clone + Send + Sync` (clones share the same messages).
///
/// ```
/// use zpb::{Message, MemoryPolicy, Pool};
/// use zpb::well_known::Duration;
/// let pool = Pool::<Duration>::new(MemoryPolicy::Retain);
/// {
///     let mut d = pool.get();
///     d.merge_from_slice(&[0x08, 0x05]).unwrap();
///     assert_eq!(d.seconds, 5);
/// } // returned to the pool here, cleared
/// assert_eq!(pool.idle(), 1);
/// assert_eq!(pool.get().seconds, 0);
/// ```
pub struct Pool<M> {
    shared: Arc<Shared<M>>,
}

struct Shared<M> {
    idle: Mutex<Vec<M>>,
    policy: MemoryPolicy,
    max_idle: usize,
}

impl<M: Message> Pool<M> {
    /// A pool that clears returned messages under `policy` and keeps any number of them.
    pub fn new(policy: MemoryPolicy) -> Self {
        Pool::with_max_idle(policy, usize::MAX)
    }

    /// A pool that keeps at most `max_idle` returned messages (more are dropped).
    pub fn with_max_idle(policy: MemoryPolicy, max_idle: usize) -> Self {
        Pool {
            shared: Arc::new(Shared {
                idle: Mutex::new(Vec::new()),
                policy,
                max_idle,
            }),
        }
    }

    fn idle_list(&self) -> MutexGuard<'_, Vec<M>> {
        // A panic while holding the lock cannot leave the list inconsistent (push/pop only).
        self.shared.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A cleared message: a returned one if any is idle, else a new one.
    pub fn get(&self) -> Pooled<M> {
        let message = self.idle_list().pop().unwrap_or_default();
        Pooled {
            message: Some(message),
            shared: self.shared.clone(),
        }
    }

    /// Number of idle messages in the pool.
    pub fn idle(&self) -> usize {
        self.idle_list().len()
    }

    /// Heap bytes held by the idle messages (messages handed out are not counted).
    pub fn space_used(&self) -> usize {
        let idle = self.idle_list();
        idle.capacity() * std::mem::size_of::<M>()
            + idle.iter().map(crate::Reuse::space_used).sum::<usize>()
    }

    /// Drops every idle message and the list that held them.
    pub fn release_all(&self) {
        *self.idle_list() = Vec::new();
    }

    /// The policy returned messages are cleared with.
    pub fn policy(&self) -> MemoryPolicy {
        self.shared.policy
    }
}

impl<M> Clone for Pool<M> {
    fn clone(&self) -> Self {
        Pool {
            shared: self.shared.clone(),
        }
    }
}

impl<M: Message> fmt::Debug for Pool<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("message", &M::NAME)
            .field("idle", &self.idle())
            .field("policy", &self.shared.policy)
            .finish()
    }
}

/// A message on loan from a [`Pool`]; dereferences to `M` and goes back to the pool on drop.
pub struct Pooled<M: Message> {
    message: Option<M>,
    shared: Arc<Shared<M>>,
}

impl<M: Message> Pooled<M> {
    /// Keeps the message, taking it out of the pool for good.
    pub fn detach(mut self) -> M {
        self.message.take().expect("present until drop")
    }
}

impl<M: Message> Deref for Pooled<M> {
    type Target = M;
    fn deref(&self) -> &M {
        self.message.as_ref().expect("present until drop")
    }
}

impl<M: Message> DerefMut for Pooled<M> {
    fn deref_mut(&mut self) -> &mut M {
        self.message.as_mut().expect("present until drop")
    }
}

impl<M: Message> fmt::Debug for Pooled<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<M: Message> Drop for Pooled<M> {
    fn drop(&mut self) {
        let Some(mut message) = self.message.take() else {
            return;
        };
        self.shared.policy.clear(&mut message);
        let mut idle = self.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.shared.max_idle {
            idle.push(message);
        }
    }
}
