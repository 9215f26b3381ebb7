#[derive(zpb::Message, Default)]
struct M {
    #[zpb(1)]
    items: Vec<u32>,
    #[zpb(2)]
    items_size: u32,
    #[zpb(3)]
    clear: bool,
    _state: zpb::MessageState,
}
fn main() {}
