#!/usr/bin/env python3
"""Turns criterion's results (benches/throughput) into the markdown tables of BENCHMARKS.md:
MB/s per dataset and implementation, with zpb's ratio to each peer.

Usage: scripts/bench-report.py CRITERION_DIR
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
IMPLS = ["zpb", "prost", "buffa", "rust-protobuf"]
PEERS = IMPLS[1:]
# rust-protobuf 3 does not support proto2 groups: it keeps message2's groups as unknown
# bytes instead of decoding them, so its message2 figures measure a different job.
NOT_COMPARABLE = {("rust-protobuf", "message2")}
NOTE = ("n/a: rust-protobuf 3 does not decode proto2 groups (they stay unknown bytes), so its "
        "`message2` figures are not comparable.")


def load(group, impl, case):
    d = os.path.join(root, group, impl, case, "new")
    try:
        est = json.load(open(os.path.join(d, "estimates.json")))
        bench = json.load(open(os.path.join(d, "benchmark.json")))
    except FileNotFoundError:
        return None
    ns = est["median"]["point_estimate"]
    tp = (bench.get("throughput") or {}).get("Bytes")
    return ns, tp


def cases(group):
    d = os.path.join(root, group, "zpb")
    if not os.path.isdir(d):
        return []
    names = os.listdir(d)
    return sorted(names, key=lambda c: (int(c) if c.isdigit() else 0, c))


def row(cells):
    return "| " + " | ".join(cells) + " |"


header = ["dataset"] + IMPLS + [f"zpb/{p}" for p in PEERS]
for group, title in [("parse_fresh", "Parse into a new message"),
                     ("parse_reuse", "Parse into a reused (cleared) message"),
                     ("serialize", "Serialize into a reused buffer (size computation included)"),
                     ("byte_size", "Size computation alone")]:
    print(f"### {title} (MB/s, median)\n")
    print(row(header))
    print(row(["---"] * len(header)))
    for case in cases(group):
        mbs = {}
        for impl in IMPLS:
            r = load(group, impl, case)
            if r and r[1] and (impl, case) not in NOT_COMPARABLE:
                mbs[impl] = r[1] / r[0] * 1e3  # bytes per ns -> MB/s
        if "zpb" not in mbs:
            continue
        speeds = [f"{mbs[i]:.0f}" if i in mbs else "n/a" for i in IMPLS]
        ratios = [f"{mbs['zpb'] / mbs[p]:.2f}x" if p in mbs else "n/a" for p in PEERS]
        print(row([case] + speeds + ratios))
    print()
print(NOTE + "\n")

print("### Serialize a chain of nested messages (ns per message, median)\n")
header = ["depth"] + IMPLS + [f"{p}/zpb" for p in PEERS]
print(row(header))
print(row(["---"] * len(header)))
for case in cases("serialize_nested"):
    t = {impl: load("serialize_nested", impl, case) for impl in IMPLS}
    t = {impl: r[0] for impl, r in t.items() if r}
    print(row([case] + [f"{t[i]:.0f}" if i in t else "n/a" for i in IMPLS]
              + [f"{t[p] / t['zpb']:.2f}x" if p in t else "n/a" for p in PEERS]))
