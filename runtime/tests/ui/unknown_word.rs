#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1, sint23)]
    a: i32,
    _state: zpb::MessageState,
}
fn main() {}
