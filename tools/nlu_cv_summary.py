"""Print the intent macro-F1 and weakest intents from a `rasa test nlu --cross-validation` run.

`--table` prints every intent as a Markdown table (for docs/nlu.md); `--baseline DIR` adds the
change against another run's report, e.g. the same folds with and without a featurizer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def load_report(run_dir: Path) -> dict[str, Any]:
    """The intent report that `rasa test nlu` writes into its --out directory."""
    path = run_dir / "intent_report.json"
    if not path.is_file():
        raise SystemExit(f"no intent_report.json in {run_dir}: run `make nlu-cv` (or nlu-cv-e5) first")
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


def per_intent(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per-intent scores, without the averages and the overall accuracy."""
    return {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="output directory of the cross-validation run")
    parser.add_argument("--baseline", type=Path, help="another run to compare with (adds a delta column)")
    parser.add_argument("--table", action="store_true", help="every intent as a Markdown table, weakest first")
    args = parser.parse_args(argv)

    report = load_report(args.run)
    base = load_report(args.baseline) if args.baseline else None
    macro = report["macro avg"]
    line = f"intent macro-F1 {macro['f1-score']:.3f} (precision {macro['precision']:.3f}, recall {macro['recall']:.3f})"
    if base:
        before = base["macro avg"]["f1-score"]
        line += f", baseline {before:.3f} ({macro['f1-score'] - before:+.3f})"
    print(line)

    intents = sorted(per_intent(report).items(), key=lambda kv: kv[1]["f1-score"])
    base_intents = per_intent(base) if base else {}
    if not args.table:
        for name, values in intents[:8]:
            print(f"  {name:<20} f1 {values['f1-score']:.3f} support {values['support']}")
        return 0
    print("| intent | F1 | examples |" + (" baseline F1 | change |" if base else ""))
    print("|---|---|---|" + ("---|---|" if base else ""))
    for name, values in intents:
        row = f"| {name} | {values['f1-score']:.2f} | {values['support']} |"
        if base and name in base_intents:
            before = base_intents[name]["f1-score"]
            row += f" {before:.2f} | {values['f1-score'] - before:+.2f} |"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
