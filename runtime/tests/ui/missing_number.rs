#[derive(zpb::Message, Default)]
struct M {
    #[zpb(sint32)]
    delta: i32,
    _state: zpb::MessageState,
}
fn main() {}
