//! Leading comments for the pure-Rust parser, which does not record `SourceCodeInfo`.
//!
//! A small tokenizer follows protoc's rules for which comment belongs to which token (a
//! comment block directly above a declaration, with no blank line between, is its leading
//! comment; a comment on the same line as the previous token, or followed by a blank line,
//! belongs to what precedes it), and a scan of the declarations names each element. The
//! comments are then attached to the descriptors as `SourceCodeInfo` locations, exactly where
//! protoc puts them, so both front ends feed the model the same thing.

use crate::descriptor::google::protobuf::{
    source_code_info::Location, DescriptorProto, EnumDescriptorProto, FileDescriptorProto,
    SourceCodeInfo,
};
use std::collections::HashMap;

/// A token of a `.proto` file with its 1-based position and leading comment.
struct Token {
    text: String,
    line: u32,
    column: u32,
    leading: Option<String>,
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

    /// The next token with its leading comment, by protoc's attachment rules.
    fn next(&mut self, first: bool) -> Option<Token> {
        if !first {
            self.skip_blanks();
            match self.at_comment() {
                Some(true) => {
                    self.line_comment();
                }
                Some(false) => {
                    self.block_comment();
                    self.skip_blanks();
                    if self.peek() != Some('\n') {
                        return self.plain_token();
                    }
                    self.bump();
                }
                None => {
                    if self.peek() != Some('\n') {
                        return self.plain_token();
                    }
                    self.bump();
                }
            }
        }
        // Now on a line after the previous token: the last comment block directly above the
        // next token is its leading comment.
        let mut buffer: Option<(String, bool)> = None;
        loop {
            self.skip_blanks();
            match self.at_comment() {
                Some(true) => {
                    let text = self.line_comment();
                    match &mut buffer {
                        Some((b, true)) => b.push_str(&text),
                        _ => buffer = Some((text, true)),
                    }
                }
                Some(false) => {
                    buffer = Some((self.block_comment(), false));
                    self.skip_blanks();
                    if self.peek() == Some('\n') {
                        self.bump();
                    }
                }
                None => match self.peek() {
                    None => return None,
                    Some('\n') => {
                        self.bump();
                        buffer = None;
                    }
                    Some(_) => {
                        let mut token = self.plain_token()?;
                        if !matches!(token.text.as_str(), "}" | "]" | ")") {
                            token.leading = buffer.map(|(b, _)| b);
                        }
                        return Some(token);
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
        })
    }
}

fn tokens(src: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::new();
    while let Some(t) = lexer.next(out.is_empty()) {
        out.push(t);
    }
    out
}

/// Walks declarations, recording each element's leading comment under its dotted path
/// within the file (`Msg.Nested.field`, `Enum.VALUE`, `Service.Method`).
struct Scanner {
    tokens: Vec<Token>,
    pos: usize,
    comments: HashMap<String, String>,
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

    fn record(&mut self, key: String, at: usize) {
        if let Some(c) = self.tokens.get(at).and_then(|t| t.leading.clone()) {
            self.comments.insert(key, c);
        }
    }

    /// Skips to the end of a statement: past `;`, or past a balanced `{...}` block.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while self.pos < self.tokens.len() {
            let t = self.text(0).to_string();
            self.pos += 1;
            match t.as_str() {
                "{" | "[" | "(" => depth += 1,
                "}" | "]" | ")" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && t == "}" {
                        return;
                    }
                }
                ";" if depth == 0 => return,
                _ => {}
            }
        }
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
                | "import" | "extend" => self.skip_statement(),
                "message" | "enum" | "service" if kind != Body::Enum => {
                    let name = format!("{scope}{}", self.text(1));
                    self.record(name.clone(), start);
                    self.pos += 3;
                    let inner = match word.as_str() {
                        "message" => Body::Message,
                        "enum" => Body::Enum,
                        _ => Body::Service,
                    };
                    self.body(inner, &format!("{name}."));
                }
                "oneof" if kind == Body::Message => {
                    self.record(format!("{scope}{}", self.text(1)), start);
                    self.pos += 3;
                    self.body(Body::Message, scope);
                }
                "rpc" if kind == Body::Service => {
                    self.record(format!("{scope}{}", self.text(1)), start);
                    self.skip_statement();
                }
                _ if kind == Body::Enum => {
                    self.record(format!("{scope}{word}"), start);
                    self.skip_statement();
                }
                _ if kind == Body::Message => self.field(scope, start),
                _ => self.skip_statement(),
            }
        }
    }

    /// A field: `[label] type name = N [opts];`, a map, or a group with its body.
    fn field(&mut self, scope: &str, start: usize) {
        let group = (0..2).find(|&i| self.text(i) == "group");
        if let Some(i) = group {
            let type_name = self.text(i + 1).to_string();
            // protoc gives a group's comment to its message, not to the field.
            self.record(format!("{scope}{type_name}"), start);
            while self.pos < self.tokens.len() && self.text(0) != "{" {
                self.pos += 1;
            }
            self.pos += 1;
            self.body(Body::Message, &format!("{scope}{type_name}."));
            return;
        }
        let mut depth = 0usize;
        let mut i = 0;
        while self.pos + i < self.tokens.len() {
            match self.text(i) {
                "<" => depth += 1,
                ">" => depth = depth.saturating_sub(1),
                "=" if depth == 0 && i > 0 => {
                    let name = self.text(i - 1).to_string();
                    self.record(format!("{scope}{name}"), start);
                    break;
                }
                ";" | "{" | "}" => break,
                _ => {}
            }
            i += 1;
        }
        self.skip_statement();
    }
}

