#!/usr/bin/env python3
"""Seeds for fuzz_capi (fuzz/fuzz_capi.cpp): each case file as the calls that give its facts through the C API
and evaluate them, against the Belgian rulebase; and the same calls over bytecode files given (rulebase from the
input). Used by fuzz/make-corpus.sh.

    python3 fuzz/capi_seeds.py OUT_DIR CASES.fact... [--bytecode FILE.secbc...]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fact_to_json import facts_of  # noqa: E402


def text(s):
    b = s.encode("utf-8")[:255]
    return bytes([len(b)]) + b


def calls_of(facts):
    out = b""
    for name, value in facts.items():
        named = b"\xff" + text(name)  # a name given as bytes, not picked among the facts
        if value is None:
            out += b"\x05" + named
        elif isinstance(value, bool):
            out += b"\x00" + named + bytes([1 if value else 0])
        elif isinstance(value, int):
            out += b"\x01" + named + (value & (2**64 - 1)).to_bytes(8, "little") + b"\x00"
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            y, m, d = (int(x) for x in value.split("-"))
            out += b"\x02" + named + bytes([(y + 100) // 40, (y + 100) % 40, m, d])
        elif name == "cas.titre":
            out += b"\x04" + named + b"\x80" + text(value)
        else:
            out += b"\x03" + named + b"\xff" + text(value)
    return out + b"\x07"  # evaluate


def main():
    args = sys.argv[2:]
    bytecode = args[args.index("--bytecode") + 1:] if "--bytecode" in args else []
    cases = args[:args.index("--bytecode")] if "--bytecode" in args else args
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in cases:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(b"\x00" + calls_of(facts_of(path)))
    # Over a bytecode of the input: facts picked by index (any rulebase has its own names), evaluated, cleared.
    picked = b"".join(bytes([op, i]) + tail for i, (op, tail) in enumerate(
        [(3, b"\x01"), (0, b"\x01"), (3, b"\x02"), (5, b""), (7, b""), (3, b"\x05"), (6, b""), (7, b""), (8, b""), (7, b"")]))
    for path in bytecode:
        data = open(path, "rb").read()
        if len(data) > 65535:
            continue
        name = os.path.basename(path).split(".")[0]
        with open(os.path.join(out, "bytecode_" + name + ".bin"), "wb") as f:
            f.write(b"\x03" + len(data).to_bytes(2, "little") + data + picked)


if __name__ == "__main__":
    main()
