// The message's `oneof = "..."` list must be the enum's variant numbers.
#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "M", field = "pick")]
enum Pick {
    #[zpb(1)]
    A(i32),
    #[zpb(3)]
    B(String),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(oneof = "1, 2")]
    pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
