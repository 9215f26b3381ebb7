//! Random inputs through every parser of `zpb::format`: no panic, errors instead, and
//! allocation bounded by the input; random values through writer → reader round trips.

#[path = "common/alloc.rs"]
mod alloc;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

use zpb::format::json::{JsonKind, JsonReader, JsonWriter, WriteOptions};
use zpb::format::text::{escape_bytes, escape_str, Lexer, TokenKind};
use zpb::format::well_known::{duration, field_mask, timestamp};
use zpb::format::{base64, float};

/// `default` rounds, or `ZPB_FORMAT_FUZZ_SCALE` times as many (for a longer smoke run).
fn rounds(default: usize) -> usize {
    let scale = std::env::var("ZPB_FORMAT_FUZZ_SCALE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1);
    default * scale.max(1)
}

/// The seed, from `ZPB_FORMAT_FUZZ_SEED` when set (so a longer run can explore new inputs).
fn seed(default: u64) -> u64 {
    std::env::var("ZPB_FORMAT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(default, |s| {
            default ^ s.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
        })
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Bytes mostly from `alphabet`, sometimes any byte.
    fn bytes(&mut self, alphabet: &[u8], max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        (0..len)
            .map(|_| match self.below(10) {
                0 => self.next() as u8,
                _ => alphabet[self.below(alphabet.len())],
            })
            .collect()
    }
    fn mutate(&mut self, valid: &[u8]) -> Vec<u8> {
        let mut v = valid.to_vec();
        for _ in 0..1 + self.below(3) {
            let at = self.below(v.len() + 1);
            match self.below(3) {
                0 if at < v.len() => v[at] = self.next() as u8,
                1 if at < v.len() => {
                    v.remove(at);
                }
                _ => {
                    let pool = b"{}[]\",:\\0-e.\x80";
                    v.insert(at, pool[self.below(pool.len())]);
                }
            }
        }
        v
    }
}

/// Drives the reader through any value, choosing typed reads at random.
fn drive(r: &mut JsonReader<'_>, rng: &mut Rng, scratch: &mut String) -> Result<(), ()> {
    let kind = r.peek().map_err(drop)?;
    let res = match (kind, rng.below(4)) {
        (JsonKind::Object, 0) | (JsonKind::Array, 0) => r.skip_value(),
        (JsonKind::Object, _) => {
            r.begin_object().map_err(drop)?;
            let mut key = String::new();
            while r.next_key(&mut key).map_err(drop)?.is_some() {
                drive(r, rng, scratch)?;
            }
            Ok(())
        }
        (JsonKind::Array, _) => {
            r.begin_array().map_err(drop)?;
            while r.next_element().map_err(drop)? {
                drive(r, rng, scratch)?;
            }
            Ok(())
        }
        (JsonKind::Number | JsonKind::String, 0) => r.read_i64().map(drop),
        (JsonKind::Number | JsonKind::String, 1) => r.read_f32().map(drop),
        (JsonKind::Number | JsonKind::String, 2) => r.read_u32().map(drop),
        (JsonKind::String, _) => r.read_str(scratch).map(drop),
        _ => r.skip_value(),
    };
    res.map_err(drop)
}

const JSON_SEEDS: &[&str] = &[
    r#"{"a": [1, -2.5e3, true, false, null, "x\n\u00e9"], "b": {"c": {}}, "d": "\ud83d\ude00"}"#,
    r#"[1e2, "1e2", "NaN", "-Infinity", 18446744073709551615, -0.0, "\/"]"#,
    r#"{"k\"ey": "va\\lue", "n": [[[[]]]], "s": " \t "}"#,
];

#[test]
fn json_reader_never_panics_and_allocates_within_bounds() {
    let mut rng = Rng(seed(0x0123_4567_89AB_CDEF));
    let mut scratch = String::new();
    for i in 0..rounds(40_000) {
        let input = if i % 2 == 0 {
            rng.bytes(b"{}[]\",:0123456789-+.eEtrufalsn\\u \n", 120)
        } else {
            let seed = JSON_SEEDS[rng.below(JSON_SEEDS.len())];
            rng.mutate(seed.as_bytes())
        };
        let (_, allocs) = alloc::count(|| {
            let mut r = JsonReader::new(&input).with_max_depth(1 + rng.below(8) as u32);
            if drive(&mut r, &mut rng, &mut scratch).is_ok() {
                let _ = r.finish();
            }
        });
        // Keys of nested objects get a fresh buffer each; the decoded text of a string is
        // never longer than its escaped form.
        assert!(
            allocs.largest <= 2 * input.len() as u64 + 64,
            "{allocs:?} for {} input bytes",
            input.len()
        );
    }
}

#[test]
fn text_lexer_never_panics_and_terminates() {
    let mut rng = Rng(seed(0xDEAD_BEEF_CAFE_F00D));
    let (mut scratch, mut name) = (Vec::new(), String::new());
    let seed =
        b"a: 1 b { c: \"x\\n\" 'y' } [p.q]: 0x1f d: -1.5e3f e: inf f < g: \"\\u00e9\\377\" > # c\n";
    for i in 0..rounds(40_000) {
        let input = if i % 2 == 0 {
            rng.bytes(b"ab_09.xXeEfF-+:{}<>[],;/#\"'\\ \nuU", 100)
        } else {
            rng.mutate(seed)
        };
        let (_, allocs) = alloc::count(|| {
            let mut lexer = Lexer::new(&input);
            // Every token consumes at least one byte: the loop ends within len + 1 steps.
            let mut ended = false;
            for _ in 0..=input.len() {
                let Ok(token) = lexer.next() else {
                    ended = true;
                    break;
                };
                match token.kind {
                    TokenKind::End => {
                        ended = true;
                        break;
                    }
                    TokenKind::String => {
                        let v = token.string_value(&mut scratch);
                        assert!(v.len() <= token.span.len());
                    }
                    TokenKind::Integer => {
                        let _ = token.integer();
                        let _ = token.float();
                    }
                    TokenKind::Float => assert!(token.float().is_ok()),
                    TokenKind::Punct(b'[') => {
                        let _ = lexer.bracketed_name(&mut name);
                    }
                    _ => {}
                }
            }
            assert!(ended, "no end after {} tokens: {input:?}", input.len() + 1);
        });
        assert!(allocs.largest <= 2 * input.len() as u64 + 64, "{allocs:?}");
    }
}

