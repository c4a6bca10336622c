#!/usr/bin/env bash
# Golden diagnostics: runs secretc on each tests/golden/<name>/input.rules or input.fact and compares
# what it prints (and its exit code) byte for byte with tests/golden/<name>/expected.
#
#   bash tests/golden/run.sh SECRETC [NAME...]            compare (ctest runs one NAME per test)
#   bash tests/golden/run.sh --update SECRETC [NAME...]   regenerate the expected files (then review the diff)
#
# A rule file is compiled (`secretc compile input.rules -o …`); a case file is checked against
# tests/golden/rulebase.rules (`secretc check --rules ../rulebase.rules --date 2024-05-01 input.fact`).
# secretc runs from the case's folder, so the messages name `input.rules` / `input.fact`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
secretc=${1:?usage: run.sh [--update] SECRETC [NAME...]}
secretc=$(cd "$(dirname "$secretc")" && pwd)/$(basename "$secretc")
shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in "$here"/*/; do names+=("$(basename "$d")"); done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for name in "${names[@]}"; do
  dir="$here/$name"
  if [ -f "$dir/input.rules" ]; then
    shown="secretc compile input.rules -o input.secbc"
    (cd "$dir" && "$secretc" compile input.rules -o "$tmp/input.secbc" >"$tmp/out" 2>"$tmp/err")
  elif [ -f "$dir/input.fact" ]; then
    shown="secretc check --rules ../rulebase.rules --date 2024-05-01 input.fact"
    (cd "$dir" && "$secretc" check --rules ../rulebase.rules --date 2024-05-01 input.fact >"$tmp/out" 2>"$tmp/err")
  else
    echo "golden: $name has neither input.rules nor input.fact" >&2
    failed=1
    continue
  fi
  code=$?
  {
    echo "\$ $shown"
    echo "exit $code"
    if [ -s "$tmp/out" ]; then echo "--- stdout"; cat "$tmp/out"; fi
    if [ -s "$tmp/err" ]; then echo "--- stderr"; cat "$tmp/err"; fi
  } >"$tmp/actual"
  if [ $update -eq 1 ]; then
    cp "$tmp/actual" "$dir/expected"
  elif ! cmp -s "$tmp/actual" "$dir/expected"; then
    echo "golden: $name differs from its expected output (< expected, > actual):" >&2
    diff "$dir/expected" "$tmp/actual" >&2
    echo "golden: if the new message is better, run: bash tests/golden/run.sh --update $secretc $name" >&2
    failed=1
  fi
done
exit $failed
