//! The spiky workload: 99 small records, then one large one (long strings, thousands of
//! repeated sub-messages), over and over — the shape that makes a retaining cache grow.

/// Builds the encoded records of one period (100 records: 99 small, 1 large). `seed` varies
/// the contents between periods.
pub fn period(seed: u64) -> Vec<Vec<u8>> {
    use crate::zpb_gen::spiky::Record;
    use zpb::Message;
    (0..100)
        .map(|i| {
            let mut r = Record::default();
            let large = i == 99;
            r.set_key(format!("record-{seed}-{i}"));
            let items = if large { 4000 } else { 8 };
            r.set_payload(vec![(seed + i) as u8; if large { 256 << 10 } else { 64 }]);
            for j in 0..items {
                let item = r.add_items();
                item.set_id(seed * 1000 + j);
                item.set_name(format!("item {j} of record {i}"));
                item.mutable_values()
                    .extend((0..if large { 16 } else { 4 }).map(|v| v * 31 - 7));
            }
            for t in 0..if large { 500 } else { 3 } {
                r.add_tags().push_str(&format!("tag-{t}"));
            }
            r.serialize_to_vec().unwrap()
        })
        .collect()
}
