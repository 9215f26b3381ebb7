//! Memory behaviour, measured exactly with a counting allocator: zero-allocation reuse
//! parsing, what each `MemoryPolicy` keeps, and the `Pool`.

mod common;
use common::alloc::count;
use common::schema::*;
use std::collections::{BTreeMap, HashMap};
use zpb::{MemoryPolicy, Message, MessageState, Pool, Repeated, Reuse};

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;

/// A message with nested messages, repeated messages, strings, bytes and packed fields (no map
/// or oneof: those drop their entries when cleared).
fn rich(scale: usize) -> AllKinds {
    let mut m = AllKinds::default();
    m.set_i64(-5);
    m.set_str("a string that needs a heap buffer".repeat(scale));
    m.set_by(vec![7u8; 100 * scale]);
    m.mutable_nested().set_s("nested".repeat(scale));
    m.mutable_nested().add_children().set_a(3);
    for i in 0..(10 * scale) as i32 {
        m.add_r_i32(i * 1000);
        m.add_r_s64(-(i as i64));
        m.add_r_db(i as f64);
        m.add_r_str().push_str(&format!("element {i}"));
        m.add_r_by().extend_from_slice(&[i as u8; 16]);
        let n = m.add_r_nested();
        n.set_a(i);
        n.set_s(format!("child {i}"));
        n.add_children().set_s("grandchild");
    }
    m.set_opt_str("optional string");
    m
}

#[test]
fn reuse_parsing_allocates_nothing() {
    let bytes = rich(4).serialize_to_vec().unwrap();
    let mut m = AllKinds::default();
    let (_, first) = count(|| m.merge_from_slice(&bytes).unwrap());
    assert!(first.count > 50, "the first parse allocates ({first:?})");
    for _ in 0..5 {
        let (_, again) = count(|| {
            m.clear();
            m.merge_from_slice(&bytes).unwrap();
        });
        assert_eq!(again.count, 0, "reuse parse allocated: {again:?}");
    }
    assert_eq!(m, rich(4));
    // Same for a proto2 message with groups, required fields and closed enums.
    let mut p = Proto2Kinds::default();
    p.set_req(1);
    p.mutable_inner().set_id(3);
    p.mutable_inner().set_label("label");
    p.add_inners().set_id(4);
    p.mutable_grp().set_g_s("group string");
    p.add_rgrp().set_r_a(9);
    p.add_packed_sizes(Size::Large);
    let bytes = p.serialize_to_vec().unwrap();
    let mut q = Proto2Kinds::default();
    q.merge_from_slice(&bytes).unwrap();
    let (_, again) = count(|| {
        q.clear();
        q.merge_from_slice(&bytes).unwrap();
    });
    assert_eq!(again.count, 0, "{again:?}");
    assert_eq!(q, p);
}

#[test]
fn a_smaller_message_reuses_a_larger_ones_memory() {
    let big = rich(8).serialize_to_vec().unwrap();
    let small = rich(1).serialize_to_vec().unwrap();
    let mut m = AllKinds::default();
    m.merge_from_slice(&big).unwrap();
    let held = m.space_used();
    let (_, small_parse) = count(|| {
        m.clear();
        m.merge_from_slice(&small).unwrap();
    });
    assert_eq!(small_parse.count, 0);
    assert_eq!(
        m.space_used(),
        held,
        "Retain keeps the big message's storage"
    );
    assert_eq!(m.r_nested_size(), 10);
    assert_eq!(m.r_nested.retained(), 70);
}

#[test]
fn clear_keeps_and_space_used_reports() {
    let mut m = rich(2);
    let held = m.space_used();
    assert!(held > 2000, "{held}");
    let (_, c) = count(|| m.clear());
    assert_eq!(c.count, 0, "clear allocates nothing");
    assert_eq!(m.space_used(), held, "clear keeps everything");
    assert_eq!(m.serialize_to_vec().unwrap(), Vec::<u8>::new());
    assert!(!m.has_nested());
    m.shrink_to_fit();
    assert_eq!(
        m.space_used(),
        0,
        "shrink_to_fit on a cleared message frees all"
    );
}

