//! Shared by the `transport_*` tests: small message types, socket options and a seeded
//! random generator.
#![allow(dead_code)]

use std::time::Duration;
use zpb::transport::{Framing, Options};
use zpb::MessageState;

/// A message with a string and a repeated sub-message: heap memory to reuse.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.transport_test.Item")]
pub struct Item {
    #[zpb(1)]
    pub id: u64,
    #[zpb(2)]
    pub text: String,
    #[zpb(3)]
    pub parts: zpb::Repeated<Part>,
    pub _state: MessageState,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.transport_test.Part")]
pub struct Part {
    #[zpb(1)]
    pub name: String,
    pub _state: MessageState,
}

/// A proto2 message with a required field.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.transport_test.Strict")]
pub struct Strict {
    #[zpb(1, required)]
    pub id: Option<u64>,
    pub _state: MessageState,
}

/// An item whose encoding is about `size` bytes, with two parts.
pub fn item(id: u64, size: usize) -> Item {
    let mut m = Item::default();
    m.set_id(id);
    m.set_text("x".repeat(size.saturating_sub(30)));
    m.add_parts().set_name("alpha");
    m.add_parts().set_name(format!("part-{id:08}"));
    m
}

/// Options with both timeouts at `ms` milliseconds.
pub fn timed(framing: Framing, ms: u64) -> Options {
    Options {
        framing,
        send_timeout: Some(Duration::from_millis(ms)),
        recv_timeout: Some(Duration::from_millis(ms)),
        ..Options::default()
    }
}

pub const FRAMINGS: [Framing; 2] = [Framing::Delimited, Framing::Raw];

/// xorshift64*: deterministic bytes for garbage input.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Resident memory of this process in KiB (Linux), for bounded-memory checks.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
