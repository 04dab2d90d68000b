"""Print the intent macro-F1 and weakest intents from a `rasa test nlu --cross-validation` run."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    report = json.loads((Path(sys.argv[1]) / "intent_report.json").read_text(encoding="utf-8"))
    macro = report["macro avg"]
    print(f"intent macro-F1 {macro['f1-score']:.3f} (precision {macro['precision']:.3f}, recall {macro['recall']:.3f})")
    intents = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}
    for name, values in sorted(intents.items(), key=lambda kv: kv[1]["f1-score"])[:8]:
        print(f"  {name:<20} f1 {values['f1-score']:.3f} support {values['support']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
