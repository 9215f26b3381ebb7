#!/usr/bin/env bash
# Runs Google's conformance runner (../shared/conformance, protobuf v36.0) against the
# zpb-conformance testee with the committed failure lists. --enforce_recommended: a failure
# not on a list fails the run, and so does a listed test that now passes (the lists only shrink).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${ZPB_CONFORMANCE_RUNNER:-../shared/conformance/run-conformance}
if [ ! -x "$runner" ]; then
  echo "conformance runner not found at $runner (expected shared/ beside the checkout)" >&2
  exit 1
fi
cargo build --release --quiet -p zpb-conformance
mkdir -p target/conformance
log=target/conformance/run.log
if ! "$runner" --enforce_recommended --output_dir target/conformance \
  --failure_list tests/conformance/failure_list.txt \
  --text_format_failure_list tests/conformance/text_format_failure_list.txt \
  target/release/zpb-conformance >"$log" 2>&1; then
  grep -v '^I0000\|^E0000\|^WARNING' "$log" | tail -60
  exit 1
fi
grep 'CONFORMANCE SUITE' "$log"
