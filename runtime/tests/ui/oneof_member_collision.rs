#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "M", field = "pick")]
enum Pick {
    #[zpb(1)]
    FooBar(i32),
    #[zpb(2, name = "fooBar")]
    Other(i32),
    #[zpb(3, accessor = "has_foo_bar")]
    Third(i32),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(oneof = "1, 2, 3")]
    pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn main() {}