#[test]
fn release_policy_frees_everything() {
    let mut m = rich(3);
    m.clear_with(&MemoryPolicy::Release);
    assert_eq!(m.space_used(), 0);
    assert_eq!(m, AllKinds::default());
}

#[test]
fn shrink_policy_keeps_only_what_the_last_message_used() {
    let big = rich(8).serialize_to_vec().unwrap();
    let small = rich(1).serialize_to_vec().unwrap();
    let mut m = AllKinds::default();
    m.merge_from_slice(&big).unwrap();
    m.clear_with(&MemoryPolicy::Shrink);
    m.merge_from_slice(&small).unwrap();
    let small_fresh = AllKinds::parse_from_slice(&small).unwrap().space_used();
    m.clear_with(&MemoryPolicy::Shrink);
    let kept = m.space_used();
    assert!(
        kept <= small_fresh,
        "after a small message Shrink keeps {kept} bytes, a fresh parse holds {small_fresh}"
    );
    // And it still reuses that memory for a message of the same size.
    let (_, again) = count(|| m.merge_from_slice(&small).unwrap());
    assert_eq!(again.count, 0);
}

#[test]
fn budget_bounds_retained_memory_on_a_spiky_workload() {
    let small = rich(1).serialize_to_vec().unwrap();
    let spike = rich(40).serialize_to_vec().unwrap();
    let mut fresh_small = AllKinds::parse_from_slice(&small).unwrap();
    fresh_small.clear();
    let small_need = fresh_small.space_used();
    let budget = MemoryPolicy::Budget {
        max_bytes: small_need * 2,
    };
    let mut m = AllKinds::default();
    let mut steady_allocs = 0;
    let mut peak_after_clear = 0;
    for i in 0..300 {
        let input = if i % 100 == 99 { &spike } else { &small };
        let (_, a) = count(|| {
            m.clear_with(&budget);
            m.merge_from_slice(input).unwrap();
        });
        m.clear_with(&budget);
        peak_after_clear = peak_after_clear.max(m.space_used());
        assert!(
            m.space_used() <= small_need * 2,
            "iteration {i}: {} bytes retained over a budget of {}",
            m.space_used(),
            small_need * 2
        );
        // Small messages that follow a small message reuse memory (after warm-up).
        if i > 2 && i % 100 != 99 && i % 100 != 0 {
            steady_allocs += a.count;
        }
    }
    assert_eq!(
        steady_allocs, 0,
        "same-size inputs allocate nothing under a budget"
    );
    assert!(peak_after_clear > 0, "the budget retains memory");
}

#[test]
fn budget_shrinks_to_the_last_message_when_it_fits() {
    // Over budget because of spares retained from an earlier spike, but the last message
    // alone fits: its storage is kept, so the next message of its size allocates nothing.
    let small = rich(1).serialize_to_vec().unwrap();
    let spike = rich(40).serialize_to_vec().unwrap();
    let mut probe = AllKinds::parse_from_slice(&small).unwrap();
    probe.clear();
    let max_bytes = probe.space_used() * 2;
    let mut m = AllKinds::default();
    m.merge_from_slice(&spike).unwrap();
    m.clear(); // Retain: spike storage kept
    m.merge_from_slice(&small).unwrap();
    assert!(m.space_used() > max_bytes);
    m.clear_with(&MemoryPolicy::Budget { max_bytes });
    assert!(m.space_used() <= max_bytes);
    assert!(m.space_used() > 0, "the last message's storage is kept");
    let (_, a) = count(|| m.merge_from_slice(&small).unwrap());
    assert_eq!(a.count, 0);
}

#[test]
fn retain_keeps_the_union_of_all_past_messages() {
    let mut m = AllKinds::default();
    let mut last = 0;
    for scale in [1, 4, 2, 8, 1] {
        m.clear();
        m.merge_from_slice(&rich(scale).serialize_to_vec().unwrap())
            .unwrap();
        m.clear();
        assert!(m.space_used() >= last, "Retain never gives memory back");
        last = m.space_used();
    }
}

