//! Leading comments for the pure-Rust parser, which does not record `SourceCodeInfo`.
//!
//! A small tokenizer follows protoc's rules for which comment belongs to which token (a
//! comment block directly above a declaration, with no blank line between, is its leading
//! comment; a comment on the same line as the previous token, or followed by a blank line,
//! belongs to what precedes it), and a scan of the declarations names each element. The
//! comments are then attached to the descriptors as `SourceCodeInfo` locations, exactly where
//! protoc puts them, so both front ends feed lowering the same thing.

use super::path::{
    child, ENUM_VALUE, FILE_ENUM, FILE_MESSAGE, FILE_SERVICE, MESSAGE_ENUM, MESSAGE_FIELD,
    MESSAGE_NESTED, MESSAGE_ONEOF, SERVICE_METHOD,
};
use std::collections::HashMap;
use zpb::descriptor::{
    source_code_info::Location, DescriptorProto, EnumDescriptorProto, FileDescriptorProto,
    SourceCodeInfo,
};

/// A token of a `.proto` file with its 1-based position and the comments attached to it.
struct Token {
    text: String,
    line: u32,
    column: u32,
    leading: Option<String>,
    trailing: Option<String>,
}

/// protoc's `CommentCollector`: gathers comment blocks between two tokens and decides which
/// is the previous token's trailing comment and which the next token's leading one
/// (detached comments are dropped: nothing uses them).
struct Collector {
    /// The comment block being gathered, and whether it is made of line comments.
    buffer: Option<(String, bool)>,
    /// Whether a block ended now would still trail the previous token.
    attach_to_prev: bool,
    trailing: Option<String>,
}

impl Collector {
    /// Ends the current block: it trails the previous token if it may, else is detached.
    fn flush(&mut self) {
        if let Some((text, _)) = self.buffer.take() {
            if self.attach_to_prev {
                self.trailing = Some(text);
                self.attach_to_prev = false;
            }
        }
    }

    /// Adds a `//` comment line; consecutive lines make one block.
    fn line(&mut self, text: String) {
        match &mut self.buffer {
            Some((block, true)) => block.push_str(&text),
            Some((_, false)) => {
                self.flush();
                self.buffer = Some((text, true));
            }
            None => self.buffer = Some((text, true)),
        }
    }

    /// Adds a `/* */` comment, a block of its own.
    fn block(&mut self, text: String) {
        self.flush();
        self.buffer = Some((text, false));
    }
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    column: u32,
    _src: &'a str,
}

