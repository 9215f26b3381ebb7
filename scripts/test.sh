#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls this script). README.md, "The test
# command", lists the steps, what each needs and how long each takes.
#
#   scripts/test.sh                 every step, in order
#   scripts/test.sh fmt clippy      only these steps (in the order given)
#   scripts/test.sh --check [STEP]  only say what the steps need and what is missing
#
# First it makes sure everything the chosen steps need is there: system packages through
# apt-get (as root), the nightly toolchain, Miri and cargo-fuzz through rustup and cargo.
# What it cannot install stops the run at once, with one line naming it. Then it runs the
# steps, printing each one's wall time, and a table of all of them at the end.
# ZPB_FUZZ_SECONDS sets the fuzz smoke's time per target (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_STEPS=(python fmt clippy doc test derive-ui conformance valgrind miri fuzz)
FUZZ_SECONDS=${ZPB_FUZZ_SECONDS:-60}

usage() {
  echo "usage: scripts/test.sh [--check] [STEP...]; steps: ${ALL_STEPS[*]}"
}

# ---- the steps ---------------------------------------------------------------------------

# The Python venv (.venv): Google's protobuf, protoc from grpcio-tools, pyzmq, from PyPI.
step_python() { bash scripts/setup-python.sh; }
step_fmt() { cargo fmt --all -- --check; }
step_clippy() { cargo clippy --workspace --all-targets --all-features -- -D warnings; }
step_doc() { RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features; }
step_test() { cargo test --workspace --all-features; }
# The derive's compile-error tests, without the zmq feature (see runtime/tests/derive_ui.rs).
step_derive_ui() { cargo test -p zpb --test derive_ui; }
# Google's conformance runner against the zpb-conformance testee, with the committed failure
# lists (an unexpected failure or an unexpected pass fails the step).
step_conformance() { bash scripts/conformance.sh; }
# No leaks in the demo and the API tests.
step_valgrind() { bash scripts/leak-check.sh; }
# The runtime's unsafe code under the interpreter. The `unsafe` blocks are in the wire
# layer (`__private::wire`: the Encoder's buffer writes, the Decoder's checked-UTF-8 view),
# the field containers, the JSON writer's SSE2 escape scan (`format::json::write`, whose
# tests shrink their loops under Miri), the JSON reader's string scan and the text lexer's
# token text (unchecked ASCII/UTF-8 views: `format::json::read`'s string test,
# `format::text::lex`); the lib tests that reach them run under Miri. The
# rest of the text/JSON formats and reflection are safe code, with loops of thousands of
# cases that take the interpreter tens of minutes: skipped here, run natively by `test`.
step_miri() {
  CARGO_TARGET_DIR=target/miri cargo +nightly miri test -p zpb --lib -- \
    --skip format:: --skip reflect::
  CARGO_TARGET_DIR=target/miri cargo +nightly miri test -p zpb --lib -- format::json::write \
    format::json::read::tests::strings_decode format::text::lex
}

# Every cargo-fuzz target for FUZZ_SECONDS from the kept corpus (long runs are done by
# hand, see fuzz/); any crash fails the step with the end of its log.
step_fuzz() (
  cd fuzz
  mkdir -p target
  local targets target seeds log
  targets=$(cargo +nightly fuzz list)
  if [ -z "$targets" ]; then
    echo "cargo fuzz list found no targets" >&2
    return 1
  fi
  for target in $targets; do
    seeds=../tests/differential/corpus/seeds
    [ "$target" = codegen ] && seeds=../tests/differential/corpus/codegen
    [ "$target" = frontend ] && seeds=../tests/differential/corpus/frontend
    [ "$target" = json ] && seeds=../tests/differential/corpus/json
    [ "$target" = text ] && seeds=../tests/differential/corpus/text
    mkdir -p "corpus/$target"
    log="target/fuzz-smoke-$target.log"
    if ! cargo +nightly fuzz run "$target" -O "corpus/$target" "$seeds" -- \
      -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -seed=1 -print_final_stats=1 \
      > "$log" 2>&1; then
      tail -60 "$log"
      return 1
    fi
    echo "$target: $(grep -E '^stat::number_of_executed_units' "$log")"
  done
)

# ---- what the steps need -----------------------------------------------------------------

has() { command -v "$1" > /dev/null 2>&1; }

packages=() # system packages to install
rust=()     # rustup and cargo installs: "what|command"
missing=()  # what is not there and cannot be installed here

# A command, from a Debian package.
need_command() {
  has "$1" || packages+=("$2")
}

