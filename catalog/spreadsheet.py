"""Import matters from, and export them to, the one-sheet template in docs/data-format.md.

One row per material. The matter columns are filled on the first row of each matter;
its further rows repeat only the 事项编码 (or leave it empty, as merged cells do) and carry
one more material each. Every problem is reported once, in the sheet's own words:
`sheet row N, column 〈header〉: what is wrong; what would be right`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalog.loader import find_collisions, matter_place_problems
from catalog.models import (
    Department,
    HallMap,
    MaterialForm,
    MaterialSource,
    Matter,
    MatterType,
    Necessity,
    OnlineDepth,
    ServiceObject,
)

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
# columns a provincial export may lack entirely; a missing one reads as empty cells
OPTIONAL_HEADERS = {
    "事项ID", "别名", "办理情形", "时限说明", "收费标准", "收费依据", "常见问题",
    "材料规格", "材料备注", "适用情形",
}
# names other systems give the same column
HEADER_SYNONYMS = {
    "实施编码": "事项编码", "基本编码": "事项编码", "事项别名": "别名", "俗称": "别名",
    "实施主体": "实施部门", "办理部门": "实施部门", "行使层级事项类型": "事项类型",
    "办件类型": "事项类型", "办理地点": "办理大厅", "窗口": "窗口号", "办理窗口": "窗口号",
    "办理时间": "办公时间", "咨询方式": "咨询电话", "联系电话": "咨询电话",
    "是否支持跨省通办": "跨省通办", "是否支持物流快递": "证照邮寄", "是否支持自助终端办理": "自助终端",
    "必要性及描述": "必要性", "材料必要性": "必要性", "纸质材料份数": "份数",
}
HEADER_OF_PATH = {path: header for header, path in MATTER_COLUMNS}
HEADER_OF_MATERIAL = {key: header for header, key in MATERIAL_COLUMNS}

BOOL_FIELDS = {"fee.charged", "cross_province", "postal_delivery", "self_service_terminal"}
INT_FIELDS = {"time_limit.legal_days", "time_limit.promised_days"}
# lists of short values: split on new lines and on Chinese and English list separators
SHORT_LIST_FIELDS = {"aliases", "service_object"}
# lists of sentences, which contain commas and semicolons themselves: one per line
SENTENCE_LIST_FIELDS = {"legal_basis", "conditions", "process"}
SHORT_SEPARATORS = re.compile(r"[\n、，,/;；]+")
SENTENCE_SEPARATORS = re.compile(r"\n+")
YES, NO = "是", "否"
YES_WORDS = {"是", "有", "支持", "y", "yes", "true", "1", "√"}
NO_WORDS = {"否", "无", "不支持", "n", "no", "false", "0", "×"}

# what a right value looks like, per column: the second half of every message
EXPECTED: dict[str, str] = {
    "事项编码": "write the implementation code: 8-40 letters, digits or '-'",
    "事项ID": "write lower-case letters, digits and '-' (2-64, starting with a letter or digit), "
    "or leave it empty to derive it from 实施部门 and 事项编码",
    "事项名称": "write the official name",
    "别名": "write each alias once, separated by 、 or a new line, or leave it empty",
    "实施部门": "write a department's ID, name or short name from the departments list",
    "事项类型": "write one of " + "、".join(t.value for t in MatterType),
    "服务对象": "write 个人, 法人, or both (个人、法人)",
    "事项概述": "write a one-sentence description",
    "设定依据": "write at least one law or rule, one per line",
    "受理条件": "write at least one condition, one per line",
    "办理情形": "write one situation per line as key|question|option/option, key in lower-case letters",
    "办理流程": "write at least two steps, one per line",
    "法定时限": "write a whole number of working days, 0-365",
    "承诺时限": "write a whole number of working days, 0-365, no more than 法定时限",
    "是否收费": "write 是 or 否",
    "收费标准": "write the amount when 是否收费 is 是",
    "收费依据": "write the legal basis of the fee when 是否收费 is 是",
    "办理大厅": "write a hall's ID or name from the hall map",
    "窗口号": "write window numbers separated by 、 or , (e.g. 10、11、12) or a range (10-12)",
    "办公时间": "write the opening hours",
    "咨询电话": "write a landline with area code (0431-88888888, extension as 0431-88888888转8001), "
    "a mobile number, or a five-digit service number such as 12345",
    "网办深度": "write one of " + "、".join(d.value for d in OnlineDepth),
    "网办地址": "write an https:// address when 网办深度 is not 不支持",
    "到现场次数": "write 0, 1 or n (more than once)",
    "跨省通办": "write 是 or 否",
    "证照邮寄": "write 是 or 否",
    "自助终端": "write 是 or 否",
    "常见问题": "write one question and answer per line as question|answer",
    "材料名称": "write the material's name",
    "必要性": "write 必要, 非必要 or 容缺 (是 = 必要, 否 = 非必要)",
    "材料形式": "write one of " + "、".join(f.value for f in MaterialForm),
    "份数": "write a whole number of copies, 0-20 (1 or 1份)",
    "材料来源": "write one of " + "、".join(s.value for s in MaterialSource),
    "适用情形": "write key=option/option; for several situations separate them with ;",
}

FORM_SYNONYMS = {"原件及复印件": "原件和复印件", "原件、复印件": "原件和复印件", "原件+复印件": "原件和复印件",
                 "电子版": "电子", "电子证照": "电子", "电子材料": "电子", "纸质原件": "原件"}
SOURCE_SYNONYMS = {"申请人": "申请人自备", "申请人提供": "申请人自备", "政府部门": "政府部门核发",
                   "数据共享": "数据共享免提交", "免提交": "数据共享免提交"}
NECESSITY_SYNONYMS = {"是": "必要", "否": "非必要", "必须": "必要", "非必须": "非必要", "容缺受理": "容缺"}
SERVICE_OBJECT_SYNONYMS = {"自然人": "个人", "企业": "法人", "企业法人": "法人", "法人或其他组织": "法人",
                           "其他组织": "法人"}
VISITS_SYNONYMS = {"0次": "0", "1次": "1", "多次": "n", "n次": "n", "N": "n"}


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong and what would be right."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based sheet row, the header being row 1
    column: str
    message: str
    sheet: str = ""  # "" for the matter sheet; 部门 or 窗口 for the others

    def __str__(self) -> str:
        if not self.row:  # not in the sheet: a file of the target catalog
            return self.message
        sheet = f"sheet {self.sheet} " if self.sheet else "sheet "
        column = f", column {self.column}" if self.column else ""
        return f"{sheet}row {self.row}{column}: {self.message}"


class SheetError(Exception):
    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s), nothing imported:\n{lines}")


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


def split_list(cell: str, separators: re.Pattern[str]) -> list[str]:
    """The non-empty, stripped parts of a cell."""
    return [part.strip() for part in separators.split(cell) if part.strip()]


def _check_separators(value: str, where: str, forbidden: str) -> str:
    for char in forbidden:
        if char in value:
            raise ValueError(f"{where}: '{value}' contains the separator '{char}'")
    return value


def normalise_header(header: str) -> str:
    """事项名称（必填）, ' 事项名称 ', *事项名称 and 实施编码 all name a known column."""
    plain = unicodedata.normalize("NFKC", header)
    plain = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", plain)
    plain = re.sub(r"\s+|\*|必填|选填", "", plain)
    return HEADER_SYNONYMS.get(plain, plain)


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
    if path in SHORT_LIST_FIELDS:
        return "\n".join(_check_separators(v, path, "\n、，,/;；") for v in value)
    if path in SENTENCE_LIST_FIELDS:
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
    rows = [list(HEADERS)]
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


# --- reading ----------------------------------------------------------------------------

DEPARTMENTS_SHEET, WINDOWS_SHEET = "部门", "窗口"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 20 as 20.0
    return str(value)


def read_workbook(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of an .xlsx by name (the first is also under ""), or a .csv under ""."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheets = {
            ws.title: [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in workbook.worksheets
        }
        sheets[""] = sheets[workbook.worksheets[0].title]
        return sheets
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {"": [row for row in csv.reader(handle)]}


def read_rows(path: Path) -> list[list[str]]:
    """The rows of the first sheet."""
    return read_workbook(path)[""]


# --- cell parsers -----------------------------------------------------------------------


def _choice(cell: str, allowed: list[str], synonyms: dict[str, str], header: str) -> str:
    value = synonyms.get(cell, cell)
    if value not in allowed:
        raise CellError(f"'{cell}' is not a valid {header}; {EXPECTED[header]}")
    return value


def _parse_bool(cell: str, header: str) -> bool:
    if not cell:
        raise CellError(f"is empty; {EXPECTED[header]}")
    if cell.lower() in YES_WORDS:
        return True
    if cell.lower() in NO_WORDS:
        return False
    raise CellError(f"'{cell}' is not yes or no; {EXPECTED[header]}")


def _parse_int(cell: str, header: str, unit: str = "") -> int:
    if not cell:
        raise CellError(f"is empty; {EXPECTED[header]}")
    plain = unicodedata.normalize("NFKC", cell).strip()
    if unit:
        plain = plain.removesuffix(unit).strip()
    if plain.endswith("个工作日") or plain.endswith("工作日"):
        plain = plain.removesuffix("个工作日").removesuffix("工作日").strip()
    try:
        number = float(plain)
    except ValueError:
        raise CellError(f"'{cell}' is not a whole number; {EXPECTED[header]}") from None
    if not number.is_integer():
        raise CellError(f"'{cell}' is not a whole number; {EXPECTED[header]}")
    return int(number)


def parse_windows(cell: str) -> list[int]:
    """Window numbers as cities write them: 10、11、12, 16,17, 10-12, 10号窗口."""
    numbers: list[int] = []
    plain = unicodedata.normalize("NFKC", cell).replace("号窗口", "").replace("窗口", "").replace("号", "")
    for part in split_list(plain, re.compile(r"[\n、，,/;；\s]+")):
        bounds = re.fullmatch(r"(\d+)[-~至到](\d+)", part)
        if bounds and int(bounds[1]) <= int(bounds[2]):
            numbers.extend(range(int(bounds[1]), int(bounds[2]) + 1))
        elif part.isdigit():
            numbers.append(int(part))
        else:
            raise CellError(f"'{part}' is not a window number; {EXPECTED['窗口号']}")
    if not numbers:
        raise CellError(f"is empty; {EXPECTED['窗口号']}")
    return numbers


def _parse_situations(cell: str) -> list[dict[str, Any]]:
    situations = []
    for line in _lines(cell):
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        parts[0] = unicodedata.normalize("NFKC", parts[0])
        if len(parts) != 3:
            raise CellError(f"'{line}' is not key|question|option/option; {EXPECTED['办理情形']}")
        options = split_list(parts[2], re.compile(r"[/／]"))
        situations.append({"key": parts[0], "question": parts[1], "options": options})
    return situations


def _parse_faqs(cell: str) -> list[dict[str, str]]:
    faqs = []
    for line in _lines(cell):
        question, sep, answer = line.replace("｜", "|").partition("|")
        if not sep:
            raise CellError(f"'{line}' has no | between question and answer; {EXPECTED['常见问题']}")
        faqs.append({"q": question.strip(), "a": answer.strip()})
    return faqs


def _parse_applies_when(cell: str) -> dict[str, list[str]]:
    conditions: dict[str, list[str]] = {}
    plain = cell.replace("；", ";").replace("＝", "=")
    for part in split_list(plain, re.compile(r"[;\n]")):
        situation, sep, options = part.partition("=")
        if not sep:
            raise CellError(f"'{part}' has no = between situation and options; {EXPECTED['适用情形']}")
        conditions[unicodedata.normalize("NFKC", situation).strip()] = split_list(options, re.compile(r"[/／]"))
    return conditions


def _parse_matter_cell(path: str, cell: str, resolve: Resolver) -> Any:
    header = HEADER_OF_PATH[path]
    if path == "situations":
        return _parse_situations(cell)
    if path == "faqs":
        return _parse_faqs(cell)
    if path == "location.windows":
        return parse_windows(cell)
    if path == "service_object":
        allowed = [o.value for o in ServiceObject]
        return list(dict.fromkeys(_choice(v, allowed, SERVICE_OBJECT_SYNONYMS, header)
                                  for v in split_list(cell, SHORT_SEPARATORS)))
    if path in SHORT_LIST_FIELDS:
        return split_list(cell, SHORT_SEPARATORS)
    if path in SENTENCE_LIST_FIELDS:
        return split_list(cell, SENTENCE_SEPARATORS)
    if path in BOOL_FIELDS:
        return _parse_bool(cell, header)
    if path in INT_FIELDS:
        return _parse_int(cell, header)
    if path == "matter_type" and cell:
        return _choice(cell, [t.value for t in MatterType], {}, header)
    if path == "online.depth" and cell:
        return _choice(cell, [d.value for d in OnlineDepth], {}, header)
    if path == "visits":
        return VISITS_SYNONYMS.get(cell, cell)
    if path == "department" and cell:
        return resolve.department(cell)
    if path == "location.hall" and cell:
        return resolve.hall(cell)
    return cell


def _parse_material_cell(key: str, cell: str) -> Any:
    header = HEADER_OF_MATERIAL[key]
    if key == "copies":
        return _parse_int(cell, header, unit="份")
    if key == "applies_when":
        return _parse_applies_when(cell)
    if key == "necessity":
        return _choice(cell, [n.value for n in Necessity], NECESSITY_SYNONYMS, header)
    if key == "form":
        return _choice(cell, [f.value for f in MaterialForm], FORM_SYNONYMS, header)
    if key == "source":
        return _choice(cell, [s.value for s in MaterialSource], SOURCE_SYNONYMS, header)
    return cell


# --- the target catalog: what names resolve to and what the sheet is checked against ----


@dataclass
class Resolver:
    """Department and hall names as a city writes them, resolved to catalog ids."""

    departments: dict[str, Department] = field(default_factory=dict)
    hall_map: HallMap | None = None

    def department(self, cell: str) -> str:
        for department in self.departments.values():
            if cell in (department.id, department.name, department.short_name):
                return department.id
        if self.departments:
            known = "、".join(d.short_name for d in self.departments.values())
            raise CellError(f"'{cell}' is not a department of the catalog; write one of {known} "
                            "(ID, name or short name), or add it in the 部门 sheet")
        return cell

    def hall(self, cell: str) -> str:
        if self.hall_map is not None:
            halls = [p for p in self.hall_map.places if p.kind == "hall"]
            for place in halls:
                if cell in (place.id, place.name, *place.aliases):
                    return place.id
            raise CellError(f"'{cell}' is not a hall of the map; write one of {'、'.join(p.name for p in halls)}")
        return cell


@dataclass
class ImportContext:
    """What the sheet is checked against: the target catalog's departments, map and other matters."""

    departments: dict[str, Department]
    hall: HallMap
    # (matter id, code, name, aliases, where) of matters in the catalog's other files
    other_matters: list[tuple[str, str, str, list[str], str]] = field(default_factory=list)