#[test]
fn pool_receive_loop_allocates_nothing_in_steady_state() {
    let bytes = rich(2).serialize_to_vec().unwrap();
    let pool = Pool::<AllKinds>::new(MemoryPolicy::Retain);
    for _ in 0..2 {
        let mut m = pool.get();
        m.merge_from_slice(&bytes).unwrap();
    }
    let (_, a) = count(|| {
        for _ in 0..10 {
            let mut m = pool.get();
            m.merge_from_slice(&bytes).unwrap();
            assert_eq!(m.r_nested_size(), 20);
        }
    });
    assert_eq!(a.count, 0, "{a:?}");
    assert_eq!(pool.idle(), 1);
    assert!(pool.space_used() > 0);
    pool.release_all();
    assert_eq!(pool.space_used(), 0);
    assert_eq!(pool.idle(), 0);
}

#[test]
fn pool_applies_its_policy_and_idle_limit() {
    let bytes = rich(5).serialize_to_vec().unwrap();
    let pool = Pool::<AllKinds>::with_max_idle(MemoryPolicy::Budget { max_bytes: 4096 }, 2);
    let held: Vec<_> = (0..4)
        .map(|_| {
            let mut m = pool.get();
            m.merge_from_slice(&bytes).unwrap();
            m
        })
        .collect();
    drop(held);
    assert_eq!(pool.idle(), 2, "idle messages beyond the limit are dropped");
    // Two idle messages of at most 4096 bytes each, plus the idle list (capacity <= 4).
    let bound = 2 * 4096 + 4 * std::mem::size_of::<AllKinds>();
    assert!(
        pool.space_used() <= bound,
        "{} > {bound}",
        pool.space_used()
    );
    let detached = pool.get().detach();
    assert_eq!(detached, AllKinds::default());
    assert_eq!(pool.idle(), 1);
}

#[test]
fn repeated_keeps_cleared_elements_and_hands_them_back() {
    let mut r: zpb::Repeated<Nested> = zpb::Repeated::new();
    for i in 0..3 {
        r.add().set_s(format!("element number {i}"));
    }
    r.clear();
    assert_eq!((r.len(), r.retained()), (0, 3));
    let (_, a) = count(|| {
        r.add().set_a(1);
        r.add().mutable_s().push_str("short");
    });
    assert_eq!(a.count, 0);
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].s(), "short");
    assert_eq!(r.pop().map(|n| n.s), Some("short".to_string()));
    r.truncate(0);
    assert_eq!(r.retained(), 3);
    r.drop_retained();
    assert_eq!(r.retained(), 0);
}

#[test]
fn repeated_space_accounting_stays_exact() {
    // Retained elements are accounted for incrementally; a full walk (`trim` with an unlimited
    // budget recomputes it) must agree after every kind of operation.
    let mut r: zpb::Repeated<Nested> = zpb::Repeated::new();
    let check = |r: &mut zpb::Repeated<Nested>, step: &str| {
        let incremental = r.space_used();
        let mut unlimited = usize::MAX;
        r.trim(&mut unlimited);
        assert_eq!(incremental, r.space_used(), "after {step}");
    };
    for i in 0..6 {
        r.add().set_s("x".repeat(10 * i));
    }
    check(&mut r, "add");
    r.truncate(3);
    check(&mut r, "truncate");
    r.add().mutable_s().push_str(&"y".repeat(500));
    check(&mut r, "reusing a spare");
    r.push(Nested::default());
    check(&mut r, "push");
    r.swap_remove(0);
    r.remove(0);
    check(&mut r, "remove");
    r.pop();
    check(&mut r, "pop");
    Reuse::clear(&mut r);
    check(&mut r, "clear");
    r.add().add_children().set_s("deep");
    Reuse::clear(&mut r);
    check(&mut r, "nested clear");
}

