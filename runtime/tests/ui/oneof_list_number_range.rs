#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Pick {
    #[zpb(1)]
    A(i32),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(oneof = "1, 19001")]
    pick: Option<Pick>,
    #[zpb(oneof = "0")]
    other: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
