#[derive(zpb::Message, Default)]
struct M {
    #[zpb(19500)]
    a: u64,
    #[zpb(0)]
    b: u64,
    _state: zpb::MessageState,
}
fn main() {}
