#!/usr/bin/env python3
"""docs/guide-juriste.md must stay true to the Belgian rulebase.

Usage: guide_test.py SECRETC REPO_ROOT

Reads REPO_ROOT/docs/guide-juriste.md and checks:
* every fenced block marked ```rules file is a whole rulebase: written alone to a temporary folder,
  `SECRETC compile` accepts it, and `SECRETC test` passes its tests;
* every other block marked ```secretc or ```rules is a fragment of stdlib-rules/: each of its lines
  (leading and trailing blanks aside; blank lines and lines of only « … » skipped) is a line of some
  file of REPO_ROOT/stdlib-rules/;
* every `stdlib-rules/…` file the guide names exists;
* every rule or warning the guide names after « règle(s) » or « avertissement(s) » (`name` in
  backquotes) is declared in stdlib-rules/ or in one of the guide's whole rulebases, and one named
  right after its file — « `stdlib-rules/F.rules`, règle `x` » — is declared in that file.
Prints every disagreement and exits 1 if there is one, 2 if the guide or the rulebase cannot be read.
"""

import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(.*)$")
DECLARED = re.compile(r"^(?:règle|regle|avertissement)\s+([a-z_][a-z0-9_]*)", re.MULTILINE)
FILE_NAME = re.compile(r"stdlib-rules/[A-Za-z0-9_.-]+\.rules")
# « règle `a` », « règles `a`, `b` et `c` », « avertissement `a` »
NAMED = re.compile(r"\b(?:règles?|avertissements?)\s+((?:`[a-z_][a-z0-9_]*`(?:\s*(?:,|et|ou)\s*)?)+)")
# « `stdlib-rules/F.rules`, règle `x` » (also across a line break)
NAMED_IN_FILE = re.compile(
    r"`(stdlib-rules/[A-Za-z0-9_.-]+\.rules)`,\s+(?:règle|avertissement)\s+`([a-z_][a-z0-9_]*)`")


def blocks(text):
    """(info string, first line number, lines) of each fenced block, and the prose outside them."""
    found, prose, current = [], [], None
    for number, line in enumerate(text.split("\n"), start=1):
        m = FENCE.match(line)
        if current is None:
            if m:
                current = (m.group(1).strip(), number + 1, [])
            else:
                prose.append(line)
        elif m and not m.group(1).strip():
            found.append(current)
            current = None
        else:
            current[2].append(line)
    if current is not None:
        raise ValueError(f"the block opened at line {current[1] - 1} is never closed")
    return found, "\n".join(prose)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    secretc, root = sys.argv[1], sys.argv[2]
    guide_path = os.path.join(root, "docs", "guide-juriste.md")
    rules_dir = os.path.join(root, "stdlib-rules")
    try:
        with open(guide_path, encoding="utf-8") as f:
            guide = f.read()
        rule_files = {}
        for name in sorted(os.listdir(rules_dir)):
            if name.endswith(".rules"):
                with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
                    rule_files[name] = f.read()
        found, prose = blocks(guide)
    except (OSError, ValueError) as e:
        print(f"guide_test: {e}", file=sys.stderr)
        return 2
    if not rule_files:
        print(f"guide_test: no .rules file in {rules_dir}", file=sys.stderr)
        return 2

    errors = []
    stdlib_lines = {line.strip() for text in rule_files.values() for line in text.split("\n")}
    declared_in = {name: set(DECLARED.findall(text)) for name, text in rule_files.items()}
    declared = set().union(*declared_in.values())

    whole, fragments = 0, 0
    with tempfile.TemporaryDirectory(prefix="guide_test_") as tmp:
        for info, first, lines in found:
            words = info.split()
            if not words or words[0] not in ("secretc", "rules"):
                continue
            if words[1:] == ["file"]:
                whole += 1
                folder = os.path.join(tmp, f"block_{first}")
                os.mkdir(folder)
                with open(os.path.join(folder, "base.rules"), "w", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
                declared |= set(DECLARED.findall("\n".join(lines)))
                for command in ([secretc, "compile", folder, "-o", os.path.join(tmp, f"block_{first}.secbc")],
                                [secretc, "test", folder]):
                    run = subprocess.run(command, capture_output=True, text=True)
                    if run.returncode != 0:
                        errors.append(f"guide line {first}: the rulebase of this block fails "
                                      f"`secretc {command[1]}`:\n{run.stdout}{run.stderr}")
            elif words[1:]:
                errors.append(f"guide line {first}: unknown block marker ```{info}")
            else:
                fragments += 1
                for offset, line in enumerate(lines):
                    text = line.strip()
                    if text and text != "…" and text not in stdlib_lines:
                        errors.append(f"guide line {first + offset}: this line of a fragment is in no "
                                      f"stdlib-rules/ file: {text}")

    if whole == 0 or fragments == 0:
        errors.append(f"the guide holds {whole} whole rulebases and {fragments} fragments: "
                      "its markers (```rules file, ```secretc) were not found")

    for name in sorted(set(FILE_NAME.findall(guide))):
        if name.split("/", 1)[1] not in rule_files:
            errors.append(f"the guide names {name}, which does not exist")

    named = set()
    for group in NAMED.findall(prose):
        named |= set(re.findall(r"`([a-z_][a-z0-9_]*)`", group))
    for name in sorted(named - declared):
        errors.append(f"the guide names the rule `{name}`, which no rule file declares")
    for path, name in NAMED_IN_FILE.findall(prose):
        file = path.split("/", 1)[1]
        if file in rule_files and name not in declared_in[file]:
            errors.append(f"the guide names the rule `{name}` in {path}, which does not declare it")

    for e in errors:
        print(e)
    print(f"guide_test: {whole} whole rulebases, {fragments} fragments, {len(named)} rules named, "
          f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
