#!/usr/bin/env bash
# Instruction counts (callgrind) of zpb's generated fast paths at two commits, side by side:
# parse into a new message, parse into a reused message, serialize, size alone, on Google's
# three benchmark datasets, `bench-lto` profile. Exact and repeatable, so it shows whether a
# change costs anything on these paths (e.g. the reflection impls: before and after the merge
# that added them) even on a shared machine.
#   scripts/icount-compare.sh REV_BEFORE REV_AFTER
# Both revisions are checked out in temporary worktrees beside this checkout (so that
# `../shared` resolves as it does here); benches/examples/icount.rs of the current tree is
# copied into both (it needs only `for_each_codec!` and `datasets()`). Needs
# valgrind. Prints one line per operation and dataset: instructions per message at each
# revision and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: $0 REV_BEFORE REV_AFTER" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "icount-compare: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
root=$PWD
work=$(mktemp -d)
tree_a="$(dirname "$root")/.zpb-icount-a.$$"
tree_b="$(dirname "$root")/.zpb-icount-b.$$"
trap 'git -C "$root" worktree remove --force "$tree_a" 2>/dev/null; git -C "$root" worktree remove --force "$tree_b" 2>/dev/null; rm -rf "$work"' EXIT
# A target directory of its own: artifacts of old revisions must not mix with this tree's.
export CARGO_TARGET_DIR="$root/target/icount-compare"
for side in a b; do
  rev=$1 tree=$tree_a
  [ $side = b ] && rev=$2 tree=$tree_b
  git worktree add -q --detach "$tree" "$rev"
  mkdir -p "$tree/benches/examples"
  cp benches/examples/icount.rs "$tree/benches/examples/icount.rs"
  (cd "$tree" && cargo build -q -p zpb-benches --example icount --profile bench-lto)
  cp "$CARGO_TARGET_DIR/bench-lto/examples/icount" "$work/icount-$side"
done
count() { # binary op dataset passes -> instructions in `measured`
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --collect-atstart=no \
    --toggle-collect='*icount::measured*' "$1" "$2" "$3" zpb "$4" >/dev/null 2>&1
  grep -E '^summary' "$work/cg.out" | awk '{print $2}'
}
payloads() { "$1" parse_fresh "$2" zpb 1 | sed -n 's/.* x \([0-9]*\) payloads/\1/p'; }
printf '| operation | dataset | %s | %s | ratio |\n|---|---|---|---|---|\n' "$1" "$2"
for op in parse_fresh parse_reuse serialize byte_size; do
  for ds in message1_proto2 message1_proto3 message2; do
    passes=200; [ $ds = message2 ] && passes=5
    n=$(( passes * $(payloads "$work/icount-a" $ds) ))
    a=$(count "$work/icount-a" $op $ds $passes); b=$(count "$work/icount-b" $op $ds $passes)
    awk -v op=$op -v ds=$ds -v a="$a" -v b="$b" -v n="$n" \
      'BEGIN { printf "| %s | %s | %.0f | %.0f | %.4f |\n", op, ds, a/n, b/n, b/a }'
  done
done
