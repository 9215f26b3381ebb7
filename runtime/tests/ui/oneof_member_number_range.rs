// A oneof member's number follows the same rule as a field's.
#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Pick {
    #[zpb(0)]
    Zero(i32),
    #[zpb(536870912)]
    TooBig(i32),
    #[zpb(19500)]
    Reserved(i32),
    #[zpb(number = 19000)]
    ReservedByKey(i32),
}

fn main() {}