# The prerequisites of step $1.
need() {
  case $1 in
    python)
      need_command python3 python3
      python3 -c 'import ensurepip' > /dev/null 2>&1 || packages+=(python3-venv)
      ;;
    fmt) cargo fmt --version > /dev/null 2>&1 || rust+=("rustfmt|rustup component add rustfmt") ;;
    clippy | doc | test | derive-ui | valgrind)
      # libzmq is compiled from source by the zmq crate: a C and a C++ compiler.
      need_command cc gcc
      need_command c++ g++
      # --all-features includes zpb-benches' `cpp` (C++ libprotobuf peer): Debian's 3.21.
      need_command protoc protobuf-compiler
      [ -f /usr/include/google/protobuf/message.h ] || packages+=(libprotobuf-dev)
      # The RPC host-failure test (examples/tests/rpc_hosts.rs) runs as root with `ip netns`
      # and skips otherwise.
      if [ "$1" = test ] && [ "$(id -u)" = 0 ]; then
        need_command ip iproute2
      fi
      if [ "$1" = clippy ] && ! cargo clippy --version > /dev/null 2>&1; then
        rust+=("clippy|rustup component add clippy")
      fi
      if [ "$1" = valgrind ]; then
        need_command valgrind valgrind
        need_command python3 python3
      fi
      ;;
    conformance)
      need_command cc gcc
      need_command c++ g++
      [ -x ../shared/conformance/run-conformance ] ||
        missing+=("Google's conformance runner (../shared/conformance/run-conformance beside the checkout)")
      ;;
    miri | fuzz)
      rustup toolchain list 2> /dev/null | grep -q '^nightly' ||
        rust+=("the nightly toolchain|rustup toolchain install nightly --profile minimal")
      if [ "$1" = miri ]; then
        rustup component list --toolchain nightly --installed 2> /dev/null | grep -q '^miri' ||
          rust+=("Miri|rustup component add miri rust-src --toolchain nightly")
      else
        need_command c++ g++
        cargo fuzz --version > /dev/null 2>&1 ||
          rust+=("cargo-fuzz|cargo install cargo-fuzz --locked")
      fi
      ;;
  esac
}

# Installs what `need` found missing (unless $1 is "check"); what remains goes to `missing`.
provide() {
  local unique=() entry
  has cargo && has rustup || missing+=("cargo and rustup (https://rustup.rs)")
  if [ ${#packages[@]} -gt 0 ]; then
    mapfile -t unique < <(printf '%s\n' "${packages[@]}" | sort -u)
    if [ "$1" != check ] && [ "$(id -u)" = 0 ] && has apt-get; then
      echo "== installing system packages: ${unique[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${unique[@]}" > /dev/null
    else
      missing+=("system packages ${unique[*]} (apt-get install ${unique[*]})")
    fi
  fi
  if [ ${#rust[@]} -gt 0 ]; then
    mapfile -t unique < <(printf '%s\n' "${rust[@]}" | awk '!seen[$0]++')
    for entry in "${unique[@]}"; do
      if [ "$1" != check ] && has rustup && ${entry#*|}; then
        echo "== installed ${entry%%|*}"
      else
        missing+=("${entry%%|*} (${entry#*|})")
      fi
    done
  fi
}

# ---- run ---------------------------------------------------------------------------------

mode=run
steps=()
for arg in "$@"; do
  case $arg in
    --check) mode=check ;;
    -h | --help) usage; exit 0 ;;
    *)
      if [[ " ${ALL_STEPS[*]} " != *" $arg "* ]]; then
        usage >&2
        exit 2
      fi
      steps+=("$arg")
      ;;
  esac
done
[ ${#steps[@]} -gt 0 ] || steps=("${ALL_STEPS[@]}")

for name in "${steps[@]}"; do
  need "$name"
done
provide "$mode"
if [ ${#missing[@]} -gt 0 ]; then
  # One line: everything that is missing, and how to get it.
  printf -v line '%s; ' "${missing[@]}"
  echo "scripts/test.sh: missing: ${line%; }" >&2
  exit 1
fi
if [ "$mode" = check ]; then
  echo "everything the steps ${steps[*]} need is installed"
  exit 0
fi

export ZPB_REQUIRE_PYTHON=1
times=()
current=""
started=$SECONDS

minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

report() {
  local status=$?
  if [ ${#times[@]} -gt 0 ]; then
    printf '%s\n' "== wall time per step:" "${times[@]}"
  fi
  if [ "$status" -ne 0 ] && [ -n "$current" ]; then
    echo "== FAILED in step $current (exit $status), after $(minutes $((SECONDS - started)))"
  elif [ "$status" -eq 0 ]; then
    echo "== all steps passed in $(minutes $((SECONDS - started)))"
  fi
}
trap report EXIT

# step NAME COMMAND...: runs one step, then prints its wall time.
step() {
  local name=$1 start=$SECONDS
  shift
  current=$name
  echo "== $name"
  "$@"
  times+=("$(printf '  %-10s %s' "$name" "$(minutes $((SECONDS - start)))")")
  echo "== $name: $(minutes $((SECONDS - start)))"
  current=""
}

for name in "${steps[@]}"; do
  step "$name" "step_${name//-/_}"
done
