#!/usr/bin/env bash
# `secretc lsp` with a real client: Neovim (headless) opens a rule file whose fact is misspelt, beside the
# file declaring the vocabulary; its LSP client must receive the diagnostic at that line and a hover.
#   bash tests/lsp/nvim_test.sh SECRETC
set -euo pipefail
secretc=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null || { echo "nvim_test: Neovim is not installed (scripts/bootstrap.sh installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/00_vocabulaire.rules" <<'RULES'
base "Essai" version "1"

fait cas.date : date = aujourd'hui "Quand ?"
fait victime.mineur : booléen = faux "La victime est-elle mineure ?"

sortie verdict : énumération { garder "Garder le secret", peut "Peut révéler" } = garder
RULES
cat >"$tmp/10_regles.rules" <<'RULES'
règle exception "Exception"
  cite "art. 458bis C. pén."
  quand victime.mineure
  alors verdict = peut
  parce que "Mineur en danger."
RULES
SECRETC=$secretc RULES_FILE="$tmp/10_regles.rules" RESULT_FILE="$tmp/result" \
  timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile $here/nvim_client.lua" >/dev/null 2>"$tmp/nvim.err" || true
if [ ! -f "$tmp/result" ]; then
  echo "nvim_test: Neovim wrote no result" >&2
  cat "$tmp/nvim.err" >&2
  exit 1
fi
cat "$tmp/result"
status=0
grep -q '^diagnostic 3:9 .*victime\.mineure.*victime\.mineur' "$tmp/result" ||
  { echo "nvim_test: the diagnostic of line 3 (the misspelt fact, with the fact meant) did not reach Neovim" >&2; status=1; }
grep -q '^hover .*exception.*Exception' "$tmp/result" ||
  { echo "nvim_test: no hover on the rule's name" >&2; status=1; }
exit $status
