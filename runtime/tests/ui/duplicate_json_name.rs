#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(1, json_name = "x")]
    a: i32,
    #[zpb(2, json_name = "x")]
    b: i32,
    // Clashes with the default JSON name of `foo_bar` (`fooBar`).
    #[zpb(3)]
    foo_bar: i32,
    #[zpb(4, json_name = "fooBar")]
    c: i32,
    #[zpb(5, json_name = 7)]
    d: i32,
    _state: zpb::MessageState,
}

fn main() {}
