#!/usr/bin/env bash
# Packages the VS Code extension into a .vsix: the grammar generated from grammar/keywords.def, the npm
# dependencies as package-lock.json pins them, then npm's @vscode/vsce.
#   bash editors/vscode/scripts/package.sh [WORK_DIR] [OUTPUT.vsix]
# WORK_DIR (default: build/vscode) receives a copy of editors/vscode with its node_modules; the source
# folder is left as it is.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/vscode}
out=${2:-$work/secretc.vsix}
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/extension.js" "$here/language-configuration.json" "$here/.vscodeignore" "$work/"
mkdir -p "$work/syntaxes" "$work/scripts"
cp "$here/syntaxes/secretc-fact.tmLanguage.json" "$work/syntaxes/"
cp "$here/scripts/generate-grammar.mjs" "$work/scripts/"
cp "$here/README.md" "$work/README.md"
cd "$work"
if ! cmp -s package-lock.json node_modules/.secretc-package-lock.json; then
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.secretc-package-lock.json
fi
node scripts/generate-grammar.mjs "$root/grammar/keywords.def" syntaxes/secretc-rules.tmLanguage.json
npx --no-install vsce package --skip-license --allow-missing-repository --no-update-package-json --out "$out" \
  --no-git-tag-version --no-yarn 2>&1 | grep -v '^ WARNING' || true
test -s "$out" || { echo "package.sh: no $out was written" >&2; exit 1; }
echo "package.sh: $out"