/// Leading comments of a file's elements, keyed by dotted path within the file.
fn scan(src: &str) -> HashMap<String, String> {
    let mut s = Scanner {
        tokens: tokens(src),
        pos: 0,
        comments: HashMap::new(),
    };
    s.body(Body::File, "");
    s.comments
}

/// Builds `SourceCodeInfo` (leading comments only) for `file` from its source text, unless it
/// has one already.
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
            l.set_leading_comments(c.as_str());
            locations.push(l);
        }
    };
    for (i, m) in file.message_type.iter().enumerate() {
        message(m, vec![4, i as i32], "", &mut add);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        enumeration(e, vec![5, i as i32], "", &mut add);
    }
    for (i, s) in file.service.iter().enumerate() {
        let key = s.name().to_string();
        add(vec![6, i as i32], &key);
        for (j, m) in s.method.iter().enumerate() {
            add(
                vec![6, i as i32, 2, j as i32],
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

fn with(path: &[i32], more: [i32; 2]) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend(more);
    p
}

fn message(m: &DescriptorProto, path: Vec<i32>, scope: &str, add: &mut impl FnMut(Vec<i32>, &str)) {
    let key = format!("{scope}{}", m.name());
    add(path.clone(), &key);
    for (i, f) in m.field.iter().enumerate() {
        add(with(&path, [2, i as i32]), &format!("{key}.{}", f.name()));
    }
    for (i, o) in m.oneof_decl.iter().enumerate() {
        add(with(&path, [8, i as i32]), &format!("{key}.{}", o.name()));
    }
    for (i, n) in m.nested_type.iter().enumerate() {
        message(n, with(&path, [3, i as i32]), &format!("{key}."), add);
    }
    for (i, e) in m.enum_type.iter().enumerate() {
        enumeration(e, with(&path, [4, i as i32]), &format!("{key}."), add);
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
        add(with(&path, [2, i as i32]), &format!("{key}.{}", v.name()));
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
        assert_eq!(c["M"], " M doc\n");
        assert!(!c.contains_key("M.foo"));
        assert_eq!(c["M.bar"], " bar doc\n");
        assert!(!c.contains_key("M.baz"));
        assert_eq!(c["M.moo"], " moo doc\n\n more moo\n");
        assert_eq!(c["M.Grp"], " block\n doc ");
        assert_eq!(c["M.Grp.x"], " inner\n");
        assert_eq!(c["E.E_A"], " first\n");
        assert_eq!(c.len(), 6);
        assert_eq!(find_token(src, "Grp"), Some((16, 16)));
    }
}
