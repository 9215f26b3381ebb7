#!/usr/bin/env python3
"""Times Python protobuf's `json_format` and `text_format` (the upb backend of the venv's
`protobuf`) on the documents the Rust JSON/text benchmarks parse: Google's benchmark datasets
printed by zpb (`cargo run -p zpb-benches --bin bench-docs -- DOCS_DIR` writes
DOCS_DIR/NAME.json and DOCS_DIR/NAME.txtpb, one document per line).

For each dataset and form: print (compact JSON, `indent=None`; one-line text), parse into a
new message, and parse into a cleared reused message, each repeated over all documents for at
least --seconds; prints msgs/s and MB/s (bytes of the zpb documents, the unit of the Rust
tables) and, with --json OUT, writes {group: {dataset: {"msgs_per_s", "mb_per_s"}}} with the
Rust benchmark's group names (json_print, json_parse_fresh, ...) for scripts/bench-report.py.

Usage: scripts/bench-python-formats.py DOCS_DIR [--seconds S] [--json OUT]
Run it with the project's Python (.venv/bin/python: protobuf + grpcio-tools for protoc).
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "testdata", "google-benchmarks")
PROTOS = ["benchmarks.proto", "benchmark_message1_proto2.proto",
          "benchmark_message1_proto3.proto", "benchmark_message2.proto"]
# Dataset name -> BenchmarkDataset file, as benches/src/lib.rs has them.
DATASETS = {"message1_proto2": "dataset.google_message1_proto2.pb",
            "message1_proto3": "dataset.google_message1_proto3.pb",
            "message2": "dataset.google_message2.pb"}
FORMS = {"json": "json", "text": "txtpb"}


def generate(out):
    """Python classes of the benchmark schemas in `out` (grpc_tools' protoc)."""
    subprocess.check_call([sys.executable, "-m", "grpc_tools.protoc", "-I", DATA,
                           "--python_out", out] + PROTOS)
    sys.path.insert(0, out)


def message_class(full_name):
    from google.protobuf import symbol_database
    return symbol_database.Default().GetSymbol(full_name)


def timed(seconds, docs, one):
    """Messages per second of `one(i)` over every index of `docs`, repeated for `seconds`."""
    n, started = 0, time.perf_counter()
    while True:
        for i in range(len(docs)):
            one(i)
        n += len(docs)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return n / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs_dir")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--json")
    args = ap.parse_args()

    from google.protobuf import json_format, text_format
    from google.protobuf.internal import api_implementation
    with tempfile.TemporaryDirectory() as gen:
        generate(gen)
        benchmarks = importlib.import_module("benchmarks_pb2")
        for module in ["benchmark_message1_proto2_pb2", "benchmark_message1_proto3_pb2",
                       "benchmark_message2_pb2"]:
            importlib.import_module(module)

        ops = {
            "json": (lambda m: json_format.MessageToJson(m, indent=None),
                     lambda doc, m: json_format.Parse(doc, m)),
            "text": (lambda m: text_format.MessageToString(m, as_one_line=True),
                     lambda doc, m: text_format.Parse(doc, m)),
        }
        results = {}
        print(f"Python protobuf {sys.modules['google.protobuf'].__version__} "
              f"({api_implementation.Type()} backend)")
        print("| group | dataset | msgs/s | MB/s |")
        print("|---|---|---|---|")
        for name, file in DATASETS.items():
            ds = benchmarks.BenchmarkDataset()
            with open(os.path.join(DATA, file), "rb") as f:
                ds.ParseFromString(f.read())
            cls = message_class(ds.message_name)
            for form, ext in FORMS.items():
                with open(os.path.join(args.docs_dir, f"{name}.{ext}"), encoding="utf-8") as f:
                    docs = f.read().splitlines()
                if len(docs) != len(ds.payload):
                    sys.exit(f"{name}.{ext}: {len(docs)} documents for {len(ds.payload)} payloads")
                size = sum(len(d.encode("utf-8")) for d in docs)
                print_one, parse_one = ops[form]
                msgs = [cls.FromString(p) for p in ds.payload]
                # zpb's documents must parse in Python to the payloads they were printed from.
                for doc, msg in zip(docs, msgs):
                    if parse_one(doc, cls()) != msg:
                        sys.exit(f"{name}.{ext}: a document does not parse to its payload")
                reused = cls()

                def reuse(i):
                    reused.Clear()
                    parse_one(docs[i], reused)

                for group, one in [("print", lambda i: print_one(msgs[i])),
                                   ("parse_fresh", lambda i: parse_one(docs[i], cls())),
                                   ("parse_reuse", reuse)]:
                    rate = timed(args.seconds, docs, one)
                    mbs = rate * size / len(docs) / 1e6
                    results.setdefault(f"{form}_{group}", {})[name] = {
                        "msgs_per_s": rate, "mb_per_s": mbs}
                    print(f"| {form}_{group} | {name} | {rate:.0f} | {mbs:.1f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


main()
