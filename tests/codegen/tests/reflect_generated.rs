//! `ReflectMessage` field access on generated messages, against their accessors and against
//! `DynamicMessage`: on 1,000 random messages per schema (Google's conformance and benchmark
//! messages), reflection reads what the accessors and a dynamic message of the same bytes
//! read; writes through reflection build the same message; a generated message copied into a
//! `DynamicMessage` field by field writes the same bytes; sub-messages built in place in
//! lists and maps (`reflect_add_message`, `reflect_map_message_mut`,
//! `reflect_message_element_mut`) give the same message. Wrong fields and wrong values are
//! typed errors that leave the message as it was.

mod reflect_support;

use reflect_support::*;
use zpb::reflect::{
    DynamicMessage, FieldDescriptor, Kind, MapKey, ReflectEnum, ReflectError, ReflectMessage,
    Value, ValueRef,
};
use zpb::Message;
use zpb_codegen_tests::benchmarks;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

/// Whether `f` holds messages (its values, for a map).
fn holds_messages(f: &FieldDescriptor) -> bool {
    let f = f.map_value().unwrap_or_else(|| f.clone());
    matches!(f.kind(), Kind::Message(_) | Kind::Group(_))
}

/// Bit-exact value equality (NaN equals NaN, -0.0 differs from 0.0).
fn same(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    match (a, b) {
        (ValueRef::F32(x), ValueRef::F32(y)) => x.to_bits() == y.to_bits(),
        (ValueRef::F64(x), ValueRef::F64(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// Checks that `a` and `b` read the same through reflection, field by field and recursively
/// (`a` and `b` may be of different pools: fields are matched by number).
fn assert_same(a: &dyn ReflectMessage, b: &dyn ReflectMessage, path: &str) {
    let (da, db) = (a.descriptor(), b.descriptor());
    assert_eq!(da.full_name(), db.full_name(), "{path}");
    for fa in da.fields() {
        let fb = db.get_field(fa.number()).unwrap();
        let at = format!("{path}.{}", fa.name());
        assert_eq!(a.reflect_has(&fa), b.reflect_has(&fb), "{at}");
        if fa.is_map() {
            let mut ka = a.reflect_map_keys(&fa).unwrap();
            let mut kb = b.reflect_map_keys(&fb).unwrap();
            ka.sort();
            kb.sort();
            assert_eq!(ka, kb, "{at}");
            assert_eq!(a.reflect_len(&fa).unwrap(), ka.len(), "{at}");
            for k in &ka {
                if holds_messages(&fa) {
                    let (ma, mb) = (
                        a.reflect_map_message(&fa, k).unwrap().unwrap(),
                        b.reflect_map_message(&fb, k).unwrap().unwrap(),
                    );
                    assert_same(ma, mb, &format!("{at}[{k:?}]"));
                } else {
                    let (va, vb) = (
                        a.reflect_map_get(&fa, k).unwrap().unwrap(),
                        b.reflect_map_get(&fb, k).unwrap().unwrap(),
                    );
                    assert!(same(va, vb), "{at}[{k:?}]: {va:?} vs {vb:?}");
                }
            }
        } else if fa.is_list() {
            let len = a.reflect_len(&fa).unwrap();
            assert_eq!(len, b.reflect_len(&fb).unwrap(), "{at}");
            for i in 0..len {
                if holds_messages(&fa) {
                    assert_same(
                        a.reflect_message_element(&fa, i).unwrap(),
                        b.reflect_message_element(&fb, i).unwrap(),
                        &format!("{at}[{i}]"),
                    );
                } else {
                    let (va, vb) = (
                        a.reflect_element(&fa, i).unwrap(),
                        b.reflect_element(&fb, i).unwrap(),
                    );
                    assert!(same(va, vb), "{at}[{i}]: {va:?} vs {vb:?}");
                }
            }
            assert!(matches!(
                a.reflect_element(&fa, len),
                Err(ReflectError::IndexOutOfRange { .. }) | Err(ReflectError::TypeMismatch { .. })
            ));
        } else if holds_messages(&fa) {
            match (
                a.reflect_message(&fa).unwrap(),
                b.reflect_message(&fb).unwrap(),
            ) {
                (Some(ma), Some(mb)) => assert_same(ma, mb, &at),
                (None, None) => {}
                (x, y) => panic!("{at}: set {} vs {}", x.is_some(), y.is_some()),
            }
        } else {
            let (va, vb) = (a.reflect_get(&fa).unwrap(), b.reflect_get(&fb).unwrap());
            assert!(same(va, vb), "{at}: {va:?} vs {vb:?}");
        }
    }
    for oa in da.oneofs() {
        let ob = db.oneofs().find(|o| o.name() == oa.name()).unwrap();
        assert_eq!(
            a.reflect_which_oneof(&oa).unwrap().map(|f| f.number()),
            b.reflect_which_oneof(&ob).unwrap().map(|f| f.number()),
            "{path}: oneof {}",
            oa.name()
        );
    }
    let set = |m: &dyn ReflectMessage| -> Vec<u32> {
        m.reflect_fields()
            .iter()
            .map(FieldDescriptor::number)
            .collect()
    };
    assert_eq!(set(a), set(b), "{path}");
    assert_eq!(
        a.reflect_unknown_fields().as_bytes(),
        b.reflect_unknown_fields().as_bytes(),
        "{path}"
    );
}

/// Writes every set field of `src` into `dst` through reflection only: `reflect_set` for
/// scalars, `reflect_message_mut` (recursively) for sub-messages, `reflect_push` and
/// `reflect_map_insert` for lists and maps.
fn copy_into(dst: &mut dyn ReflectMessage, src: &DynamicMessage) {
    let desc = dst.descriptor();
    for (fs, v) in src.fields() {
        let fd = desc.get_field(fs.number()).unwrap();
        if fs.is_map() {
            for (k, v) in v.as_map().unwrap().iter() {
                dst.reflect_map_insert(&fd, k.clone(), v.to_value())
                    .unwrap();
            }
        } else if fs.is_list() {
            for v in v.as_list().unwrap().iter() {
                dst.reflect_push(&fd, v.to_value()).unwrap();
            }
        } else if let Some(m) = v.as_message() {
            copy_into(dst.reflect_message_mut(&fd).unwrap(), m);
        } else {
            dst.reflect_set(&fd, v.to_value()).unwrap();
        }
    }
}

/// Like [`copy_into`], but builds the sub-messages of lists and maps in place: list elements
/// with `reflect_add_message`, map values with `reflect_map_message_mut`, each filled
/// recursively.
fn copy_in_place(dst: &mut dyn ReflectMessage, src: &DynamicMessage) {
    let desc = dst.descriptor();
    for (fs, v) in src.fields() {
        let fd = desc.get_field(fs.number()).unwrap();
        if fs.is_map() {
            for (k, v) in v.as_map().unwrap().iter() {
                match v.as_message() {
                    Some(m) => copy_in_place(dst.reflect_map_message_mut(&fd, k).unwrap(), m),
                    None => dst
                        .reflect_map_insert(&fd, k.clone(), v.to_value())
                        .unwrap(),
                }
            }
        } else if fs.is_list() {
            for v in v.as_list().unwrap().iter() {
                match v.as_message() {
                    Some(m) => copy_in_place(dst.reflect_add_message(&fd).unwrap(), m),
                    None => dst.reflect_push(&fd, v.to_value()).unwrap(),
                }
            }
        } else if let Some(m) = v.as_message() {
            copy_in_place(dst.reflect_message_mut(&fd).unwrap(), m);
        } else {
            dst.reflect_set(&fd, v.to_value()).unwrap();
        }
    }
}

/// 1,000 random messages of generated type `G`: reflection on the parsed generated message
/// reads what a dynamic message of the same bytes reads; `to_dynamic` writes the same bytes
/// as the generated message; writing the random message into an empty `G` through
/// reflection gives the same message.
fn random_reflection<G: Message + ReflectMessage>(seed: u64) {
    let desc = G::default().descriptor();
    let mut rng = Rng(seed);
    let mut exact = 0;
    for i in 0..1000 {
        let mut built = random_message(&desc, &mut rng, 3, i % 2 == 0);
        if rng.chance(4) {
            built
                .mutable_unknown_fields()
                .push_varint(99_000 + i, rng.next());
        }
        let bytes = built.serialize_to_vec().unwrap();
        let g = G::parse_from_slice(&bytes).unwrap();
        let d = DynamicMessage::decode(desc.clone(), &bytes).unwrap();
        assert_same(&g, &d, desc.full_name());

        // Copied out through reflection: the same message.
        let copied = g.to_dynamic().unwrap();
        assert_same(&copied, &d, desc.full_name());
        assert_eq!(format!("{copied:?}"), format!("{g:?}"), "message {i}");

        // Written in through reflection: the same message.
        let mut written = G::default();
        copy_into(&mut written, &d);
        written
            .mutable_unknown_fields()
            .extend_raw(d.unknown_fields().as_bytes());
        assert_eq!(format!("{written:?}"), format!("{g:?}"), "message {i}");
        if !has_map_entries(&built) {
            exact += 1;
            let want = g.serialize_to_vec().unwrap();
            assert_eq!(copied.serialize_to_vec().unwrap(), want, "message {i}");
            assert_eq!(written.serialize_to_vec().unwrap(), want, "message {i}");
        }
        // Sub-messages built in place: the same message, generated or dynamic.
        let mut in_place = G::default();
        copy_in_place(&mut in_place, &d);
        in_place
            .mutable_unknown_fields()
            .extend_raw(d.unknown_fields().as_bytes());
        assert_eq!(format!("{in_place:?}"), format!("{g:?}"), "message {i}");
        let mut dynamic_in_place = DynamicMessage::new(desc.clone());
        copy_in_place(&mut dynamic_in_place, &d);
        dynamic_in_place
            .mutable_unknown_fields()
            .extend_raw(d.unknown_fields().as_bytes());
        assert_same(&dynamic_in_place, &g, desc.full_name());

        // DynamicMessage's own reflection writes give the same message too.
        let mut dynamic_written = DynamicMessage::new(desc.clone());
        copy_into(&mut dynamic_written, &d);
        dynamic_written
            .mutable_unknown_fields()
            .extend_raw(d.unknown_fields().as_bytes());
        assert_same(&dynamic_written, &g, desc.full_name());

        // Clearing every field through reflection empties the message.
        for f in desc.fields() {
            written.reflect_clear(&f).unwrap();
        }
        written.mutable_unknown_fields().clear();
        assert_eq!(written.byte_size(), 0, "message {i}");
        assert!(written.reflect_fields().is_empty());
    }
    assert!(exact > 100, "only {exact} messages without maps");
}

#[test]
fn random_proto3_messages_reflect_as_dynamic_ones() {
    random_reflection::<proto3::TestAllTypesProto3>(0x9e37_79b9_7f4a_7c15);
}

#[test]
fn random_proto2_messages_reflect_as_dynamic_ones() {
    random_reflection::<proto2::TestAllTypesProto2>(0x2545_f491_4f6c_dd1d);
}

#[test]
fn random_benchmark_messages_reflect_as_dynamic_ones() {
    random_reflection::<benchmarks::proto2::GoogleMessage1>(41);
    random_reflection::<benchmarks::proto3::GoogleMessage1>(42);
    random_reflection::<benchmarks::proto2::GoogleMessage2>(43);
}

#[test]
fn reflection_reads_what_the_accessors_return() {
    let desc = proto3::TestAllTypesProto3::default().descriptor();
    let f = |n: &str| desc.get_field_by_name(n).unwrap();
    let mut rng = Rng(7);
    for _ in 0..1000 {
        let bytes = random_message(&desc, &mut rng, 2, true)
            .serialize_to_vec()
            .unwrap();
        let g = proto3::TestAllTypesProto3::parse_from_slice(&bytes).unwrap();
        let get = |n: &str| g.reflect_get(&f(n)).unwrap().to_value();
        assert_eq!(get("optional_int32"), Value::I32(g.optional_int32()));
        assert_eq!(get("optional_uint64"), Value::U64(g.optional_uint64()));
        assert_eq!(get("optional_sint64"), Value::I64(g.optional_sint64()));
        assert_eq!(get("optional_bool"), Value::Bool(g.optional_bool()));
        assert_eq!(get("optional_string"), Value::from(g.optional_string()));
        assert_eq!(get("optional_bytes"), Value::from(g.optional_bytes()));
        assert_eq!(
            get("optional_nested_enum"),
            Value::EnumNumber(g.optional_nested_enum().raw())
        );
        let ints = f("repeated_int32");
        assert_eq!(g.reflect_len(&ints).unwrap(), g.repeated_int32().len());
        for (i, v) in g.repeated_int32().iter().enumerate() {
            assert_eq!(g.reflect_element(&ints, i).unwrap(), ValueRef::I32(*v));
        }
        let map = f("map_int32_int32");
        assert_eq!(g.reflect_len(&map).unwrap(), g.map_int32_int32().len());
        for (k, v) in g.map_int32_int32() {
            assert_eq!(
                g.reflect_map_get(&map, &MapKey::I32(*k)).unwrap(),
                Some(ValueRef::I32(*v))
            );
        }
        let nested = f("optional_nested_message");
        assert_eq!(
            g.reflect_has(&nested).unwrap(),
            g.has_optional_nested_message()
        );
        if let Some(n) = g.reflect_message(&nested).unwrap() {
            let a = n.descriptor().get_field_by_name("a").unwrap();
            assert_eq!(
                n.reflect_get(&a).unwrap(),
                ValueRef::I32(g.optional_nested_message().a())
            );
        }
        let oneof = desc.oneofs().find(|o| o.name() == "oneof_field").unwrap();
        assert_eq!(
            g.reflect_which_oneof(&oneof).unwrap().map(|f| f.number()),
            g.which_oneof_field().map(zpb::Oneof::field_number)
        );
        if g.has_oneof_string() {
            assert_eq!(get("oneof_string"), Value::from(g.oneof_string()));
        }
        let numbers: Vec<u32> = g.reflect_fields().iter().map(|f| f.number()).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
    }
}

#[test]
fn reflection_writes_are_seen_by_the_accessors() {
    use proto2::test_all_types_proto2::NestedEnum;
    let mut g = proto2::TestAllTypesProto2::default();
    let desc = g.descriptor();
    let f = |n: &str| desc.get_field_by_name(n).unwrap();
    g.reflect_set(&f("optional_int32"), Value::I32(-5)).unwrap();
    g.reflect_set(&f("optional_string"), Value::from("zpb"))
        .unwrap();
    g.reflect_set(&f("optional_nested_enum"), Value::EnumNumber(2))
        .unwrap();
    g.reflect_push(&f("repeated_sint64"), Value::I64(-1))
        .unwrap();
    g.reflect_map_insert(
        &f("map_string_string"),
        MapKey::String("k".into()),
        Value::from("v"),
    )
    .unwrap();
    let nested = g
        .reflect_message_mut(&f("optional_nested_message"))
        .unwrap();
    let a = nested.descriptor().get_field_by_name("a").unwrap();
    nested.reflect_set(&a, Value::I32(9)).unwrap();
    let group = g.reflect_message_mut(&f("data")).unwrap();
    let group_int32 = group.descriptor().get_field_by_name("group_int32").unwrap();
    group.reflect_set(&group_int32, Value::I32(3)).unwrap();
    g.reflect_set(&f("oneof_uint32"), Value::U32(4)).unwrap();
    assert_eq!(g.oneof_uint32(), 4);
    g.reflect_set(&f("oneof_string"), Value::from("wins"))
        .unwrap();
    assert!(!g.reflect_has(&f("oneof_uint32")).unwrap());
    let oneof_nested = g.reflect_message_mut(&f("oneof_nested_message")).unwrap();
    oneof_nested.reflect_set(&a, Value::I32(11)).unwrap();
    assert_eq!(g.oneof_nested_message().a(), 11);
    assert!(!g.has_oneof_string());
    g.reflect_set(&f("oneof_string"), Value::from("wins"))
        .unwrap();

    assert_eq!(g.optional_int32(), -5);
    assert_eq!(g.optional_string(), "zpb");
    assert_eq!(g.optional_nested_enum(), NestedEnum::Baz);
    assert_eq!(g.repeated_sint64(), [-1]);
    assert_eq!(g.map_string_string()["k"], "v");
    assert_eq!(g.optional_nested_message().a(), 9);
    assert_eq!(g.data().group_int32(), 3);
    assert_eq!(g.oneof_string(), "wins");

    // Element writes, whole lists and maps, removal.
    let sint64s = f("repeated_sint64");
    g.reflect_push(&sint64s, Value::I64(2)).unwrap();
    g.reflect_set_element(&sint64s, 0, Value::I64(7)).unwrap();
    assert_eq!(g.repeated_sint64(), [7, 2]);
    assert_eq!(
        g.reflect_set_element(&sint64s, 2, Value::I64(7)),
        Err(ReflectError::IndexOutOfRange { index: 2, len: 2 })
    );
    g.reflect_set(&sint64s, Value::List(vec![Value::I64(5)]))
        .unwrap();
    assert_eq!(g.repeated_sint64(), [5]);
    let map = f("map_string_string");
    let gone = MapKey::String("gone".into());
    g.reflect_map_insert(&map, gone.clone(), Value::from("x"))
        .unwrap();
    assert_eq!(g.map_string_string().len(), 2);
    assert!(g.reflect_map_remove(&map, &gone).unwrap());
    assert!(!g.reflect_map_remove(&map, &gone).unwrap());
    assert_eq!(g.map_string_string().len(), 1);
    let messages = f("repeated_nested_message");
    let mut element = DynamicMessage::new(
        f("optional_nested_message")
            .kind()
            .as_message()
            .unwrap()
            .clone(),
    );
    element.set_field_by_name("a", Value::I32(21)).unwrap();
    g.reflect_push(&messages, Value::Message(element)).unwrap();
    assert_eq!(g.repeated_nested_message()[0].a(), 21);

    // Type errors are typed, and leave the message as it was.
    let before = format!("{g:?}");
    let mismatch = |r: Result<(), ReflectError>| {
        assert!(matches!(r, Err(ReflectError::TypeMismatch { .. })), "{r:?}")
    };
    mismatch(g.reflect_set(&f("optional_int32"), Value::I64(1)));
    mismatch(g.reflect_set(&f("optional_nested_enum"), Value::I32(1)));
    // A closed enum takes only its declared numbers.
    mismatch(g.reflect_set(&f("optional_nested_enum"), Value::EnumNumber(77)));
    mismatch(g.reflect_push(&f("optional_int32"), Value::I32(1)));
    mismatch(g.reflect_map_insert(&map, MapKey::I32(1), Value::from("v")));
    mismatch(g.reflect_set(&messages, Value::I32(1)));
    mismatch(g.reflect_set(&f("optional_nested_message"), Value::from("m")));
    mismatch(g.reflect_push(&messages, Value::Message(DynamicMessage::default())));
    assert!(g.reflect_len(&f("optional_int32")).is_err());
    assert!(g.reflect_get(&f("optional_nested_message")).is_err());
    assert!(g.reflect_message(&f("optional_int32")).is_err());
    assert!(g.reflect_message_mut(&f("oneof_string")).is_err());
    assert!(g.reflect_element(&messages, 0).is_err());
    assert!(g
        .reflect_map_message(&map, &MapKey::String("k".into()))
        .is_err());
    let p3 = proto3::TestAllTypesProto3::default().descriptor();
    let other = p3.get_field_by_name("optional_int32").unwrap();
    assert!(matches!(
        g.reflect_set(&other, Value::I32(1)),
        Err(ReflectError::NotAField { .. })
    ));
    assert!(matches!(
        g.reflect_has(&other),
        Err(ReflectError::NotAField { .. })
    ));
    let ext = desc
        .pool()
        .get_extension_by_name("protobuf_test_messages.proto2.extension_int32")
        .unwrap();
    assert!(matches!(
        g.reflect_get(&ext),
        Err(ReflectError::NotAField { .. })
    ));
    assert_eq!(format!("{g:?}"), before);

    // Clearing; defaults of unset fields.
    g.reflect_clear(&f("optional_nested_message")).unwrap();
    assert!(!g.has_optional_nested_message());
    assert!(g
        .reflect_message(&f("optional_nested_message"))
        .unwrap()
        .is_none());
    g.reflect_clear(&f("oneof_uint32")).unwrap();
    assert_eq!(
        g.oneof_string(),
        "wins",
        "clearing another member keeps this one"
    );
    g.reflect_clear(&f("oneof_string")).unwrap();
    assert!(g.which_oneof_field().is_none());
    g.reflect_clear(&map).unwrap();
    assert!(g.map_string_string().is_empty());
    assert_eq!(
        g.reflect_get(&f("default_string")).unwrap(),
        ValueRef::String("Rosebud")
    );
    assert_eq!(
        g.reflect_get(&f("default_int32")).unwrap(),
        ValueRef::I32(-123456789)
    );
    assert!(!g.reflect_has(&f("default_string")).unwrap());
}

#[test]
fn sub_messages_of_lists_and_maps_change_in_place() {
    let desc = proto3::TestAllTypesProto3::default().descriptor();
    let f = |n: &str| desc.get_field_by_name(n).unwrap();
    let (list, map) = (f("repeated_nested_message"), f("map_string_nested_message"));
    let nested = list.kind().as_message().unwrap().clone();
    let a = nested.get_field_by_name("a").unwrap();
    let corecursive = nested.get_field_by_name("corecursive").unwrap();
    let optional_int32 = f("optional_int32");
    let key = MapKey::String("k".into());
    let mut g = proto3::TestAllTypesProto3::default();
    let mut d = DynamicMessage::new(desc.clone());
    for m in [&mut g as &mut dyn ReflectMessage, &mut d] {
        m.reflect_add_message(&list)
            .unwrap()
            .reflect_set(&a, Value::I32(1))
            .unwrap();
        m.reflect_add_message(&list).unwrap();
        let second = m.reflect_message_element_mut(&list, 1).unwrap();
        second.reflect_set(&a, Value::I32(2)).unwrap();
        let first = m.reflect_message_element_mut(&list, 0).unwrap();
        first.reflect_set(&a, Value::I32(3)).unwrap();
        // A missing key is inserted; an existing entry is changed, not replaced.
        let entry = m.reflect_map_message_mut(&map, &key).unwrap();
        entry.reflect_set(&a, Value::I32(4)).unwrap();
        let entry = m.reflect_map_message_mut(&map, &key).unwrap();
        let deep = entry.reflect_message_mut(&corecursive).unwrap();
        deep.reflect_set(&optional_int32, Value::I32(5)).unwrap();
        assert_eq!(m.reflect_len(&list).unwrap(), 2);
        assert_eq!(m.reflect_len(&map).unwrap(), 1);

        // Wrong shapes, keys and indexes are typed errors that change nothing.
        m.reflect_push(&f("repeated_int32"), Value::I32(1)).unwrap();
        let snapshot = |m: &dyn ReflectMessage| format!("{:?}", m.to_dynamic().unwrap());
        let before = snapshot(m);
        let mismatch = |r: Result<&mut dyn ReflectMessage, ReflectError>| {
            assert!(
                matches!(r, Err(ReflectError::TypeMismatch { .. })),
                "{:?}",
                r.map(|m| m.descriptor())
            )
        };
        assert!(matches!(
            m.reflect_message_element_mut(&list, 2)
                .map(|m| m.descriptor()),
            Err(ReflectError::IndexOutOfRange { index: 2, len: 2 })
        ));
        mismatch(m.reflect_message_element_mut(&f("repeated_int32"), 0));
        mismatch(m.reflect_message_element_mut(&f("optional_nested_message"), 0));
        mismatch(m.reflect_message_element_mut(&map, 0));
        mismatch(m.reflect_add_message(&f("repeated_int32")));
        mismatch(m.reflect_add_message(&map));
        mismatch(m.reflect_add_message(&f("optional_nested_message")));
        mismatch(m.reflect_map_message_mut(&f("map_int32_int32"), &MapKey::I32(1)));
        mismatch(m.reflect_map_message_mut(&map, &MapKey::I32(1)));
        mismatch(m.reflect_map_message_mut(&list, &key));
        let foreign = proto2::TestAllTypesProto2::default()
            .descriptor()
            .get_field_by_name("repeated_nested_message")
            .unwrap();
        assert!(matches!(
            m.reflect_add_message(&foreign).map(|m| m.descriptor()),
            Err(ReflectError::NotAField { .. })
        ));
        assert_eq!(snapshot(m), before);
    }
    let nested_a = |m: &proto3::test_all_types_proto3::NestedMessage| m.a();
    let elements: Vec<i32> = g.repeated_nested_message().iter().map(nested_a).collect();
    assert_eq!(elements, [3, 2]);
    let entry = &g.map_string_nested_message()["k"];
    assert_eq!((entry.a(), entry.corecursive().optional_int32()), (4, 5));
    assert_same(&g, &d, "TestAllTypesProto3");
}

#[test]
fn dynamic_messages_are_reflect_messages() {
    let desc = proto3::TestAllTypesProto3::default().descriptor();
    let f = |n: &str| desc.get_field_by_name(n).unwrap();
    let mut d = DynamicMessage::new(desc.clone());
    let m: &mut dyn ReflectMessage = &mut d;
    m.reflect_set(&f("optional_int32"), Value::I32(3)).unwrap();
    m.reflect_push(&f("repeated_string"), Value::from("a"))
        .unwrap();
    m.reflect_map_insert(&f("map_int32_int32"), MapKey::I32(1), Value::I32(2))
        .unwrap();
    let nested = m
        .reflect_message_mut(&f("optional_nested_message"))
        .unwrap();
    let a = nested.descriptor().get_field_by_name("a").unwrap();
    nested.reflect_set(&a, Value::I32(4)).unwrap();
    assert_eq!(
        m.reflect_get(&f("optional_int32")).unwrap(),
        ValueRef::I32(3)
    );
    assert_eq!(
        m.reflect_element(&f("repeated_string"), 0).unwrap(),
        ValueRef::String("a")
    );
    assert_eq!(
        m.reflect_map_keys(&f("map_int32_int32")).unwrap(),
        [MapKey::I32(1)]
    );
    assert!(m.reflect_get(&f("optional_nested_message")).is_err());
    let other = proto2::TestAllTypesProto2::default().descriptor();
    assert!(matches!(
        m.reflect_has(&other.get_field(1).unwrap()),
        Err(ReflectError::NotAField { .. })
    ));
    let g = proto3::TestAllTypesProto3::parse_from_slice(&d.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(g.optional_int32(), 3);
    assert_eq!(g.repeated_string(), ["a"]);
    assert_eq!(g.optional_nested_message().a(), 4);
    assert_same(&g, &d, "TestAllTypesProto3");
}

#[test]
fn generated_enums_know_their_descriptors() {
    use proto2::test_all_types_proto2::NestedEnum;
    let desc = NestedEnum::enum_descriptor();
    assert_eq!(
        desc.full_name(),
        "protobuf_test_messages.proto2.TestAllTypesProto2.NestedEnum"
    );
    assert!(desc.is_closed());
    let numbers: Vec<i32> = desc.values().map(|v| v.number()).collect();
    let ours: Vec<i32> = <NestedEnum as zpb::Enumeration>::values()
        .iter()
        .map(|v| zpb::Enumeration::to_i32(*v))
        .collect();
    assert_eq!(numbers, ours);
    // The same element as the field's type in the message's descriptor.
    let field = proto2::TestAllTypesProto2::default()
        .descriptor()
        .get_field_by_name("optional_nested_enum")
        .unwrap();
    assert_eq!(field.kind().as_enum(), Some(&desc));
    let open = proto3::ForeignEnum::enum_descriptor();
    assert!(!open.is_closed());
    assert_eq!(
        open.full_name(),
        "protobuf_test_messages.proto3.ForeignEnum"
    );
}

/// One value of every kind, for the wrong-call test.
fn every_kind_of_value() -> Vec<Value> {
    let nested = proto3::test_all_types_proto3::NestedMessage::default().descriptor();
    vec![
        Value::Bool(true),
        Value::I32(-1),
        Value::I64(-2),
        Value::U32(3),
        Value::U64(4),
        Value::F32(0.5),
        Value::F64(-0.25),
        Value::from("s"),
        Value::from(&b"b"[..]),
        Value::EnumNumber(1),
        Value::EnumNumber(12345),
        Value::Message(DynamicMessage::new(nested)),
        Value::Message(DynamicMessage::default()),
        Value::List(vec![Value::I32(1), Value::from("x")]),
        Value::List(vec![Value::EnumNumber(2)]),
        Value::Map(
            [
                (MapKey::I32(1), Value::I32(2)),
                (MapKey::String("k".into()), Value::from("v")),
            ]
            .into_iter()
            .collect(),
        ),
    ]
}

/// Every reflective call with every field (of this message and of others) and every kind of
/// value: each one succeeds or is a typed error, never a panic, and a refused write leaves
/// the message as it was.
fn wrong_calls_are_typed_errors(m: &mut dyn ReflectMessage, foreign: &[FieldDescriptor]) {
    let fields: Vec<FieldDescriptor> = m
        .descriptor()
        .fields()
        .chain(foreign.iter().cloned())
        .collect();
    let snapshot = |m: &dyn ReflectMessage| format!("{:?}", m.to_dynamic().unwrap());
    let keys = [
        MapKey::I32(1),
        MapKey::String("k".into()),
        MapKey::Bool(true),
    ];
    for f in &fields {
        let _ = m.reflect_has(f);
        let _ = m.reflect_get(f).map(|v| v.to_value());
        let _ = m.reflect_message(f).map(|v| v.map(|v| v.descriptor()));
        let _ = m.reflect_len(f);
        for i in [0, 1, usize::MAX] {
            let _ = m.reflect_element(f, i).map(|v| v.to_value());
            let _ = m.reflect_message_element(f, i).map(|v| v.descriptor());
        }
        let _ = m.reflect_map_keys(f);
        for k in &keys {
            let _ = m.reflect_map_get(f, k).map(|v| v.map(|v| v.to_value()));
            let _ = m
                .reflect_map_message(f, k)
                .map(|v| v.map(|v| v.descriptor()));
        }
        for value in every_kind_of_value() {
            type Write =
                fn(&mut dyn ReflectMessage, &FieldDescriptor, Value) -> Result<(), ReflectError>;
            let writes: [Write; 4] = [
                |m, f, v| m.reflect_set(f, v),
                |m, f, v| m.reflect_push(f, v),
                |m, f, v| m.reflect_set_element(f, 0, v),
                |m, f, v| m.reflect_map_insert(f, MapKey::I32(1), v),
            ];
            for write in writes {
                let before = snapshot(m);
                if write(m, f, value.clone()).is_err() {
                    assert_eq!(snapshot(m), before, "{}: {value:?}", f.full_name());
                }
            }
        }
        let before = snapshot(m);
        if m.reflect_message_mut(f).is_err() {
            assert_eq!(snapshot(m), before, "{}", f.full_name());
        }
        for i in [0, 1, usize::MAX] {
            let before = snapshot(m);
            if m.reflect_message_element_mut(f, i).is_err() {
                assert_eq!(snapshot(m), before, "{}[{i}]", f.full_name());
            }
        }
        let before = snapshot(m);
        if m.reflect_add_message(f).is_err() {
            assert_eq!(snapshot(m), before, "{}", f.full_name());
        }
        for k in &keys {
            let before = snapshot(m);
            if m.reflect_map_message_mut(f, k).is_err() {
                assert_eq!(snapshot(m), before, "{}[{k:?}]", f.full_name());
            }
        }
        for k in &keys {
            let _ = m.reflect_map_remove(f, k);
        }
        let _ = m.reflect_clear(f);
    }
}

#[test]
fn wrong_calls_never_panic_and_change_nothing() {
    let p2 = proto2::TestAllTypesProto2::default().descriptor();
    let p3 = proto3::TestAllTypesProto3::default().descriptor();
    let foreign: Vec<FieldDescriptor> = p2.fields().take(5).chain(p3.fields().take(5)).collect();
    let mut rng = Rng(99);
    for _ in 0..3 {
        let bytes = random_message(&p2, &mut rng, 2, true)
            .serialize_to_vec()
            .unwrap();
        let mut g = proto2::TestAllTypesProto2::parse_from_slice(&bytes).unwrap();
        wrong_calls_are_typed_errors(&mut g, &foreign);
        g.serialize_to_vec().unwrap();
        let bytes = random_message(&p3, &mut rng, 2, true)
            .serialize_to_vec()
            .unwrap();
        let mut g = proto3::TestAllTypesProto3::parse_from_slice(&bytes).unwrap();
        wrong_calls_are_typed_errors(&mut g, &foreign);
        g.serialize_to_vec().unwrap();
        let mut d = DynamicMessage::decode(p3.clone(), &bytes).unwrap();
        wrong_calls_are_typed_errors(&mut d, &foreign);
        d.serialize_to_vec().unwrap();
    }
}
