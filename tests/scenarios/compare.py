#!/usr/bin/env python3
"""Compares two shells' scenario results (tests/scenarios/README.md, "Results").

    python3 tests/scenarios/compare.py build/scenario-results/android.json build/scenario-results/ios.json

Prints every scenario whose status or observed values differ, and exits 1 if any do.
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(left_path, right_path):
    left, right = load(left_path), load(right_path)
    names = (left.get("shell", left_path), right.get("shell", right_path))
    differ = 0
    ids = sorted(set(left["scenarios"]) | set(right["scenarios"]))
    for sid in ids:
        a, b = left["scenarios"].get(sid), right["scenarios"].get(sid)
        if a is None or b is None:
            print(f"{sid}: only in {names[0] if b is None else names[1]}")
            differ += 1
            continue
        if a["status"] != b["status"]:
            print(f"{sid}: {names[0]} {a['status']}, {names[1]} {b['status']}")
            differ += 1
        seen_a = {(o["step"], o["name"]): o["value"] for o in a.get("observed", [])}
        seen_b = {(o["step"], o["name"]): o["value"] for o in b.get("observed", [])}
        for key in sorted(set(seen_a) | set(seen_b)):
            if seen_a.get(key) != seen_b.get(key):
                print(f"{sid} step {key[0]} {key[1]}: {names[0]} {seen_a.get(key)!r}, "
                      f"{names[1]} {seen_b.get(key)!r}")
                differ += 1
    print(f"compared {len(ids)} scenarios, {differ} differences")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