/// Issue 14: string and bytes setters copy into the field's kept buffer, so a warmed message
/// set field by field in a loop allocates nothing (before, every `set_x(&str)` went through
/// `Into<String>` and allocated: 201 allocations for 100 rounds of the first three lines).
#[test]
fn string_and_bytes_setters_reuse_kept_buffers() {
    let mut m = AllKinds::default();
    let round = |m: &mut AllKinds, i: usize| {
        m.clear();
        m.set_str("a name long enough to need the heap");
        m.mutable_nested().set_s("nested name");
        m.add_r_nested().set_s("an element's name");
        m.set_by(b"some bytes for the bytes field");
        m.set_opt_str("an optional string value");
        m.add_r_str();
        m.set_r_str(0, "a repeated string element");
        m.add_r_by();
        m.set_r_by(0, [i as u8; 24]);
    };
    round(&mut m, 0);
    let (_, warm) = count(|| (1..=100).for_each(|i| round(&mut m, i)));
    assert_eq!(warm.count, 0, "{warm:?}");
    assert_eq!(
        (m.str(), m.nested().s(), m.r_nested_at(0).s(), m.by()),
        (
            "a name long enough to need the heap",
            "nested name",
            "an element's name",
            &b"some bytes for the bytes field"[..]
        )
    );
    assert_eq!(
        (m.opt_str(), m.r_str_at(0).as_str(), &m.r_by_at(0)[..]),
        (
            "an optional string value",
            "a repeated string element",
            &[100u8; 24][..],
        )
    );
    // Setting the set oneof member again copies into its string.
    m.set_o_str("a oneof member's string");
    let (_, member) = count(|| {
        for _ in 0..100 {
            m.set_o_str("set once more");
        }
    });
    assert_eq!((member.count, m.o_str()), (0, "set once more"));
    // An owned value is moved in: no copy, no allocation.
    let owned = String::from("moved in whole");
    let (_, moved) = count(|| m.set_str(owned));
    assert_eq!((moved.count, m.str()), (0, "moved in whole"));
    // Proto2's `Option`-held and defaulted strings too.
    let mut p = Proto2Kinds::default();
    p.set_str("first value of the defaulted string");
    let (_, proto2) = count(|| p.set_str("second value, same buffer"));
    assert_eq!((proto2.count, p.str()), (0, "second value, same buffer"));
}

/// Issue 14: a budget below what the message's own content needs used to shrink every
/// buffer (one reallocation each) and then drop everything anyway; it now decides first and
/// releases at once, so it costs exactly what `Release` costs.
#[test]
fn budget_below_the_content_costs_what_release_costs() {
    let bytes = rich(8).serialize_to_vec().unwrap();
    let budget = MemoryPolicy::Budget { max_bytes: 64 };
    let cycle = |policy: &MemoryPolicy| {
        // Built through `add_*` (vectors grown by doubling, so a shrink would reallocate).
        let mut m = rich(8);
        let (_, cleared) = count(|| m.clear_with(policy));
        let (_, parsed) = count(|| m.merge_from_slice(&bytes).unwrap());
        (cleared.count, cleared.count + parsed.count, m.space_used())
    };
    let (release_clear, release, release_held) = cycle(&MemoryPolicy::Release);
    let (budget_clear, with_budget, budget_held) = cycle(&budget);
    assert_eq!(release_clear, 0, "releasing allocates nothing");
    assert_eq!(
        budget_clear, 0,
        "a hopeless budget releases without shrinking first"
    );
    assert_eq!(with_budget, release);
    assert_eq!(budget_held, release_held);
    // The lower bound it decides with is one: a full shrink keeps at least that much.
    let mut m = rich(8);
    m.clear();
    m.merge_from_slice(&rich(2).serialize_to_vec().unwrap())
        .unwrap();
    let needed = m.space_needed();
    assert!(needed > 0 && needed < m.space_used());
    m.trim(&mut 0);
    assert!(m.space_used() >= needed, "{} < {needed}", m.space_used());
}

/// Issue 14: `clone_from` (C++ `CopyFrom`) into a warmed message of the same shape reuses its
/// storage (`#[zpb(clone)]`, which the generator uses): no allocation.
#[test]
fn clone_from_reuses_the_targets_storage() {
    let source = rich(4);
    let mut target = rich(4);
    target.clear();
    let (_, copied) = count(|| target.clone_from(&source));
    assert_eq!(copied.count, 0, "{copied:?}");
    assert!(target == source);
    // Again over different content of the same shape.
    let mut other = rich(4);
    other.set_str("same shape, other values");
    other.mutable_r_nested_at(3).set_a(-1);
    let (_, again) = count(|| target.clone_from(&other));
    assert_eq!(again.count, 0, "{again:?}");
    assert!(target == other);
    // `clone()` itself is a field-by-field deep copy.
    let fresh = other.clone();
    assert!(fresh == other);
    assert_eq!(
        fresh.serialize_to_vec().unwrap(),
        other.serialize_to_vec().unwrap()
    );
}

