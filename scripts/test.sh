#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls this script).
# On a fresh machine it installs what the tests need: the Python venv (Google's protobuf,
# protoc from grpcio-tools, pyzmq) via scripts/setup-python.sh; cargo builds libzmq itself.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh
export ZPB_REQUIRE_PYTHON=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings
echo "== cargo doc -D warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features
echo "== cargo test"
cargo test --workspace --all-features
# The derive's compile-error tests, without the zmq feature (see runtime/tests/derive_ui.rs).
cargo test -p zpb --test derive_ui

echo "== valgrind: no leaks in the demo and the API tests"
bash scripts/leak-check.sh

echo "== Miri: the runtime's unsafe code (Encoder) under the interpreter"
if rustup component add miri rust-src --toolchain nightly >/dev/null 2>&1; then
  CARGO_TARGET_DIR=target/miri cargo +nightly miri test -p zpb --lib
else
  echo "Miri could not be installed on this machine (no nightly toolchain from rustup): skipped"
fi

echo "== fuzz smoke: every cargo-fuzz target for 60 s (long runs are done by hand, see fuzz/)"
if rustup toolchain list | grep -q '^nightly' && { cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet; }; then
  (
    cd fuzz
    mkdir -p target
    for target in $(cargo +nightly fuzz list); do
      seeds=../tests/differential/corpus/seeds
      [ "$target" = codegen ] && seeds=../tests/differential/corpus/codegen
      mkdir -p "corpus/$target"
      log="target/fuzz-smoke-$target.log"
      if ! cargo +nightly fuzz run "$target" -O "corpus/$target" "$seeds" -- \
        -max_total_time=60 -rss_limit_mb=2048 -seed=1 -print_final_stats=1 > "$log" 2>&1; then
        tail -60 "$log"
        exit 1
      fi
      echo "$target: $(grep -E '^stat::number_of_executed_units' "$log")"
    done
  )
else
  echo "no nightly toolchain or cargo-fuzz on this machine: fuzz smoke skipped"
fi