impl Lexer<'_> {
    fn new(src: &str) -> Lexer<'_> {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
            line: 1,
            column: 1,
            _src: src,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.pos + 1).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r' | '\x0b' | '\x0c')) {
            self.bump();
        }
    }

    fn at_comment(&self) -> Option<bool> {
        match (self.peek(), self.peek2()) {
            (Some('/'), Some('/')) => Some(true),
            (Some('/'), Some('*')) => Some(false),
            _ => None,
        }
    }

    /// `// text\n` → ` text\n`.
    fn line_comment(&mut self) -> String {
        self.bump();
        self.bump();
        let mut text = String::new();
        while let Some(c) = self.bump() {
            text.push(c);
            if c == '\n' {
                break;
            }
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// `/* a\n * b */` → ` a\n b ` (leading blanks and `*` of each line dropped).
    fn block_comment(&mut self) -> String {
        self.bump();
        self.bump();
        let mut text = String::new();
        loop {
            match self.peek() {
                None => break,
                Some('*') if self.peek2() == Some('/') => {
                    self.bump();
                    self.bump();
                    break;
                }
                Some('\n') => {
                    text.push('\n');
                    self.bump();
                    self.skip_blanks();
                    if self.peek() == Some('*') {
                        if self.peek2() == Some('/') {
                            self.bump();
                            self.bump();
                            break;
                        }
                        self.bump();
                    }
                }
                Some(c) => {
                    text.push(c);
                    self.bump();
                }
            }
        }
        text
    }

    fn token_text(&mut self) -> String {
        let mut text = String::new();
        let Some(first) = self.bump() else {
            return text;
        };
        text.push(first);
        if first.is_alphanumeric() || first == '_' {
            let number = first.is_ascii_digit();
            while let Some(c) = self.peek() {
                let exp_sign = number && (c == '-' || c == '+') && text.ends_with(['e', 'E']);
                if c.is_alphanumeric() || c == '_' || (number && c == '.') || exp_sign {
                    text.push(c);
                    self.bump();
                } else {
                    break;
                }
            }
        } else if first == '"' || first == '\'' {
            while let Some(c) = self.bump() {
                text.push(c);
                if c == '\\' {
                    if let Some(e) = self.bump() {
                        text.push(e);
                    }
                } else if c == first || c == '\n' {
                    break;
                }
            }
        }
        text
    }

    /// The next token with its leading comment, and the trailing comment of the token before
    /// it, by protoc's attachment rules (its tokenizer's `NextWithComments`). At the end of
    /// the input the token is `None`; a trailing comment may still come with it.
    fn next(&mut self, first: bool) -> (Option<String>, Option<Token>) {
        let mut c = Collector {
            buffer: None,
            attach_to_prev: !first,
            trailing: None,
        };
        if !first {
            // A comment on the previous token's line is its trailing comment.
            self.skip_blanks();
            match self.at_comment() {
                Some(true) => {
                    let text = self.line_comment();
                    c.line(text);
                    c.flush();
                }
                Some(false) => {
                    let text = self.block_comment();
                    self.skip_blanks();
                    if self.peek() != Some('\n') {
                        // A token follows on the same line: the comment belongs to neither.
                        return (None, self.plain_token());
                    }
                    self.bump();
                    c.block(text);
                    c.flush();
                }
                None => {
                    if self.peek() != Some('\n') {
                        return (None, self.plain_token());
                    }
                    self.bump();
                }
            }
        }
        // Now on a line after the previous token.
        loop {
            self.skip_blanks();
            match self.at_comment() {
                Some(true) => {
                    let text = self.line_comment();
                    c.line(text);
                }
                Some(false) => {
                    let text = self.block_comment();
                    c.block(text);
                    self.skip_blanks();
                    if self.peek() == Some('\n') {
                        self.bump();
                    }
                }
                None => match self.peek() {
                    None => {
                        c.flush();
                        return (c.trailing, None);
                    }
                    Some('\n') => {
                        // A blank line: what came before belongs to the previous token.
                        self.bump();
                        c.flush();
                        c.attach_to_prev = false;
                    }
                    Some(_) => {
                        let mut token = self.plain_token();
                        if token
                            .as_ref()
                            .is_none_or(|t| matches!(t.text.as_str(), "}" | "]" | ")"))
                        {
                            // The end of a scope takes no leading comment.
                            c.flush();
                        }
                        if let Some(t) = &mut token {
                            t.leading = c.buffer.map(|(text, _)| text);
                        }
                        return (c.trailing, token);
                    }
                },
            }
        }
    }

    fn plain_token(&mut self) -> Option<Token> {
        self.skip_blanks();
        self.peek()?;
        let (line, column) = (self.line, self.column);
        let text = self.token_text();
        Some(Token {
            text,
            line,
            column,
            leading: None,
            trailing: None,
        })
    }
}

fn tokens(src: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(src);
    let mut out: Vec<Token> = Vec::new();
    loop {
        let (trailing, token) = lexer.next(out.is_empty());
        if let Some(prev) = out.last_mut() {
            prev.trailing = trailing;
        }
        match token {
            Some(t) => out.push(t),
            None => return out,
        }
    }
}

/// The comments protoc attaches to one element.
#[derive(Debug, Default, PartialEq)]
struct Attached {
    /// Directly above the element.
    leading: Option<String>,
    /// After the token ending its declaration (`;`, or the `{` opening its body), on that
    /// line or in a block ended by a blank line.
    trailing: Option<String>,
}

/// Walks declarations, recording each element's comments under its dotted path within the
/// file (`Msg.Nested.field`, `Enum.VALUE`, `Service.Method`).
struct Scanner {
    tokens: Vec<Token>,
    pos: usize,
    comments: HashMap<String, Attached>,
}

#[derive(Clone, Copy, PartialEq)]
enum Body {
    File,
    Message,
    Enum,
    Service,
}

impl Scanner {
    fn text(&self, offset: usize) -> &str {
        self.tokens
            .get(self.pos + offset)
            .map_or("", |t| t.text.as_str())
    }

    /// Records the leading comment of the token at `start` and the trailing comment of the
    /// token at `end` for the element `key`.
    fn record(&mut self, key: String, start: usize, end: usize) {
        let comment = |at: usize, trailing: bool| {
            let t = self.tokens.get(at)?;
            match trailing {
                true => t.trailing.clone(),
                false => t.leading.clone(),
            }
        };
        let attached = Attached {
            leading: comment(start, false),
            trailing: comment(end, true),
        };
        if attached != Attached::default() {
            self.comments.insert(key, attached);
        }
    }

    /// Skips to the end of a statement: past `;`, or past a balanced `{...}` block. Returns
    /// the index of the token that ends the declaration: the `;`, or the `{` opening the block.
    fn skip_statement(&mut self) -> usize {
        let mut depth = 0usize;
        let mut end = None;
        while self.pos < self.tokens.len() {
            let t = self.text(0).to_string();
            self.pos += 1;
            match t.as_str() {
                "{" if depth == 0 => {
                    end.get_or_insert(self.pos - 1);
                    depth += 1;
                }
                "{" | "[" | "(" => depth += 1,
                "}" | "]" | ")" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && t == "}" {
                        return end.unwrap_or(self.pos - 1);
                    }
                }
                ";" if depth == 0 => return self.pos - 1,
                _ => {}
            }
        }
        end.unwrap_or(self.pos)
    }

    fn body(&mut self, kind: Body, scope: &str) {
        while self.pos < self.tokens.len() {
            let start = self.pos;
            let word = self.text(0).to_string();
            match word.as_str() {
                "}" => {
                    self.pos += 1;
                    return;
                }
                ";" => self.pos += 1,
                "option" | "reserved" | "extensions" | "syntax" | "edition" | "package"
                | "import" | "extend" => {
                    self.skip_statement();
                }
                "message" | "enum" | "service" if kind != Body::Enum => {
                    let name = format!("{scope}{}", self.text(1));
                    self.record(name.clone(), start, start + 2);
                    self.pos += 3;
                    let inner = match word.as_str() {
                        "message" => Body::Message,
                        "enum" => Body::Enum,
                        _ => Body::Service,
                    };
                    self.body(inner, &format!("{name}."));
                }
                "oneof" if kind == Body::Message => {
                    self.record(format!("{scope}{}", self.text(1)), start, start + 2);
                    self.pos += 3;
                    self.body(Body::Message, scope);
                }
                "rpc" if kind == Body::Service => {
                    let name = format!("{scope}{}", self.text(1));
                    let end = self.skip_statement();
                    self.record(name, start, end);
                }
                _ if kind == Body::Enum => {
                    let end = self.skip_statement();
                    self.record(format!("{scope}{word}"), start, end);
                }
                _ if kind == Body::Message => self.field(scope, start),
                _ => {
                    self.skip_statement();
                }
            }
        }
    }

    /// A field: `[label] type name = N [opts];`, a map, or a group with its body.
    fn field(&mut self, scope: &str, start: usize) {
        let group = (0..2).find(|&i| self.text(i) == "group");
        if let Some(i) = group {
            let type_name = self.text(i + 1).to_string();
            while self.pos < self.tokens.len() && self.text(0) != "{" {
                self.pos += 1;
            }
            // protoc gives a group's comments to its message, not to the field.
            self.record(format!("{scope}{type_name}"), start, self.pos);
            self.pos += 1;
            self.body(Body::Message, &format!("{scope}{type_name}."));
            return;
        }
        let mut depth = 0usize;
        let mut i = 0;
        let mut name = None;
        while self.pos + i < self.tokens.len() {
            match self.text(i) {
                "<" => depth += 1,
                ">" => depth = depth.saturating_sub(1),
                "=" if depth == 0 && i > 0 => {
                    name = Some(self.text(i - 1).to_string());
                    break;
                }
                ";" | "{" | "}" => break,
                _ => {}
            }
            i += 1;
        }
        let end = self.skip_statement();
        if let Some(name) = name {
            self.record(format!("{scope}{name}"), start, end);
        }
    }
}

