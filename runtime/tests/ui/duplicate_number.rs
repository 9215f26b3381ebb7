#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1)]
    a: u64,
    #[zpb(1)]
    b: String,
    _state: zpb::MessageState,
}
fn main() {}
