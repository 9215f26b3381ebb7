#!/usr/bin/env bash
# Runs the benchmarks (zpb vs prost, buffa, rust-protobuf, prost-reflect and C++ libprotobuf heap
# and arena, same run) in each build profile and prints the tables of BENCHMARKS.md, profiles
# side by side.
#   scripts/bench.sh                  throughput (criterion: binary, JSON and text format) +
#                                     Python's json_format/text_format on the same documents +
#                                     memory tables + plot + compile speed of .proto front ends
#                                     (zpb, protox, protobuf-parse, the venv's protoc) on
#                                     protobuf v36's corpus, in the `bench` profile and the
#                                     shipping `bench-lto` (fat LTO, one codegen unit)
#   ZPB_BENCH_PROFILES=bench-lto ...  only the profiles listed (space-separated)
#   ZPB_BENCH_ITERATIONS=N ...        spiky-workload length of the memory bench (default 10000)
#   ZPB_BENCH_PYTHON_SECONDS=S ...    time per Python measurement (default 2)
#   ZPB_BENCH_COMPILE_PASSES=N ...    passes over the corpus of the compile bench (default 3)
#   ZPB_BENCH_TRANSPORT=1 ...         also the ZeroMQ transport table (builds libzmq)
#   ZPB_BENCH_RPC=1 ...               also the RPC table: zpb RPC vs tonic + prost vs raw zmq
#                                     (feature `rpc`: builds libzmq, tokio, hyper and tonic,
#                                     a few more minutes per profile on 2 cores)
#   ZPB_BENCH_RPC_ARGS="--quick" ...  arguments of the RPC bench (--quick, --runs N)
#   scripts/bench.sh ARGS...          ARGS go to criterion (e.g. --measurement-time 4 on a noisy
#                                     machine, or a filter such as message1_proto2)
# The C++ peer needs Debian's protobuf-compiler and libprotobuf-dev (3.21): installed here when
# missing and running as root, otherwise the script stops saying so.
# Results: target/zpb-bench/PROFILE/{criterion,memory.json,memory.svg,rpc.md,compile.json},
# target/zpb-bench/{docs,python-formats.json}; the plot of the last profile is copied to
# benches/results/memory.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${ZPB_BENCH_PROFILES:-bench bench-lto}
out="$PWD/target/zpb-bench"
# Results of an earlier run are not mixed into this one's tables.
rm -f "$out/python-formats.json"

if ! [ -x /usr/bin/protoc ] || ! [ -f /usr/include/google/protobuf/message.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler libprotobuf-dev
  else
    echo "bench.sh: the C++ peer needs /usr/bin/protoc and libprotobuf headers:" \
      "apt-get install protobuf-compiler libprotobuf-dev (as root)" >&2
    exit 1
  fi
fi
export ZPB_CPP_PROTOC=/usr/bin/protoc

features=cpp
if [ "${ZPB_BENCH_TRANSPORT:-0}" = 1 ]; then
  features=$features,zmq
fi
if [ "${ZPB_BENCH_RPC:-0}" = 1 ]; then
  features=$features,rpc
fi
python=.venv/bin/python
if ! [ -x "$python" ]; then
  bash scripts/setup-python.sh
fi
for profile in $profiles; do
  echo "== profile $profile" >&2
  mkdir -p "$out/$profile"
  rm -f "$out/$profile/rpc.md"
  bench=(cargo bench -p zpb-benches --profile "$profile" --features "$features")
  CRITERION_HOME="$out/$profile/criterion" "${bench[@]}" --bench throughput -- "$@"
  if ! [ -f "$out/python-formats.json" ]; then
    # The documents are the same in every profile: Python runs once, on the first.
    cargo run -q -p zpb-benches --profile "$profile" --features "$features" --bin bench-docs \
      -- "$out/docs"
    "$python" scripts/bench-python-formats.py "$out/docs" \
      --seconds "${ZPB_BENCH_PYTHON_SECONDS:-2}" --json "$out/python-formats.json"
  fi
  "${bench[@]}" --bench memory -- --iterations "${ZPB_BENCH_ITERATIONS:-10000}" \
    --json "$out/$profile/memory.json" --plot "$out/$profile/memory.svg"
  "${bench[@]}" --bench compile -- --passes "${ZPB_BENCH_COMPILE_PASSES:-3}" \
    --json "$out/$profile/compile.json"
  if [ "${ZPB_BENCH_TRANSPORT:-0}" = 1 ]; then
    "${bench[@]}" --bench transport
  fi
  if [ "${ZPB_BENCH_RPC:-0}" = 1 ]; then
    # shellcheck disable=SC2086 # one word per argument
    "${bench[@]}" --bench rpc -- ${ZPB_BENCH_RPC_ARGS:-} | tee "$out/$profile/rpc.md"
  fi
  cp "$out/$profile/memory.svg" benches/results/memory.svg
done
# shellcheck disable=SC2086 # one argument per profile
python3 scripts/bench-report.py "$out" $profiles
