//! Reflection on hand-written `#[derive(zpb::Message)]` structs, whose descriptors are
//! synthesized from their attributes: the descriptor says what the attributes say (names,
//! numbers, types, labels, presence, packing, oneofs, maps, defaults, JSON names, nesting,
//! packages and imports); reflection reads and writes what the fields hold; `to_dynamic()`
//! and a `DynamicMessage` of the same bytes write the struct's bytes, JSON and text; types
//! that no pool can hold are typed errors.

use std::collections::HashMap;
use zpb::__private::reflect::{Described, Origin};
use zpb::format::text::{merge_text, to_text, TextPrintOptions};
use zpb::format::{merge_json, to_json, JsonOptions};
use zpb::reflect::{
    Cardinality, DynamicMessage, FieldDescriptor, Kind, MapKey, PoolError, ReflectEnum,
    ReflectError, ReflectMessage, Value, ValueRef,
};
use zpb::well_known::Timestamp;
use zpb::{Message, OpenEnum};

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "shop.Status")]
pub enum Status {
    #[default]
    #[zpb(name = "STATUS_UNKNOWN")]
    Unknown = 0,
    #[zpb(name = "STATUS_OPEN", aliases = "OPENED")]
    Open = 1,
    Shipped = 2,
}

/// Nested in `shop.Order` by its name; stored closed.
#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "shop.Order.Priority")]
pub enum Priority {
    #[default]
    Low = 1,
    High = 2,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "shop.Line")]
pub struct Line {
    #[zpb(1)]
    pub sku: String,
    #[zpb(2)]
    pub quantity: u32,
    _state: zpb::MessageState,
}

/// In another package: its own file, imported by the order's.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "common.Money")]
pub struct Money {
    #[zpb(1)]
    pub currency: String,
    #[zpb(2, sint64)]
    pub units: i64,
    _state: zpb::MessageState,
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "Order", field = "payment")]
pub enum Payment {
    #[zpb(20)]
    Card(String),
    #[zpb(21)]
    Voucher(Money),
    #[zpb(22, sint64)]
    Credit(i64),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "shop.Order", reserved_names = "legacy, old")]
pub struct Order {
    #[zpb(1)]
    pub id: u64,
    #[zpb(2)]
    pub customer_name: String,
    #[zpb(3, sint32)]
    pub delta: Option<i32>,
    #[zpb(4, default = 1.5)]
    pub rate: Option<f64>,
    #[zpb(5)]
    pub tags: zpb::Repeated<String>,
    #[zpb(6, sint64)]
    pub deltas: Vec<i64>,
    #[zpb(7, expanded)]
    pub codes: Vec<u32>,
    #[zpb(8)]
    pub lines: zpb::Repeated<Line>,
    #[zpb(9, map = "string, sint32")]
    pub counts: HashMap<String, i32>,
    #[zpb(10)]
    pub line_by_id: HashMap<u32, Line>,
    #[zpb(11)]
    pub placed: zpb::MessageField<Timestamp>,
    #[zpb(12, enum)]
    pub status: OpenEnum<Status>,
    #[zpb(13, enum, default = "High")]
    pub priority: Option<Priority>,
    #[zpb(14, bytes, default = b"\x00ab")]
    pub token: Option<Vec<u8>>,
    #[zpb(15, json_name = "ref")]
    pub reference: String,
    #[zpb(16, required)]
    pub note: Option<String>,
    #[zpb(oneof = "20, 21, 22")]
    pub payment: Option<Payment>,
    #[zpb(17)]
    pub parent: zpb::MessageField<Order>,
    #[zpb(18, delimited)]
    pub extra: zpb::MessageField<Line>,
    _state: zpb::MessageState,
}

/// No `name`: named by its Rust name, in no package.
#[derive(zpb::Message, Default)]
pub struct Bare {
    #[zpb(1)]
    pub x: i32,
    _state: zpb::MessageState,
}

