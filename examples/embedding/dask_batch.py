#!/usr/bin/env python3
"""A batch of cases answered by Dask, over the Python module `secretc`: what a service that outgrows one
machine does — secretc builds no cluster of its own, it runs inside an existing engine.

The cases are a JSON Lines file, one case a line (`{"id": …, "facts": {…}}`); Dask reads it in partitions
(`dask.bag.read_text` with a block size), each partition loads the rulebase once in its worker and answers
its cases with `rulebase.check`, and the answers come back in the order of the file, one JSON object a
line, each the object of `secretc check --format json` with the case's id.

    dask_batch.py [--rules R.secbc] [--cases N | --input CASES.jsonl] [--workdir DIR] [--partitions P]
                  [--scheduler processes|threads|synchronous] [--workers W] [--why-not] [--check]

Without --input, N random cases of the rulebase's vocabulary are generated (seeded: --seed). --check runs
the same cases in this one process and fails unless every answer is the same. By default « pourquoi pas ? »
is left out of the answers (no `why_not`, as `secretc check --jsonl` gives them; it costs nearly all of an answer's time, some 45 ms a case today);
--why-not gives check's full object.
"""
import argparse
import json
import os
import random
import sys
import time

import dask
import dask.bag as db

import secretc

_loaded = {}


def rulebase(path):
    """One rulebase per worker process and path, loaded on first use (a Rulebase is not sent between processes)."""
    if path not in _loaded:
        _loaded[path] = secretc.load(path) if path else secretc.load()
    return _loaded[path]


def answer(line, rules, date, why_not):
    case = json.loads(line)
    out = rulebase(rules).check(case["facts"], case=str(case["id"]), date=date, why_not=why_not)
    out["id"] = case["id"]
    return out


def answer_partition(lines, rules, date, why_not):
    return [answer(line, rules, date, why_not) for line in lines if line.strip()]


def generate(rb, count, seed):
    """Cases over the rulebase's vocabulary: each fact given with some probability, as a member, a yes/no,
    a date, or None (unknown); the others left out."""
    rnd = random.Random(seed)
    cases = []
    for i in range(count):
        facts = {}
        for f in rb.facts:
            if rnd.random() < 0.2:
                continue
            if rnd.random() < 0.05:
                facts[f["name"]] = None
            elif f["members"]:
                facts[f["name"]] = rnd.choice(f["members"])
            elif f["type"] == "bool":
                facts[f["name"]] = rnd.random() < 0.5
            elif f["type"] == "date":
                facts[f["name"]] = f"{rnd.randint(2015, 2026)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        cases.append({"id": i, "facts": facts})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", default="", help="a .secbc file (default: the Belgian rulebase built into the module)")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--input", help="a JSON Lines file of cases instead of generated ones")
    ap.add_argument("--workdir", default="dask_batch")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--scheduler", default="processes", choices=["processes", "threads", "synchronous"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--date", default="2026-01-01", help="the day for cases that do not give cas.date")
    ap.add_argument("--why-not", action="store_true", help="include « pourquoi pas ? » (slower)")
    ap.add_argument("--check", action="store_true", help="compare with the same cases answered in this process")
    args = ap.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    path = args.input
    if not path:
        path = os.path.join(args.workdir, "cases.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            # Not through rulebase(): the functions sent to the workers carry its cache, and a Rulebase
            # does not travel between processes.
            vocabulary = secretc.load(args.rules) if args.rules else secretc.load()
            for case in generate(vocabulary, args.cases, args.seed):
                f.write(json.dumps(case, ensure_ascii=False) + "\n")
    size = os.path.getsize(path)

    start = time.perf_counter()
    bag = db.read_text(path, blocksize=max(1, size // args.partitions + 1))
    answers = bag.map_partitions(answer_partition, args.rules, args.date, args.why_not)
    with dask.config.set(scheduler=args.scheduler, num_workers=args.workers):
        results = answers.compute()
    seconds = time.perf_counter() - start
    out = os.path.join(args.workdir, "answers.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    verdicts = {}
    for r in results:
        verdicts[r["outputs"]["verdict"]] = verdicts.get(r["outputs"]["verdict"], 0) + 1
    print(f"dask_batch: {len(results)} cases in {bag.npartitions} partitions ({args.scheduler}, {args.workers} workers) "
          f"in {seconds:.2f} s; answers in {out}; verdicts: {dict(sorted(verdicts.items()))}")

    if args.check:
        with open(path, encoding="utf-8") as f:
            lines = [line for line in f if line.strip()]
        start = time.perf_counter()
        alone = [answer(line, args.rules, args.date, args.why_not) for line in lines]
        print(f"dask_batch: the same {len(alone)} cases in this process in {time.perf_counter() - start:.2f} s")
        if bag.npartitions < 2:
            sys.exit("dask_batch: the batch was not split into partitions")
        if [r["id"] for r in results] != [json.loads(line)["id"] for line in lines]:
            sys.exit("dask_batch: the answers are not in the order of the cases")
        for a, b in zip(results, alone):
            if a != b:
                sys.exit(f"dask_batch: case {b['id']} gets another answer under Dask")
        if len(results) != len(alone) or len(verdicts) < 2:
            sys.exit("dask_batch: too few answers, or all alike: the comparison would prove little")
        print("dask_batch: every answer is the one-process answer")


if __name__ == "__main__":
    main()