#[test]
fn small_parsers_never_panic() {
    let mut rng = Rng(seed(0x5555_AAAA_1234_5678));
    let mut buf = Vec::new();
    let mut scratch = String::new();
    for _ in 0..rounds(40_000) {
        let b64 = rng.bytes(b"AZaz09+/-_=", 24);
        buf.clear();
        if base64::decode(&b64, &mut buf).is_ok() {
            // Whatever decodes re-encodes to the same bytes.
            let mut text = String::new();
            base64::encode(&buf, &mut text);
            let mut again = Vec::new();
            base64::decode(text.as_bytes(), &mut again).unwrap();
            assert_eq!(again, buf);
        }
        let s = String::from_utf8_lossy(&rng.bytes(b"0123456789-:.TZ+s", 36)).into_owned();
        if let Ok((seconds, nanos)) = timestamp::parse(&s) {
            let mut out = String::new();
            timestamp::format(seconds, nanos, &mut out).unwrap();
        }
        if let Ok((seconds, nanos)) = duration::parse(&s) {
            let mut out = String::new();
            duration::format(seconds, nanos, &mut out).unwrap();
            assert_eq!(duration::parse(&out), Ok((seconds, nanos)));
        }
        let _ = field_mask::parse(&s, &mut scratch, |_| {});
        let _ = field_mask::snake_to_camel(&s, &mut scratch);
    }
}

fn random_string(rng: &mut Rng) -> String {
    (0..rng.below(16))
        .map(|_| match rng.below(4) {
            0 => char::from(rng.below(0x80) as u8),
            1 => char::from_u32(rng.below(0x800) as u32).unwrap_or('x'),
            2 => char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{2028}'),
            _ => ['"', '\\', '<', '\u{feff}', '\u{0}', '\u{7f}'][rng.below(6)],
        })
        .collect()
}

#[test]
fn writer_output_reads_back() {
    let mut rng = Rng(seed(0xABCD_EF01_2345_6789));
    let mut out = String::new();
    let mut scratch = String::new();
    let mut bytes_buf = Vec::new();
    for _ in 0..rounds(20_000) {
        let s = random_string(&mut rng);
        let f = f64::from_bits(rng.next());
        let g = f32::from_bits(rng.next() as u32);
        let n = rng.next() as i64;
        let blob: Vec<u8> = (0..rng.below(12)).map(|_| rng.next() as u8).collect();
        let options = WriteOptions {
            indent: [None, Some(1), Some(4)][rng.below(3)],
            ascii_only: rng.below(2) == 0,
            escape_like_cpp: rng.below(2) == 0,
        };
        out.clear();
        let mut w = JsonWriter::new(&mut out, options);
        w.begin_array();
        w.string(&s);
        w.f64(f);
        w.f32(g);
        w.i64(n);
        w.bytes(&blob);
        w.end_array();
        let mut r = JsonReader::new(out.as_bytes());
        r.begin_array().unwrap();
        assert!(r.next_element().unwrap());
        assert_eq!(r.read_str(&mut scratch).unwrap(), s);
        assert!(r.next_element().unwrap());
        let f2 = r.read_f64().unwrap();
        assert!(
            f2.to_bits() == f.to_bits() || (f.is_nan() && f2.is_nan()),
            "{out}"
        );
        assert!(r.next_element().unwrap());
        let g2 = r.read_f32().unwrap();
        assert!(
            g2.to_bits() == g.to_bits() || (g.is_nan() && g2.is_nan()),
            "{out}"
        );
        assert!(r.next_element().unwrap());
        assert_eq!(r.read_i64().unwrap(), n);
        assert!(r.next_element().unwrap());
        bytes_buf.clear();
        base64::decode(r.read_str(&mut scratch).unwrap().as_bytes(), &mut bytes_buf).unwrap();
        assert_eq!(bytes_buf, blob);
        assert!(!r.next_element().unwrap());
        r.finish().unwrap();

        // Text format: escaped strings and bytes, and floats, read back through the lexer.
        let mut text = String::from("'");
        escape_str(&mut text, &s).unwrap();
        text.push_str("' \"");
        escape_bytes(&mut text, &blob).unwrap();
        text.push_str("\" ");
        if f.is_finite() {
            float::write_f64(&mut text, f.abs()).unwrap();
        }
        let mut lexer = Lexer::new(text.as_bytes());
        let mut buf = Vec::new();
        let joined = lexer.next().unwrap();
        let mut want = s.clone().into_bytes();
        want.extend_from_slice(&blob);
        assert_eq!(joined.string_value(&mut buf), &want[..], "{text}");
        if f.is_finite() {
            assert_eq!(lexer.next().unwrap().float().unwrap(), f.abs(), "{text}");
        }
    }
}
