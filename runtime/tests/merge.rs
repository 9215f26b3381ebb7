//! `Message::merge_from` (C++ `MergeFrom`): field by field, compared with the protobuf
//! definition of merging, parsing the concatenation of the two encodings; no depth limit;
//! no allocation into warmed storage (counted exactly).

mod common;
use common::alloc::count;
use common::schema::all_kinds::Choice;
use common::schema::proto2_kinds::{Grp, Pick, RGrp};
use common::schema::*;
use zpb::{Message, MessageField, MessageState, OpenEnum};

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;

/// What merging means by definition: parsing `b`'s encoding after `a`'s.
fn concatenation_parse<M: Message>(a: &M, b: &M) -> M {
    let mut bytes = a.serialize_partial_to_vec().unwrap();
    b.append_partial_to_vec(&mut bytes).unwrap();
    let mut m = M::default();
    m.merge_partial_from_slice(&bytes, &zpb::ParseOptions::default())
        .unwrap();
    m
}

/// Merges `b` into a copy of `a`, checks it against the concatenation parse and returns it.
fn merged<M: Message + Clone + PartialEq>(a: &M, b: &M) -> M {
    let mut m = a.clone();
    m.merge_from(b);
    let want = concatenation_parse(a, b);
    assert!(
        m == want,
        "merge_from:\n{m:#?}\nconcatenation parse:\n{want:#?}"
    );
    m
}

/// xorshift64*: deterministic random messages.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    /// Zero half the time (the default of an implicit field), else a value.
    fn int(&mut self) -> i64 {
        if self.one_in(2) {
            0
        } else {
            self.next() as i64 >> self.below(64)
        }
    }
    fn text(&mut self) -> String {
        let len = self.below(4) as usize * 3;
        (0..len)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }
    fn color(&mut self) -> OpenEnum<Color> {
        OpenEnum::from_raw([0, 1, 2, -1, 77][self.below(5) as usize])
    }
    fn size(&mut self) -> Size {
        [Size::Small, Size::Medium, Size::Large][self.below(3) as usize]
    }
    fn count(&mut self) -> usize {
        self.below(4) as usize
    }
}

fn random_nested(r: &mut Rng, depth: u32) -> Nested {
    let mut n = Nested {
        a: r.int() as i32,
        s: r.text(),
        ..Default::default()
    };
    if depth > 0 {
        for _ in 0..r.count() {
            n.children.push(random_nested(r, depth - 1));
        }
    }
    if r.one_in(4) {
        n.mutable_unknown_fields().push_varint(1000, r.next());
    }
    n
}

fn random_all_kinds(r: &mut Rng) -> AllKinds {
    let mut m = AllKinds {
        i32: r.int() as i32,
        i64: r.int(),
        u32: r.int() as u32,
        u64: r.int() as u64,
        s32: r.int() as i32,
        s64: r.int(),
        f32: r.int() as u32,
        f64: r.int() as u64,
        sf32: r.int() as i32,
        sf64: r.int(),
        fl: [0.0, -0.0, 1.5][r.below(3) as usize],
        db: [0.0, -0.0, -2.25][r.below(3) as usize],
        b: r.one_in(2),
        str: r.text(),
        by: r.text().into_bytes(),
        color: r.color(),
        big_field: r.int() as i32,
        ..Default::default()
    };
    if r.one_in(2) {
        m.nested = MessageField::some(random_nested(r, 2));
    }
    if r.one_in(2) {
        m.opt_i32 = Some(r.int() as i32);
    }
    if r.one_in(2) {
        m.set_opt_str(r.text());
    }
    for _ in 0..r.count() {
        m.r_i32.push(r.int() as i32);
        m.r_s64.push(r.int());
        m.r_f32.push(r.int() as u32);
        m.r_db.push(r.int() as f64);
        m.r_b.push(r.one_in(2));
        m.r_unpacked.push(r.int() as i32);
        m.r_str.push(r.text());
        m.r_by.push(r.text().into_bytes());
        m.r_nested.push(random_nested(r, 1));
        m.r_color.push(r.color());
    }
    // Few keys, so that both sides of a merge often share some.
    for _ in 0..r.count() {
        m.m_str_i32
            .insert(["k", "", "key"][r.below(3) as usize].into(), r.int() as i32);
        m.m_i64_nested
            .insert(r.below(3) as i64 - 1, random_nested(r, 1));
        m.m_u32_str.insert(r.below(3) as u32, r.text());
        m.m_bool_color.insert(r.one_in(2), r.color());
        m.m_s32_by.insert(r.below(3) as i32, r.text().into_bytes());
    }
    m.choice = match r.below(5) {
        0 => None,
        1 => Some(Choice::OU32(r.int() as u32)),
        2 => Some(Choice::OStr(r.text())),
        3 => Some(Choice::ONested(Box::new(random_nested(r, 1)))),
        _ => Some(Choice::OColor(r.color())),
    };
    if r.one_in(3) {
        m.mutable_unknown_fields()
            .push_len_delimited(5000, r.text().as_bytes());
    }
    m
}

