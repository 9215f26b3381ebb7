//! `zpb::format::text`: the text-format tokenizer (tokens, positions, numbers, strings,
//! bracketed names, errors) and its string escaping.

use zpb::format::text::{
    bool_identifier, escape_bytes, escape_str, float_identifier, Lexer, TextErrorKind, Token,
    TokenKind,
};

fn tokens(input: &str) -> Vec<(TokenKind, String)> {
    let mut lexer = Lexer::new(input.as_bytes());
    let mut out = Vec::new();
    loop {
        let t = lexer.next().unwrap_or_else(|e| panic!("{input:?}: {e}"));
        if t.kind == TokenKind::End {
            return out;
        }
        out.push((t.kind, String::from_utf8_lossy(t.span).into_owned()));
    }
}

fn first(input: &str) -> Token<'_> {
    Lexer::new(input.as_bytes()).next().unwrap()
}

fn lex_error(input: &str) -> (TextErrorKind, u32, u32) {
    let mut lexer = Lexer::new(input.as_bytes());
    loop {
        match lexer.next() {
            Ok(t) if t.kind == TokenKind::End => panic!("{input:?} lexed"),
            Ok(_) => {}
            Err(e) => return (e.kind, e.position.line, e.position.column),
        }
    }
}

#[test]
fn a_document_tokenizes_with_positions() {
    use TokenKind::*;
    let input = "# header\nname: \"x\" 'y'  # tail\nchild < id: -0x1F; >\nlist: [1.5f, .5, 1e-3, inf]\n[pkg.ext] {}";
    let got = tokens(input);
    let kinds: Vec<TokenKind> = got.iter().map(|t| t.0).collect();
    assert_eq!(
        kinds,
        [
            Identifier,
            Punct(b':'),
            String,
            Identifier,
            Punct(b'<'),
            Identifier,
            Punct(b':'),
            Punct(b'-'),
            Integer,
            Punct(b';'),
            Punct(b'>'),
            Identifier,
            Punct(b':'),
            Punct(b'['),
            Float,
            Punct(b','),
            Float,
            Punct(b','),
            Float,
            Punct(b','),
            Identifier,
            Punct(b']'),
            Punct(b'['),
            Identifier,
            Punct(b'.'),
            Identifier,
            Punct(b']'),
            Punct(b'{'),
            Punct(b'}'),
        ]
    );
    assert_eq!(got[2].1, "\"x\" 'y'");
    let mut lexer = Lexer::new(input.as_bytes());
    let name = lexer.next().unwrap();
    assert_eq!((name.text(), name.offset), ("name", 9));
    for _ in 0..3 {
        lexer.next().unwrap();
    }
    let lt = lexer.peek().unwrap();
    assert_eq!(lexer.next().unwrap(), lt);
    let err = lt.error(TextErrorKind::UnexpectedToken { expected: "':'" });
    assert_eq!((err.position.line, err.position.column), (3, 7));
    assert_eq!(err.to_string(), "3:7: expected ':'");
}

#[test]
fn integers_in_every_radix_with_u64_range() {
    for (text, want) in [
        ("0", 0),
        ("00", 0),
        ("0x0", 0),
        ("0X1f", 31),
        ("017", 15),
        ("18446744073709551615", u64::MAX),
        ("0xFFFFFFFFFFFFFFFF", u64::MAX),
        ("01777777777777777777777", u64::MAX),
    ] {
        let t = first(text);
        assert_eq!(t.kind, TokenKind::Integer, "{text}");
        assert_eq!(t.integer().unwrap(), want, "{text}");
    }
    for text in [
        "18446744073709551616",
        "0x10000000000000000",
        "02000000000000000000000",
    ] {
        assert_eq!(
            first(text).integer().unwrap_err().kind,
            TextErrorKind::IntegerOutOfRange
        );
    }
    for bad in [
        "0x", "08", "019", "1abc", "0x1g", "1_000", "1.5.2", "1e", "1e+", "0x1.5",
    ] {
        assert_eq!(lex_error(bad).0, TextErrorKind::InvalidNumber, "{bad}");
    }
    // A decimal integer beyond u64 is still a number for a float field.
    assert_eq!(
        first("18446744073709551616").float().unwrap(),
        18446744073709551616.0
    );
    assert_eq!(first("010").float().unwrap(), 8.0);
    assert_eq!(
        first("0x10").float().unwrap_err().kind,
        TextErrorKind::ExpectedDecimal
    );
    assert_eq!(
        first("a").integer().unwrap_err().kind,
        TextErrorKind::UnexpectedToken {
            expected: "an integer"
        }
    );
}

