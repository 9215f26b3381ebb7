//! The demo's memory section, the heart of zpb: one receive loop over a spiky stream (small
//! records, now and then a large one) under each [`MemoryPolicy`] and with a [`Pool`], next to
//! prost doing the same on the same stream. The counting allocator ([`crate::alloc`]) gives
//! allocations per message and the heap bytes the receiver keeps after each clear.

use crate::alloc;
use crate::spiky::Record;
use crate::Error;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write;
use zpb::{MemoryPolicy, Message, Pool};

/// prost's types for `spiky.proto` (benches/proto/spiky.proto, the schema zpb's `Record` is
/// generated from), derived by hand so the examples need no `protoc`.
mod prost_spiky {
    /// `spiky.Item`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Item {
        #[prost(uint64, tag = "1")]
        pub id: u64,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(int32, repeated, tag = "3")]
        pub values: Vec<i32>,
    }

    /// `spiky.Record`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Record {
        #[prost(string, tag = "1")]
        pub key: String,
        #[prost(bytes = "vec", tag = "2")]
        pub payload: Vec<u8>,
        #[prost(message, repeated, tag = "3")]
        pub items: Vec<Item>,
        #[prost(string, repeated, tag = "4")]
        pub tags: Vec<String>,
    }
}

/// Records per period: `SMALL` small ones, then one large one.
const SMALL: usize = 99;
/// Bytes a `Budget` receiver may keep: several small records, far less than a large one.
pub const BUDGET: usize = 64 << 10;

/// The encoded stream: two periods of 99 small records and one large record (about 100 KB:
/// 1,000 items, 250 tags, a 32 KiB payload), then one more small record.
///
/// # Panics
/// Never: the records have no required fields, so they always serialize.
pub fn stream() -> Vec<Vec<u8>> {
    let record = |period: usize, i: usize| {
        let large = i == SMALL;
        let mut r = Record::default();
        // Numbers zero-padded: small records all have the same shape, so that a policy
        // that keeps their memory allocates nothing for them.
        r.set_key(format!("record-{period}-{i:02}"));
        r.set_payload(vec![i as u8; if large { 32 << 10 } else { 64 }]);
        for j in 0..if large { 1000 } else { 8 } {
            let item = r.add_items();
            item.set_id((period * 1000 + j) as u64);
            item.set_name(format!("item {j:04} of record {i:02}"));
            item.mutable_values()
                .extend((0..if large { 16 } else { 4 }).map(|v| v * 31 - 7));
        }
        for t in 0..if large { 250 } else { 3 } {
            r.add_tags().push_str(&format!("tag-{t}"));
        }
        r.serialize_to_vec()
    };
    let mut out = Vec::with_capacity(2 * (SMALL + 1) + 1);
    for period in 0..2 {
        for i in 0..=SMALL {
            out.push(record(period, i).expect("a record with no required fields"));
        }
    }
    out.push(record(2, 0).expect("a record with no required fields"));
    out
}

/// What one receiver did over the stream's second period (the first one warms it up).
#[derive(Clone, Debug)]
pub struct Row {
    /// Who received, and how.
    pub label: String,
    /// Allocation calls per small record, steady state: the small records of the second
    /// period after its first (which may rebuild what a policy released after the large one).
    pub allocs_small: f64,
    /// Allocation calls for the large record.
    pub allocs_large: u64,
    /// Heap bytes kept after the last small record before the large one.
    pub held_small: usize,
    /// Heap bytes kept after the large record.
    pub held_large: usize,
    /// Heap bytes kept after the small record that follows it.
    pub held_after: usize,
}

/// Runs a receiver over `inputs`: `make` builds its state, `receive` parses one message,
/// uses it and clears it. Heap bytes are counted from before `make`.
fn measure<S>(
    label: &str,
    inputs: &[Vec<u8>],
    make: impl FnOnce() -> S,
    mut receive: impl FnMut(&mut S, &[u8]) -> Result<(), Error>,
) -> Result<Row, Error> {
    let mut calls = Vec::with_capacity(inputs.len());
    let mut held = Vec::with_capacity(inputs.len());
    // Counted from here: the receiver's heap, not these two lists.
    let base = alloc::live_bytes();
    let mut state = make();
    for input in inputs {
        let before = alloc::calls();
        receive(&mut state, input)?;
        calls.push(alloc::calls() - before);
        held.push(alloc::live_bytes().saturating_sub(base));
    }
    drop(state);
    let period = &calls[SMALL + 1..2 * (SMALL + 1)];
    Ok(Row {
        label: label.to_string(),
        // The first small record after a large one may rebuild what a policy released.
        allocs_small: period[1..SMALL].iter().sum::<u64>() as f64 / (SMALL - 1) as f64,
        allocs_large: period[SMALL],
        held_small: held[2 * SMALL],
        held_large: held[2 * SMALL + 1],
        held_after: held[2 * SMALL + 2],
    })
}

