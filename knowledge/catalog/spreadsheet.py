"""Import matters from, and export them to, the one-sheet template in docs/data-format.md.

One row per material. The matter columns are filled on the first row of each matter;
its further rows repeat only the 事项编码 and carry one more material each. Cells that
hold several values put one value per line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.catalog.models import Matter

# (header, matter field) in sheet order; material columns follow
MATTER_COLUMNS: list[tuple[str, str]] = [
    ("事项编码", "code"),
    ("事项ID", "id"),
    ("事项名称", "name"),
    ("别名", "aliases"),
    ("实施部门", "department"),
    ("事项类型", "matter_type"),
    ("服务对象", "service_object"),
    ("事项概述", "summary"),
    ("设定依据", "legal_basis"),
    ("受理条件", "conditions"),
    ("办理情形", "situations"),
    ("办理流程", "process"),
    ("法定时限", "time_limit.legal_days"),
    ("承诺时限", "time_limit.promised_days"),
    ("时限说明", "time_limit.note"),
    ("是否收费", "fee.charged"),
    ("收费标准", "fee.amount"),
    ("收费依据", "fee.basis"),
    ("办理大厅", "location.hall"),
    ("窗口号", "location.windows"),
    ("办公时间", "hours"),
    ("咨询电话", "phone"),
    ("网办深度", "online.depth"),
    ("网办地址", "online.url"),
    ("到现场次数", "visits"),
    ("跨省通办", "cross_province"),
    ("证照邮寄", "postal_delivery"),
    ("自助终端", "self_service_terminal"),
    ("常见问题", "faqs"),
]
MATERIAL_COLUMNS: list[tuple[str, str]] = [
    ("材料名称", "name"),
    ("必要性", "necessity"),
    ("材料形式", "form"),
    ("份数", "copies"),
    ("材料来源", "source"),
    ("材料规格", "spec"),
    ("材料备注", "note"),
    ("适用情形", "applies_when"),
]
HEADERS = [h for h, _ in MATTER_COLUMNS] + [h for h, _ in MATERIAL_COLUMNS]
LIST_FIELDS = {"aliases", "service_object", "legal_basis", "conditions", "process"}
BOOL_FIELDS = {"fee.charged", "cross_province", "postal_delivery", "self_service_terminal"}
INT_FIELDS = {"time_limit.legal_days", "time_limit.promised_days"}
YES, NO = "是", "否"


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based sheet row, the header being row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.message}"


class SheetError(Exception):
    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} bad row(s):\n{lines}")


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


def _check_separators(value: str, where: str, forbidden: str) -> str:
    for char in forbidden:
        if char in value:
            raise ValueError(f"{where}: '{value}' contains the separator '{char}'")
    return value


# --- export -----------------------------------------------------------------------------


def _matter_cell(matter: dict[str, Any], path: str) -> str:
    if path == "situations":
        return "\n".join(
            "|".join(
                [s["key"], _check_separators(s["question"], "situation question", "|\n")]
                + ["/".join(_check_separators(o, "situation option", "/|\n") for o in s["options"])]
            )
            for s in matter["situations"]
        )
    if path == "faqs":
        return "\n".join(
            f"{_check_separators(f['q'], 'faq', '|' + chr(10))}|{_check_separators(f['a'], 'faq', '|' + chr(10))}"
            for f in matter["faqs"]
        )
    value: Any = matter
    for part in path.split("."):
        value = value[part]
    if path == "location.windows":
        return ",".join(str(n) for n in value)
    if path in LIST_FIELDS:
        return "\n".join(_check_separators(v, path, "\n") for v in value)
    if path in BOOL_FIELDS:
        return YES if value else NO
    return str(value)


def _material_cell(material: dict[str, Any], key: str) -> str:
    value = material[key]
    if key == "applies_when":
        return ";".join(f"{k}={'/'.join(v)}" for k, v in value.items())
    return str(value)


def matters_to_rows(matters: list[Matter]) -> list[list[str]]:
    """Rows of the sheet, header first."""
    rows = [HEADERS]
    for matter in matters:
        data = matter.model_dump(mode="json")
        for index, material in enumerate(data["materials"]):
            if index == 0:
                head = [_matter_cell(data, path) for _, path in MATTER_COLUMNS]
            else:
                head = [data["code"]] + [""] * (len(MATTER_COLUMNS) - 1)
            rows.append(head + [_material_cell(material, key) for _, key in MATERIAL_COLUMNS])
    return rows


def write_sheet(matters: list[Matter], path: Path) -> None:
    """Write matters to a .csv (UTF-8 with BOM, as Excel expects) or .xlsx file."""
    rows = matters_to_rows(matters)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "事项"
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)


# --- import -----------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.reader(handle)]


def _parse_bool(cell: str) -> bool:
    if cell in (YES, "true", "True", "1"):
        return True
    if cell in (NO, "false", "False", "0"):
        return False
    raise ValueError(f"expected {YES} or {NO}, got '{cell}'")


def _parse_int(cell: str) -> int:
    try:
        return int(float(cell))
    except ValueError:
        raise ValueError(f"expected a whole number, got '{cell}'") from None


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _parse_matter_cell(path: str, cell: str) -> Any:
    if path == "situations":
        situations = []
        for line in _lines(cell):
            parts = line.split("|")
            if len(parts) != 3:
                raise ValueError(f"expected 'key|question|option/option', got '{line}'")
            situations.append({"key": parts[0], "question": parts[1], "options": parts[2].split("/")})
        return situations
    if path == "faqs":
        faqs = []
        for line in _lines(cell):
            question, sep, answer = line.partition("|")
            if not sep:
                raise ValueError(f"expected 'question|answer', got '{line}'")
            faqs.append({"q": question, "a": answer})
        return faqs
    if path == "location.windows":
        return [_parse_int(n) for n in cell.replace("，", ",").split(",") if n.strip()]
    if path in LIST_FIELDS:
        return _lines(cell)
    if path in BOOL_FIELDS:
        return _parse_bool(cell)
    if path in INT_FIELDS:
        return _parse_int(cell)
    return cell


def _parse_material(cells: dict[str, str]) -> dict[str, Any]:
    material: dict[str, Any] = {}
    for header, key in MATERIAL_COLUMNS:
        cell = cells[header]
        if key == "copies":
            material[key] = _parse_int(cell)
        elif key == "applies_when":
            conditions: dict[str, list[str]] = {}
            for part in filter(None, (p.strip() for p in cell.split(";"))):
                situation, sep, options = part.partition("=")
                if not sep:
                    raise ValueError(f"expected 'key=option/option', got '{part}'")
                conditions[situation.strip()] = options.split("/")
            material[key] = conditions
        else:
            material[key] = cell
    return material


def rows_to_matters(rows: list[list[str]]) -> list[Matter]:
    """Parse sheet rows into validated matters, or raise `SheetError` naming every bad row."""
    if not rows:
        raise SheetError([RowProblem(1, "(sheet)", "the sheet is empty")])
    header = [h.strip() for h in rows[0]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise SheetError([RowProblem(1, "(header)", f"missing columns: {missing}")])
    position = {h: header.index(h) for h in HEADERS}

    problems: list[RowProblem] = []
    # code -> (first row number, raw matter dict, material row numbers)
    drafts: dict[str, tuple[int, dict[str, Any], list[int]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for h, i in position.items()}
        code = cells["事项编码"]
        if not code:
            problems.append(RowProblem(number, "事项编码", "missing"))
            continue
        if code not in drafts:
            draft: dict[str, Any] = {}
            for header_name, path in MATTER_COLUMNS:
                try:
                    _set(draft, path, _parse_matter_cell(path, cells[header_name]))
                except ValueError as error:
                    problems.append(RowProblem(number, header_name, str(error)))
            draft["materials"] = []
            drafts[code] = (number, draft, [])
        first_row, draft, material_rows = drafts[code]
        try:
            draft["materials"].append(_parse_material(cells))
            material_rows.append(number)
        except ValueError as error:
            problems.append(RowProblem(number, "适用情形", str(error)))

    matters: list[Matter] = []
    for first_row, draft, material_rows in drafts.values():
        try:
            matters.append(Matter.model_validate(draft))
        except ValidationError as error:
            for detail in error.errors():
                loc = detail["loc"]
                sheet_row = first_row
                if len(loc) >= 2 and loc[0] == "materials" and isinstance(loc[1], int):
                    sheet_row = material_rows[loc[1]]
                column = ".".join(str(p) for p in loc) or "(matter)"
                problems.append(RowProblem(sheet_row, column, detail["msg"]))
    if problems:
        raise SheetError(sorted(problems, key=lambda p: p.row))
    return matters
