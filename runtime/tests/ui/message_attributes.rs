// The struct's own attributes: `name = "..."` and `clone`, each once.

#[derive(zpb::Message, PartialEq, Default)]
#[zpb(clone, name = "pkg.Twice", clone)]
struct Twice {
    #[zpb(1)]
    a: i32,
    _state: zpb::MessageState,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(copy)]
struct Unknown {
    #[zpb(1)]
    a: i32,
    _state: zpb::MessageState,
}

fn main() {}