# --- import -----------------------------------------------------------------------------


@dataclass
class _Draft:
    """One matter as read from the sheet, with the rows it came from."""

    first_row: int
    data: dict[str, Any]
    material_rows: list[int] = field(default_factory=list)
    # field paths whose cells already failed: pydantic's follow-on errors for them are dropped
    failed: set[tuple[Any, ...]] = field(default_factory=set)


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def header_positions(header_row: list[str], wanted: list[str], optional: set[str]) -> tuple[
    dict[str, int], list[RowProblem]
]:
    """Column index by known header, and a problem naming every required column missing."""
    normalised = [normalise_header(h) for h in header_row]
    position: dict[str, int] = {}
    for index, name in enumerate(normalised):
        if name in wanted and name not in position:
            position[name] = index
    missing = [h for h in wanted if h not in position and h not in optional]
    problems = []
    if missing:
        problems.append(RowProblem(1, "", f"missing columns: {'、'.join(missing)}; add them to the header row "
                                          "(see docs/data-format.md for the template)"))
    return position, problems


def row_cells(row: list[str], position: dict[str, int], headers: list[str]) -> dict[str, str]:
    """The row's stripped cells by header; a column the sheet lacks reads as empty."""
    return {
        h: (row[position[h]].strip() if h in position and position[h] < len(row) else "")
        for h in headers
    }