#[test]
fn floats_in_every_spelling() {
    for (text, want) in [
        ("1.5", 1.5),
        ("1.5f", 1.5),
        ("1.5F", 1.5),
        ("1f", 1.0),
        (".5", 0.5),
        ("1.", 1.0),
        ("1.e2", 100.0),
        ("1e5", 1e5),
        ("1E-5", 1e-5),
        ("2.5e+3f", 2500.0),
        ("0.0", 0.0),
        ("0f", 0.0),
        ("1e400", f64::INFINITY),
    ] {
        let t = first(text);
        assert_eq!(t.kind, TokenKind::Float, "{text}");
        assert_eq!(t.float().unwrap(), want, "{text}");
    }
    for (word, want) in [
        ("inf", f64::INFINITY),
        ("Infinity", f64::INFINITY),
        ("INF", f64::INFINITY),
        ("iNfInItY", f64::INFINITY),
    ] {
        assert_eq!(float_identifier(word), Some(want), "{word}");
    }
    assert!(float_identifier("NaN").unwrap().is_nan());
    assert!(float_identifier("nan").unwrap().is_nan());
    for word in ["infx", "in", "nana", "", "-inf"] {
        assert_eq!(float_identifier(word), None, "{word}");
    }
    assert_eq!(
        tokens("-inf").iter().map(|t| t.0).collect::<Vec<_>>(),
        [TokenKind::Punct(b'-'), TokenKind::Identifier]
    );
    assert_eq!(
        first("x").float().unwrap_err().kind,
        TextErrorKind::UnexpectedToken {
            expected: "a number"
        }
    );
}