/// One zpb message reused, cleared under `policy` after each record.
fn zpb_policy(label: &str, inputs: &[Vec<u8>], policy: MemoryPolicy) -> Result<Row, Error> {
    measure(label, inputs, Record::default, |msg, input| {
        msg.merge_from_slice(input)?;
        black_box(&*msg);
        msg.clear_with(&policy);
        Ok(())
    })
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// The rows, as the table the demo prints.
fn table(rows: &[Row]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "  {:<28} {:>12} {:>12}   {:>12} {:>12} {:>12}",
        "receiver", "allocs/small", "allocs/large", "held: small", "after large", "next small"
    );
    for r in rows {
        let _ = writeln!(
            t,
            "  {:<28} {:>12.2} {:>12}   {:>12} {:>12} {:>12}",
            r.label,
            r.allocs_small,
            r.allocs_large,
            kib(r.held_small),
            kib(r.held_large),
            kib(r.held_after)
        );
    }
    t
}

/// Runs the section, printing to `out`.
pub fn run(out: &mut dyn Write) -> Result<(), Error> {
    let inputs = stream();
    writeln!(
        out,
        "== Memory: one receive loop, a spiky stream ({SMALL} records of {} bytes, then one of {} KB; twice) ==",
        inputs[0].len(),
        inputs[SMALL].len() / 1000
    )?;
    if !alloc::installed() {
        writeln!(
            out,
            "(skipped: this binary does not install zpb_examples::alloc::Counting)\n"
        )?;
        return Ok(());
    }
    write!(out, "{}", table(&receivers(&inputs)?))?;
    writeln!(
        out,
        "  allocs: allocator calls per record (second period); held: heap kept after clearing,\n  \
         after the last small record, after the large one, after the next small one\n\
         Retain (C++'s Clear) never allocates again but keeps the large record's memory; Shrink\n\
         follows the last record; Release allocates like a fresh parse; Budget and the pool keep\n\
         the small records' memory (0 allocations) and never more than 64 KiB; prost reuses only\n\
         the outer lists' capacity and allocates for every string and sub-message\n"
    )?;
    Ok(())
}

/// Runs every receiver over `inputs` (a [`stream`]): zpb under each policy and with a pool,
/// prost reusing one message and prost decoding a new one per record. The counts are
/// meaningful only with [`alloc::Counting`] installed.
///
/// # Errors
/// A record that does not decode.
pub fn receivers(inputs: &[Vec<u8>]) -> Result<Vec<Row>, Error> {
    let budget = MemoryPolicy::Budget { max_bytes: BUDGET };
    Ok(vec![
        zpb_policy("zpb Retain (C++'s Clear)", inputs, MemoryPolicy::Retain)?,
        zpb_policy("zpb Shrink", inputs, MemoryPolicy::Shrink)?,
        zpb_policy("zpb Release", inputs, MemoryPolicy::Release)?,
        zpb_policy("zpb Budget 64 KiB", inputs, budget)?,
        measure(
            "zpb Pool (Budget 64 KiB)",
            inputs,
            || Pool::<Record>::new(budget),
            |pool, input| {
                let mut msg = pool.get();
                msg.merge_from_slice(input)?;
                black_box(&*msg);
                Ok(())
            },
        )?,
        measure(
            "prost clear() + merge",
            inputs,
            prost_spiky::Record::default,
            |msg, input| {
                prost::Message::clear(msg);
                prost::Message::merge(msg, input)?;
                black_box(&*msg);
                Ok(())
            },
        )?,
        measure(
            "prost decode (new each time)",
            inputs,
            || (),
            |_, input| {
                black_box(<prost_spiky::Record as prost::Message>::decode(input)?);
                Ok(())
            },
        )?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_two_spiky_periods_and_one_more_small_record() {
        let s = stream();
        assert_eq!(s.len(), 2 * (SMALL + 1) + 1);
        assert!(s[SMALL].len() > 50_000, "{}", s[SMALL].len());
        assert!(s[0].len() < 1_000, "{}", s[0].len());
        let r = Record::parse_from_slice(&s[2 * SMALL + 1]).unwrap();
        assert_eq!((r.items.len(), r.tags.len()), (1000, 250));
        let p = <prost_spiky::Record as prost::Message>::decode(&s[2 * SMALL + 1][..]).unwrap();
        assert_eq!(
            (p.items.len(), p.tags.len(), p.payload.len()),
            (1000, 250, 32 << 10)
        );
    }
}
