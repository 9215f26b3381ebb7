//! Proto comments made rustdoc: protoc's leading space removed, code blocks fenced as `text`
//! (rustdoc would compile them as Rust doc tests), and prose escaped where rustdoc would see
//! intra-doc links or bare URLs.

use crate::ir::Doc;

/// The text of each `#[doc]` attribute for `doc`: the comment's lines (see [`doc_lines`]),
/// or the fallback sentence, each behind one space as `///` would write it.
pub fn attribute_lines(doc: &Doc) -> Vec<String> {
    let lines = match &doc.comment {
        Some(c) => doc_lines(c),
        None => vec![doc.fallback.clone()],
    };
    lines
        .iter()
        .map(|l| format!(" {l}").trim_end().to_string())
        .collect()
}

/// `#[doc]` lines for a comment: protoc's one leading space removed, indented blocks and bare
/// code fences marked as `text` so rustdoc does not compile them as Rust doc tests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    let mut out: Vec<String> = Vec::new();
    let mut fenced = false;
    let mut indented = false;
    for (i, line) in lines[start..end].iter().enumerate() {
        let trimmed = line.trim_start();
        if fenced {
            fenced = !is_fence(line);
            out.push(line.to_string());
            continue;
        }
        let is_code = line.starts_with("    ") || line.starts_with('\t');
        let fence = trimmed.strip_prefix("```").filter(|_| is_fence(line));
        if indented && (fence.is_some() || !is_code && !line.is_empty()) {
            let blanks = out.iter().rev().take_while(|l| l.is_empty()).count();
            out.insert(out.len() - blanks, "```".to_string());
            indented = false;
        }
        if let Some(lang) = fence {
            fenced = true;
            out.push(if lang.trim().is_empty() {
                "```text".to_string()
            } else {
                line.to_string()
            });
            continue;
        }
        let after_blank = i == 0 || lines[start + i - 1].is_empty();
        if is_code && !indented && after_blank {
            out.push("```text".to_string());
            indented = true;
        }
        out.push(line.to_string());
    }
    if fenced || indented {
        out.push("```".to_string());
    }
    escape_paragraphs(out)
}

/// Whether `line` opens or closes a code fence: three backticks after at most three spaces
/// (more makes it a line of code, as in CommonMark).
fn is_fence(line: &str) -> bool {
    let text = line.trim_start_matches(' ');
    line.len() - text.len() <= 3 && text.starts_with("```")
}