def _derived_id(department: str, code: str) -> str:
    return f"{department}-{code.lower()}"[:64].strip("-")


def rows_to_matters(rows: list[list[str]], context: ImportContext | None = None) -> list[Matter]:
    """Parse sheet rows into validated matters, or raise `SheetError` naming every problem."""
    if not rows:
        raise SheetError([RowProblem(1, "", "the sheet is empty; the header belongs in row 1")])
    position, header_problems = header_positions(rows[0], HEADERS, OPTIONAL_HEADERS)
    if header_problems:
        raise SheetError(header_problems)
    resolve = Resolver(context.departments, context.hall) if context else Resolver()

    problems: list[RowProblem] = []
    drafts: dict[str, _Draft] = {}
    last: _Draft | None = None
    # the matter being read was refused: its material rows are skipped, never merged into another
    rejected, rejected_code = False, ""
    for number, row in enumerate(rows[1:], start=2):
        cells = row_cells(row, position, HEADERS)
        if not any(cells.values()):
            continue
        code = str(unicodedata.normalize("NFKC", cells["事项编码"])).upper().replace("－", "-")
        continues = not cells["事项名称"] and bool(cells["材料名称"])
        if rejected and continues and (not code or code == rejected_code):
            continue
        rejected = False
        if not code:
            # a merged 事项编码 cell reads as empty below its first row: a further material
            if last is not None and continues:
                draft = last
            else:
                problems.append(RowProblem(number, "事项编码", f"is empty; {EXPECTED['事项编码']}"))
                rejected, rejected_code = True, ""
                continue
        elif code in drafts:
            draft = drafts[code]
            if cells["事项名称"] and cells["事项名称"] != draft.data.get("name"):
                problems.append(RowProblem(
                    number, "事项编码",
                    f"'{code}' is already the code of row {draft.first_row} "
                    f"({draft.data.get('name')}), but this row names '{cells['事项名称']}'; "
                    "give each matter its own 事项编码, or repeat the same 事项名称 on its material rows",
                ))
                rejected, rejected_code = True, code
                continue
        elif continues:
            problems.append(RowProblem(
                number, "事项名称",
                f"is empty on the first row of 事项编码 '{code}'; the first row of a matter fills every "
                "matter column, its further rows only 事项编码 and the material columns",
            ))
            rejected, rejected_code = True, code
            continue
        else:
            draft = _Draft(number, {})
            for header, path in MATTER_COLUMNS:
                try:
                    _set(draft.data, path, _parse_matter_cell(path, cells[header], resolve))
                except CellError as error:
                    problems.append(RowProblem(number, header, str(error)))
                    draft.failed.add(tuple(path.split(".")))
            draft.data["code"] = code
            if not draft.data.get("id"):
                department = str(draft.data.get("department", ""))
                if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", department):
                    draft.data["id"] = _derived_id(department, code)
                else:
                    draft.failed.add(("id",))  # follows from 实施部门, reported there
            drafts[code] = draft
        last = draft
        material: dict[str, Any] = {}
        index = len(draft.material_rows)
        for header, key in MATERIAL_COLUMNS:
            try:
                material[key] = _parse_material_cell(key, cells[header])
            except CellError as error:
                problems.append(RowProblem(number, header, str(error)))
                draft.failed.add(("materials", index, key))
        draft.data.setdefault("materials", []).append(material)
        draft.material_rows.append(number)

    matters: list[Matter] = []
    for draft in drafts.values():
        problems.extend(_situation_problems(draft))
        if context is not None:
            problems.extend(_draft_place_problems(draft, context))
        try:
            matters.append(Matter.model_validate(draft.data))
        except ValidationError as error:
            problems.extend(_translate(draft, error))

    problems.extend(_collision_problems(list(drafts.values()), context))
    if problems:
        raise SheetError(sorted(dict.fromkeys(problems), key=lambda p: (p.row, HEADERS.index(p.column)
                                                                          if p.column in HEADERS else 0)))
    return matters


