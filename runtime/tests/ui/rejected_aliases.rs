// Words other protobuf crates use are rejected with the zpb word to write instead.
#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
enum E {
    #[default]
    A = 0,
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Pick {
    #[zpb(tag = 1)]
    A(i32),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(tag = 1)]
    a: i32,
    #[zpb(2, enumeration)]
    e: E,
    #[zpb(tags = "3")]
    pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
