//! The JSON and text-format peers of the throughput bench do the whole job: every
//! implementation reads zpb's documents of every dataset into the message the binary payload
//! holds (checked through zpb's binary encoding), its own print reads back in zpb to the same
//! message, and a reused message gives the same result as a fresh one. zpb's reuse parse of
//! JSON and text allocates nothing (the counting allocator is this binary's).

use std::sync::Mutex;
use zpb_benches::formats::{documents, Form, JsonCodec, TextCodec};
use zpb_benches::{
    alloc, datasets, for_each_codec, for_each_json_codec, for_each_text_codec, Codec,
};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// Allocation counts are process-wide: the tests run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// zpb's binary encoding of what `bytes` holds, as the dataset's zpb type `Z` reads it.
fn canonical<Z: Codec>(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    Z::serialize(&Z::parse(bytes), &mut out);
    out
}

/// What `C` makes of the JSON document: its parse (fresh and reused) serialized in binary,
/// and its own print of that message; `None` where `C` sits out the dataset.
fn through_json<C: JsonCodec>(dataset: &str, doc: &str) -> Outcome {
    if !zpb_benches::formats::json_supported(C::JSON_IMPL, dataset) {
        return None;
    }
    let fresh = C::parse_json(doc);
    let mut reused = C::parse_json(doc);
    C::reparse_json(&mut reused, doc);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    C::serialize(&fresh, &mut a);
    C::serialize(&reused, &mut b);
    let mut printed = String::from("stale");
    C::print_json(&fresh, &mut printed);
    Some((a, b, printed))
}

/// The same for text format (every implementation does every dataset).
fn through_text<C: TextCodec>(_dataset: &str, doc: &str) -> Outcome {
    let fresh = C::parse_text(doc);
    let mut reused = C::parse_text(doc);
    C::reparse_text(&mut reused, doc);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    C::serialize(&fresh, &mut a);
    C::serialize(&reused, &mut b);
    let mut printed = String::from("stale");
    C::print_text(&fresh, &mut printed);
    Some((a, b, printed))
}

fn json_impl<C: JsonCodec>() -> &'static str {
    C::JSON_IMPL
}

fn text_impl<C: TextCodec>() -> &'static str {
    C::IMPL
}

/// What zpb reads from a peer's print, in zpb's binary encoding.
fn zpb_reads_json<Z: JsonCodec>(printed: &str) -> Vec<u8> {
    let mut out = Vec::new();
    Z::serialize(&Z::parse_json(printed), &mut out);
    out
}

/// The same for text format.
fn zpb_reads_text<Z: TextCodec>(printed: &str) -> Vec<u8> {
    let mut out = Vec::new();
    Z::serialize(&Z::parse_text(printed), &mut out);
    out
}

/// One peer's results on a document: its parse fresh and reused (binary) and its print.
type Outcome = Option<(Vec<u8>, Vec<u8>, String)>;

/// Checks every peer's results on the first documents of `docs` (zpb's conversion of
/// `payloads`) against zpb's binary reading of the payloads.
fn check(
    dataset: &str,
    names: &[&str],
    payloads: &[Vec<u8>],
    docs: &[String],
    results: impl Fn(&str) -> Vec<Outcome>,
    zpb_reads: impl Fn(&str) -> Vec<u8>,
) {
    for (payload, doc) in payloads.iter().zip(docs).take(3) {
        let canon = |bytes: &[u8]| for_each_codec!(@dataset zpb, dataset, canonical(bytes));
        let expected = canon(payload);
        assert!(!expected.is_empty());
        let outputs = results(doc);
        assert_eq!(outputs.len(), names.len());
        let done = outputs.iter().flatten().count();
        assert!(done >= 2, "{done} implementations on {dataset}");
        for (name, output) in names.iter().zip(&outputs) {
            let Some((fresh, reused, printed)) = output else {
                continue;
            };
            assert_eq!(canon(fresh), expected, "{name} parse on {dataset}");
            assert_eq!(fresh, reused, "{name} reuse vs fresh on {dataset}");
            assert_eq!(zpb_reads(printed), expected, "{name} print on {dataset}");
        }
    }
}

#[test]
fn every_json_peer_reads_zpb_documents_and_prints_what_zpb_reads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for ds in datasets() {
        let docs = documents(&ds, Form::Json);
        assert!(docs[0].starts_with('{') && !docs[0].contains('\n'));
        let names = for_each_json_codec!(ds.name, json_impl());
        check(
            ds.name,
            &names,
            &ds.payloads,
            &docs,
            |doc| for_each_json_codec!(ds.name, through_json(ds.name, doc)),
            |printed| for_each_codec!(@dataset zpb, ds.name, zpb_reads_json(printed)),
        );
    }
}

#[test]
fn every_text_peer_reads_zpb_documents_and_prints_what_zpb_reads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for ds in datasets() {
        let docs = documents(&ds, Form::Text);
        assert!(!docs[0].is_empty() && !docs[0].contains('\n'));
        let names = for_each_text_codec!(ds.name, text_impl());
        check(
            ds.name,
            &names,
            &ds.payloads,
            &docs,
            |doc| for_each_text_codec!(ds.name, through_text(ds.name, doc)),
            |printed| for_each_codec!(@dataset zpb, ds.name, zpb_reads_text(printed)),
        );
    }
}

/// Allocation calls of one reuse-parse pass over `docs` after a first pass has sized the
/// message.
fn reuse_allocations<C: JsonCodec + TextCodec>(docs: &[String], form: Form) -> u64 {
    let mut msg = C::Msg::default();
    let pass = |msg: &mut C::Msg| {
        for d in docs {
            match form {
                Form::Json => C::reparse_json(msg, d),
                Form::Text => C::reparse_text(msg, d),
            }
        }
    };
    pass(&mut msg);
    alloc::count_calls(|| pass(&mut msg))
}

#[test]
fn zpb_reuse_parse_of_json_and_text_allocates_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut allocating = Vec::new();
    for ds in datasets() {
        for form in [Form::Json, Form::Text] {
            let docs = documents(&ds, form);
            let calls = for_each_codec!(@dataset zpb, ds.name, reuse_allocations(&docs, form));
            if calls > 0 {
                allocating.push((ds.name, form, calls));
            }
        }
    }
    // Escaped strings (message2's bytes field, `\\` and `\"` in message1's strings) are
    // unescaped straight into the reused field: every dataset's documents hold some.
    assert!(
        allocating.is_empty(),
        "allocation calls per pass: {allocating:?}"
    );
    // The counter sees this binary's allocations, so a zero above is a real zero.
    assert!(alloc::count_calls(|| drop(std::hint::black_box(vec![1u8; 64]))) > 0);
}
