//! Hostile nesting: every parser (binary, JSON, text) of Google's `TestAllTypesProto2/3`,
//! generated and dynamic, takes messages nested up to its recursion limit on a thread with
//! a 2 MiB stack (a test thread's, and many thread pools'), unoptimized too, and gives a
//! typed error one level past it. Nesting goes through every recursive path: the message
//! itself, a nested message's `corecursive` field (singular, oneof member, repeated element,
//! map value), an `Any`'s payload and `Value` lists and structs.

use zpb::format::json::JsonErrorKind;
use zpb::format::text::{merge_text_with, TextErrorKind, TextMessage};
use zpb::format::{merge_json_with, JsonMessage, JsonOptions, TypeRegistry};
use zpb::reflect::{DynamicMessage, ReflectMessage};
use zpb::{DecodeErrorKind, Message};
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

/// The stack each parse runs on.
const STACK: usize = 2 << 20;

/// The recursion limit of every parser (its default, as C++'s).
const LIMIT: u32 = 100;

/// Runs `f` on a thread with a [`STACK`]-byte stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// One more level of nesting (or several): what goes before and after the inner message,
/// and how many levels of the parser's count it adds.
#[derive(Clone, Copy)]
struct Wrap {
    before: &'static str,
    after: &'static str,
    levels: u32,
}

const fn wrap(before: &'static str, after: &'static str, levels: u32) -> Wrap {
    Wrap {
        before,
        after,
        levels,
    }
}

/// `inner` (already `levels` deep) wrapped in `path`'s wraps in turn, then in `fill` (one
/// level) where a wrap of `path` would overshoot, until it is exactly `depth` deep.
fn nest(path: &[Wrap], fill: Wrap, inner: &str, mut levels: u32, depth: u32) -> String {
    assert_eq!(fill.levels, 1);
    let mut doc = inner.to_owned();
    for w in path.iter().cycle() {
        if levels == depth {
            break;
        }
        let w = if levels + w.levels <= depth { w } else { &fill };
        doc = format!("{}{doc}{}", w.before, w.after);
        levels += w.levels;
    }
    doc
}

/// The messages under test, each made fresh by a function: generated and dynamic, of
/// proto2 and proto3.
trait Subject: Message + JsonMessage + TextMessage {}
impl<M: Message + JsonMessage + TextMessage> Subject for M {}

fn registry() -> TypeRegistry {
    let mut registry = TypeRegistry::with_well_known();
    registry
        .add::<proto2::TestAllTypesProto2>()
        .add::<proto3::TestAllTypesProto3>();
    registry
}

/// Runs `check` on the four subjects (`true` for the proto3 ones), each on its own small
/// stack.
fn for_each_subject(check: fn(&str, bool, &mut dyn FnMut() -> Box<dyn Parse>)) {
    let subjects: [(&str, bool); 4] = [
        ("generated proto2", false),
        ("generated proto3", true),
        ("dynamic proto2", false),
        ("dynamic proto3", true),
    ];
    for (name, p3) in subjects {
        on_small_stack(move || {
            let mut make = move || -> Box<dyn Parse> {
                match (name.starts_with("dynamic"), p3) {
                    (false, false) => Box::new(proto2::TestAllTypesProto2::default()),
                    (false, true) => Box::new(proto3::TestAllTypesProto3::default()),
                    (true, false) => Box::new(DynamicMessage::new(
                        proto2::TestAllTypesProto2::default().descriptor(),
                    )),
                    (true, true) => Box::new(DynamicMessage::new(
                        proto3::TestAllTypesProto3::default().descriptor(),
                    )),
                }
            };
            check(name, p3, &mut make);
        });
    }
}

/// The three parsers, object safe.
trait Parse {
    fn binary(&mut self, bytes: &[u8]) -> Result<(), DecodeErrorKind>;
    fn json(&mut self, doc: &str, registry: &TypeRegistry) -> Result<(), JsonErrorKind>;
    fn text(&mut self, doc: &str, registry: &TypeRegistry) -> Result<(), TextErrorKind>;
}

impl<M: Subject> Parse for M {
    fn binary(&mut self, bytes: &[u8]) -> Result<(), DecodeErrorKind> {
        self.merge_from_slice(bytes).map_err(|e| e.kind().clone())
    }
    fn json(&mut self, doc: &str, registry: &TypeRegistry) -> Result<(), JsonErrorKind> {
        merge_json_with(self, doc.as_bytes(), &JsonOptions::default(), registry).map_err(|e| e.kind)
    }
    fn text(&mut self, doc: &str, registry: &TypeRegistry) -> Result<(), TextErrorKind> {
        merge_text_with(self, doc.as_bytes(), registry).map_err(|e| e.kind)
    }
}

/// The type URL of an `Any` holding a `TestAllTypesProto3`.
macro_rules! p3_url {
    () => {
        "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3"
    };
}

