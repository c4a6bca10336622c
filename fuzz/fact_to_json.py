#!/usr/bin/env python3
"""Writes each case file given as the JSON case `secretc serve` reads (docs/case-files.md, "The HTTP API"):
`{"case": NAME, "facts": {...}}`, words left as written (the reader forgives them as a case file does).
Used by fuzz/make-corpus.sh for the json_case target's seeds.

    python3 fuzz/fact_to_json.py OUT_DIR CASE.fact...
"""
import json
import os
import re
import sys

WORDS = {"vrai": True, "oui": True, "true": True, "faux": False, "non": False, "false": False, "?": None}


def value_of(text):
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if text.lower() in WORDS:
        return WORDS[text.lower()]
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return text


def facts_of(path):
    facts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            # A comment starts at a `#` outside double quotes.
            quoted = False
            for i, c in enumerate(line):
                if c == '"':
                    quoted = not quoted
                elif c == "#" and not quoted:
                    line = line[:i]
                    break
            name, sep, value = line.partition("=")
            if sep:
                facts[name.strip()] = value_of(value.strip())
    return facts


def main():
    out = sys.argv[1]
    for path in sys.argv[2:]:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump({"case": name, "facts": facts_of(path)}, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