def _draft_place_problems(draft: _Draft, context: ImportContext) -> list[RowProblem]:
    """Department, hall and windows against the map, even when other cells of the row are bad."""
    location = draft.data.get("location", {})
    department, hall, windows = draft.data.get("department"), location.get("hall"), location.get("windows")
    if not (isinstance(department, str) and isinstance(hall, str) and isinstance(windows, list)):
        return []  # a cell that could not be read, already reported
    return [
        RowProblem(draft.first_row, HEADER_OF_PATH[path], _place_hint(message, context))
        for path, message in matter_place_problems(department, hall, windows, context.departments, context.hall)
    ]


def _situation_problems(draft: _Draft) -> list[RowProblem]:
    """Situations and 适用情形 that do not fit together, every one named, the draft cleaned so
    the model does not report them again."""
    situations = draft.data.get("situations")
    if not isinstance(situations, list):
        return []
    problems = []
    declared = {s["key"]: s["options"] for s in situations}
    used: set[str] = set()
    for row, material in zip(draft.material_rows, draft.data["materials"], strict=True):
        applies = material.get("applies_when")
        if not isinstance(applies, dict):
            continue
        for key in list(applies):
            used.add(key)
            if key not in declared:
                known = "、".join(declared) or "none"
                problems.append(RowProblem(row, "适用情形", f"situation '{key}' is not declared in 办理情形 "
                                           f"(row {draft.first_row}); declared: {known}"))
                del applies[key]
                continue
            unknown = [o for o in applies[key] if o not in declared[key]]
            if unknown:
                problems.append(RowProblem(row, "适用情形", f"{'、'.join(unknown)} is not an option of situation "
                                           f"'{key}'; its options are {'、'.join(declared[key])}"))
                applies[key] = [o for o in applies[key] if o in declared[key]] or declared[key][:1]
    idle = [s for s in situations if s["key"] not in used]
    for situation in idle:
        problems.append(RowProblem(
            draft.first_row, "办理情形",
            f"situation '{situation['key']}' ({situation['question']}) decides no material; name it in the "
            "适用情形 of the materials it decides (key=option), or remove it",
        ))
    if idle:  # the model would report them again
        draft.data["situations"] = [s for s in situations if s["key"] in used]
    return problems


