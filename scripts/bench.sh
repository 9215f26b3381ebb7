#!/usr/bin/env bash
# Runs the benchmarks (zpb vs prost, buffa and rust-protobuf, same run) and prints the tables of BENCHMARKS.md.
#   scripts/bench.sh            throughput (criterion) + memory tables + plot
#   ZPB_BENCH_TRANSPORT=1 ...   also the ZeroMQ transport table (builds libzmq)
#   scripts/bench.sh ARGS...    ARGS go to criterion (e.g. --measurement-time 4 on a noisy machine)
set -euo pipefail
cd "$(dirname "$0")/.."
export CRITERION_HOME="$PWD/target/criterion"
cargo bench -p zpb-benches --bench throughput -- "$@"
python3 scripts/bench-report.py "$CRITERION_HOME"
cargo bench -p zpb-benches --bench memory -- --plot "$PWD/benches/results/memory.svg"
if [ "${ZPB_BENCH_TRANSPORT:-0}" = 1 ]; then
  cargo bench -p zpb-benches --features zmq --bench transport
fi