/// Applies [`rustdoc_safe`] to each paragraph (run of non-blank lines) outside the code
/// fences of `lines`, as [`doc_lines`] made them: every code block is fenced by then.
fn escape_paragraphs(lines: Vec<String>) -> Vec<String> {
    fn flush(paragraph: &mut Vec<String>, out: &mut Vec<String>) {
        let text = rustdoc_safe(&paragraph.join("\n"));
        out.extend(text.lines().map(String::from));
        paragraph.clear();
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut paragraph = Vec::new();
    let mut fenced = false;
    for line in lines {
        let fence = is_fence(&line);
        if fenced || fence || line.is_empty() {
            flush(&mut paragraph, &mut out);
            fenced ^= fence;
            out.push(line);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// Markdown prose from a `.proto` comment made safe for rustdoc, which would take proto
/// references such as `[google.protobuf.Type][]` for broken intra-doc links and warn about
/// bare URLs: `[` and `]` become `\[` and `\]`, and bare `http://` / `https://` URLs are
/// wrapped in `<...>`. Inline code spans, backslash escapes, `<...>` autolinks and inline
/// links to URLs (`[text](https://...)`, whose text is made safe in turn) are kept as they
/// are. `prose` is one paragraph, without code blocks; line breaks are kept.
fn rustdoc_safe(prose: &str) -> String {
    let chars: Vec<char> = prose.chars().collect();
    let mut out = String::with_capacity(prose.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let verbatim = match c {
            '`' => Some(code_span_end(&chars, i)),
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => Some(i + 2),
            '<' => chars[i + 1..]
                .iter()
                .position(|&e| e == '>' || e.is_whitespace())
                .filter(|&n| chars[i + 1 + n] == '>' && url_at(&chars, i + 1))
                .map(|n| i + n + 2),
            _ => None,
        };
        let link = if c == '[' { url_link(&chars, i) } else { None };
        if let Some(end) = verbatim {
            out.extend(&chars[i..end]);
            i = end;
        } else if let Some((close, end)) = link {
            let text: String = chars[i + 1..close].iter().collect();
            out.push('[');
            out.push_str(&rustdoc_safe(&text));
            out.extend(&chars[close..end]);
            i = end;
        } else if c == '[' || c == ']' {
            out.push('\\');
            out.push(c);
            i += 1;
        } else if url_at(&chars, i) && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let mut end = i;
            while chars
                .get(end)
                .is_some_and(|e| !e.is_whitespace() && !"<>`\"[]".contains(*e))
            {
                end += 1;
            }
            loop {
                let url = &chars[i..end];
                let count = |p| url.iter().filter(|&&x| x == p).count();
                match url.last() {
                    Some('.' | ',' | ';' | ':' | '!' | '?' | '\'') => end -= 1,
                    Some(')') if count(')') > count('(') => end -= 1,
                    _ => break,
                }
            }
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether an `http://` or `https://` URL starts at `chars[i]`.
fn url_at(chars: &[char], i: usize) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        let n = scheme.len();
        chars.len() >= i + n && chars[i..i + n].iter().copied().eq(scheme.chars())
    })
}

/// The end of the code span opened by the run of backticks at `chars[i]`, or the end of the
/// run when no run as long closes it (its backticks are then literal text).
fn code_span_end(chars: &[char], i: usize) -> usize {
    let run = |at: usize| chars[at..].iter().take_while(|&&c| c == '`').count();
    let n = run(i);
    let mut j = i + n;
    while j < chars.len() {
        if chars[j] == '`' {
            let m = run(j);
            if m == n {
                return j + m;
            }
            j += m;
        } else {
            j += 1;
        }
    }
    i + n
}

/// For an inline link to a URL, `[text](https://...)`, starting at `chars[i]`: the index of
/// its `]` and the end of its `)`.
fn url_link(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut j = i;
    let close = loop {
        match chars.get(j)? {
            '`' => j = code_span_end(chars, j),
            '\\' => j += 2,
            '[' => {
                depth += 1;
                j += 1;
            }
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
                j += 1;
            }
            _ => j += 1,
        }
    };
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let mut start = close + 2;
    while chars.get(start).is_some_and(|c| c.is_whitespace()) {
        start += 1;
    }
    let mut end = start;
    while chars
        .get(end)
        .is_some_and(|c| *c != ')' && !c.is_whitespace())
    {
        end += 1;
    }
    while chars.get(end).is_some_and(|c| c.is_whitespace()) {
        end += 1;
    }
    (chars.get(end) == Some(&')') && url_at(chars, start)).then_some((close, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_references_are_not_intra_doc_links() {
        assert_eq!(
            rustdoc_safe("for message [google.protobuf.Duration][]: a [foo][bar] or [x]"),
            r"for message \[google.protobuf.Duration\]\[\]: a \[foo\]\[bar\] or \[x\]"
        );
        // Code spans and escapes stay as written.
        assert_eq!(
            rustdoc_safe(r"`a[0]` and ``b ` [c]`` and \[d] and ``e [f]"),
            r"`a[0]` and ``b ` [c]`` and \[d\] and ``e \[f\]"
        );
    }

    #[test]
    fn bare_urls_are_wrapped_once() {
        assert_eq!(
            rustdoc_safe("See https://cloud.google.com/apis/design/glossary for more."),
            "See <https://cloud.google.com/apis/design/glossary> for more."
        );
        assert_eq!(
            rustdoc_safe("(at http://a.b/c_(d).) or http://x.y/z, then"),
            "(at <http://a.b/c_(d)>.) or <http://x.y/z>, then"
        );
        // Autolinks, inline links (even across a line break) and code are left alone.
        let kept = "<https://a.b/c> and [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt)\n\
                    [`strftime`](\nhttp://x.y/z#a%2D\n) and `https://c.d`";
        assert_eq!(rustdoc_safe(kept), kept);
        // The text of an inline link is made safe; a link to a non-URL is not a link.
        assert_eq!(
            rustdoc_safe("[see [T][]](https://a.b) [U](crate::U)"),
            r"[see \[T\]\[\]](https://a.b) \[U\](crate::U)"
        );
        assert_eq!(rustdoc_safe("nohttp://x ftp://y"), "nohttp://x ftp://y");
    }

    #[test]
    fn doc_lines_escape_prose_but_not_code() {
        let comment = " An HTTP GET on the URL must yield a [google.protobuf.Type][]\n \
                       value; see https://example.com/x.\n\n     let v = a[0]; // http://x.y\n\n \
                       ```\n [raw] https://raw\n ```\n";
        assert_eq!(
            doc_lines(comment),
            [
                r"An HTTP GET on the URL must yield a \[google.protobuf.Type\]\[\]",
                "value; see <https://example.com/x>.",
                "",
                "```text",
                "    let v = a[0]; // http://x.y",
                "```",
                "",
                "```text",
                "[raw] https://raw",
                "```",
            ]
        );
    }

    /// Comments are untrusted text: any mix of the characters the escaping looks at must
    /// come out without a panic and with every code fence closed.
    #[test]
    fn any_mix_of_markup_is_handled() {
        const PIECES: [&str; 18] = [
            "[",
            "]",
            "`",
            "``",
            "```",
            "<",
            ">",
            "\\",
            "(",
            ")",
            " ",
            "\n",
            "    ",
            "\t",
            "http://a.b",
            "https://",
            "x",
            "é",
        ];
        crate::test_util::random_mixes(&PIECES, 24, |comment| {
            let lines = doc_lines(comment);
            let fences = lines.iter().filter(|l| is_fence(l)).count();
            assert_eq!(fences % 2, 0, "{comment:?} -> {lines:?}");
        });
    }
}