fn random_inner(r: &mut Rng) -> Inner {
    let mut i = Inner {
        id: Some(r.int() as i32),
        ..Default::default()
    };
    if r.one_in(2) {
        i.set_label(r.text());
    }
    i
}

fn random_proto2(r: &mut Rng) -> Proto2Kinds {
    let mut m = Proto2Kinds::default();
    if r.one_in(2) {
        m.i32 = Some(r.int() as i32);
    }
    if r.one_in(2) {
        m.set_str(r.text());
    }
    if r.one_in(2) {
        m.set_by(r.text().into_bytes());
    }
    if r.one_in(2) {
        m.db = Some(r.int() as f64);
    }
    if r.one_in(2) {
        m.fl = Some(0.0);
    }
    if r.one_in(2) {
        m.b = Some(r.one_in(2));
    }
    if r.one_in(2) {
        m.size = Some(r.size());
    }
    if r.one_in(2) {
        m.req = Some(r.int());
    }
    if r.one_in(2) {
        m.inner = MessageField::some(random_inner(r));
    }
    for _ in 0..r.count() {
        m.inners.push(random_inner(r));
        m.sizes.push(r.size());
        m.packed_sizes.push(r.size());
        m.unpacked_ints.push(r.int() as i32);
        m.rgrp.push(RGrp {
            r_a: Some(r.int() as i32),
            ..Default::default()
        });
        m.size_map
            .insert(["a", "b"][r.below(2) as usize].into(), r.size());
    }
    if r.one_in(2) {
        let g = m.mutable_grp();
        if r.one_in(2) {
            g.g_a = Some(r.int() as i32);
        }
        if r.one_in(2) {
            g.set_g_s(r.text());
        }
    }
    m.pick = match r.below(3) {
        0 => None,
        1 => Some(Pick::OInner(random_inner(r))),
        _ => Some(Pick::OSize(r.size())),
    };
    m
}

#[test]
fn merge_equals_the_concatenation_parse_on_random_messages() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..400 {
        let (a, b) = (random_all_kinds(&mut r), random_all_kinds(&mut r));
        merged(&a, &b);
        merged(&b, &a);
        let (a, b) = (random_proto2(&mut r), random_proto2(&mut r));
        merged(&a, &b);
        merged(&b, &a);
    }
}

#[test]
fn implicit_fields_overwrite_only_when_not_default() {
    let a = AllKinds {
        i32: 5,
        str: "kept".into(),
        db: 1.0,
        ..Default::default()
    };
    let b = AllKinds {
        i32: 0,
        str: "new".into(),
        db: -0.0, // set: its bits are not zero
        ..Default::default()
    };
    let m = merged(&a, &b);
    assert_eq!((m.i32, m.str.as_str()), (5, "new"));
    assert!(m.db == 0.0 && m.db.is_sign_negative());
}