/// Comments of a file's elements, keyed by dotted path within the file.
fn scan(src: &str) -> HashMap<String, Attached> {
    let mut s = Scanner {
        tokens: tokens(src),
        pos: 0,
        comments: HashMap::new(),
    };
    s.body(Body::File, "");
    s.comments
}

/// Builds `SourceCodeInfo` (leading and trailing comments) for `file` from its source text,
/// unless it has one already.
pub fn attach(file: &mut FileDescriptorProto, src: &str) {
    if file.source_code_info.is_some() {
        return;
    }
    let comments = scan(src);
    let mut locations = Vec::new();
    let mut add = |path: Vec<i32>, key: &str| {
        if let Some(c) = comments.get(key) {
            let mut l = Location {
                path,
                ..Default::default()
            };
            if let Some(text) = &c.leading {
                l.set_leading_comments(text.as_str());
            }
            if let Some(text) = &c.trailing {
                l.set_trailing_comments(text.as_str());
            }
            locations.push(l);
        }
    };
    for (i, m) in file.message_type.iter().enumerate() {
        message(m, child(&[], FILE_MESSAGE, i), "", &mut add);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        enumeration(e, child(&[], FILE_ENUM, i), "", &mut add);
    }
    for (i, s) in file.service.iter().enumerate() {
        let key = s.name().to_string();
        let path = child(&[], FILE_SERVICE, i);
        add(path.clone(), &key);
        for (j, m) in s.method.iter().enumerate() {
            add(
                child(&path, SERVICE_METHOD, j),
                &format!("{key}.{}", m.name()),
            );
        }
    }
    let info = file.mutable_source_code_info();
    *info = SourceCodeInfo::default();
    for l in locations {
        info.location.push(l);
    }
}

