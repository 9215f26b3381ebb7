//! Comments as protoc attaches them (its tokenizer's `NextWithComments`): for each gap
//! between two tokens, the comment trailing the token before, the detached comments, and the
//! comment leading the token after.

use super::lexer::{Token, TokenKind};

/// The comments of one gap between tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gap {
    /// The comment trailing the previous token (empty: none).
    pub trailing: String,
    /// Comments attached to neither token.
    pub detached: Vec<String>,
    /// The comment leading the next token (empty: none).
    pub leading: String,
}

/// Collects comments as protoc's `CommentCollector` does.
#[derive(Default)]
struct Collector {
    buffer: String,
    has_comment: bool,
    is_line_comment: bool,
    can_attach_to_prev: bool,
    has_trailing: bool,
    num_comments: usize,
    gap: Gap,
}

impl Collector {
    fn line_buffer(&mut self) -> &mut String {
        if self.has_comment && !self.is_line_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = true;
        &mut self.buffer
    }

    fn block_buffer(&mut self) -> &mut String {
        if self.has_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = false;
        &mut self.buffer
    }

    fn clear(&mut self) {
        self.buffer.clear();
        self.has_comment = false;
    }

    fn flush(&mut self) {
        if self.has_comment {
            if self.can_attach_to_prev {
                self.gap.trailing.push_str(&self.buffer);
                self.has_trailing = true;
                self.can_attach_to_prev = false;
            } else {
                self.gap.detached.push(std::mem::take(&mut self.buffer));
            }
            self.clear();
            self.num_comments += 1;
        }
    }

    fn maybe_detach(&mut self) {
        let count = self.num_comments + usize::from(self.has_comment);
        if count == 1 {
            if self.has_trailing {
                let trailing = std::mem::take(&mut self.gap.trailing);
                self.gap.detached.insert(0, trailing);
            }
            self.can_attach_to_prev = false;
            self.flush();
        }
    }

    fn finish(mut self) -> Gap {
        if self.has_comment {
            self.gap.leading = std::mem::take(&mut self.buffer);
        }
        self.gap
    }
}

/// A cursor over the bytes of one gap.
struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
    end: usize,
    line: u32,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.text[self.at])
    }

    fn peek2(&self) -> Option<u8> {
        (self.at + 1 < self.end).then(|| self.text[self.at + 1])
    }

    fn bump(&mut self) {
        if self.peek() == Some(b'\n') {
            self.line += 1;
        }
        self.at += 1;
    }

    fn try_consume(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')) {
            self.bump();
        }
    }

    /// `//` or `/*` here?
    fn comment_start(&mut self) -> Option<bool> {
        match (self.peek(), self.peek2()) {
            (Some(b'/'), Some(b'/')) => {
                self.at += 2;
                Some(true)
            }
            (Some(b'/'), Some(b'*')) => {
                self.at += 2;
                Some(false)
            }
            _ => None,
        }
    }

    /// The rest of a line comment, its newline included.
    fn line_comment(&mut self, out: &mut String) {
        let from = self.at;
        // No newline before the end of the line: the line count stays.
        self.at = self.text[from..self.end]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.end, |n| from + n);
        self.try_consume(b'\n');
        push_lossy(out, &self.text[from..self.at]);
    }

    /// The rest of a block comment: continuation lines lose their leading blanks and `*`,
    /// the closing `*/` is dropped.
    fn block_comment(&mut self, out: &mut String) {
        let mut from = self.at;
        loop {
            while !matches!(self.peek(), None | Some(b'*' | b'/' | b'\n')) {
                self.bump();
            }
            if self.peek() == Some(b'\n') {
                self.bump();
                push_lossy(out, &self.text[from..self.at]);
                self.skip_blanks();
                if self.try_consume(b'*') && self.try_consume(b'/') {
                    return;
                }
                from = self.at;
            } else if self.peek() == Some(b'*') {
                self.bump();
                if self.try_consume(b'/') {
                    push_lossy(out, &self.text[from..self.at - 2]);
                    return;
                }
            } else if self.peek() == Some(b'/') {
                self.bump();
            } else {
                push_lossy(out, &self.text[from..self.at]);
                return;
            }
        }
    }
}

/// Appends `bytes` to `out`, invalid UTF-8 replaced by U+FFFD (valid text, the usual case,
/// is copied as it is).
fn push_lossy(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => out.push_str(text),
        Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
    }
}

/// The comments of the gap of `text` before `tokens[i]` (from `start`, the start of the
/// text, for `i = 0`; the gap after the last token for `i = tokens.len()`). Gaps are
/// independent of each other, so the parser reads only those it hands comments out from.
pub fn gap_before(text: &[u8], start: usize, tokens: &[Token<'_>], i: usize) -> Gap {
    let (from, prev_line) = match i.checked_sub(1).and_then(|p| tokens.get(p)) {
        None => (start, None),
        Some(prev) => (prev.end_offset, Some(prev.end.line)),
    };
    let next = tokens.get(i);
    let to = next.map_or(text.len(), |t| t.offset);
    let closes = next.is_none_or(|t| matches!(t.kind, TokenKind::Symbol('}' | ']' | ')')));
    gap(
        text,
        from,
        to,
        prev_line,
        next.map(|t| t.start.line),
        closes,
    )
}

/// One gap, as `NextWithComments` reads it.
fn gap(
    text: &[u8],
    from: usize,
    to: usize,
    prev_line: Option<u32>,
    next_line: Option<u32>,
    closes: bool,
) -> Gap {
    let mut c = Collector::default();
    let mut cur = Cursor {
        text,
        at: from,
        end: to,
        line: prev_line.unwrap_or(0),
    };
    let mut trailing_end_line = None;
    match prev_line {
        None => c.can_attach_to_prev = false,
        Some(_) => {
            c.can_attach_to_prev = true;
            cur.skip_blanks();
            match cur.comment_start() {
                Some(true) => {
                    trailing_end_line = Some(cur.line);
                    cur.line_comment(c.line_buffer());
                    c.flush();
                }
                Some(false) => {
                    cur.block_comment(c.block_buffer());
                    trailing_end_line = Some(cur.line);
                    cur.skip_blanks();
                    let comment_follows =
                        cur.peek() == Some(b'/') && matches!(cur.peek2(), Some(b'/' | b'*'));
                    if !comment_follows && !cur.try_consume(b'\n') {
                        // The next token is on the same line: the comment belongs to
                        // neither token.
                        c.can_attach_to_prev = false;
                        c.flush();
                        return c.finish();
                    }
                    c.flush();
                }
                None => {
                    if !cur.try_consume(b'\n') {
                        return Gap::default();
                    }
                }
            }
        }
    }
    loop {
        cur.skip_blanks();
        match cur.comment_start() {
            Some(true) => cur.line_comment(c.line_buffer()),
            Some(false) => {
                cur.block_comment(c.block_buffer());
                cur.skip_blanks();
                cur.try_consume(b'\n');
            }
            None => {
                if cur.try_consume(b'\n') {
                    c.flush();
                    c.can_attach_to_prev = false;
                } else {
                    if closes {
                        c.flush();
                    }
                    let line = next_line.unwrap_or(cur.line);
                    if next_line.is_some()
                        && (prev_line == Some(line) || trailing_end_line == Some(line))
                    {
                        c.maybe_detach();
                    }
                    return c.finish();
                }
            }
        }
    }
}
