//! Messages per second over tcp loopback: typed zpb sockets (raw and delimited framing,
//! batched and not) against raw `zmq` sockets, for 100-byte and 10 KB messages, in one run.
//! Prints a markdown table with two ratios: against raw `zmq` sending pre-encoded bytes (no
//! protobuf work at all), and against the hand-written raw `zmq` loop doing the same
//! encode/parse as the typed sockets (the typed sockets' own overhead).
//!
//! `cargo bench -p zpb-benches --features zmq --bench transport`

use zpb_examples::throughput::{measure, Measurement};

fn rate(ms: &[Measurement], name: &str) -> f64 {
    ms.iter().find(|m| m.name == name).map_or(0.0, |m| m.rate)
}

fn main() {
    println!("### ZeroMQ transport, tcp loopback (best of 5)\n");
    println!("| size | measurement | msgs/s | vs raw zmq | vs raw zmq + encode/parse |");
    println!("|---|---|---|---|---|");
    for (size, messages, round_trips) in [
        (100usize, 500_000u64, 20_000u64),
        (10 << 10, 50_000, 10_000),
    ] {
        let ms = measure(messages, round_trips, 5, size, "").expect("loopback transport runs");
        let raw_push = rate(&ms, "PUSH/PULL raw zmq, bytes only");
        let hand_push = rate(&ms, "PUSH/PULL raw zmq + zpb encode/parse");
        let raw_req = rate(&ms, "REQ/REP raw zmq, bytes only");
        for m in &ms {
            // REQ/REP has no hand-written encode/parse loop: one ratio.
            let (base, hand) = match m.name.starts_with("REQ") {
                true => (raw_req, String::new()),
                false => (raw_push, format!("{:.2}x", m.rate / hand_push)),
            };
            println!(
                "| {size} B | {} | {:.0} | {:.2}x | {hand} |",
                m.name,
                m.rate,
                m.rate / base
            );
        }
        let delimited = rate(&ms, "PUSH/PULL typed, delimited");
        let batched = rate(&ms, "PUSH/PULL typed, delimited, batches of 100");
        println!(
            "| {size} B | batching gain (batches of 100 / unbatched) | | {:.2}x | |",
            batched / delimited
        );
    }
}