CUSTOM_ERRORS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "promise_beyond_law": ("承诺时限", lambda c: f"{c['promised']} days is longer than 法定时限 "
                          f"({c['legal']} days); promise no more than the law allows"),
    "fee_incomplete": ("收费标准", lambda c: "是否收费 is 是 but 收费标准 or 收费依据 is empty; "
                      "fill in both, or write 否 in 是否收费"),
    "online_without_url": ("网办地址", lambda c: "网办深度 says the matter is handled online but "
                          "网办地址 is not an https:// address; write the https:// link, or 不支持 in 网办深度"),
    "duplicate_situation": ("办理情形", lambda c: "two situations have the same key; give each its own key"),
}


def _translate(draft: _Draft, error: ValidationError) -> list[RowProblem]:
    """Pydantic errors as sheet problems: the row and Chinese header of the bad cell, no field
    paths, no patterns, and nothing that only follows from a cell already reported."""
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if any(loc[: len(f)] == f for f in draft.failed):
            continue
        row, column = _locate(draft, loc)
        kind = detail["type"]
        if kind in CUSTOM_ERRORS:
            column, say = CUSTOM_ERRORS[kind]
            problems.append(RowProblem(row, column, say(detail.get("ctx", {}))))
            continue
        value = detail.get("input")
        empty = kind in ("missing", "string_too_short", "too_short") or value in ("", [], None)
        what = "is empty" if empty else f"'{_show(value)}' is not valid"
        if kind == "too_short" and column == "办理流程":
            what = "has fewer than two steps"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            what = f"{_show(value)} is out of range"
        problems.append(RowProblem(row, column, f"{what}; {EXPECTED.get(column, 'see docs/data-format.md')}"))
    return problems


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _locate(draft: _Draft, loc: tuple[Any, ...]) -> tuple[int, str]:
    """The sheet row and header of a model field path."""
    if len(loc) >= 2 and loc[0] == "materials" and isinstance(loc[1], int):
        key = str(loc[2]) if len(loc) > 2 else "name"
        return draft.material_rows[loc[1]], HEADER_OF_MATERIAL.get(key, "材料名称")
    names = [str(p) for p in loc if not isinstance(p, int)]
    for end in range(len(names), 0, -1):
        header = HEADER_OF_PATH.get(".".join(names[:end]))
        if header:
            return draft.first_row, header
    return draft.first_row, "事项名称"


