#!/usr/bin/env python3
"""Prints the line and branch coverage per module from JaCoCo's aggregate CSV and checks the floors.

Usage: coverage-summary.py jacoco.csv
The floors are the README's: 85 % of lines over all modules, 80 % in each module; below either, exit 1.
"""
import csv
import sys
from collections import defaultdict

FLOOR_TOTAL_LINES = 85.0
FLOOR_MODULE_LINES = 80.0


def main(argv):
    path = argv[1]
    totals = defaultdict(lambda: [0, 0, 0, 0])  # line missed, covered, branch missed, covered
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            t = totals[row["GROUP"].split("/")[-1].removeprefix("gateway-")]
            t[0] += int(row["LINE_MISSED"])
            t[1] += int(row["LINE_COVERED"])
            t[2] += int(row["BRANCH_MISSED"])
            t[3] += int(row["BRANCH_COVERED"])
    print("coverage (unit + end-to-end tests, JaCoCo)")
    print(f"  {'module':<18}{'lines':>10}{'branches':>11}")
    all_t = [sum(t[i] for t in totals.values()) for i in range(4)]
    low = []
    for name in sorted(totals) + ["total"]:
        t = all_t if name == "total" else totals[name]
        lines = 100.0 * t[1] / max(1, t[0] + t[1])
        branches = 100.0 * t[3] / max(1, t[2] + t[3])
        print(f"  {name:<18}{lines:>9.1f}%{branches:>10.1f}%")
        if lines < (FLOOR_TOTAL_LINES if name == "total" else FLOOR_MODULE_LINES):
            low.append(f"{name} {lines:.1f}%")
    print(f"  floors: {FLOOR_TOTAL_LINES:.0f}% of lines in all, {FLOOR_MODULE_LINES:.0f}% in each module")
    if low:
        print("coverage below the floor: " + ", ".join(low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