fn field(m: &dyn ReflectMessage, name: &str) -> FieldDescriptor {
    m.descriptor()
        .get_field_by_name(name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn the_descriptor_says_what_the_attributes_say() {
    let order = Order::default();
    let desc = order.descriptor();
    assert_eq!(desc.full_name(), "shop.Order");
    assert_eq!(desc.file().package(), "shop");
    assert_eq!(desc.file().name(), "zpb_synthesized/shop/types.proto");
    let imports: Vec<String> = desc
        .file()
        .dependencies()
        .map(|f| f.name().to_string())
        .collect();
    assert_eq!(
        imports,
        [
            "google/protobuf/timestamp.proto",
            "zpb_synthesized/common/types.proto"
        ]
    );
    // Declaration order, the oneof's members where the oneof is.
    let numbers: Vec<u32> = desc.fields().map(|f| f.number()).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 17, 18]
    );
    let expect = |name: &str, kind: &str, cardinality: Cardinality, json: &str| {
        let f = field(&order, name);
        assert_eq!(
            format!("{:?}", f.kind()).split('(').next(),
            Some(kind),
            "{name}"
        );
        assert_eq!(f.cardinality(), cardinality, "{name}");
        assert_eq!(f.json_name(), json, "{name}");
        f
    };
    use Cardinality::{Optional, Repeated, Required};
    assert!(!expect("id", "Uint64", Optional, "id").supports_presence());
    assert!(!expect("customer_name", "String", Optional, "customerName").supports_presence());
    assert!(expect("delta", "Sint32", Optional, "delta").supports_presence());
    let rate = expect("rate", "Double", Optional, "rate");
    assert_eq!(rate.default_value(), Some(ValueRef::F64(1.5)));
    expect("tags", "String", Repeated, "tags");
    assert!(expect("deltas", "Sint64", Repeated, "deltas").is_packed());
    assert!(!expect("codes", "Uint32", Repeated, "codes").is_packed());
    let lines = expect("lines", "Message", Repeated, "lines");
    assert_eq!(lines.kind().as_message().unwrap().full_name(), "shop.Line");
    let counts = expect("counts", "Message", Repeated, "counts");
    assert!(counts.is_map());
    let entry = counts.kind().as_message().unwrap().clone();
    assert_eq!(entry.full_name(), "shop.Order.CountsEntry");
    assert_eq!(counts.map_key().unwrap().kind(), Kind::String);
    assert_eq!(counts.map_value().unwrap().kind(), Kind::Sint32);
    let by_id = expect("line_by_id", "Message", Repeated, "lineById");
    assert_eq!(by_id.map_key().unwrap().kind(), Kind::Uint32);
    let by_id_value = by_id.map_value().unwrap();
    assert_eq!(
        by_id_value.kind().as_message().unwrap().full_name(),
        "shop.Line"
    );
    let placed = expect("placed", "Message", Optional, "placed");
    assert_eq!(
        placed.kind().as_message().unwrap().full_name(),
        "google.protobuf.Timestamp"
    );
    let status = expect("status", "Enum", Optional, "status");
    let status = status.kind().as_enum().unwrap().clone();
    assert_eq!(status.full_name(), "shop.Status");
    assert!(!status.is_closed());
    let names: Vec<(String, i32)> = status
        .values()
        .map(|v| (v.name().to_string(), v.number()))
        .collect();
    assert_eq!(
        names,
        [
            ("STATUS_UNKNOWN".to_string(), 0),
            ("STATUS_OPEN".to_string(), 1),
            ("OPENED".to_string(), 1),
            ("SHIPPED".to_string(), 2)
        ]
    );
    let priority = expect("priority", "Enum", Optional, "priority");
    assert_eq!(priority.default_value(), Some(ValueRef::EnumNumber(2)));
    let priority = priority.kind().as_enum().unwrap().clone();
    assert_eq!(priority.full_name(), "shop.Order.Priority");
    assert!(priority.is_closed(), "stored as the enum itself");
    let token = expect("token", "Bytes", Optional, "token");
    assert_eq!(token.default_value(), Some(ValueRef::Bytes(b"\x00ab")));
    expect("reference", "String", Optional, "ref");
    expect("note", "String", Required, "note");
    let card = expect("card", "String", Optional, "card");
    let payment = card.containing_oneof().unwrap();
    assert_eq!(payment.name(), "payment");
    let members: Vec<String> = payment.fields().map(|f| f.name().to_string()).collect();
    assert_eq!(members, ["card", "voucher", "credit"]);
    let voucher = expect("voucher", "Message", Optional, "voucher");
    assert_eq!(
        voucher.kind().as_message().unwrap().full_name(),
        "common.Money"
    );
    expect("credit", "Sint64", Optional, "credit");
    let parent = expect("parent", "Message", Optional, "parent");
    assert_eq!(
        parent.kind().as_message(),
        Some(&desc),
        "itself, in its own pool"
    );
    let extra = expect("extra", "Group", Optional, "extra");
    assert_eq!(extra.kind().as_message().unwrap().full_name(), "shop.Line");
    assert_eq!(desc.reserved_names().collect::<Vec<_>>(), ["legacy", "old"]);
    assert_eq!(
        desc.nested_enums()
            .map(|e| e.full_name().to_string())
            .collect::<Vec<_>>(),
        ["shop.Order.Priority"]
    );

    // The enum's own descriptor: the same values, open.
    let own = Status::enum_descriptor();
    assert_eq!(own.full_name(), "shop.Status");
    assert_eq!(own.values().count(), 4);
    assert!(!Priority::enum_descriptor().is_closed());
    // Asked again: the same descriptor, made once.
    assert_eq!(Order::default().descriptor(), desc);
    assert_eq!(Status::enum_descriptor(), own);

    let bare = Bare::default().descriptor();
    assert_eq!(bare.full_name(), "Bare");
    assert_eq!(bare.file().package(), "");
    assert_eq!(bare.file().name(), "zpb_synthesized/types.proto");
}

