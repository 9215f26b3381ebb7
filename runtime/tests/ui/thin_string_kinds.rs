use std::collections::HashMap;

#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1, bytes)]
    a: zpb::ThinString,
    #[zpb(2, int32)]
    b: zpb::OptionalThinString,
    #[zpb(3)]
    c: HashMap<zpb::ThinString, i32>,
    _state: zpb::MessageState,
}
fn main() {}
