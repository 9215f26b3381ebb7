#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1, required)]
    id: u64,
    #[zpb(2, packed)]
    names: zpb::Repeated<String>,
    _state: zpb::MessageState,
}
fn main() {}
