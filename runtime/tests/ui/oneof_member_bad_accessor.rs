#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "M", field = "pick")]
enum Pick {
    #[zpb(1, accessor = "not a name")]
    A(i32),
    #[zpb(2, accessor = "self")]
    B(i32),
    #[zpb(3, name = "c-d")]
    C(i32),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(oneof = "1, 2, 3")]
    pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
