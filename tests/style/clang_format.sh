#!/usr/bin/env bash
# The house layout (.clang-format, Google style at 120 columns) on every C and C++ file git tracks:
# `clang-format --dry-run --Werror` names each file and line that `clang-format -i` would change.
#   bash tests/style/clang_format.sh SOURCE_DIR
# To fix: `git ls-files '*.cpp' '*.hpp' '*.c' '*.h' | xargs clang-format -i`.
set -euo pipefail
cd "$1"
command -v clang-format >/dev/null || { echo "clang_format: clang-format is missing; run scripts/bootstrap.sh" >&2; exit 1; }
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "clang_format: $1 is not a git checkout; the files to check are those git tracks" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.c' '*.h')
[ ${#files[@]} -gt 50 ] || { echo "clang_format: only ${#files[@]} files found" >&2; exit 1; }
if ! out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
  printf '%s\n' "$out" | grep -E '^[^ ].*: (error|warning):' | head -40
  echo "clang_format: $(printf '%s\n' "$out" | grep -cE ': (error|warning):') places differ from .clang-format; run: git ls-files '*.cpp' '*.hpp' '*.c' '*.h' | xargs clang-format -i" >&2
  exit 1
fi
echo "clang_format: ${#files[@]} files follow .clang-format"
