//! The demo's memory section measures what it claims: with the counting allocator installed
//! (one test in this binary, so no other test allocates meanwhile), each policy behaves as the
//! demo's legend says.

#[global_allocator]
static ALLOC: zpb_examples::alloc::Counting = zpb_examples::alloc::Counting;

#[test]
fn each_policy_allocates_and_keeps_what_the_demo_says() {
    use zpb_examples::memory::{receivers, stream, BUDGET};
    assert!(zpb_examples::alloc::installed());
    let rows = receivers(&stream()).unwrap();
    let row = |prefix: &str| {
        rows.iter()
            .find(|r| r.label.starts_with(prefix))
            .unwrap_or_else(|| panic!("no row {prefix}: {rows:?}"))
            .clone()
    };
    let retain = row("zpb Retain");
    assert_eq!((retain.allocs_small, retain.allocs_large), (0.0, 0));
    assert!(retain.held_after >= retain.held_large, "{retain:?}");
    let shrink = row("zpb Shrink");
    assert_eq!(shrink.allocs_small, 0.0, "{shrink:?}");
    assert!(shrink.held_after < shrink.held_large / 10, "{shrink:?}");
    let release = row("zpb Release");
    assert!(release.allocs_small >= 1.0, "{release:?}");
    assert_eq!(release.held_small, 0, "{release:?}");
    for budget in [row("zpb Budget"), row("zpb Pool")] {
        assert_eq!(budget.allocs_small, 0.0, "{budget:?}");
        for held in [budget.held_small, budget.held_large, budget.held_after] {
            assert!(held <= BUDGET, "{budget:?}");
        }
    }
    let prost = row("prost clear()");
    assert!(prost.allocs_small >= 1.0, "{prost:?}");
    assert!(
        row("prost decode").allocs_small >= prost.allocs_small,
        "{rows:?}"
    );
}
