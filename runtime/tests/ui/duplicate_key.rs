#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(1, name = "a", name = "b")]
    a: i32,
    #[zpb(2, optional, optional)]
    b: Option<i32>,
    #[zpb(3, number = 4)]
    c: i32,
    _state: zpb::MessageState,
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Pick {
    #[zpb(1, accessor = "x", accessor = "y")]
    A(i32),
}

fn main() {}