def _place_hint(message: str, context: ImportContext) -> str:
    if message.startswith("unknown department"):
        known = "、".join(d.short_name for d in context.departments.values())
        return f"{message[len('unknown department '):]} is not a department of the catalog; write one of " \
               f"{known}, or add it in the 部门 sheet"
    if message.startswith("unknown hall"):
        halls = "、".join(p.name for p in context.hall.places if p.kind == "hall")
        return f"{message[len('unknown hall '):]} is not a hall of the map; write one of {halls}"
    if "is not on the hall map" in message:
        return f"{message}; add it in the 窗口 sheet, or write a window the map has"
    if "belongs to department" in message:
        return f"{message}; assign it to this department in the 窗口 sheet, or write another window"
    return f"{message}; put the windows in the hall named in 办理大厅, or assign them in the 窗口 sheet"


def _collision_problems(drafts: list[_Draft], context: ImportContext | None) -> list[RowProblem]:
    """Two rows that would be merged or confused: the same name, or an alias another owns."""
    entries: list[tuple[Any, str, str, list[str]]] = []
    where: dict[Any, str] = {}
    if context is not None:
        for matter_id, code, name, aliases, file in context.other_matters:
            entries.append((("catalog", matter_id), code, name, aliases))
            where[("catalog", matter_id)] = f"matter '{matter_id}' in {file}"
    names_by_row: dict[Any, str] = {}
    for draft in drafts:
        raw_aliases = draft.data.get("aliases")
        aliases = [str(a) for a in raw_aliases] if isinstance(raw_aliases, list) else []
        name = str(draft.data.get("name", ""))
        entries.append((draft.first_row, str(draft.data.get("code", "")), name, aliases))
        where[draft.first_row] = f"row {draft.first_row} ({name})"
        names_by_row[draft.first_row] = name
    problems = []
    for collision in find_collisions(entries):
        second = collision.second
        if not isinstance(second, int):
            continue  # two catalog matters: validate reports them
        first = where[collision.first]
        if collision.kind == "name":
            problems.append(RowProblem(second, "事项名称", f"'{collision.value}' is already the name of {first}; "
                                       "two matters may not share a name: use the official name of each"))
        elif collision.kind == "code":
            problems.append(RowProblem(second, "事项编码", f"'{collision.value}' is already the code of {first}; "
                                       "give each matter its own 事项编码"))
        else:
            column = "事项名称" if collision.value == names_by_row[second] else "别名"
            problems.append(RowProblem(second, column, f"'{collision.value}' is already the name or an alias of "
                                       f"{first}; an alias may belong to one matter only"))
    return problems