/// An order with every field set, maps with one entry each (so that bytes compare).
fn full_order() -> Order {
    let mut o = Order {
        id: 7,
        customer_name: "Ada".into(),
        delta: Some(-3),
        rate: Some(0.25),
        deltas: vec![-1, 2],
        codes: vec![3, 4],
        status: OpenEnum::from(Status::Shipped),
        priority: Some(Priority::Low),
        token: Some(b"\x01".to_vec()),
        reference: "r-1".into(),
        note: Some("fragile".into()),
        payment: Some(Payment::Voucher(Money {
            currency: "EUR".into(),
            units: -5,
            ..Default::default()
        })),
        ..Default::default()
    };
    o.tags.push("gift".into());
    o.lines.push(Line {
        sku: "X-1".into(),
        quantity: 2,
        ..Default::default()
    });
    o.counts.insert("a".into(), -9);
    o.line_by_id.insert(
        5,
        Line {
            sku: "Y".into(),
            ..Default::default()
        },
    );
    o.placed.set(Timestamp {
        seconds: 60,
        ..Default::default()
    });
    o.parent.mut_or_insert().id = 1;
    o.parent.mut_or_insert().note = Some("up".into());
    o.extra.mut_or_insert().quantity = 9;
    o
}

#[test]
fn reflection_reads_and_writes_the_fields() {
    let mut o = full_order();
    let f = |name: &str| field(&Order::default(), name);
    assert_eq!(o.reflect_get(&f("id")).unwrap(), ValueRef::U64(7));
    assert_eq!(
        o.reflect_get(&f("customer_name")).unwrap(),
        ValueRef::String("Ada")
    );
    assert_eq!(o.reflect_get(&f("delta")).unwrap(), ValueRef::I32(-3));
    assert_eq!(
        o.reflect_get(&f("status")).unwrap(),
        ValueRef::EnumNumber(2)
    );
    assert_eq!(
        o.reflect_element(&f("deltas"), 1).unwrap(),
        ValueRef::I64(2)
    );
    assert_eq!(o.reflect_len(&f("lines")).unwrap(), 1);
    assert_eq!(
        o.reflect_map_get(&f("counts"), &MapKey::String("a".into()))
            .unwrap(),
        Some(ValueRef::I32(-9))
    );
    let voucher = o.reflect_message(&f("voucher")).unwrap().unwrap();
    assert_eq!(voucher.descriptor().full_name(), "common.Money");
    let payment = f("card").containing_oneof().unwrap();
    assert_eq!(
        o.reflect_which_oneof(&payment).unwrap().unwrap().name(),
        "voucher"
    );
    let placed = o.reflect_message(&f("placed")).unwrap().unwrap();
    assert_eq!(
        placed.reflect_get(&field(placed, "seconds")).unwrap(),
        ValueRef::I64(60)
    );

    // Writes are seen by the fields.
    o.reflect_set(&f("id"), Value::U64(8)).unwrap();
    o.reflect_set(&f("card"), Value::from("4111")).unwrap();
    o.reflect_push(&f("codes"), Value::U32(5)).unwrap();
    o.reflect_map_insert(&f("counts"), MapKey::String("b".into()), Value::I32(1))
        .unwrap();
    o.reflect_set(&f("priority"), Value::EnumNumber(2)).unwrap();
    let line_desc = Line::default().descriptor();
    let (sku, quantity) = (
        line_desc.get_field_by_name("sku").unwrap(),
        line_desc.get_field_by_name("quantity").unwrap(),
    );
    let line = o.reflect_add_message(&f("lines")).unwrap();
    line.reflect_set(&sku, Value::from("Z")).unwrap();
    let by_id = o
        .reflect_map_message_mut(&f("line_by_id"), &MapKey::U32(5))
        .unwrap();
    by_id.reflect_set(&quantity, Value::U32(3)).unwrap();
    let first = o.reflect_message_element_mut(&f("lines"), 0).unwrap();
    first.reflect_set(&quantity, Value::U32(4)).unwrap();
    let parent = o.reflect_message_mut(&f("parent")).unwrap();
    parent.reflect_set(&f("id"), Value::U64(2)).unwrap();
    assert_eq!(o.id, 8);
    assert_eq!(o.payment, Some(Payment::Card("4111".into())));
    assert_eq!(o.codes, [3, 4, 5]);
    assert_eq!(o.counts["b"], 1);
    assert_eq!(o.priority, Some(Priority::High));
    assert_eq!(o.lines[1].sku, "Z");
    assert_eq!(o.lines[0].quantity, 4);
    assert_eq!(o.line_by_id[&5].quantity, 3);
    assert_eq!(o.parent.get().unwrap().id, 2);

    // Clearing, and the defaults of unset fields.
    for name in ["rate", "priority", "token"] {
        o.reflect_clear(&f(name)).unwrap();
        assert!(!o.reflect_has(&f(name)).unwrap(), "{name}");
    }
    assert_eq!(o.reflect_get(&f("rate")).unwrap(), ValueRef::F64(1.5));
    assert_eq!(
        o.reflect_get(&f("priority")).unwrap(),
        ValueRef::EnumNumber(2)
    );
    assert_eq!(
        o.reflect_get(&f("token")).unwrap(),
        ValueRef::Bytes(b"\x00ab")
    );
    assert_eq!(
        (o.rate(), o.priority(), o.token()),
        (1.5, Priority::High, &b"\x00ab"[..])
    );

    // Wrong values and wrong fields are typed errors that change nothing.
    let before = o.clone();
    let mismatch = |r: Result<(), ReflectError>| {
        assert!(matches!(r, Err(ReflectError::TypeMismatch { .. })), "{r:?}")
    };
    mismatch(o.reflect_set(&f("id"), Value::I32(1)));
    mismatch(o.reflect_set(&f("priority"), Value::EnumNumber(9)));
    mismatch(o.reflect_map_insert(&f("counts"), MapKey::I32(1), Value::I32(1)));
    mismatch(o.reflect_set(&f("placed"), Value::Message(DynamicMessage::default())));
    let bare = field(&Bare::default(), "x");
    assert!(matches!(
        o.reflect_has(&bare),
        Err(ReflectError::NotAField { .. })
    ));
    assert!(o.reflect_message_element_mut(&f("lines"), 9).is_err());
    assert!(o
        .reflect_map_message_mut(&f("counts"), &MapKey::String("a".into()))
        .is_err());
    assert!(o == before);
}

