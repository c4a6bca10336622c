#!/usr/bin/env python3
"""The C embedding example (examples/embedding/embed_check.c) against `secretc check --format json`: the case
it gives through the C API is examples/mediateur_tribunal_procedure_inconnue.fact, and every part of its
answer must be check's — each output's value, whether it is settled and what it may still be, the rules that
apply (grounds and warnings), those set aside, those that may apply, conflicts, and the open questions in
check's order, with their rank and question.

    compare_check.py EMBED_CHECK SECRETC BELGIAN.secbc CASE.fact
"""
import json
import subprocess
import sys


def fail(what, ours, theirs):
    print(f"compare_check: {what} differs\n  C API: {ours!r}\n  check: {theirs!r}", file=sys.stderr)
    sys.exit(1)


def main():
    embed, secretc, secbc, case = sys.argv[1:5]
    ours = json.loads(subprocess.run([embed, secbc], check=True, capture_output=True, text=True).stdout)
    theirs = json.loads(
        subprocess.run([secretc, "check", "--rules", secbc, "--format", "json", case], check=True, capture_output=True,
                       text=True).stdout)

    if list(ours["outputs"]) != list(theirs["outputs"]):
        fail("the outputs", list(ours["outputs"]), list(theirs["outputs"]))
    for name, o in ours["outputs"].items():
        if o["value"] != theirs["outputs"][name]:
            fail(f"the value of {name}", o["value"], theirs["outputs"][name])
        status = theirs["status"][name]
        if o["settled"] != status["settled"]:
            fail(f"whether {name} is settled", o["settled"], status["settled"])
        if o["possible"] != status["possible"]:
            fail(f"the values {name} may take", o["possible"], status["possible"])
    conflicted = sorted(c["output"] for c in theirs["conflicts"])
    if sorted(n for n, o in ours["outputs"].items() if o["conflict"]) != conflicted:
        fail("the outputs in conflict", ours["outputs"], conflicted)
    if ours["conflicts"] != theirs["conflicts"]:
        fail("the conflicts", ours["conflicts"], theirs["conflicts"])

    # check orders its grounds for the reader; the C API gives rules in the rulebase's order.
    rules = sorted(r["rule"] for r in ours["applies"] if not r["warning"])
    grounds = sorted(g["rule"] for g in theirs["grounds"])
    if rules != grounds:
        fail("the rules that apply", rules, grounds)
    warnings = [r["rule"] for r in ours["applies"] if r["warning"]]
    if warnings != [w["rule"] for w in theirs["warnings"] if w["kind"] == "warning"]:
        fail("the warnings", warnings, theirs["warnings"])
    titles = {g["rule"]: g.get("title", g["rule"]) for g in theirs["grounds"]}
    for r in ours["applies"]:
        if not r["warning"] and r["title"] != titles[r["rule"]]:
            fail(f"the title of {r['rule']}", r["title"], titles[r["rule"]])
    if ours["set_aside"] != theirs["overridden"]:
        fail("the rules set aside", ours["set_aside"], theirs["overridden"])
    may_apply = [m["rule"] for m in theirs["may_apply"]]
    if ours["may_apply"] != may_apply:
        fail("the rules that may apply", ours["may_apply"], may_apply)
    missing = [{"fact": m["fact"], "rank": m["rank"], "question": m["question"]} for m in theirs["missing"]]
    if ours["open_questions"] != missing:
        fail("the open questions", ours["open_questions"], missing)

    # The case was chosen for its open question: a comparison of settled answers only would prove less.
    if ours["outputs"]["verdict"]["settled"] or not missing or not rules or not ours["set_aside"]:
        print("compare_check: the case no longer has an unsettled verdict, open questions, grounds and a rule set "
              "aside; choose another", file=sys.stderr)
        sys.exit(1)
    print(f"compare_check: the C API gives check's answer: {len(ours['outputs'])} outputs, {len(rules)} rules, "
          f"{len(ours['set_aside'])} set aside, {len(may_apply)} may apply, {len(missing)} open questions")


if __name__ == "__main__":
    main()
