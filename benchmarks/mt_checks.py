"""How well the translation checks (trnews.quality) catch bad translations, against a simple baseline.

    .venv/bin/python benchmarks/mt_checks.py [--data benchmarks/data/mt_checks.jsonl] [--show-misses]

The labelled set holds Turkish -> English pairs written for this project: good translations (some
of them false-alarm traps: numbers written another way, inflected names, exonyms, datelines,
short lines, loose paraphrases) and faulty ones of every kind the checks are for. It prints
Markdown: recall per fault kind (share of its pairs with any flag), precision per check (share of
its flags that fell on faulty pairs), and the share of good pairs flagged, for trnews's checks and
for the baseline: the surface rules without any Turkish knowledge (output identical to the
source, empty, a character ratio of 3, every digit string of the source written the same way in
the translation). The pairs carry no model score, so the low-confidence check is not measured here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trnews.config import QualityConfig  # noqa: E402
from trnews.quality.checks import PairToCheck, check_pairs  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "mt_checks.jsonl"
# The targets: recall per kind, and the most good pairs that may be flagged.
TARGETS = {"untranslated": 0.9, "looping": 0.9, "number": 0.9, "date": 0.9, "empty": 0.9, "wrong_language": 0.9,
           "truncation": 0.6, "addition": 0.6, "name": 0.6}
MAX_GOOD_FLAGGED = 0.05


def baseline(tr: str, en: str) -> list[str]:
    """Surface rules without Turkish knowledge: identical, empty, length ratio 3, digit strings."""
    flags = []
    if not en.strip():
        flags.append("empty")
    elif en.strip() == tr.strip():
        flags.append("identical")
    if en.strip() and max(len(en), len(tr)) / max(1, min(len(en), len(tr))) >= 3:
        flags.append("length_ratio")
    if any(number not in en for number in re.findall(r"\d+(?:[.,]\d+)*", tr)):
        flags.append("digits")
    return flags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-misses", action="store_true", help="list missed faults and flagged good pairs")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    flagged = check_pairs([PairToCheck(r["tr"], r["en"], r.get("score")) for r in rows], QualityConfig())
    systems = {"trnews": [[f.check for f in flags] for flags in flagged],
               "baseline": [baseline(r["tr"], r["en"]) for r in rows]}
    kinds = sorted({r["kind"] for r in rows} - {"good"}, key=list(TARGETS).index)
    good = [i for i, r in enumerate(rows) if r["kind"] == "good"]
    traps = [i for i in good if rows[i].get("trap")]
    print(f"{len(rows)} pairs: {len(good)} good ({len(traps)} of them traps), "
          + ", ".join(f"{sum(1 for r in rows if r['kind'] == k)} {k}" for k in kinds) + "\n")
    print("| kind | target | trnews | baseline |\n| --- | ---: | ---: | ---: |")
    for kind in kinds:
        members = [i for i, r in enumerate(rows) if r["kind"] == kind]
        cells = [f"{sum(1 for i in members if systems[s][i]) / len(members):.0%}" for s in systems]
        print(f"| {kind} (recall) | ≥ {TARGETS[kind]:.0%} | " + " | ".join(cells) + " |")
    for label, members in (("good pairs flagged", good), ("traps flagged", traps)):
        cells = [f"{sum(1 for i in members if systems[s][i]) / len(members):.1%}" for s in systems]
        print(f"| {label} | ≤ {MAX_GOOD_FLAGGED:.0%} | " + " | ".join(cells) + " |")
    for name, results in systems.items():
        print(f"\n{name}: precision per check (flags on faulty pairs / all its flags)\n")
        print("| check | flags | precision |\n| --- | ---: | ---: |")
        per_check: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for row, checks in zip(rows, results):
            for check in set(checks):
                per_check[check] += 1
                right[check] += row["kind"] != "good"
        for check, count in sorted(per_check.items()):
            print(f"| {check} | {count} | {right[check] / count:.0%} |")
    if args.show_misses:
        print("\nMissed faults and flagged good pairs (trnews):\n")
        for row, flags in zip(rows, flagged):
            if (row["kind"] == "good") == bool(flags):
                print(f"- {row['id']}: {row['tr']} → {row['en']} :: " + "; ".join(f.reason for f in flags))


if __name__ == "__main__":
    main()
