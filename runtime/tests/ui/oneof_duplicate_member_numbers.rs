#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Pick {
    #[zpb(1)]
    A(i32),
    #[zpb(1)]
    B(String),
}

fn main() {}
