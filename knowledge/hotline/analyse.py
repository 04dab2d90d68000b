"""Analyse a file of hotline call transcripts against the catalog.

    python -m knowledge.hotline.analyse CALLS.jsonl --out DIR

writes DIR/calls.csv (one row per call) and DIR/report.html (charts, complaints and work orders
by department, knowledge gaps, bad lines), shows a progress bar on stderr and the work orders on
stdout. The search index is cached under KNOWLEDGE_DATA_DIR when it is set, else under DIR/cache:
never in the checkout when DIR is elsewhere. The input format is
in docs/channels/hotline.md. Exit status: 0 when at least one call was analysed, 1 when the
file holds no valid call, 2 when it cannot be read or the output cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.hotline.calls import BadLine, CallFileError, read_calls

# the search engine takes seconds to import and load: only once the input is known to be usable
if TYPE_CHECKING:
    from knowledge.hotline.analysis import CallAnalyser, CallAnalysis
    from knowledge.settings import Settings

CSV_NAME = "calls.csv"
HTML_NAME = "report.html"
CACHE_NAME = "cache"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.hotline.analyse", description="Analyse hotline call transcripts (JSON lines)."
    )
    parser.add_argument("calls", type=Path, help="JSON lines, one call per line (see docs/channels/hotline.md)")
    parser.add_argument("--out", type=Path, required=True, help=f"directory for {CSV_NAME} and {HTML_NAME}")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return parser


def settings_for(out: Path) -> Settings:
    """The knowledge settings, with the index cache under KNOWLEDGE_DATA_DIR if set, else under `out`."""
    from knowledge.settings import get_settings

    settings = get_settings()
    if "data_dir" in settings.model_fields_set:  # KNOWLEDGE_DATA_DIR was given
        return settings
    return settings.model_copy(update={"data_dir": out / CACHE_NAME})


def _report_bad_lines(path: Path, bad: Sequence[BadLine]) -> None:
    for line in bad:
        print(f"{path}: skipped {line}", file=sys.stderr)


def _print_summary(analyses: Sequence[CallAnalysis], bad: Sequence[BadLine], out: Path) -> None:
    """Counts and the work orders; every text here comes masked from the analysis."""
    from knowledge.hotline.analysis import OUTCOME_LABELS, UNASSIGNED

    counts = {key: sum(1 for a in analyses if a.outcome == key) for key in OUTCOME_LABELS}
    gaps = sum(len(a.gaps) for a in analyses)
    print(
        f"{len(analyses)} calls analysed, {len(bad)} bad lines skipped: {counts['knowledge']} answered from the "
        f"catalog, {counts['work_order']} need a work order, {counts['no_request']} without a request; "
        f"{gaps} knowledge gaps."
    )
    for a in analyses:
        if a.outcome == "work_order":
            department = a.department.short_name if a.department else UNASSIGNED
            print(f"  work order {a.call_id} -> {department} ({'、'.join(a.reasons)}): {a.summary}")
    print(f"wrote {out / CSV_NAME} and {out / HTML_NAME}")


def main(argv: Sequence[str] | None = None, analyser: CallAnalyser | None = None) -> int:
    """Run the command; `analyser` is built from the knowledge settings unless given."""
    args = _parser().parse_args(argv)
    path: Path = args.calls
    try:
        calls, bad = read_calls(path)
    except CallFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _report_bad_lines(path, bad)
    if not calls:
        problem = f"all {len(bad)} lines are bad" if bad else "the file is empty"
        print(f"error: no call to analyse in {path}: {problem}", file=sys.stderr)
        return 1
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"error: cannot create output directory {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2

    from tqdm import tqdm

    from knowledge.hotline.analysis import make_analyser
    from knowledge.hotline.report import write_csv, write_html

    if analyser is None:
        analyser = make_analyser(settings_for(args.out), progress=not args.no_progress)
    bar = tqdm(
        analyser.analyse_many(calls),
        total=len(calls),
        desc="analysing calls",
        unit="call",
        file=sys.stderr,
        disable=args.no_progress,
    )
    analyses = list(bar)
    try:
        write_csv(analyses, args.out / CSV_NAME)
        write_html(analyses, bad, path.name, args.out / HTML_NAME)
    except OSError as error:
        print(f"error: cannot write the report to {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    _print_summary(analyses, bad, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