#[test]
fn fields_with_presence_overwrite_when_set_even_with_a_default_value() {
    let mut a = Proto2Kinds {
        i32: Some(3),
        b: Some(true),
        ..Default::default()
    };
    a.set_str("a");
    let b = Proto2Kinds {
        i32: Some(0),
        ..Default::default()
    };
    let m = merged(&a, &b);
    assert_eq!((m.i32, m.b, m.str()), (Some(0), Some(true), "a"));
}

#[test]
fn repeated_fields_append() {
    let mut a = AllKinds::default();
    a.r_i32.extend([1, 2]);
    a.r_str.push("x".into());
    a.add_r_nested().set_a(1);
    let mut b = AllKinds::default();
    b.r_i32.push(3);
    b.r_str.push("y".into());
    b.add_r_nested().set_a(2);
    let m = merged(&a, &b);
    assert_eq!(m.r_i32, [1, 2, 3]);
    assert_eq!(m.r_str(), ["x", "y"]);
    assert_eq!(m.r_nested().iter().map(|n| n.a).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn sub_messages_merge_recursively() {
    let mut a = AllKinds::default();
    a.mutable_nested().set_a(1);
    a.mutable_nested().add_children().set_s("first");
    let mut b = AllKinds::default();
    b.mutable_nested().set_s("name");
    b.mutable_nested().add_children().set_s("second");
    let m = merged(&a, &b);
    let n = m.nested();
    assert_eq!((n.a, n.s.as_str(), n.children.len()), (1, "name", 2));
    // An unset sub-message of `other` leaves `self`'s alone; a set but empty one sets it.
    let m = merged(&a, &AllKinds::default());
    assert_eq!(m.nested().a, 1);
    let mut empty = AllKinds::default();
    empty.mutable_nested();
    assert!(merged(&AllKinds::default(), &empty).has_nested());
}

#[test]
fn map_entries_are_inserted_and_replace_the_value_under_the_same_key() {
    let mut a = AllKinds::default();
    a.m_str_i32.insert("one".into(), 1);
    a.m_str_i32.insert("two".into(), 2);
    a.m_i64_nested.insert(
        7,
        Nested {
            a: 1,
            s: "old".into(),
            ..Default::default()
        },
    );
    let mut b = AllKinds::default();
    b.m_str_i32.insert("two".into(), 22);
    b.m_str_i32.insert("three".into(), 3);
    b.m_i64_nested.insert(
        7,
        Nested {
            s: "new".into(),
            ..Default::default()
        },
    );
    let m = merged(&a, &b);
    assert_eq!(m.m_str_i32.len(), 3);
    assert_eq!(m.m_str_i32["two"], 22);
    // Replaced, not merged: the old value's `a` is gone (as a later entry on the wire does).
    assert_eq!(
        (m.m_i64_nested[&7].a, m.m_i64_nested[&7].s.as_str()),
        (0, "new")
    );
    // Closed-enum values (proto2).
    let mut p = Proto2Kinds::default();
    p.size_map.insert("k".into(), Size::Large);
    let mut q = Proto2Kinds::default();
    q.size_map.insert("k".into(), Size::Small);
    assert_eq!(merged(&p, &q).size_map["k"], Size::Small);
}

#[test]
fn oneofs_merge_the_same_message_member_and_replace_otherwise() {
    let nested = |a: i32, s: &str| {
        Box::new(Nested {
            a,
            s: s.into(),
            ..Default::default()
        })
    };
    let with = |c: Choice| AllKinds {
        choice: Some(c),
        ..Default::default()
    };
    let m = merged(
        &with(Choice::ONested(nested(1, ""))),
        &with(Choice::ONested(nested(0, "s"))),
    );
    assert_eq!(m.choice, Some(Choice::ONested(nested(1, "s"))));
    let m = merged(
        &with(Choice::ONested(nested(1, ""))),
        &with(Choice::OStr("text".into())),
    );
    assert_eq!(m.choice, Some(Choice::OStr("text".into())));
    let m = merged(&with(Choice::OU32(4)), &with(Choice::OU32(0)));
    assert_eq!(
        m.choice,
        Some(Choice::OU32(0)),
        "a set member is set, even to 0"
    );
    let m = merged(&with(Choice::OU32(4)), &AllKinds::default());
    assert_eq!(m.choice, Some(Choice::OU32(4)));
    // Unboxed message member and closed enum member (proto2).
    let inner = |id| Inner {
        id: Some(id),
        ..Default::default()
    };
    let mut p = Proto2Kinds {
        pick: Some(Pick::OInner(inner(1))),
        ..Default::default()
    };
    p.pick = Some(Pick::OInner({
        let mut i = inner(1);
        i.set_label("l");
        i
    }));
    let q = Proto2Kinds {
        pick: Some(Pick::OInner(inner(2))),
        ..Default::default()
    };
    let m = merged(&p, &q);
    let Some(Pick::OInner(i)) = &m.pick else {
        panic!("{m:?}")
    };
    assert_eq!((i.id, i.label()), (Some(2), "l"));
    let r = Proto2Kinds {
        pick: Some(Pick::OSize(Size::Large)),
        ..Default::default()
    };
    assert_eq!(merged(&p, &r).pick, Some(Pick::OSize(Size::Large)));
}

#[test]
fn groups_merge_like_messages() {
    let mut a = Proto2Kinds::default();
    a.mutable_grp().g_a = Some(1);
    a.rgrp.push(RGrp::default());
    let mut b = Proto2Kinds::default();
    b.mutable_grp().set_g_s("s");
    b.rgrp.push(RGrp {
        r_a: Some(2),
        ..Default::default()
    });
    let m = merged(&a, &b);
    assert_eq!(
        m.grp.get().map(|g: &Grp| (g.g_a, g.g_s())),
        Some((Some(1), "s"))
    );
    assert_eq!(m.rgrp.len(), 2);
}

#[test]
fn unknown_fields_append() {
    let mut a = Nested::default();
    a.mutable_unknown_fields().push_varint(100, 1);
    let mut b = Nested::default();
    b.mutable_unknown_fields().push_varint(101, 2);
    b.mutable_unknown_fields().push_varint(100, 3);
    let m = merged(&a, &b);
    let numbers: Vec<u32> = m
        .unknown_fields()
        .iter()
        .map(|f| f.unwrap().field_number)
        .collect();
    assert_eq!(numbers, [100, 101, 100]);
}

/// A chain of sub-messages, `depth` levels below the root, with `value` at the bottom.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.test.Chain")]
struct Chain {
    #[zpb(1)]
    next: MessageField<Chain>,
    #[zpb(2)]
    value: i32,
    #[zpb(3)]
    label: String,
    _state: MessageState,
}

fn chain(depth: usize, value: i32, label: &str) -> Chain {
    let mut root = Chain::default();
    let mut at = &mut root;
    for _ in 0..depth {
        at = at.next.mut_or_insert();
    }
    at.value = value;
    at.label = label.into();
    root
}

fn bottom(mut c: &Chain) -> (usize, &Chain) {
    let mut depth = 0;
    while let Some(next) = c.next.get() {
        c = next;
        depth += 1;
    }
    (depth, c)
}

fn nested_chain(depth: usize, s: &str) -> Nested {
    let mut root = Nested::default();
    let mut at = &mut root;
    for _ in 0..depth {
        at = at.add_children();
    }
    at.s = s.into();
    root
}

#[test]
fn messages_nested_past_the_recursion_limit_merge() {
    // 150 levels: deeper than a parse allows (100), so merging through bytes would fail.
    let (a, b) = (chain(150, 1, ""), chain(150, 0, "b"));
    assert!(Chain::parse_from_slice(&a.serialize_to_vec().unwrap()).is_err());
    let mut m = a.clone();
    m.merge_from(&b);
    let (depth, last) = bottom(&m);
    assert_eq!((depth, last.value, last.label.as_str()), (150, 1, "b"));
    // Repeated sub-messages 150 deep: the root's children append.
    let (x, y) = (nested_chain(150, "x"), nested_chain(150, "y"));
    let mut n = x.clone();
    n.merge_from(&y);
    assert_eq!(n.children.len(), 2);
    assert!(n.children[0] == x.children[0] && n.children[1] == y.children[0]);
    // Where a parse can check it, the result is the concatenation parse.
    merged(&chain(60, 1, ""), &chain(60, 0, "b"));
    merged(&chain(40, 1, "a"), &chain(70, 2, ""));
    merged(&nested_chain(90, "x"), &nested_chain(90, "y"));
}

/// Every shape that keeps its storage when cleared (maps and oneofs drop theirs).
fn warm_source(scale: usize) -> AllKinds {
    let mut m = AllKinds::default();
    m.set_i64(-5);
    m.set_str("a string that needs a heap buffer".repeat(scale));
    m.set_by(vec![7u8; 100 * scale]);
    m.mutable_nested().set_s("nested".repeat(scale));
    m.mutable_nested().add_children().set_a(3);
    for i in 0..(10 * scale) as i32 {
        m.add_r_i32(i * 1000);
        m.add_r_db(i as f64);
        m.add_r_str().push_str(&format!("element {i}"));
        m.add_r_by().extend_from_slice(&[i as u8; 16]);
        let n = m.add_r_nested();
        n.set_a(i);
        n.set_s(format!("child {i}"));
        n.add_children().set_s("grandchild");
        n.mutable_unknown_fields().push_varint(99, i as u64);
    }
    m.set_opt_str("optional string");
    m.mutable_unknown_fields()
        .push_len_delimited(7000, b"unknown");
    m
}

#[test]
fn merging_into_warmed_storage_allocates_nothing() {
    let source = warm_source(4);
    let mut m = AllKinds::default();
    let (_, first) = count(|| m.merge_from(&source));
    assert!(first.count > 50, "the first merge allocates ({first:?})");
    assert!(m == source);
    for _ in 0..5 {
        let (_, again) = count(|| {
            m.clear();
            m.merge_from(&source);
        });
        assert_eq!(
            again.count, 0,
            "merge into warmed storage allocated: {again:?}"
        );
        assert!(m == source);
    }
    // A smaller message of the same shape reuses the larger one's storage.
    let small = warm_source(1);
    let (_, smaller) = count(|| {
        m.clear();
        m.merge_from(&small);
    });
    assert_eq!(smaller.count, 0, "{smaller:?}");
    assert!(m == small);
    // Proto2: groups, closed enums, required fields, presence.
    let mut p = Proto2Kinds::default();
    p.set_req(1);
    p.mutable_inner().set_id(3);
    p.mutable_inner().set_label("label");
    p.add_inners().set_id(4);
    p.mutable_grp().set_g_s("group string");
    p.add_rgrp().set_r_a(9);
    p.add_packed_sizes(Size::Large);
    p.set_str("proto2 string");
    let mut q = Proto2Kinds::default();
    q.merge_from(&p);
    let (_, again) = count(|| {
        q.clear();
        q.merge_from(&p);
    });
    assert_eq!(again.count, 0, "{again:?}");
    assert!(q == p);
    // CopyFrom into a warmed message, repeated.
    let (_, copies) = count(|| {
        for _ in 0..100 {
            q.copy_from(&p);
        }
    });
    assert_eq!(copies.count, 0);
    assert!(q == p);
    let (_, copies) = count(|| m.copy_from(&source));
    assert_eq!(copies.count, 0);
    assert!(m == source);
}

#[test]
fn a_fresh_merge_reserves_repeated_fields_once() {
    let mut source = AllKinds::default();
    source.r_i32.extend(0..1000);
    for i in 0..100 {
        source.r_nested.push(Nested {
            a: i,
            ..Default::default()
        });
    }
    let mut m = AllKinds::default();
    let (_, fresh) = count(|| m.merge_from(&source));
    assert_eq!(fresh.count, 2, "one buffer per repeated field: {fresh:?}");
    assert!(m == source);
}
