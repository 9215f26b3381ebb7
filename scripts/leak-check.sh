#!/usr/bin/env bash
# Runs the demo and the runtime's API tests under valgrind and fails if any memory is
# definitely (or indirectly) lost: there is no global state to shut down (unlike C++'s
# ShutdownProtobufLibrary()), so a clean exit must free everything.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: apt-get install valgrind" >&2
  exit 1
fi
run() {
  echo "== valgrind: $*"
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=42 "$@" > /dev/null
}
# The runtime's API tests (one thread, so the harness adds no noise).
api=$(cargo test -p zpb --test api --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m.get("executable") and m["target"]["name"]=="api": print(m["executable"])' | tail -1)
run "$api" --test-threads=1
# The demo: all three ZeroMQ patterns in one process.
cargo build -p zpb-examples --example demo --quiet
run target/debug/examples/demo
echo "no leaks"
