#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1, sint64)]
    name: String,
    _state: zpb::MessageState,
}
fn main() {}
