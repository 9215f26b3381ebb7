#!/usr/bin/env python3
"""Turns the benchmarks' results into the markdown tables of BENCHMARKS.md, with the build
profiles side by side: for every throughput group (binary, then JSON and text format), MB/s
per implementation and zpb's ratio to each peer, one row per dataset and profile (Python's
json_format/text_format figures, measured once, in every profile's rows); then the memory
benchmark's allocation counts and held bytes the same way; then each profile's RPC table.

Usage: scripts/bench-report.py RESULTS_DIR PROFILE [PROFILE...]
  RESULTS_DIR/PROFILE/criterion     criterion's output of the throughput bench (CRITERION_HOME)
  RESULTS_DIR/PROFILE/memory.json   the memory bench's `--json` output
  RESULTS_DIR/PROFILE/rpc.md        the RPC bench's table (when it ran)
  RESULTS_DIR/python-formats.json   scripts/bench-python-formats.py's `--json` output
  RESULTS_DIR/PROFILE/compile.json  the compile bench's `--json` output
(scripts/bench.sh lays them out so.)
"""
import glob
import json
import os
import sys

# Column order; implementations not listed here follow in name order.
ORDER = ["zpb", "prost", "buffa", "prost+pbjson", "rust-protobuf", "prost-reflect", "zpb-dynamic", "c++",
         "c++ arena", "python", "protox", "protobuf-parse", "protoc"]
# Dynamic messages against each other: zpb's DynamicMessage / prost-reflect's.
DYNAMIC_PAIR = ("zpb-dynamic", "prost-reflect")
# rust-protobuf 3 does not support proto2 groups: it keeps message2's groups as unknown
# bytes instead of decoding them, so its message2 figures measure a different job.
NOT_COMPARABLE = {("rust-protobuf", "message2")}
NOTE = ("n/a: rust-protobuf 3 does not decode proto2 groups (they stay unknown bytes), so its "
        "`message2` figures are not comparable.")
GROUPS = [("parse_fresh", "Parse into a new message"),
          ("parse_reuse", "Parse into a reused (cleared) message"),
          ("serialize", "Serialize into a reused buffer (size computation included)"),
          ("byte_size", "Size computation alone"),
          ("json_print", "JSON print into a reused buffer"),
          ("json_parse_fresh", "JSON parse into a new message"),
          ("json_parse_reuse", "JSON parse into a reused (cleared) message"),
          ("text_print", "Text format print into a reused buffer (one line)"),
          ("text_parse_fresh", "Text format parse into a new message"),
          ("text_parse_reuse", "Text format parse into a reused (cleared) message")]
FORMAT_NOTE = ("JSON and text: every implementation parses the same documents, zpb's print of "
               "each dataset (compact JSON; one-line text); MB/s are bytes of those documents "
               "per second. python: the venv's `protobuf` (upb) `json_format` / `text_format` "
               "(scripts/bench-python-formats.py), measured once and shown in every profile's "
               "rows; its print is `indent=None` JSON and `as_one_line` text. c++ JSON is n/a on "
               "`message2`: libprotobuf 3.21's JSON transcoder rejects proto2 groups.")


def load_criterion(root):
    """{(group, impl, case): (median ns, throughput bytes or None)} from criterion's files."""
    results = {}
    for bench_file in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        d = os.path.dirname(bench_file)
        with open(bench_file) as f:
            bench = json.load(f)
        with open(os.path.join(d, "estimates.json")) as f:
            est = json.load(f)
        key = (bench["group_id"], bench["function_id"], bench["value_str"])
        tp = (bench.get("throughput") or {}).get("Bytes")
        results[key] = (est["median"]["point_estimate"], tp)
    return results


def ordered(impls):
    return sorted(set(impls), key=lambda i: (ORDER.index(i) if i in ORDER else len(ORDER), i))


def case_key(case):
    return (int(case) if case.isdigit() else 0, case)


def row(cells):
    return "| " + " | ".join(cells) + " |"


def table(header, rows):
    print(row(header))
    print(row(["---"] * len(header)))
    for r in rows:
        print(row(r))
    print()


