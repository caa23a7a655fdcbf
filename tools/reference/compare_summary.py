#!/usr/bin/env python3
"""Compares `netdsl summary --json` output with examples/models/reference.json.

    dotnet run --project dsl/NetDsl.Cli -- summary examples/models --json > /tmp/zoo.json
    python3 tools/reference/compare_summary.py /tmp/zoo.json [examples/models/reference.json]

Exit code 1 when a network is missing or outside its tolerance.
"""
import json
import sys


def main():
    summary = json.load(open(sys.argv[1]))
    ref = json.load(open(sys.argv[2] if len(sys.argv) > 2 else "examples/models/reference.json"))
    got = {n["name"]: n for n in summary}
    bad = 0
    for name, r in ref.items():
        n = got.get(name)
        if n is None:
            print(f"{name:<26} MISSING from the summary")
            bad += 1
            continue
        dp = (n["parameters"] - r["params"]) / r["params"]
        dm = (n["macs"] - r["macs"]) / r["macs"]
        okp = abs(dp) <= r["params_tolerance"] + 1e-12
        okm = abs(dm) <= r["macs_tolerance"] + 1e-12
        okin = list(n["input"]) == list(r["input"])
        bad += (not okp) + (not okm) + (not okin)
        print(f"{name:<26} params {n['parameters']:>12,} vs {r['params']:>12,} ({dp:+.2%}) {'ok' if okp else 'MISMATCH'}"
              f"   MACs {n['macs'] / 1e6:>9.2f} M vs {r['macs'] / 1e6:>9.2f} M ({dm:+.3%}) {'ok' if okm else 'MISMATCH'}"
              + ("" if okin else f"   input {n['input']} vs {r['input']} MISMATCH"))
    extra = sorted(set(got) - set(ref))
    if extra:
        print("not in reference.json:", ", ".join(extra))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
