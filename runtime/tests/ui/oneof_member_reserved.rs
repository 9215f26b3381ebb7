#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "M", field = "op")]
enum Op {
    #[zpb(1)]
    Clear(bool),
    #[zpb(2, name = "byteSize")]
    Size(u32),
    #[zpb(3, accessor = "merge_from")]
    Merge(String),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct M {
    #[zpb(oneof = "1, 2, 3")]
    op: Option<Op>,
    _state: zpb::MessageState,
}

fn main() {}