/// The order and its dynamic copy write the same bytes, JSON and text, and each format read
/// back into a dynamic message gives the order again.
fn assert_same_outputs(o: &Order) {
    let copy = o.to_dynamic().unwrap();
    let bytes = o.serialize_to_vec().unwrap();
    assert_eq!(copy.serialize_to_vec().unwrap(), bytes);
    let parsed = DynamicMessage::decode(o.descriptor(), &bytes).unwrap();
    assert_eq!(parsed, copy);
    let options = [
        JsonOptions::default(),
        JsonOptions {
            emit_defaults: true,
            proto_names: true,
            enums_as_ints: true,
            ..Default::default()
        },
    ];
    for options in &options {
        let json = to_json(o, options).unwrap();
        assert_eq!(to_json(&copy, options).unwrap(), json);
        let mut back = DynamicMessage::new(o.descriptor());
        merge_json(&mut back, json.as_bytes(), &JsonOptions::default()).unwrap();
        assert_eq!(back.serialize_to_vec().unwrap(), bytes, "{json}");
    }
    for single_line in [false, true] {
        let options = TextPrintOptions {
            single_line,
            ..Default::default()
        };
        let text = to_text(o, &options);
        assert_eq!(to_text(&copy, &options), text);
        let mut back = DynamicMessage::new(o.descriptor());
        merge_text(&mut back, text.as_bytes()).unwrap();
        assert_eq!(back.serialize_to_vec().unwrap(), bytes, "{text}");
    }
    assert_eq!(format!("{copy:?}"), format!("{o:?}"));
}

