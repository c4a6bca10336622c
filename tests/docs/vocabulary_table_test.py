#!/usr/bin/env python3
"""docs/case-files.md's vocabulary must be the rulebase's.

Usage: vocabulary_table_test.py SECRETC CASE_FILES_MD RULES

Reads the fact table of §2 and the output table of §3 of CASE_FILES_MD and compares them with
`SECRETC vocab --rules RULES --format json`: every fact of the one is in the other, with the same type,
the same members (in the same order) and the same default; every output has the members the page
lists (all of them, unless the page gives examples with « e.g. »). Prints every disagreement and exits 1
if there is one, 2 if the page or the command cannot be read.
"""

import json
import re
import subprocess
import sys

NO_DEFAULT = object()  # the page's « — »: the fact is unknown when not written


def cells(line):
    """The cells of a Markdown table row (no cell of these tables holds a `|`)."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_after(lines, heading_prefix):
    """The rows (as lists of cells) of the first table after the heading that starts with heading_prefix."""
    start = next((i for i, l in enumerate(lines) if l.startswith(heading_prefix)), None)
    if start is None:
        raise ValueError(f"no heading starting with {heading_prefix!r}")
    rows, in_table = [], False
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            in_table = True
            rows.append(cells(line))
        elif in_table:
            break
    if len(rows) < 3:
        raise ValueError(f"no table after {heading_prefix!r}")
    return rows[2:]  # skip the header row and the |---| row


def code_name(cell):
    m = re.fullmatch(r"`([a-z_][a-z0-9_.]*)`", cell)
    if not m:
        raise ValueError(f"expected a `name`, got {cell!r}")
    return m.group(1)


def page_type(cell):
    """(type, members): `bool`, `date`, …, or `enum: \\`a b c\\`` with its members."""
    m = re.fullmatch(r"enum: `([^`]*)`", cell)
    if m:
        return "enum", m.group(1).split()
    if cell in ("bool", "integer", "date", "string", "article"):
        return cell, None
    raise ValueError(f"unknown type {cell!r}")


def page_default(cell):
    if cell.startswith("—"):
        return NO_DEFAULT
    if cell.startswith("the day the tool runs"):
        return "today"
    if cell in ("false", "true"):
        return cell == "true"
    if re.fullmatch(r"-?[0-9]+", cell):
        return int(cell)
    m = re.fullmatch(r"`([^`]*)`", cell)
    if m:
        return m.group(1)
    raise ValueError(f"unknown default {cell!r}")


def shown(value):
    return "none" if value is NO_DEFAULT or value is None else json.dumps(value)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    secretc, page_path, rules = argv[1:]
    try:
        with open(page_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        fact_rows = table_after(lines, "## 2.")
        output_rows = table_after(lines, "## 3.")
        page_facts = {}
        for row in fact_rows:
            name = code_name(row[0])
            if name in page_facts:
                raise ValueError(f"`{name}` appears twice in the table")
            kind, members = page_type(row[1])
            page_facts[name] = (kind, members, page_default(row[3]))
        run = subprocess.run([secretc, "vocab", "--rules", rules, "--format", "json"],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise ValueError(f"secretc vocab failed ({run.returncode}): {run.stderr.strip()}")
        vocab = json.loads(run.stdout)
    except (OSError, ValueError, IndexError) as e:
        print(f"{page_path}: cannot compare: {e}", file=sys.stderr)
        return 2

    problems = []
    facts = {f["name"]: f for f in vocab["facts"]}
    for name, (kind, members, default) in page_facts.items():
        fact = facts.get(name)
        if fact is None:
            problems.append(f"`{name}` is in the page's table, not in the rulebase")
            continue
        if fact["type"] != kind:
            problems.append(f"`{name}`: the page says {kind}, the rulebase says {fact['type']}")
        if kind == "enum" and fact["type"] == "enum":
            actual = [m["name"] for m in fact["members"]]
            if actual != members:
                missing = [m for m in actual if m not in members]
                extra = [m for m in members if m not in actual]
                detail = "; ".join(filter(None, [
                    f"the page lacks {' '.join(missing)}" if missing else "",
                    f"the rulebase lacks {' '.join(extra)}" if extra else "",
                    "the order differs" if not missing and not extra else ""]))
                problems.append(f"`{name}`: members differ ({detail})")
        actual_default = NO_DEFAULT if fact["default"] is None else fact["default"]
        if actual_default != default or type(actual_default) is not type(default):
            problems.append(f"`{name}`: the page's default is {shown(default)}, the rulebase's {shown(actual_default)}")
    for name in facts:
        if name not in page_facts:
            problems.append(f"`{name}` is in the rulebase, not in the page's table")

    outputs = {o["name"]: o for o in vocab["outputs"]}
    page_outputs = set()
    for row in output_rows:
        name = code_name(row[0])
        page_outputs.add(name)
        output = outputs.get(name)
        if output is None:
            problems.append(f"output `{name}` is in the page, not in the rulebase")
            continue
        listed = [w for group in re.findall(r"`([^`]*)`", row[1]) for w in group.split()]
        actual = [m["name"] for m in output["members"]]
        unknown = [m for m in listed if m not in actual]
        if unknown:
            problems.append(f"output `{name}`: the page lists {' '.join(unknown)}, not members of the rulebase")
        if "e.g." not in row[1] and sorted(listed) != sorted(actual):
            problems.append(f"output `{name}`: the page lists {' '.join(listed)}, the rulebase has {' '.join(actual)}")
        is_set = row[1].startswith("set")
        if is_set != (output["kind"] == "set"):
            problems.append(f"output `{name}`: the page says {'a set' if is_set else 'one value'}, the rulebase says {output['kind']}")
    for name in outputs:
        if name not in page_outputs:
            problems.append(f"output `{name}` is in the rulebase, not in the page")

    for p in problems:
        print(f"{page_path}: {p}")
    if problems:
        print(f"{len(problems)} disagreement(s) between {page_path} and `secretc vocab`")
        return 1
    print(f"{len(page_facts)} facts and {len(page_outputs)} outputs agree with `secretc vocab`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
