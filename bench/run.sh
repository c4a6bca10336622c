#!/usr/bin/env bash
# The peer workload (bench/workload/WORKLOAD.md), measured side by side in one run, with ratios:
#   - the hand-written C++ decision over parsed structs, and parsing JSON Lines text then deciding;
#   - the Python reference (bench/workload/reference.py);
#   - secretc's Machine::evaluate over bound cases, and parse_case + bind_case + evaluate from text, in process;
#   - `secretc check --jsonl` as a whole process (JSON Lines in, JSON answers out) on 1 and 2 threads, and over
#     a million cases (the generated ones repeated), with its peak memory against that for 10 000 cases;
#   - cold start (`secretc --version`, and `check --jsonl` of one case) against a trivial C++ program;
#   - compiling the Belgian rulebase (stdlib-rules/).
# Every path must agree with the hand-written decision and the Python reference first (exit 1 if not).
#
#   bash bench/run.sh [BUILD_DIR] [CASES]     (default: build/release, 100000)
# BUILD_DIR must hold a build with the tests (the default of every preset but the Quick start's first line):
#   cmake --preset release && cmake --build --preset release
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
n=${2:-100000}
secretc="$build/secretc"
workload="$build/tests/bench/secretc_workload"
trivial="$build/tests/bench/secretc_trivial"
for tool in "$secretc" "$workload" "$trivial" /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (build $build with its tests first)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rules=bench/workload/workload.rules

echo "bench: $n cases (bench/workload/gen.py, seed 1); $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
python3 bench/workload/gen.py "$n" 1 >"$tmp/cases.jsonl"
small=$((n >= 100000 ? 10000 : (n / 10 > 0 ? n / 10 : 1)))
head -n "$small" "$tmp/cases.jsonl" >"$tmp/small.jsonl"

# In process: agreement, then each path timed (RESULT path=… cps=…).
"$workload" "$tmp/cases.jsonl" "$rules" >"$tmp/inprocess.txt"
python3 bench/workload/reference.py "$tmp/cases.jsonl" "$tmp/reference.txt" 2>"$tmp/python.txt"

# `check --jsonl` as a whole process: wall time and peak memory (/usr/bin/time), and its answers against the
# Python reference's, line by line.
measure() {  # prints "SECONDS KIB"
  /usr/bin/time -f "%e %M" "$@" 2>"$tmp/time" >"$tmp/answers.jsonl" || true
  tail -1 "$tmp/time"
}
read -r j1_s j1_kb < <(measure "$secretc" check --jsonl --rules "$rules" -j 1 "$tmp/cases.jsonl")
read -r j2_s j2_kb < <(measure "$secretc" check --jsonl --rules "$rules" -j 2 "$tmp/cases.jsonl")
python3 - "$tmp/answers.jsonl" "$tmp/reference.txt" <<'EOF'
import json, sys
answers = [json.loads(l) for l in open(sys.argv[1])]
want = [l.split() for l in open(sys.argv[2])]
assert len(answers) == len(want), f"{len(answers)} answers for {len(want)} cases"
bad = [i + 1 for i, (a, (d, v)) in enumerate(zip(answers, want)) if (a["outputs"]["duty"], a["outputs"]["verdict"]) != (d, v)]
if bad:
    sys.exit(f"bench: check --jsonl and the Python reference disagree on {len(bad)} cases, first line {bad[0]}")
EOF
read -r small_s small_kb < <(measure "$secretc" check --jsonl --rules "$rules" -j 2 "$tmp/small.jsonl")
# A million cases (the generated ones, repeated; about 750 MB in $tmp): the peak memory the issue compares
# with that for 10 000.
million=1000000
python3 - "$tmp/cases.jsonl" "$million" >"$tmp/million.jsonl" <<'EOF'
import itertools, sys
sys.stdout.writelines(itertools.islice(itertools.cycle(open(sys.argv[1]).readlines()), int(sys.argv[2])))
EOF
read -r million_s million_kb < <(measure "$secretc" check --jsonl --rules "$rules" -j 2 "$tmp/million.jsonl")

# Cold start: 200 runs of each, the mean.
runs=200
cold() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq $runs); do "$@" >/dev/null 2>&1 </dev/null || true; done
  end=$(date +%s%N)
  echo $(((end - start) / runs / 1000))
}
head -1 "$tmp/cases.jsonl" >"$tmp/one.jsonl"
trivial_us=$(cold "$trivial")
version_us=$(cold "$secretc" --version)
"$secretc" compile "$rules" -o "$tmp/workload.secbc"
one_us=$(cold "$secretc" check --jsonl --rules "$tmp/workload.secbc" "$tmp/one.jsonl")
embedded_us=$(cold "$secretc" check --jsonl "$tmp/one.jsonl")

