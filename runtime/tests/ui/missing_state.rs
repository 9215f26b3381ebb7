#[derive(zpb::Message, Default)]
struct NoState {
    #[zpb(1)]
    id: u64,
}
fn main() {}
