#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer, UndefinedBehaviorSanitizer) and fuzzes each
# for a bounded time, starting from the committed seeds (fuzz/corpus/) and past findings
# (fuzz/regressions/). Exits 1 if any target found a crash, a sanitizer error, a leak, a timeout or a
# broken invariant; the input is left in build/fuzz/findings/.
#
#   bash fuzz/run.sh [--seconds N] [TARGET...]     TARGET: rules case json_case bytecode capi (default: all five)
#
# The corpus grown by earlier runs is kept in build/fuzz/corpus/ and reused, so running longer or
# again goes further. CI runs 10 s per target (scripts/ci-extra.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(rules case json_case bytecode capi)

build=build/fuzz
if [ ! -f "$build/build.ninja" ]; then
  cmake -S fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null || exit 2
fi
cmake --build "$build" -j2 || exit 2

# malloc_context_size=0: recording a stack for each allocation costs most of the time of a run; a
# finding is replayed afterwards (secretc_fuzz_replay_*, or the fuzzer on the one input) with full stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/findings"
  echo "fuzz: $t for ${seconds} s"
  # -entropic=0: the entropic scheduler's bookkeeping grows with the number of features, and PEGTL's
  # templates give tens of thousands of them; without it each run is several times faster.
  "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=8192 -entropic=0 \
    -dict="fuzz/$t.dict" -artifact_prefix="$build/findings/$t-" -print_final_stats=1 \
    "$build/corpus/$t" "fuzz/corpus/$t" "fuzz/regressions/$t" >"$build/$t.log" 2>&1
  code=$?
  grep -E "^stat::number_of_executed_units|^#[0-9]+ +DONE" "$build/$t.log" | tail -2 | sed "s/^/fuzz: $t: /"
  if [ $code -ne 0 ]; then
    failed=1
    echo "fuzz: $t FOUND A PROBLEM (exit $code); the log is $build/$t.log, the input:" >&2
    ls -1 "$build/findings/$t-"* 2>/dev/null | tail -1 >&2
    grep -m1 -E "ERROR|runtime error|fuzz invariant|timeout|out-of-memory" "$build/$t.log" >&2
    echo "fuzz: fix it, then keep the input as a regression test: cp INPUT fuzz/regressions/$t/" >&2
  fi
done
exit $failed
