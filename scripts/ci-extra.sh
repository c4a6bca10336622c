#!/usr/bin/env bash
# CI, after the main test command (.ci/run): what proves that secretc holds on input written by people
# or damaged on purpose. Run from a clone where `cmake --workflow --preset dev` has run.
#   1. the whole test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer (at -O1,
#      as ASan advises; -O0 made the suite about 40 times slower than the dev build) — but the
#      formatter's comment sweeps (a comment after every token of a file, formatted and compiled once per
#      token: 13 s in dev, over 11 minutes under the sanitizers on the Belgian rulebase). They run in the
#      dev suite; under the sanitizers the formatter runs through its other tests, comments included
#      (the test preset `sanitize` in CMakePresets.json excludes them by name). Excluded too, as they
#      test no C++ of their own: the VS Code extension's packaging and grammar (JavaScript), the layout
#      check, the pages in Chromium; and, for time, POST /api/check compared with `check` on every example
#      (60 s there; the HTTP server still runs under the sanitizers in the other e2e tests), and the
#      comparison of the rule files' parse trees with PEGTL's own (not even built: 5 min of compiling;
#      SECRETC_TREE_AGREEMENT in tests/CMakeLists.txt says why);
#   2. the differential test (VM against the reference evaluator) on a seed that changes every run,
#      so that CI explores new programs each time (the seed is printed: a failure can be replayed);
#   3. each libFuzzer target for a bounded time (fuzz/run.sh), from the committed corpus, 10 s each; long
#      fuzzing is run by hand, `bash fuzz/run.sh --seconds 600`.
# The whole of .ci/run must stay under 45 minutes on 2 cores. Measured from a clean clone on 2026-12-07:
# 32–33 min (1 924 s at eacf63e, 1 979 s at a8ead25). At a8ead25: the dev workflow 11.7 min (build 9.4,
# tests 1.7), the sanitize build 10.9 min and its tests 6.9, the differential test 0.2, the fuzz build 3.0
# and fuzzing 0.8. (It was 49 min before the rule grammar's instantiations were split into units of their
# own and the sanitizer and fuzz builds went to line tables only.)
# Environment: SECRETC_FUZZ_SECONDS (default 10), SECRETC_DIFFERENTIAL_SEED (default: the time).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo "ci-extra: $1 (at $((SECONDS - start)) s)"; }

step "sanitize: build and run every test under ASan and UBSan"
cmake --workflow --preset sanitize

step "differential: 20000 random rulebases, 20 cases each (at most 15 s)"
seed=${SECRETC_DIFFERENTIAL_SEED:-$(date +%s)}
build/dev/tests/differential/secretc_differential --programs 20000 --cases 20 --seed "$seed" --seconds 15

fuzz_seconds=${SECRETC_FUZZ_SECONDS:-10}
step "fuzz: each target for ${fuzz_seconds} s"
bash fuzz/run.sh --seconds "$fuzz_seconds"

step "done"
