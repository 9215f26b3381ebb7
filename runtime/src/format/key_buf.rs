//! Where the JSON reader and the text lexer decode a key or name that cannot be borrowed
//! from the input (a JSON key with escapes, a bracketed text-format name): a [`StringSink`],
//! either a `String` or a [`KeyBuf`], which holds short keys without allocating.
//!
//! ```
//! use zpb::format::json::JsonReader;
//! use zpb::format::KeyBuf;
//!
//! let mut reader = JsonReader::new(br#"{"\u0061ge": 7}"#);
//! let mut key = KeyBuf::new();
//! reader.begin_object().unwrap();
//! assert_eq!(reader.next_key(&mut key).unwrap(), Some("age"));
//! ```

/// A growable text buffer that a decoder clears and appends to.
pub trait StringSink {
    /// Empties the buffer.
    fn clear(&mut self);
    /// Appends `s`.
    fn push_str(&mut self, s: &str);
    /// Appends `c`.
    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
    /// Replaces the text with `s` (a buffer that never held text gets exactly its room).
    fn assign(&mut self, s: &str) {
        self.clear();
        self.push_str(s);
    }
    /// The text appended since the last [`clear`](Self::clear).
    fn as_str(&self) -> &str;
    /// Makes room for `additional()` bytes if the buffer has never held any (a new string
    /// gets one allocation instead of growing run by run; a kept one keeps its capacity, so a
    /// reparse allocates nothing, and does not compute the size). Buffers with storage of
    /// their own do nothing.
    fn reserve_if_new(&mut self, additional: impl FnOnce() -> usize) {
        let _ = additional;
    }
}

impl StringSink for String {
    fn clear(&mut self) {
        String::clear(self);
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn as_str(&self) -> &str {
        self
    }
    fn reserve_if_new(&mut self, additional: impl FnOnce() -> usize) {
        if self.capacity() == 0 {
            self.reserve(additional());
        }
    }
}

/// A string field's storage: escapes decode straight into its kept buffer.
impl StringSink for crate::ThinString {
    fn clear(&mut self) {
        crate::ThinString::clear(self);
    }
    fn push_str(&mut self, s: &str) {
        crate::ThinString::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            // One byte, copied without a call.
            crate::ThinString::push_str(self, c.encode_utf8(&mut [0; 1]));
        } else {
            crate::ThinString::push(self, c);
        }
    }
    fn assign(&mut self, s: &str) {
        crate::ThinString::assign(self, s);
    }
    fn as_str(&self) -> &str {
        crate::ThinString::as_str(self)
    }
    fn reserve_if_new(&mut self, additional: impl FnOnce() -> usize) {
        // New: no block yet (its capacity is the word's, not 0).
        if self.is_inline() {
            self.reserve_exact(additional());
        }
    }
}

/// The longest text a [`KeyBuf`] holds without allocating, in bytes.
pub const KEY_BUF_INLINE: usize = 128;

/// A key buffer for parsers that run once per message: text of up to [`KEY_BUF_INLINE`]
/// bytes (the field names, extension names, type URLs and map keys of ordinary schemas)
/// lives inline, so decoding an escaped key allocates nothing; longer text moves to a
/// `String`.
pub struct KeyBuf {
    inline: [u8; KEY_BUF_INLINE],
    len: usize,
    /// Holds the text instead of `inline` once it outgrew it (kept for the next long key).
    heap: String,
    spilled: bool,
}

impl KeyBuf {
    /// An empty buffer.
    pub const fn new() -> Self {
        KeyBuf {
            inline: [0; KEY_BUF_INLINE],
            len: 0,
            heap: String::new(),
            spilled: false,
        }
    }
}

impl Default for KeyBuf {
    fn default() -> Self {
        KeyBuf::new()
    }
}

impl std::fmt::Debug for KeyBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl StringSink for KeyBuf {
    fn clear(&mut self) {
        self.len = 0;
        self.heap.clear();
        self.spilled = false;
    }

    fn push_str(&mut self, s: &str) {
        if self.spilled {
            self.heap.push_str(s);
            return;
        }
        let end = self.len + s.len();
        if let Some(room) = self.inline.get_mut(self.len..end) {
            room.copy_from_slice(s.as_bytes());
            self.len = end;
            return;
        }
        // Outgrown: the text so far and `s` move to the heap.
        self.heap.push_str(inline_str(&self.inline[..self.len]));
        self.heap.push_str(s);
        self.spilled = true;
    }

    fn as_str(&self) -> &str {
        if self.spilled {
            &self.heap
        } else {
            inline_str(&self.inline[..self.len])
        }
    }
}

/// The inline bytes as text: only whole `&str`s are copied in, so they are UTF-8.
fn inline_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

impl std::fmt::Write for KeyBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_inline_and_long_text_moves_to_the_heap() {
        let mut k = KeyBuf::new();
        k.push_str("ab");
        k.push('é');
        assert_eq!(k.as_str(), "abé");
        assert!(!k.spilled);
        let long = "x".repeat(KEY_BUF_INLINE);
        k.push_str(&long);
        assert_eq!(k.as_str(), format!("abé{long}"));
        k.push('!');
        assert_eq!(k.as_str(), format!("abé{long}!"));
        k.clear();
        assert_eq!(k.as_str(), "");
        // After a long key, short keys go inline again; the heap buffer is kept.
        k.push_str("key");
        k.push_str("s");
        assert_eq!(k.as_str(), "keys");
        assert!(!k.spilled && k.heap.capacity() > KEY_BUF_INLINE);
        let exact = "y".repeat(KEY_BUF_INLINE);
        k.clear();
        k.push_str(&exact);
        assert_eq!(k.as_str(), exact);
        assert!(!k.spilled);
    }
}
