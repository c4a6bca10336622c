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
#      check, and the pages in Chromium (the HTTP server runs under the sanitizers in the e2e tests);
#   2. the differential test (VM against the reference evaluator) on a seed that changes every run,
#      so that CI explores new programs each time (the seed is printed: a failure can be replayed);
#   3. each libFuzzer target for a bounded time (fuzz/run.sh), from the committed corpus; 25 s each keeps
#      the whole of .ci/run under 45 minutes on 2 cores (44.3 min measured with 35 s and the differential
#      test at 60 s, 2026-12-03: the sanitize step takes 23 min, its build 17 of them).
# Environment: SECRETC_FUZZ_SECONDS (default 25), SECRETC_DIFFERENTIAL_SEED (default: the time).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo "ci-extra: $1 (at $((SECONDS - start)) s)"; }

step "sanitize: build and run every test under ASan and UBSan"
cmake --workflow --preset sanitize

step "differential: 20000 random rulebases, 20 cases each (at most 30 s)"
seed=${SECRETC_DIFFERENTIAL_SEED:-$(date +%s)}
build/dev/tests/differential/secretc_differential --programs 20000 --cases 20 --seed "$seed" --seconds 30

fuzz_seconds=${SECRETC_FUZZ_SECONDS:-25}
step "fuzz: each target for ${fuzz_seconds} s"
bash fuzz/run.sh --seconds "$fuzz_seconds"

step "done"
