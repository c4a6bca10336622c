#!/usr/bin/env bash
# Measures the largest rulebases and case files secretc handles: generates rulebases of each size
# (bench/big_rulebase.cpp) and runs the real binary on them under /usr/bin/time -v, printing wall time
# and peak memory (maximum resident set size) as a Markdown table (the README's "Limits" section).
#
#   bash bench/measure.sh [BUILD_DIR] [RULES[:TERMS]...]   (default: build/release, 1000 5000 10000 10000:45)
# RULES:TERMS is the densest shape: as many facts and definitions as rules, conditions of TERMS terms.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000 10000:45)
secretc="$build/secretc"
gen="$build/tests/bench/secretc_make_big_inputs"
for tool in "$secretc" "$gen" /usr/bin/time; do
  [ -x "$tool" ] || { echo "measure: $tool is missing (build the tests; apt-get install time)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs a command under /usr/bin/time -v; prints "SECONDS MIB EXIT".
measure() {
  local code=0
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || code=$?
  awk -v code="$code" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { kb = $NF }
    END { printf "%.2f %.0f %d\n", s, kb / 1024, code }' "$tmp/time"
}

echo "| rules (terms per condition) | facts | source | bytecode | compile | check (bytecode) | check (source) | case file at the 1 MiB limit |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
  n=${size%%:*}
  terms=0
  [ "$size" = "$n" ] || terms=${size#*:}
  dir="$tmp/$size"
  "$gen" "$n" "$dir" "$terms"
  facts=$(cat "$dir"/rules/*.rules | grep -c '^fait ')
  src=$(cat "$dir"/rules/*.rules | wc -c)
  # The same case, padded with comment lines to just under the case-file limit (1 MiB).
  awk '{ print } END { line = "# " sprintf("%0990d", 0); while (n < 1040000) { print line; n += 993 } }' \
    "$dir/case.fact" >"$dir/big.fact"
  read -r c_s c_m c_x < <(measure "$secretc" compile "$dir/rules" -o "$dir/big.secbc")
  if [ "$c_x" -ne 0 ]; then
    echo "measure: the rulebase of $size did not compile:" >&2
    "$secretc" compile "$dir/rules" -o /dev/null 2>&1 | head -3 >&2
    exit 1
  fi
  secbc=$(wc -c <"$dir/big.secbc")
  read -r b_s b_m b_x < <(measure "$secretc" check --rules "$dir/big.secbc" --date 2024-05-01 "$dir/case.fact")
  read -r s_s s_m s_x < <(measure "$secretc" check --rules "$dir/rules" --date 2024-05-01 "$dir/case.fact")
  read -r f_s f_m f_x < <(measure "$secretc" check --rules "$dir/big.secbc" --date 2024-05-01 "$dir/big.fact")
  # `check` exits 1 when rules conflict on the generated case; 0 or 1 both mean it answered.
  for x in "$b_x" "$s_x" "$f_x"; do
    [ "$x" -le 1 ] || { echo "measure: secretc check failed (exit $x) on $size" >&2; exit 1; }
  done
  awk -v n="$n$([ "$terms" = 0 ] || echo " ($terms)")" -v facts="$facts" -v src="$src" -v secbc="$secbc" -v c="$c_s s, $c_m MiB" \
    -v b="$b_s s, $b_m MiB" -v s="$s_s s, $s_m MiB" -v f="$f_s s, $f_m MiB" 'BEGIN {
      printf "| %s | %s | %.1f MiB | %.1f MiB | %s | %s | %s | %s |\n", n, facts, src / 1048576, secbc / 1048576, c, b,
             s, f }'
done
