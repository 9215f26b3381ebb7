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
echo "== cargo test"
cargo test --workspace --all-features