#[test]
fn dynamic_copies_write_the_same_bytes_json_and_text() {
    let mut o = full_order();
    assert_same_outputs(&o);
    o.payment = Some(Payment::Credit(-4));
    o.status = OpenEnum::from_raw(77);
    o.mutable_unknown_fields().push_varint(1000, 5);
    let bytes = o.serialize_to_vec().unwrap();
    assert_eq!(o.to_dynamic().unwrap().serialize_to_vec().unwrap(), bytes);
    o.mutable_unknown_fields().clear();
    assert_same_outputs(&o);
    let minimal = Order {
        note: Some(String::new()),
        ..Default::default()
    };
    assert_same_outputs(&minimal);
    // A closed enum's unknown number goes to the unknown fields, as the struct does.
    let mut wire = minimal.serialize_to_vec().unwrap();
    wire.extend([13 << 3, 9]);
    let parsed = Order::parse_from_slice(&wire).unwrap();
    let dynamic = DynamicMessage::decode(Order::default().descriptor(), &wire).unwrap();
    assert_eq!(parsed.priority, None);
    assert!(!dynamic.has_field(&field(&minimal, "priority")));
    assert_eq!(
        dynamic.serialize_to_vec().unwrap(),
        parsed.serialize_to_vec().unwrap()
    );
}

/// What a hand-written type's origin is: its table.
fn table_error<T: Described>() -> PoolError {
    match T::origin() {
        Origin::Message(t) => t.descriptor().unwrap_err(),
        Origin::Enum(t) => t.descriptor().unwrap_err(),
        _ => panic!("a hand-written type"),
    }
}

mod clash {
    /// The same full name as `super::Line`, another type.
    #[derive(zpb::Message, Default)]
    #[zpb(name = "shop.Line")]
    pub struct Line {
        #[zpb(1)]
        pub other: i32,
        _state: zpb::MessageState,
    }

    #[derive(zpb::Message, Default)]
    #[zpb(name = "shop.Holder")]
    pub struct Holder {
        #[zpb(1)]
        pub ours: zpb::MessageField<super::Line>,
        #[zpb(2)]
        pub theirs: zpb::MessageField<Line>,
        _state: zpb::MessageState,
    }

    #[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
    #[zpb(name = "shop.Color")]
    pub enum Color {
        #[default]
        Unknown = 0,
    }

    #[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
    #[zpb(name = "shop.Shape")]
    pub enum Shape {
        #[default]
        Unknown = 0,
    }

    /// Two enums of one package with a value named alike.
    #[derive(zpb::Message, Default)]
    #[zpb(name = "shop.Painted")]
    pub struct Painted {
        #[zpb(1, enum)]
        pub color: zpb::OpenEnum<Color>,
        #[zpb(2, enum)]
        pub shape: zpb::OpenEnum<Shape>,
        _state: zpb::MessageState,
    }

    /// Packages `a` and `b` referring to each other.
    #[derive(zpb::Message, Default)]
    #[zpb(name = "a.Ping")]
    pub struct Ping {
        #[zpb(1)]
        pub pong: zpb::MessageField<Pong>,
        _state: zpb::MessageState,
    }

    #[derive(zpb::Message, Default)]
    #[zpb(name = "b.Pong")]
    pub struct Pong {
        #[zpb(1)]
        pub ping: zpb::MessageField<Ping>,
        _state: zpb::MessageState,
    }
}

#[test]
fn types_no_pool_can_hold_are_typed_errors() {
    use clash::*;
    assert_eq!(
        table_error::<Holder>(),
        PoolError::DuplicateSymbol("shop.Line".into())
    );
    assert_eq!(
        table_error::<Painted>(),
        PoolError::DuplicateSymbol("shop.UNKNOWN".into())
    );
    assert!(
        matches!(table_error::<Ping>(), PoolError::Invalid { reason, .. } if reason.contains("cycle"))
    );
    // Each enum alone is fine; `descriptor()` panics with the reason.
    assert_eq!(Color::enum_descriptor().full_name(), "shop.Color");
    let panic = std::panic::catch_unwind(|| Holder::default().descriptor()).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("shop.Holder") && message.contains("shop.Line"),
        "{message}"
    );
}