/// Issue 14: a oneof keeps its last member's storage across `clear()` (a message member cost
/// 5 allocations per re-parse before), and takes it back when the same member comes again;
/// `Release` drops it.
#[test]
fn a_oneof_keeps_its_last_members_storage() {
    let mut m = rich(1);
    {
        let n = m.mutable_o_nested();
        n.set_s("a nested oneof member with a string");
        n.add_children().set_s("and a child");
    }
    let bytes = m.serialize_to_vec().unwrap();
    let mut r = AllKinds::default();
    r.merge_from_slice(&bytes).unwrap();
    // The first clear makes the oneof's spare slot (once per message).
    r.clear();
    r.merge_from_slice(&bytes).unwrap();
    let held = r.space_used();
    for _ in 0..3 {
        let (_, again) = count(|| {
            r.clear();
            r.merge_from_slice(&bytes).unwrap();
        });
        assert_eq!(again.count, 0, "{again:?}");
        assert!(r == m);
        assert_eq!(r.space_used(), held);
    }
    // Kept across clear, counted, and not part of the value.
    r.clear();
    assert!(!r.has_o_nested() && r.choice.is_none());
    assert_eq!(r.space_used(), held);
    assert!(r == AllKinds::default());
    // A string member, and a oneof member copied in with clone_from.
    let mut s = AllKinds::default();
    s.set_o_str("a string member long enough for the heap");
    let s_bytes = s.serialize_to_vec().unwrap();
    let mut t = AllKinds::default();
    t.merge_from_slice(&s_bytes).unwrap();
    t.clear();
    t.merge_from_slice(&s_bytes).unwrap();
    let (_, string_member) = count(|| {
        t.clear();
        t.merge_from_slice(&s_bytes).unwrap();
        t.clone_from(&s);
    });
    assert_eq!(string_member.count, 0, "{string_member:?}");
    assert_eq!(t.o_str(), "a string member long enough for the heap");
    // Another member comes: it is built anew, the kept one stays for later.
    t.clear();
    let (_, other) = count(|| r.merge_from_slice(&s_bytes).unwrap());
    assert!(other.count > 0);
    assert_eq!(r.o_str(), "a string member long enough for the heap");
    // A member whose wire type does not fit goes to the unknown fields; the kept storage stays.
    let wrong = [0xa8, 0x02, 0x05]; // field 37 (the message member) as a varint
    r.clear();
    r.merge_from_slice(&bytes).unwrap(); // the nested member is the kept one again
    r.clear();
    r.merge_from_slice(&wrong).unwrap();
    assert!(r.choice.is_none());
    assert_eq!(r.unknown_fields().as_bytes(), &wrong[..]);
    let (_, after_wrong) = count(|| {
        r.clear();
        r.merge_from_slice(&bytes).unwrap();
    });
    assert_eq!(
        after_wrong.count, 0,
        "the kept member survived: {after_wrong:?}"
    );
    assert!(r == m);
    // Release drops it.
    r.clear_with(&MemoryPolicy::Release);
    assert_eq!(r.space_used(), 0);
}

/// A batch of messages with a oneof each, indexed by a map with message values. (Strings
/// have one length per field: a kept key or value is reused for whichever entry comes next,
/// so with lengths that vary its buffer grows until it fits the longest it meets.)
#[derive(zpb::Message, PartialEq, Default)]
#[zpb(name = "zpb.test.Batch", clone)]
struct Batch {
    #[zpb(1)]
    items: Repeated<AllKinds>,
    #[zpb(2)]
    index: HashMap<String, Nested>,
    #[zpb(3)]
    sorted: BTreeMap<u32, String>,
    _state: MessageState,
}

