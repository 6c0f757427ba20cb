#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (`make fuzz-quick`, `make fuzz`).
#
# The machine has only the stable toolchain, so no sanitizer: `--sanitizer none` builds with
# libFuzzer's coverage instrumentation alone (release, with debug assertions and overflow
# checks), which stable rustc accepts. A panic is a crash: the input is kept in
# fuzz/artifacts/<target>/ and this script fails with the command that replays it.
# New inputs go to fuzz/corpus/<target>/ (not committed); the committed seeds are fuzz/seeds/.
set -euo pipefail
seconds=${1:?usage: scripts/fuzz.sh SECONDS-PER-TARGET}
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Build every target first, so a failed build is told apart from a crash found by fuzzing.
if ! cargo fuzz build --sanitizer none >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "fuzz: the targets did not build" >&2
  exit 1
fi
passed=0
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  extra=()
  if [ -f "dicts/$target.dict" ]; then extra+=("-dict=dicts/$target.dict"); fi
  if ! cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" -print_final_stats=0 "${extra[@]}" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target crashed; replay with: cd fuzz && cargo fuzz run --sanitizer none $target artifacts/$target/<file>" >&2
    echo "fuzz: $passed passed, 1 failed"
    exit 1
  fi
  echo "fuzz: $target: $(grep -E '^Done' "$log" | tail -n 1)"
  passed=$((passed + 1))
done
echo "fuzz: $passed passed, 0 failed"
