"""The report of the last sheet import into a catalog, kept beside it for the staff console."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPORT_FILE = "import-report.json"


@dataclass(frozen=True)
class ImportReport:
    sheet: str  # the file name the operator imported
    out: str  # the YAML file written (or that would have been)
    ok: bool
    matters: int = 0
    problems: list[str] = field(default_factory=list)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def write_report(catalog_dir: Path, report: ImportReport) -> None:
    """Record `report` as the catalog's last import; a catalog dir that cannot be written is skipped."""
    try:
        (catalog_dir / REPORT_FILE).write_text(
            json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    except OSError:
        pass


def read_report(catalog_dir: Path) -> ImportReport | None:
    """The catalog's last import, if one was recorded and is readable."""
    try:
        data = json.loads((catalog_dir / REPORT_FILE).read_text(encoding="utf-8"))
        return ImportReport(**data)
    except (OSError, ValueError, TypeError):
        return None