fn message(m: &DescriptorProto, path: Vec<i32>, scope: &str, add: &mut impl FnMut(Vec<i32>, &str)) {
    let key = format!("{scope}{}", m.name());
    add(path.clone(), &key);
    for (i, f) in m.field.iter().enumerate() {
        add(
            child(&path, MESSAGE_FIELD, i),
            &format!("{key}.{}", f.name()),
        );
    }
    for (i, o) in m.oneof_decl.iter().enumerate() {
        add(
            child(&path, MESSAGE_ONEOF, i),
            &format!("{key}.{}", o.name()),
        );
    }
    for (i, n) in m.nested_type.iter().enumerate() {
        message(n, child(&path, MESSAGE_NESTED, i), &format!("{key}."), add);
    }
    for (i, e) in m.enum_type.iter().enumerate() {
        enumeration(e, child(&path, MESSAGE_ENUM, i), &format!("{key}."), add);
    }
}

fn enumeration(
    e: &EnumDescriptorProto,
    path: Vec<i32>,
    scope: &str,
    add: &mut impl FnMut(Vec<i32>, &str),
) {
    let key = format!("{scope}{}", e.name());
    add(path.clone(), &key);
    for (i, v) in e.value.iter().enumerate() {
        add(child(&path, ENUM_VALUE, i), &format!("{key}.{}", v.name()));
    }
}

/// The 1-based line and column of the first occurrence of `name` (a possibly dotted name,
/// spelled as tokens) outside comments and strings.
pub fn find_token(src: &str, name: &str) -> Option<(u32, u32)> {
    let toks = tokens(src);
    let name = name.trim_start_matches('.');
    (0..toks.len()).find_map(|i| {
        let mut spelled = String::new();
        for t in &toks[i..] {
            if !(t.text == "." || t.text.starts_with(|c: char| c.is_alphabetic() || c == '_')) {
                break;
            }
            spelled.push_str(&t.text);
            if spelled == name {
                return Some((toks[i].line, toks[i].column));
            }
            if !name.starts_with(&spelled) {
                break;
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protoc_attachment_rules() {
        let src = "syntax = \"proto2\";\n\
            // M doc\n\
            message M {\n\
              optional int32 foo = 1;  // trailing foo\n\
              // bar doc\n\
              optional int32 bar = 2;\n\
              optional string baz = 3;\n\
              // trailing baz\n\
            \n\
              // moo doc\n\
              //\n\
              // more moo\n\
              map<string, int32> moo = 4;\n\
              /* block\n\
               * doc */\n\
              optional group Grp = 5 {\n\
                // inner\n\
                optional int32 x = 6;\n\
              }\n\
              // detached\n\
            }\n\
            enum E {\n\
              // first\n\
              E_A = 0;\n\
            }\n";
        let c = scan(src);
        let leading = |k: &str| c[k].leading.as_deref();
        let trailing = |k: &str| c[k].trailing.as_deref();
        assert_eq!(leading("M"), Some(" M doc\n"));
        assert_eq!(
            (leading("M.foo"), trailing("M.foo")),
            (None, Some(" trailing foo\n"))
        );
        assert_eq!(
            (leading("M.bar"), trailing("M.bar")),
            (Some(" bar doc\n"), None)
        );
        assert_eq!(trailing("M.baz"), Some(" trailing baz\n"));
        assert_eq!(leading("M.moo"), Some(" moo doc\n\n more moo\n"));
        assert_eq!(leading("M.Grp"), Some(" block\n doc "));
        assert_eq!(leading("M.Grp.x"), Some(" inner\n"));
        assert_eq!(leading("E.E_A"), Some(" first\n"));
        assert_eq!(c.len(), 8);
        assert_eq!(find_token(src, "Grp"), Some((16, 16)));
    }

    /// Source text is untrusted: any mix of declarations, comments and stray punctuation is
    /// scanned without a panic, and what is recorded comes from the source: each element's
    /// last name part is in it, and so is every character of its comments.
    #[test]
    fn any_mix_of_tokens_and_comments_is_scanned() {
        const PIECES: [&str; 16] = [
            "message M {",
            "enum E {",
            "}",
            "int32 x = 1;",
            "rpc R(A) returns (B) {",
            ";",
            "// c\n",
            "/* b\n * c */",
            "/*",
            "\n",
            "\n\n",
            " ",
            "group G = 2 {",
            "oneof o {",
            "\"s",
            "<",
        ];
        crate::test_util::random_mixes(&PIECES, 30, |src| {
            for (key, attached) in scan(src) {
                let name = key.rsplit('.').next().unwrap_or_default();
                assert!(src.contains(name), "{key} not in {src:?}");
                let texts = [&attached.leading, &attached.trailing];
                let text: String = texts.into_iter().flatten().map(String::as_str).collect();
                assert!(
                    text.chars().all(|c| src.contains(c)),
                    "{text:?} not from {src:?}"
                );
            }
        });
    }
}
