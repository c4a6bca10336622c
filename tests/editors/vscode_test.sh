#!/usr/bin/env bash
# The VS Code extension (editors/vscode/): packaged into a .vsix by its own script (npm's @vscode/vsce,
# its dependencies from package-lock.json), the package's contents checked, and its grammars tokenized on
# every rule and case file of the project (grammar_test.mjs).
#   bash tests/editors/vscode_test.sh WORK_DIR SOURCE_DIR
set -euo pipefail
work=$1 source=$2
for tool in node npm python3; do
  command -v "$tool" >/dev/null || { echo "vscode test: \`$tool\` is missing; run scripts/bootstrap.sh" >&2; exit 1; }
done
bash "$source/editors/vscode/scripts/package.sh" "$work" "$work/secretc.vsix"
python3 - "$work/secretc.vsix" <<'PY'
import json, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for needed in ("extension/package.json", "extension/extension.js", "extension/language-configuration.json",
               "extension/syntaxes/secretc-rules.tmLanguage.json", "extension/syntaxes/secretc-fact.tmLanguage.json",
               "extension/node_modules/vscode-languageclient/package.json"):
    if needed not in names:
        sys.exit(f"vscode test: {needed} is not in the .vsix")
leaked = [n for n in names if n.startswith("extension/scripts/") or "vscode-textmate" in n or "@vscode/vsce" in n]
if leaked:
    sys.exit(f"vscode test: the .vsix holds what only building needs: {leaked[:5]}")
grammar = json.loads(zipfile.ZipFile(sys.argv[1]).read("extension/syntaxes/secretc-rules.tmLanguage.json"))
if "keywords.def" not in grammar["$comment"]:
    sys.exit("vscode test: the packaged grammar was not generated from grammar/keywords.def")
print(f"vscode test: {sys.argv[1]} holds the extension, its grammars and its language client ({len(names)} files)")
PY
node "$source/tests/editors/grammar_test.mjs" "$work" "$source"
