#!/usr/bin/env bash
# Golden outputs: runs secretc on each tests/golden/<name>/ and compares what it prints (and its exit
# code) byte for byte with tests/golden/<name>/expected.
#
#   bash tests/golden/run.sh SECRETC [NAME...]            compare (ctest runs one NAME per test)
#   bash tests/golden/run.sh --update SECRETC [NAME...]   regenerate the expected files (then review the diff)
#
# What runs depends on the folder:
#   rules_*, case_*  the diagnostics. A rule file is compiled (`secretc compile input.rules -o …`, with the
#                    arguments in `args` after it when the folder has one, like `--lang en`); a case
#                    file is checked against tests/golden/rulebase.rules (`secretc check --rules
#                    ../rulebase.rules --date 2024-05-01 input.fact`). secretc runs from the case's folder,
#                    so the messages name `input.rules` / `input.fact`.
#   fmt_*            the formatter: input.rules is copied to a scratch folder, where `secretc fmt --check
#                    input.rules` then `secretc fmt input.rules` run; the file as formatted follows.
#   disasm_*         the disassembler: the rule sources named in `sources` (paths from the repository's
#                    root, on one line) are compiled to input.secbc in a scratch folder, where `secretc
#                    disasm input.secbc` runs.
#   diff_*           `secretc diff` with the arguments in `args` (paths from the repository's root, on one
#                    line), run from the repository's root.
#   test_*           `secretc test` once for each line of `args` (its arguments, paths from the repository's
#                    root, no argument holding a blank), run from the repository's root.
# No output holds an absolute path (every path given is relative) or today's date (`diff` dates its
# witnesses by `--date`, or else by a day of the rulebases, never today).
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

# Runs secretc with the given arguments from folder $1 and appends, under `$ secretc SHOWN`, its exit
# code, standard output and standard error to $tmp/actual. Usage: step FOLDER SHOWN ARG...
step() {
  local folder=$1 shown=$2 code
  shift 2
  (cd "$folder" && "$secretc" "$@" >"$tmp/out" 2>"$tmp/err")
  code=$?
  {
    echo "\$ secretc $shown"
    echo "exit $code"
    if [ -s "$tmp/out" ]; then echo "--- stdout"; cat "$tmp/out"; fi
    if [ -s "$tmp/err" ]; then echo "--- stderr"; cat "$tmp/err"; fi
  } >>"$tmp/actual"
}

root=$(cd "$here/../.." && pwd)
failed=0
for name in "${names[@]}"; do
  dir="$here/$name"
  : >"$tmp/actual"
  rm -rf "$tmp/work" && mkdir "$tmp/work"
  case "$name" in
    fmt_*)
      cp "$dir/input.rules" "$tmp/work/input.rules"
      step "$tmp/work" "fmt --check input.rules" fmt --check input.rules
      step "$tmp/work" "fmt input.rules" fmt input.rules
      { echo "--- input.rules, formatted"; cat "$tmp/work/input.rules"; } >>"$tmp/actual"
      ;;
    disasm_*)
      read -r -a sources <"$dir/sources"
      step "$root" "compile ${sources[*]} -o input.secbc" compile "${sources[@]}" -o "$tmp/work/input.secbc"
      step "$tmp/work" "disasm input.secbc" disasm input.secbc
      ;;
    diff_*)
      read -r -a args <"$dir/args"
      step "$root" "diff ${args[*]}" diff "${args[@]}"
      ;;
    test_*)
      while read -r -a args; do
        step "$root" "test ${args[*]}" test "${args[@]}"
      done <"$dir/args"
      ;;
    *)
      if [ -f "$dir/input.rules" ]; then
        extra=()
        if [ -f "$dir/args" ]; then read -r -a extra <"$dir/args"; fi
        step "$dir" "compile input.rules -o input.secbc${extra[*]:+ ${extra[*]}}" compile input.rules -o "$tmp/input.secbc" "${extra[@]}"
      elif [ -f "$dir/input.fact" ]; then
        step "$dir" "check --rules ../rulebase.rules --date 2024-05-01 input.fact" \
          check --rules ../rulebase.rules --date 2024-05-01 input.fact
      else
        echo "golden: $name has neither input.rules nor input.fact" >&2
        failed=1
        continue
      fi
      ;;
  esac
  if [ $update -eq 1 ]; then
    cp "$tmp/actual" "$dir/expected"
  elif ! cmp -s "$tmp/actual" "$dir/expected"; then
    echo "golden: $name differs from its expected output (< expected, > actual):" >&2
    diff "$dir/expected" "$tmp/actual" >&2
    echo "golden: if the new output is better, run: bash tests/golden/run.sh --update $secretc $name" >&2
    failed=1
  fi
done
exit $failed