fn batch(n: usize, sorted: usize) -> Batch {
    let mut b = Batch::default();
    for i in 0..n {
        let item = b.add_items();
        if i % 2 == 0 {
            let member = item.mutable_o_nested();
            member.set_s(format!("member {i:03}, a message"));
            member.add_children().set_a(i as i32);
        } else {
            item.set_o_str(format!("member {i:03}, a string"));
        }
        let value = b
            .mutable_index()
            .entry(format!("key number {i:03}"))
            .or_default();
        value.set_s(format!("value {i:03} of the index"));
        value.add_children().set_s("a child of the value");
    }
    for i in 0..sorted {
        b.mutable_sorted()
            .insert(i as u32, format!("sorted value {i:03}"));
    }
    b
}

/// Issue 14: maps keep their entries (keys and values, with their storage) across `clear()`
/// and the next parse fills them again: 50 map entries with message values plus 50 oneof
/// members re-parse with 0 allocations (450 before).
#[test]
fn maps_and_oneofs_re_parse_without_allocating() {
    let source = batch(50, 0);
    let bytes = source.serialize_to_vec().unwrap();
    let mut m = Batch::default();
    // Warm-up: the first parse builds, the first clear makes the spare slots.
    for _ in 0..2 {
        m.clear();
        m.merge_from_slice(&bytes).unwrap();
    }
    let held = m.space_used();
    for _ in 0..3 {
        let (_, again) = count(|| {
            m.clear();
            m.merge_from_slice(&bytes).unwrap();
        });
        assert_eq!(again.count, 0, "{again:?}");
        assert!(m == source);
        assert_eq!(m.space_used(), held);
    }
    // Cleared, the entries are kept (counted) but gone from the value.
    m.clear();
    assert!(m.index().is_empty() && m == Batch::default());
    assert_eq!(m.space_used(), held);
    // clone_from (C++ CopyFrom) reuses them too.
    let (_, copied) = count(|| m.clone_from(&source));
    assert_eq!(copied.count, 0, "{copied:?}");
    assert!(m == source);
    // Fewer entries next time: the rest stay kept; more: the extra ones are new.
    let small = batch(10, 0).serialize_to_vec().unwrap();
    let (_, fewer) = count(|| {
        m.clear();
        m.merge_from_slice(&small).unwrap();
    });
    assert_eq!((fewer.count, m.index_size()), (0, 10));
    assert_eq!(m.space_used(), held);
    // Release drops it all; Shrink keeps what the last content used.
    m.clear_with(&MemoryPolicy::Release);
    assert_eq!(m.space_used(), 0);
    m.merge_from_slice(&bytes).unwrap();
    m.clear();
    m.merge_from_slice(&small).unwrap();
    m.clear_with(&MemoryPolicy::Shrink);
    let (_, after_shrink) = count(|| m.merge_from_slice(&small).unwrap());
    assert_eq!(after_shrink.count, 0, "{after_shrink:?}");
    assert!(m.space_used() < held);
}

/// A `BTreeMap` keeps its keys and values the same way, but its nodes are freed by
/// `clear()` (a B-tree keeps no spare nodes): about one allocation per 11 entries.
#[test]
fn btree_maps_reuse_keys_and_values_but_not_nodes() {
    let source = batch(0, 110);
    let bytes = source.serialize_to_vec().unwrap();
    let mut m = Batch::default();
    for _ in 0..2 {
        m.clear();
        m.merge_from_slice(&bytes).unwrap();
    }
    let (_, again) = count(|| {
        m.clear();
        m.merge_from_slice(&bytes).unwrap();
    });
    assert!(m == source);
    assert!(
        again.count > 0 && again.count <= 20,
        "nodes only, no key or value: {again:?}"
    );
}

/// A kept oneof member does not come back for a closed enum's undeclared value, which goes
/// to the unknown fields and leaves the oneof unset (found by the Python cross-check).
#[test]
fn a_kept_closed_enum_member_stays_unset_for_an_undeclared_value() {
    let mut p = Proto2Kinds::default();
    p.set_req(1);
    p.set_o_size(Size::Large);
    let bytes = p.serialize_to_vec().unwrap();
    let mut q = Proto2Kinds::default();
    q.merge_from_slice(&bytes).unwrap();
    q.clear();
    // Field 21 (the enum member) with 99, which `Size` does not declare.
    let undeclared = [0xa8, 0x01, 99];
    q.merge_partial_from_slice(&undeclared, &Default::default())
        .unwrap();
    assert!(q.pick.is_none());
    assert_eq!(q.unknown_fields().as_bytes(), &undeclared[..]);
    assert_eq!(q.serialize_partial_to_vec().unwrap(), undeclared);
}