# Compiling the Belgian rulebase, 50 runs, the start-up of `secretc --version` subtracted. (How compile time
# grows with a rulebase's size: bench/measure.sh, on generated rulebases of 1 000 to 10 000 rules.)
start=$(date +%s%N)
for _ in $(seq 50); do "$secretc" compile stdlib-rules -o "$tmp/out.secbc" >/dev/null; done
end=$(date +%s%N)
belgian_ms=$(awk -v t=$((end - start)) -v v="$version_us" 'BEGIN { printf "%.1f", t / 50 / 1e6 - v / 1000 }')

python3 - "$tmp/inprocess.txt" "$tmp/python.txt" "$n" "$j1_s" "$j2_s" "$j1_kb" "$j2_kb" "$small_kb" \
  "$trivial_us" "$version_us" "$one_us" "$embedded_us" "$belgian_ms" "$small" "$million" "$million_s" "$million_kb" <<'EOF'
import re, sys
(inproc, python, n, j1_s, j2_s, j1_kb, j2_kb, small_kb, trivial_us, version_us, one_us, embedded_us,
 belgian_ms, small, million, million_s, million_kb) = sys.argv[1:]
n = int(n)
cps = {}
for line in open(inproc).read().splitlines() + open(python).read().splitlines():
    m = re.match(r"RESULT (?:path|engine)=(\S+) n=\d+ .*cps=(\d+)", line)
    if m:
        cps[m.group(1)] = float(m.group(2))
cps["check_jsonl_j1"] = n / float(j1_s)
cps["check_jsonl_j2"] = n / float(j2_s)
cpp, cpp_text, py = cps["cpp_decide_structs"], cps["cpp_parse_decide_text"], cps["python-reference"]
def m(x):
    return f"{x / 1e6:.2f} M" if x >= 1e5 else f"{x / 1e3:.1f} k"
rows = [
    ("hand-written C++ `decide` over parsed structs", cps["cpp_decide_structs"], "—"),
    ("hand-written C++ parse + decide from JSON Lines text", cpp_text, "—"),
    ("Python reference (`reference.py`, evaluation only)", py, "—"),
    ("secretc `Machine::evaluate` over bound cases (16 bytes a fact)", cps["secretc_evaluate_bound"],
     f"{cps['secretc_evaluate_bound'] / cpp:.2f}× C++ decide"),
    ("secretc `Machine::evaluate_packed` over the same cases packed (47 bytes a case)", cps["secretc_evaluate_packed"],
     f"{cps['secretc_evaluate_packed'] / cpp:.2f}× C++ decide (target ≥ 0.25)"),
    ("secretc `parse_case` + `bind_case` + `evaluate`, case text in memory", cps["secretc_parse_bind_evaluate_text"],
     f"{cps['secretc_parse_bind_evaluate_text'] / cpp_text:.2f}× C++ parse+decide (target ≥ 1 M/s)"),
    ("`secretc check --jsonl -j 1`, whole process, JSON out", cps["check_jsonl_j1"],
     f"{cps['check_jsonl_j1'] / py:.2f}× Python (target ≥ 0.5 M/s)"),
    ("`secretc check --jsonl -j 2`, whole process, JSON out", cps["check_jsonl_j2"],
     f"{cps['check_jsonl_j2'] / py:.2f}× Python, {cps['check_jsonl_j2'] / cps['check_jsonl_j1']:.2f}× -j 1 (target ≥ 1 M/s)"),
    (f"`secretc check --jsonl -j 2` over {int(million)} cases (the same, repeated)", int(million) / float(million_s),
     f"{int(million) / float(million_s) / py:.2f}× Python (target ≥ 1 M/s)"),
]
print(f"| path ({n} cases) | cases/s | ratio |")
print("|---|---:|---|")
for name, x, ratio in rows:
    print(f"| {name} | {m(x)} | {ratio} |")
print()
print("| other measure | value | ratio |")
print("|---|---:|---|")
print(f"| `check --jsonl -j 2` peak memory, {int(million)} cases against {small} | {int(million_kb) / 1024:.1f} MiB / {int(small_kb) / 1024:.1f} MiB | {int(million_kb) / int(small_kb):.2f}× (target ≤ 1.2) |")
print(f"| `check --jsonl -j 2` peak memory, {n} cases against {small} | {int(j2_kb) / 1024:.1f} MiB / {int(small_kb) / 1024:.1f} MiB | {int(j2_kb) / int(small_kb):.2f}× |")
print(f"| cold start: a trivial C++ program | {int(trivial_us) / 1000:.2f} ms | — |")
print(f"| cold start: `secretc --version` | {int(version_us) / 1000:.2f} ms | {int(version_us) / int(trivial_us):.2f}× trivial (target ≤ 1.5) |")
print(f"| cold start: `check --jsonl` of one case (workload .secbc) | {int(one_us) / 1000:.2f} ms | {int(one_us) / int(trivial_us):.2f}× trivial |")
print(f"| cold start: `check --jsonl` of one case (embedded Belgian rulebase) | {int(embedded_us) / 1000:.2f} ms | {int(embedded_us) / int(trivial_us):.2f}× trivial |")
print(f"| compiling stdlib-rules/ (`secretc compile`, start-up subtracted) | {float(belgian_ms):.1f} ms | target ≤ 10 ms |")
EOF
