#!/usr/bin/env bash
# Rebuilds the fuzzers' seed corpus (fuzz/corpus/) from what the project has: the Belgian rulebase and
# the test rulebase (as rule files and as bytecode), the example cases, and small generated rulebases,
# cases and bytecode covering every construct of the language (tests/differential/'s generator).
#
#   bash fuzz/make-corpus.sh [BUILD_DIR]     (default build/dev; secretc_differential must be built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
gen="$build/tests/differential/secretc_differential"
[ -x "$gen" ] || { echo "make-corpus: build $gen first" >&2; exit 2; }

rm -rf fuzz/corpus
mkdir -p fuzz/corpus/rules fuzz/corpus/case fuzz/corpus/bytecode fuzz/corpus/json_case fuzz/corpus/capi
cp stdlib-rules/*.rules fuzz/corpus/rules/
cp tests/data/mini/rulebase.rules fuzz/corpus/rules/mini.rules
cp examples/*.fact tests/data/cases/*.fact fuzz/corpus/case/
python3 fuzz/fact_to_json.py fuzz/corpus/json_case examples/*.fact tests/data/cases/*.fact
"$gen" --write-corpus fuzz/corpus --programs 40 --seed 3
"$gen" --write-corpus fuzz/corpus --rules stdlib-rules --cases 20 --seed 3
"$gen" --write-corpus fuzz/corpus --rules tests/data/mini --cases 0
# fuzz_capi: the examples as C API calls, and calls over the test rulebase's bytecode (freshly compiled:
# a rulebase given in the input has at most 64 KiB, which the Belgian one passes).
"$build/secretc" compile tests/data/mini -o "$build/mini.secbc"
python3 fuzz/capi_seeds.py fuzz/corpus/capi examples/*.fact --bytecode "$build/mini.secbc"
echo "make-corpus: $(find fuzz/corpus -type f | wc -l) seeds in fuzz/corpus"
