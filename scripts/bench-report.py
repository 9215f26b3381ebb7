#!/usr/bin/env python3
"""Turns criterion's results (benches/throughput) into the markdown tables of BENCHMARKS.md:
MB/s per dataset and implementation, with the zpb/prost and zpb/buffa ratios.

Usage: scripts/bench-report.py CRITERION_DIR
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
IMPLS = ["zpb", "prost", "buffa"]


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


for group, title in [("parse_fresh", "Parse into a new message"),
                     ("parse_reuse", "Parse into a reused (cleared) message"),
                     ("serialize", "Serialize into a reused buffer (size computation included)"),
                     ("byte_size", "Size computation alone")]:
    print(f"### {title} (MB/s, median)\n")
    print("| dataset | zpb | prost | buffa | zpb/prost | zpb/buffa |")
    print("|---|---|---|---|---|---|")
    for case in cases(group):
        mbs = {}
        for impl in IMPLS:
            r = load(group, impl, case)
            if r and r[1]:
                mbs[impl] = r[1] / r[0] * 1e3  # bytes per ns -> MB/s
        if len(mbs) < 3:
            continue
        print(f"| {case} | {mbs['zpb']:.0f} | {mbs['prost']:.0f} | {mbs['buffa']:.0f} | "
              f"{mbs['zpb'] / mbs['prost']:.2f}x | {mbs['zpb'] / mbs['buffa']:.2f}x |")
    print()

print("### Serialize a chain of nested messages (ns per message, median)\n")
print("| depth | zpb | prost | buffa | prost/zpb |")
print("|---|---|---|---|---|")
for case in cases("serialize_nested"):
    t = {impl: load("serialize_nested", impl, case)[0] for impl in IMPLS}
    print(f"| {case} | {t['zpb']:.0f} | {t['prost']:.0f} | {t['buffa']:.0f} | {t['prost'] / t['zpb']:.2f}x |")
