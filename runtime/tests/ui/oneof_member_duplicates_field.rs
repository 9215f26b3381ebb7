#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "M", field = "pick")]
enum Pick {
    #[zpb(1)]
    A(i32),
    #[zpb(2)]
    B(String),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(1)]
    a: i32,
    #[zpb(oneof = "1, 2")]
    pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