/// The first clear of a map or oneof makes room for what they keep (a list, a box): under a
/// budget that the content just fitted, that room is trimmed back, so what is kept stays
/// within the budget.
#[test]
fn budget_holds_when_maps_and_oneofs_first_keep_their_storage() {
    let mut m = batch(50, 0);
    let max_bytes = m.space_used();
    m.clear_with(&MemoryPolicy::Budget { max_bytes });
    assert!(
        m.space_used() <= max_bytes,
        "{} > {max_bytes}",
        m.space_used()
    );
    assert!(m.space_used() > 0);
}

#[test]
fn extension_setters_write_the_kept_buffer_in_place() {
    use zpb::kind::{Int64, Msg, SInt32, Str};
    const LABEL: zpb::Extension<AllKinds, Str> = zpb::Extension::new(1000, "t.label");
    const COUNT: zpb::Extension<AllKinds, Int64> = zpb::Extension::new(1001, "t.count");
    const INNER: zpb::Extension<AllKinds, Msg<Nested>> = zpb::Extension::new(1002, "t.inner");
    const SAMPLES: zpb::RepeatedExtension<AllKinds, SInt32> =
        zpb::RepeatedExtension::new(1003, "t.samples");
    let label = "an extension string".to_string();
    let mut inner = Nested::default();
    inner.set_s("inner");
    let mut m = rich(1);
    let round = |m: &mut AllKinds, i: i64| {
        m.clear();
        m.set_i64(i);
        LABEL.set(m, &label);
        COUNT.set(m, &i);
        COUNT.set(m, &(i + 1)); // replaces the first value in place
        INNER.set(m, &inner);
        for s in 0..4 {
            SAMPLES.add(m, &s);
        }
        LABEL.clear(m);
    };
    round(&mut m, 0);
    let (_, steady) = count(|| {
        for i in 0..100 {
            round(&mut m, i);
        }
    });
    assert_eq!(steady.count, 0, "extension setters allocated: {steady:?}");
    assert_eq!(LABEL.get(&m).unwrap(), None);
    assert_eq!(COUNT.get(&m).unwrap(), Some(100));
    assert_eq!(INNER.get(&m).unwrap().as_ref(), Some(&inner));
    assert_eq!(SAMPLES.get(&m).unwrap(), [0, 1, 2, 3]);
    // The value bytes are what a parser reads back.
    let parsed = AllKinds::parse_from_slice(&m.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(COUNT.get(&parsed).unwrap(), Some(100));
    assert_eq!(SAMPLES.get(&parsed).unwrap(), [0, 1, 2, 3]);
}

#[test]
fn a_text_string_with_escapes_gets_one_buffer_of_its_size() {
    use zpb::format::text::merge_text;
    // 40 escapes among plain runs, and two concatenated literals: decoded in pieces.
    let mut text = String::from("str: \"");
    for i in 0..40 {
        text.push_str(&format!("part {i} \\001\\u00e9"));
    }
    text.push_str("\" 'and the tail'");
    // The first call builds the parser's shared registry of well-known types, once.
    merge_text(&mut AllKinds::default(), b"").unwrap();
    let mut m = AllKinds::default();
    let (_, fresh) = count(|| merge_text(&mut m, text.as_bytes()).unwrap());
    assert_eq!(fresh.count, 1, "one allocation for the string: {fresh:?}");
    assert!(m.str.ends_with("part 39 \u{1}éand the tail"));
    assert_eq!(m.str.capacity(), m.str.len(), "sized once, exactly");
    // Reused: the kept buffer takes it again.
    let (_, again) = count(|| {
        m.clear();
        merge_text(&mut m, text.as_bytes()).unwrap();
    });
    assert_eq!(again.count, 0, "{again:?}");
}