def rpc_tables(out, profiles):
    """Each profile's RPC table, as the RPC bench printed it (markdown)."""
    for p in profiles:
        path = os.path.join(out, p, "rpc.md")
        if os.path.exists(path):
            with open(path) as f:
                body = f.read().strip()
            print(f"{body}\n\n(profile {p})\n")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, profiles = sys.argv[1], sys.argv[2:]
    crit = {p: load_criterion(os.path.join(out, p, "criterion")) for p in profiles}
    python = {}
    python_path = os.path.join(out, "python-formats.json")
    if os.path.exists(python_path):
        with open(python_path) as f:
            python = json.load(f)
    label = {p: p if len(profiles) > 1 else None for p in profiles}

    def first_cells(case, profile):
        return [case] + ([profile] if label[profile] else [])

    lead = ["dataset"] + (["profile"] if len(profiles) > 1 else [])

    for group, title in GROUPS:
        keys = [k for p in profiles for k in crit[p] if k[0] == group]
        if not keys:
            continue
        py = python.get(group, {})
        impls = ordered([k[1] for k in keys] + (["python"] if py else []))
        peers = [i for i in impls if i != "zpb"]
        rows = []
        for case in sorted({k[2] for k in keys}, key=case_key):
            for p in profiles:
                mbs = {}
                for impl in impls:
                    r = crit[p].get((group, impl, case))
                    if r and r[1] and (impl, case) not in NOT_COMPARABLE:
                        mbs[impl] = r[1] / r[0] * 1e3  # bytes per ns -> MB/s
                if case in py:
                    mbs["python"] = py[case]["mb_per_s"]
                if "zpb" not in mbs:
                    continue
                speeds = [f"{mbs[i]:.0f}" if i in mbs else "n/a" for i in impls]
                ratios = [f"{mbs['zpb'] / mbs[i]:.2f}x" if i in mbs else "n/a" for i in peers]
                if DYNAMIC_PAIR[0] in impls and DYNAMIC_PAIR[1] in impls:
                    a, b = DYNAMIC_PAIR
                    ratios.append(f"{mbs[a] / mbs[b]:.2f}x" if a in mbs and b in mbs else "n/a")
                rows.append(first_cells(case, p) + speeds + ratios)
        print(f"### {title} (MB/s, median)\n")
        extra = ["/".join(DYNAMIC_PAIR)] if all(i in impls for i in DYNAMIC_PAIR) else []
        table(lead + impls + [f"zpb/{i}" for i in peers] + extra, rows)
    print(NOTE + "\n")
    if any(k[0].startswith(("json_", "text_")) for p in profiles for k in crit[p]):
        print(FORMAT_NOTE + "\n")

    keys = [k for p in profiles for k in crit[p] if k[0] == "serialize_nested"]
    if keys:
        impls = ordered(k[1] for k in keys)
        peers = [i for i in impls if i != "zpb"]
        rows = []
        for case in sorted({k[2] for k in keys}, key=case_key):
            for p in profiles:
                t = {i: crit[p][("serialize_nested", i, case)][0]
                     for i in impls if ("serialize_nested", i, case) in crit[p]}
                if "zpb" not in t:
                    continue
                rows.append(first_cells(case, p)
                            + [f"{t[i]:.0f}" if i in t else "n/a" for i in impls]
                            + [f"{t[i] / t['zpb']:.2f}x" if i in t else "n/a" for i in peers])
        print("### Serialize a chain of nested messages (ns per message, median)\n")
        table(["depth"] + lead[1:] + impls + [f"{i}/zpb" for i in peers], rows)

    compile_table(out, profiles, first_cells, lead)

    memory = {}
    for p in profiles:
        path = os.path.join(out, p, "memory.json")
        if os.path.exists(path):
            with open(path) as f:
                memory[p] = json.load(f)
    if memory:
        memory_tables(memory, profiles, lead, first_cells)
    rpc_tables(out, profiles)


def memory_tables(memory, profiles, lead, first_cells):
    """Allocation counts and held bytes of the memory bench's datasets."""
    impls = ordered(i for m in memory.values() for ds in m.values() for i in ds)
    datasets = sorted({ds for m in memory.values() for ds in m})
    for title, cell in [
            ("Heap allocations per parse (fresh → reused message)",
             lambda c: f"{c['fresh']:.0f} → {c['reuse']:.0f}"),
            ("Heap bytes held by one parsed message (KiB, the message itself included)",
             lambda c: f"{c['held'] / 1024:.1f}")]:
        rows = []
        for ds in datasets:
            for p in profiles:
                cells = memory.get(p, {}).get(ds)
                if cells is not None:
                    rows.append(first_cells(ds, p)
                                + [cell(cells[i]) if i in cells else "n/a" for i in impls])
        print(f"### {title}\n")
        table(lead + impls, rows)
    print(NOTE + "\n")


def compile_table(out, profiles, first_cells, lead):
    """The compile bench's table: per tool, files compiled and time per MB of .proto source
    (its own files, then the files every tool compiles), and its ratio to zpb."""
    runs = {}
    for p in profiles:
        path = os.path.join(out, p, "compile.json")
        if os.path.exists(path):
            with open(path) as f:
                runs[p] = json.load(f)
    if not runs:
        return
    tools = ordered(t for r in runs.values() for t in r["tools"])
    rows = []
    for tool in tools:
        for p, r in runs.items():
            t = r["tools"].get(tool)
            z = r["tools"].get("zpb")
            if t is None or z is None:
                continue
            per_mb = lambda s, mb: f"{s * 1e3 / mb:.0f}" if mb else "n/a"
            rows.append(first_cells(tool, p) + [
                f"{t['files']}", per_mb(t["seconds"], t["mb"]),
                per_mb(t["common_seconds"], r["common_mb"]),
                f"{t['common_seconds'] / z['common_seconds']:.2f}x" if z["common_seconds"] else "n/a"])
    some = next(iter(runs.values()))
    print("### Compile protobuf v36's corpus: descriptor sets with imports and source info "
          "(ms per MB of .proto source, median)\n")
    print(f"{some['files']} files ({some['mb']:.2f} MB) that zpb and protoc accept, each "
          f"compiled alone with its imports; {some['common_files']} files "
          f"({some['common_mb']:.2f} MB) every tool compiles. protoc: {some['protoc']}, called "
          "in-process from Python (no process start counted); protobuf-parse makes no source "
          "info.\n")
    table(["tool"] + lead[1:] + ["files", "ms/MB", "ms/MB, common files", "tool/zpb, common"],
          rows)


main()
