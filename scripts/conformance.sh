#!/usr/bin/env bash
# Runs Google's conformance runner (../shared/conformance, protobuf v36.0) against the
# zpb-conformance testee with the committed failure lists. --enforce_recommended: a failure
# not on a list fails the run, and so does a listed test that now passes (the lists only shrink).
# With ZPB_CONFORMANCE_DYNAMIC=1 the testee answers through zpb::reflect::DynamicMessage
# instead of the generated types (same lists, same results).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${ZPB_CONFORMANCE_RUNNER:-../shared/conformance/run-conformance}
if [ ! -x "$runner" ]; then
  echo "conformance runner not found at $runner (expected shared/ beside the checkout)" >&2
  exit 1
fi
cargo build --release --quiet -p zpb-conformance
mkdir -p target/conformance
# proto2/proto3 first (2817 binary+JSON and 445 text tests), then with the editions test
# messages too (--maximum_edition 2023), each run with its own pair of failure lists (the
# runner also fails on a listed test it does not run).
for edition in "" 2023; do
  log=target/conformance/run${edition:+-$edition}.log
  lists=tests/conformance/${edition:+editions_}
  if ! "$runner" --enforce_recommended --output_dir target/conformance \
    ${edition:+--maximum_edition "$edition"} \
    --failure_list "${lists}failure_list.txt" \
    --text_format_failure_list "${lists}text_format_failure_list.txt" \
    target/release/zpb-conformance >"$log" 2>&1; then
    grep -v '^I0000\|^E0000\|^WARNING' "$log" | tail -60
    exit 1
  fi
  echo "${edition:+editions (--maximum_edition $edition): }$(grep 'CONFORMANCE SUITE' "$log" | paste -sd' ' -)"
done
