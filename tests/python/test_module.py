#!/usr/bin/env python3
"""The Python module against the command: for every case file of examples/, `rulebase.check(facts)` must be
exactly the object `secretc check --format json` prints for it (all examples in one run of the command),
for the compiled rulebase and for the one built into the module, in French and in English; bad input must
raise secretc.CaseError or secretc.Error with located messages, and change nothing.

    test_module.py SECRETC BELGIAN.secbc EXAMPLES_DIR
"""
import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz"))
from fact_to_json import facts_of  # noqa: E402  (the facts of a case file as a JSON case gives them)

import secretc  # noqa: E402

DATE = "2025-03-01"  # the day for a case that does not give cas.date, the same for both


def check_json(binary, secbc, paths, lang):
    out = subprocess.run([binary, "check", "--rules", secbc, "--format", "json", "--lang", lang, "--date", DATE, *paths],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1) or not out.stdout:
        sys.exit(f"test_module: secretc check failed: {out.stderr}")
    answers = json.loads(out.stdout)
    return answers if isinstance(answers, list) else [answers]


failures = 0


def expect(condition, what):
    global failures
    if not condition:
        failures += 1
        print(f"test_module: FAIL: {what}", file=sys.stderr)


def first_difference(a, b, where=""):
    if type(a) is not type(b):
        return f"{where}: {a!r} / {b!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where}: keys {list(a)} / {list(b)}"
        for k in a:
            d = first_difference(a[k], b[k], f"{where}/{k}")
            if d:
                return d
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items / {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{where}/{i}")
            if d:
                return d
    elif a != b:
        return f"{where}: {a!r} / {b!r}"
    return None


def main():
    binary, secbc, examples = sys.argv[1:4]
    paths = sorted(glob.glob(os.path.join(examples, "*.fact")))
    expect(len(paths) >= 20, f"the examples are there ({len(paths)})")
    loaded = secretc.load(secbc)
    embedded = secretc.load()
    expect(embedded.hash == loaded.hash, "the module's rulebase is the one compiled by the build")
    compared = 0
    # Every example in French with the compiled rulebase; a few in English, and with the built-in one (an
    # answer costs some 40 ms today, most of it « pourquoi pas ? »: the test stays within seconds).
    for lang, some, rulebases in (("fr", paths, (loaded,)), ("en", paths[:6], (loaded,)), ("fr", paths[:6], (embedded,))):
        for path, expected in zip(some, check_json(binary, secbc, some, lang)):
            facts = facts_of(path)
            for rb in rulebases:
                got = rb.check(facts, case=path, lang=lang, date=DATE)
                diff = first_difference(got, expected)
                expect(diff is None, f"{os.path.basename(path)} ({lang}, {rb.path}): {diff}")
                compared += 1
            # Without « pourquoi pas ? », the same object but for `why_not`.
            if lang == "fr" and path in paths[:3]:
                lean = loaded.check(facts, case=path, lang=lang, date=DATE, why_not=False)
                expect("why_not" not in lean and dict(lean, why_not=expected["why_not"]) == expected,
                       f"{os.path.basename(path)}: why_not=False changes only why_not")

    # Values of every Python type a fact may have: a datetime.date is its day, None unknown.
    facts = facts_of(paths[0])
    as_date = dict(facts, **{"cas.date": datetime.date(2024, 5, 1)})
    as_text = dict(facts, **{"cas.date": "2024-05-01"})
    expect(loaded.check(as_date) == loaded.check(as_text), "a datetime.date reads as its YYYY-MM-DD")
    unknown = loaded.check({"confident.fonction": None, "cas.date": "2024-05-01"})
    expect(any(m["fact"] == "confident.fonction" for m in unknown["missing"]), "None is an unknown fact, asked about")
    expect(loaded.check({"confident.fonction": "Médecin"}, date=DATE) == loaded.check({"confident.fonction": "medecin"},
                                                                                      date=DATE),
           "a forgiving word reads as the member, as in a case file")

    # Bad input: located messages, and nothing changes (the next case is answered as before).
    before = loaded.check(facts, case="x", date=DATE)
    try:
        loaded.check({"confident.fonctio": "medecin", "victime.mineur": "peut-etre"})
        expect(False, "an unknown fact and a bad value raise CaseError")
    except secretc.CaseError as e:
        message, problems = e.args
        expect("/facts/confident.fonctio" in message and "confident.fonction" in message,
               f"the unknown fact is located, with a suggestion: {message}")
        expect([p["path"] for p in problems["errors"]] == ["/facts/confident.fonctio", "/facts/victime.mineur"],
               f"every problem is reported, located: {problems}")
    expect(loaded.check(facts, case="x", date=DATE) == before, "a refused case changes nothing")
    for bad, kind in (({"cas.date": 3.5}, TypeError), ({"cas.date": [1]}, TypeError),
                      ({"cas.date": "2024-02-30"}, secretc.CaseError), ({1: "x"}, TypeError),
                      ({"victime.mineur": 10**30}, ValueError)):
        try:
            loaded.check(bad)
            expect(False, f"{bad} is refused")
        except kind:
            pass
        except Exception as e:  # noqa: BLE001
            expect(False, f"{bad} raises {kind.__name__}, not {type(e).__name__}: {e}")
    for bad_lang, bad_date in (("de", None), (None, "01/05/2024")):
        try:
            loaded.check(facts, lang=bad_lang, date=bad_date)
            expect(False, f"lang {bad_lang} / date {bad_date} is refused")
        except ValueError:
            pass

    # Bytecode: a missing file, a damaged one, bytes that are none.
    for args, what in ((("/nonexistent/belgian.secbc",), "cannot open"),):
        try:
            secretc.load(*args)
            expect(False, "a missing file raises secretc.Error")
        except secretc.Error as e:
            expect(what in str(e), f"the message says why: {e}")
    data = open(secbc, "rb").read()
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x55
    for blob in (bytes(damaged), data[: len(data) // 3], b"", b"not bytecode at all, but long enough"):
        try:
            secretc.load_bytes(blob)
            expect(False, "damaged bytecode raises secretc.Error")
        except secretc.Error as e:
            expect(str(e).startswith("<bytes>: "), f"the message is located: {e}")
    expect(secretc.load_bytes(data).hash == loaded.hash, "good bytes load")

    # Rule sources are compiled: the folder gives the rulebase the build compiled (same hash, same answers);
    # rules that do not compile raise secretc.Error with their located diagnostics.
    sources = secretc.load(os.path.join(os.path.dirname(examples), "stdlib-rules"))
    expect(sources.hash == loaded.hash, f"stdlib-rules compiles to belgian.secbc's rulebase ({sources.hash})")
    expect(sources.check(facts, case="x", date=DATE) == loaded.check(facts, case="x", date=DATE),
           "compiled from sources, the same answer")
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.rules")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('base "b" version "1"\nrègle r quand vrai\n')
        for path, what in ((bad, "bad.rules:2:"), (os.path.join(tmp, "none.rules"), "no such file")):
            try:
                secretc.load(path)
                expect(False, f"{path} raises secretc.Error")
            except secretc.Error as e:
                expect(what in str(e), f"the message is located: {e}")
    expect([f["name"] for f in loaded.facts][:1] and "verdict" in loaded.outputs, "the vocabulary is readable")

    if failures:
        sys.exit(f"test_module: {failures} failures")
    print(f"test_module: {compared} answers identical to secretc check --format json")


if __name__ == "__main__":
    main()