#[test]
fn strings_decode_every_escape_and_concatenate() {
    let mut scratch = Vec::new();
    let cases: &[(&str, &[u8])] = &[
        (r#""plain""#, b"plain"),
        (r#"''"#, b""),
        (r#""a" "b" 'c'"#, b"abc"),
        ("\"a\" # comment\n 'b'", b"ab"),
        (
            r#""\a\b\f\n\r\t\v\\\'\"\?""#,
            b"\x07\x08\x0c\n\r\t\x0b\\'\"?",
        ),
        (r#""\0\00\000\1\12\123\377""#, b"\0\0\0\x01\x0a\x53\xff"),
        (r#""\0011""#, b"\x011"),
        (r#""\x1\x41\xfF\x414""#, b"\x01\x41\xff\x414"),
        (r#""\u00e9\u4e2d\U0001F600""#, "é中😀".as_bytes()),
        ("'it''s'", b"its"),
        ("\"caf\u{e9}\"", "café".as_bytes()),
    ];
    for (text, want) in cases {
        let t = first(text);
        assert_eq!(t.kind, TokenKind::String, "{text}");
        assert_eq!(t.string_value(&mut scratch), *want, "{text}");
    }
    // Raw bytes that are not UTF-8 are kept (a bytes field may hold them).
    let mut lexer = Lexer::new(b"\"\xff\xfe\"");
    assert_eq!(
        lexer.next().unwrap().string_value(&mut scratch),
        b"\xff\xfe"
    );
    // One literal without escapes is borrowed: the scratch buffer keeps its old content.
    scratch.clear();
    scratch.extend_from_slice(b"old");
    let input = String::from("\"borrowed\"");
    let t = first(&input);
    let value = t.string_value(&mut scratch);
    assert_eq!(value.as_ptr(), input[1..].as_ptr());
    assert_eq!(scratch, b"old");
}

#[test]
fn string_errors_point_at_the_problem() {
    use TextErrorKind::*;
    assert_eq!(lex_error("x: \"abc"), (UnterminatedString, 1, 8));
    assert_eq!(lex_error("x: \"ab\nc\""), (UnterminatedString, 1, 7));
    assert_eq!(lex_error("x: 'a\\"), (UnterminatedString, 1, 6));
    assert_eq!(lex_error("x: \"a\\zb\""), (InvalidEscape, 1, 6));
    assert_eq!(lex_error("\n  \"\\400\""), (InvalidEscape, 2, 4));
    assert_eq!(lex_error("'\\x'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\xg'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\u12'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\ud800'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\ud800\\u0041'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\udc00'"), (InvalidEscape, 1, 2));
    // As C++ (conformance StringLiteralShortUnicodeEscapeSurrogatePair*): `\u` is one BMP
    // character, so even a well-formed surrogate pair is rejected; `\U` writes the rest.
    assert_eq!(lex_error("'\\ud83d\\ude00'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'\\U00110000'"), (InvalidEscape, 1, 2));
    assert_eq!(lex_error("'ok' 'bad\\q'"), (InvalidEscape, 1, 10));
}

#[test]
fn unexpected_bytes_are_errors_with_positions() {
    use TextErrorKind::*;
    assert_eq!(lex_error("a: 1\n  @"), (UnexpectedByte(b'@'), 2, 3));
    assert_eq!(lex_error("é"), (UnexpectedByte(0xc3), 1, 1));
    assert_eq!(lex_error("a $"), (UnexpectedByte(b'$'), 1, 3));
    assert_eq!(lex_error("a \"é\" *"), (UnexpectedByte(b'*'), 1, 7));
    // Comments may hold anything, and the input may end inside one.
    assert_eq!(tokens("# \u{ff} \x01 @\na # end").len(), 1);
    assert!(tokens("  \n\t# only a comment").is_empty());
    let mut lexer = Lexer::new(b"");
    assert_eq!(lexer.next().unwrap().kind, TokenKind::End);
    assert_eq!(lexer.next().unwrap().kind, TokenKind::End);
}

#[test]
fn bracketed_names() {
    let mut scratch = String::new();
    for (text, want) in [
        ("[pkg.ext]", "pkg.ext"),
        ("[ext]", "ext"),
        (
            "[type.googleapis.com/pkg.Msg]",
            "type.googleapis.com/pkg.Msg",
        ),
        ("[ a . b / c.D ]", "a.b/c.D"),
        ("[a.b # comment\n .c]", "a.b.c"),
        ("[x.com/y/z.W]", "x.com/y/z.W"),
    ] {
        let mut lexer = Lexer::new(text.as_bytes());
        lexer.expect(b'[', "'['").unwrap();
        assert_eq!(lexer.bracketed_name(&mut scratch).unwrap(), want, "{text}");
        assert_eq!(lexer.next().unwrap().kind, TokenKind::End);
    }
    for (text, column) in [
        ("[a..b]", 4),
        ("[1]", 2),
        ("[a b]", 4),
        ("[a.b", 5),
        ("[]", 2),
        ("[a.]", 4),
    ] {
        let mut lexer = Lexer::new(text.as_bytes());
        lexer.expect(b'[', "'['").unwrap();
        let err = lexer.bracketed_name(&mut scratch).unwrap_err();
        assert!(
            matches!(err.kind, TextErrorKind::UnexpectedToken { .. }),
            "{text}: {err}"
        );
        assert_eq!(err.position.column, column, "{text}");
    }
    let mut lexer = Lexer::new(b"x");
    assert!(!lexer.eat(b':').unwrap());
    assert_eq!(
        lexer.expect(b':', "':'").unwrap_err().to_string(),
        "1:1: expected ':'"
    );
}

#[test]
fn escaping_matches_cpp_cescape() {
    let mut out = String::new();
    escape_bytes(&mut out, b"a\"'\\\n\r\t\0\x07\x7f\x80\xff ~").unwrap();
    assert_eq!(out, r#"a\"\'\\\n\r\t\000\007\177\200\377 ~"#);
    out.clear();
    escape_str(&mut out, "é中😀\"\u{1}\u{7f}'").unwrap();
    assert_eq!(out, r#"é中😀\"\001\177\'"#);
    // Escaped output reads back to the same bytes.
    let all: Vec<u8> = (0..=255).collect();
    out.clear();
    out.push('"');
    escape_bytes(&mut out, &all).unwrap();
    out.push('"');
    let mut scratch = Vec::new();
    assert_eq!(first(&out).string_value(&mut scratch), &all[..]);
}

#[test]
fn signed_integers_and_booleans() {
    let t = first("2147483648");
    assert_eq!(t.int::<i32>(true).unwrap(), i32::MIN);
    assert_eq!(
        t.int::<i32>(false).unwrap_err().kind,
        TextErrorKind::IntegerOutOfRange
    );
    assert_eq!(t.int::<u32>(false).unwrap(), 2_147_483_648);
    let t = first("0x8000000000000000");
    assert_eq!(t.int::<i64>(true).unwrap(), i64::MIN);
    assert_eq!(
        t.int::<i64>(false).unwrap_err().kind,
        TextErrorKind::IntegerOutOfRange
    );
    assert_eq!(first("0").int::<u64>(true).unwrap(), 0);
    assert_eq!(
        first("1").int::<u64>(true).unwrap_err().kind,
        TextErrorKind::IntegerOutOfRange
    );
    assert_eq!(
        first("18446744073709551615").int::<u64>(false).unwrap(),
        u64::MAX
    );
    assert_eq!(
        first("18446744073709551616")
            .int::<u64>(false)
            .unwrap_err()
            .kind,
        TextErrorKind::IntegerOutOfRange
    );
    for (word, want) in [
        ("true", true),
        ("True", true),
        ("t", true),
        ("false", false),
        ("False", false),
        ("f", false),
    ] {
        assert_eq!(bool_identifier(word), Some(want), "{word}");
    }
    for word in ["TRUE", "yes", "1", "", "F"] {
        assert_eq!(bool_identifier(word), None, "{word}");
    }
}
