//! The Rust side of tests/proto/zpb_test.proto and zpb_test2.proto, written by hand with the
//! derive (the code generator's output has the same shape).
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use zpb::{MessageField, MessageState, OpenEnum, Optional, Repeated};

#[derive(zpb::Message, PartialEq, Default)]
#[zpb(name = "zpb.test.Nested", clone)]
pub struct Nested {
    #[zpb(1)]
    pub a: i32,
    #[zpb(2)]
    pub s: String,
    #[zpb(3)]
    pub children: Repeated<Nested>,
    pub _state: MessageState,
}

#[derive(zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[zpb(name = "zpb.test.Color")]
pub enum Color {
    #[default]
    #[zpb(name = "COLOR_UNSPECIFIED")]
    Unspecified = 0,
    Red = 1,
    Green = 2,
    Negative = -1,
}

#[derive(zpb::Message, PartialEq, Default)]
#[zpb(name = "zpb.test.AllKinds", clone)]
pub struct AllKinds {
    #[zpb(1)]
    pub i32: i32,
    #[zpb(2)]
    pub i64: i64,
    #[zpb(3)]
    pub u32: u32,
    #[zpb(4)]
    pub u64: u64,
    #[zpb(5, sint32)]
    pub s32: i32,
    #[zpb(6, sint64)]
    pub s64: i64,
    #[zpb(7, fixed32)]
    pub f32: u32,
    #[zpb(8, fixed64)]
    pub f64: u64,
    #[zpb(9, sfixed32)]
    pub sf32: i32,
    #[zpb(10, sfixed64)]
    pub sf64: i64,
    #[zpb(11)]
    pub fl: f32,
    #[zpb(12)]
    pub db: f64,
    #[zpb(13)]
    pub b: bool,
    #[zpb(14)]
    pub str: String,
    #[zpb(15)]
    pub by: Vec<u8>,
    #[zpb(16)]
    pub nested: MessageField<Nested>,
    #[zpb(17)]
    pub color: OpenEnum<Color>,
    #[zpb(18)]
    pub opt_i32: Option<i32>,
    #[zpb(19)]
    pub opt_str: Optional<String>,
    #[zpb(20)]
    pub r_i32: Vec<i32>,
    #[zpb(21, sint64)]
    pub r_s64: Vec<i64>,
    #[zpb(22, fixed32)]
    pub r_f32: Vec<u32>,
    #[zpb(23)]
    pub r_db: Vec<f64>,
    #[zpb(24)]
    pub r_b: Vec<bool>,
    #[zpb(25, unpacked)]
    pub r_unpacked: Vec<i32>,
    #[zpb(26)]
    pub r_str: Repeated<String>,
    #[zpb(27)]
    pub r_by: Repeated<Vec<u8>>,
    #[zpb(28)]
    pub r_nested: Repeated<Nested>,
    #[zpb(29)]
    pub r_color: Vec<OpenEnum<Color>>,
    #[zpb(30)]
    pub m_str_i32: HashMap<String, i32>,
    #[zpb(31)]
    pub m_i64_nested: HashMap<i64, Nested>,
    #[zpb(32)]
    pub m_u32_str: BTreeMap<u32, String>,
    #[zpb(33)]
    pub m_bool_color: HashMap<bool, OpenEnum<Color>>,
    #[zpb(34, map = "sint32, bytes")]
    pub m_s32_by: HashMap<i32, Vec<u8>>,
    #[zpb(oneof = "35, 36, 37, 38")]
    pub choice: Option<all_kinds::Choice>,
    #[zpb(536870911)]
    pub big_field: i32,
    pub _state: MessageState,
}

pub mod all_kinds {
    #[derive(zpb::Oneof, Clone, PartialEq, Debug)]
    #[zpb(message = "super::AllKinds", field = "choice")]
    pub enum Choice {
        #[zpb(35)]
        OU32(u32),
        #[zpb(36)]
        OStr(String),
        #[zpb(37)]
        ONested(Box<super::Nested>),
        #[zpb(38)]
        OColor(zpb::OpenEnum<super::Color>),
    }
}

#[derive(zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[zpb(name = "zpb.test2.Size")]
pub enum Size {
    #[default]
    Small = 0,
    Medium = 1,
    Large = 2,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.test2.Inner")]
pub struct Inner {
    #[zpb(1, required)]
    pub id: Option<i32>,
    #[zpb(2)]
    pub label: Optional<String>,
    pub _state: MessageState,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.test2.Proto2Kinds")]
pub struct Proto2Kinds {
    #[zpb(1, default = -7)]
    pub i32: Option<i32>,
    #[zpb(2, default = "hi \"there\"")]
    pub str: Optional<String>,
    #[zpb(3, default = b"\x01\x02")]
    pub by: Optional<Vec<u8>>,
    #[zpb(4, default = "inf")]
    pub db: Option<f64>,
    #[zpb(5, default = 1.5)]
    pub fl: Option<f32>,
    #[zpb(6, default = true)]
    pub b: Option<bool>,
    #[zpb(7, enum, default = "Medium")]
    pub size: Option<Size>,
    #[zpb(8, required)]
    pub req: Option<i64>,
    #[zpb(9)]
    pub inner: MessageField<Inner>,
    #[zpb(10)]
    pub inners: Repeated<Inner>,
    #[zpb(11, enum, unpacked)]
    pub sizes: Vec<Size>,
    #[zpb(12, enum, packed)]
    pub packed_sizes: Vec<Size>,
    #[zpb(13, unpacked)]
    pub unpacked_ints: Vec<i32>,
    #[zpb(14, group, name = "Grp")]
    pub grp: MessageField<proto2_kinds::Grp>,
    #[zpb(17, group, name = "RGrp")]
    pub rgrp: Repeated<proto2_kinds::RGrp>,
    #[zpb(19, map = "string, enum")]
    pub size_map: HashMap<String, Size>,
    #[zpb(oneof = "20, 21")]
    pub pick: Option<proto2_kinds::Pick>,
    pub _state: MessageState,
}

pub mod proto2_kinds {
    use zpb::{MessageState, Optional};

    #[derive(zpb::Message, Clone, PartialEq, Default)]
    #[zpb(name = "zpb.test2.Proto2Kinds.Grp")]
    pub struct Grp {
        #[zpb(15)]
        pub g_a: Option<i32>,
        #[zpb(16)]
        pub g_s: Optional<String>,
        pub _state: MessageState,
    }

    #[derive(zpb::Message, Clone, PartialEq, Default)]
    #[zpb(name = "zpb.test2.Proto2Kinds.RGrp")]
    pub struct RGrp {
        #[zpb(18)]
        pub r_a: Option<i32>,
        pub _state: MessageState,
    }

    #[derive(zpb::Oneof, Clone, PartialEq, Debug)]
    #[zpb(message = "super::Proto2Kinds", field = "pick")]
    pub enum Pick {
        #[zpb(20)]
        OInner(super::Inner),
        #[zpb(21, enum)]
        OSize(super::Size),
    }
}