#[test]
fn json_nesting_up_to_the_limit_and_a_typed_error_past_it() {
    for_each_subject(|name, p3, make| {
        let registry = registry();
        // Each path below nests the message in itself; the top-level object counts.
        let fill = wrap(r#"{"recursiveMessage":"#, "}", 1);
        let mut paths = vec![
            vec![fill],
            vec![wrap(r#"{"optionalNestedMessage":{"corecursive":"#, "}}", 2)],
            vec![wrap(r#"{"oneofNestedMessage":{"corecursive":"#, "}}", 2)],
            vec![wrap(
                r#"{"repeatedNestedMessage":[{"corecursive":"#,
                "}]}",
                3,
            )],
            vec![wrap(
                r#"{"mapStringNestedMessage":{"k":{"corecursive":"#,
                "}}}",
                3,
            )],
        ];
        // Only proto3 has well-known types: an `Any`'s payload and `Value`s nest too.
        if p3 {
            paths.push(vec![wrap(
                concat!(
                    r#"{"optionalAny":{"@type":""#,
                    p3_url!(),
                    r#"","recursiveMessage":"#
                ),
                "}}",
                2,
            )]);
        }
        for path in &paths {
            for (depth, ok) in [(LIMIT, true), (LIMIT + 1, false)] {
                let doc = nest(path, fill, "{}", 1, depth);
                let result = make().json(&doc, &registry);
                match ok {
                    true => assert_eq!(result, Ok(()), "{name}: {}", path[0].before),
                    false => assert_eq!(
                        result,
                        Err(JsonErrorKind::DepthLimit(LIMIT)),
                        "{name}: {}",
                        path[0].before
                    ),
                }
            }
        }
        if p3 {
            // A `Value` of lists and structs: the field's object is one level.
            let fill = wrap("[", "]", 1);
            let path = [wrap(r#"{"a":["#, "]}", 2)];
            for (depth, ok) in [(LIMIT, true), (LIMIT + 1, false)] {
                let doc = format!(
                    r#"{{"optionalValue":{}}}"#,
                    nest(&path, fill, "1", 1, depth)
                );
                let result = make().json(&doc, &registry);
                assert_eq!(result.is_ok(), ok, "{name}: Value at {depth}: {result:?}");
                if !ok {
                    assert_eq!(result, Err(JsonErrorKind::DepthLimit(LIMIT)));
                }
            }
        }
    });
}

#[test]
fn text_nesting_up_to_the_limit_and_a_typed_error_past_it() {
    for_each_subject(|name, p3, make| {
        let registry = registry();
        // The top-level message's fields have no braces: it does not count.
        let fill = wrap("recursive_message {", "}", 1);
        let mut paths = vec![
            vec![fill],
            vec![wrap("optional_nested_message { corecursive {", "} }", 2)],
            vec![wrap("oneof_nested_message < corecursive {", "} >", 2)],
            vec![wrap("repeated_nested_message [{ corecursive {", "} }]", 2)],
            vec![wrap(
                "map_string_nested_message { key: \"k\" value { corecursive {",
                "} } }",
                3,
            )],
        ];
        if p3 {
            paths.push(vec![wrap(
                concat!("optional_any { [", p3_url!(), "] {"),
                "} }",
                2,
            )]);
        }
        for path in &paths {
            for (depth, ok) in [(LIMIT, true), (LIMIT + 1, false)] {
                let doc = nest(path, fill, "", 0, depth);
                let result = make().text(&doc, &registry);
                match ok {
                    true => assert_eq!(result, Ok(()), "{name}: {}", path[0].before),
                    false => assert_eq!(
                        result,
                        Err(TextErrorKind::DepthLimit(LIMIT)),
                        "{name}: {}",
                        path[0].before
                    ),
                }
            }
        }
    });
}

/// `inner` as the value of length-delimited field `number`.
fn field(number: u32, inner: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for mut v in [u64::from(number << 3 | 2), inner.len() as u64] {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    out.extend_from_slice(inner);
    out
}

#[test]
fn binary_nesting_up_to_the_limit_and_a_typed_error_past_it() {
    for_each_subject(|name, _, make| {
        // Field numbers from the message inward, one level each: `recursive_message`, and
        // a nested message's `corecursive` as a singular field, a oneof member and a
        // repeated element.
        let paths: [&[u32]; 4] = [&[27], &[18, 2], &[112, 2], &[48, 2]];
        for path in paths {
            for (depth, ok) in [(LIMIT, true), (LIMIT + 1, false)] {
                // Innermost, `recursive_message`s (a message in itself) until the rest is
                // whole rounds of the path.
                let (mut bytes, mut levels) = (Vec::new(), 0);
                while (depth - levels) % path.len() as u32 != 0 {
                    bytes = field(27, &bytes);
                    levels += 1;
                }
                while levels < depth {
                    for &number in path.iter().rev() {
                        bytes = field(number, &bytes);
                        levels += 1;
                    }
                }
                let result = make().binary(&bytes);
                match ok {
                    true => assert_eq!(result, Ok(()), "{name}: {path:?}"),
                    false => assert_eq!(
                        result,
                        Err(DecodeErrorKind::RecursionLimitExceeded(LIMIT)),
                        "{name}: {path:?}"
                    ),
                }
            }
        }
    });
}
