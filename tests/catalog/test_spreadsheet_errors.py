"""A provincial export goes in in one pass: what real exports contain is accepted, and every
problem is named once, in the sheet's own words (issue 16: one test per problem it lists)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from catalog import cli
from catalog.loader import load_catalog
from catalog.spreadsheet import SheetError, matters_to_rows, rows_to_matters
from tests.utils.catalog_factory import write_catalog

CODE_FIRST = "11220100MB00000823"  # the factory's hz-first; rows 2-3 (hz-renew: rows 4-5)


class Sheet:
    """The factory catalog exported to rows, to be edited cell by cell as an operator would."""

    def __init__(self, tmp_path: Path) -> None:
        self.catalog = write_catalog(tmp_path / "catalog")
        self.out = self.catalog / "matters" / "hz.yml"
        self.rows = matters_to_rows(list(load_catalog(self.catalog).matters.values()))
        self.tmp = tmp_path

    def set(self, row: int, header: str, value: str) -> None:
        self.rows[row - 1][self.rows[0].index(header)] = value

    def write(self, rows: list[list[str]] | None = None, name: str = "sheet.csv") -> Path:
        path = self.tmp / name
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows if rows is not None else self.rows)
        return path

    def run(self, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
        code = cli.main(["import", str(self.write()), "--out", str(self.out), *extra])
        captured = capsys.readouterr()
        lines = [line.removeprefix("  - ") for line in captured.err.splitlines()[1:]]
        return code, lines if code else [captured.out.strip()]


@pytest.fixture
def sheet(tmp_path: Path) -> Sheet:
    return Sheet(tmp_path)


def test_a_duplicate_code_with_another_name_is_refused_not_merged(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(4, "事项编码", CODE_FIRST.lower())  # lower case: still the same code
    sheet.set(5, "事项编码", CODE_FIRST)
    code, problems = sheet.run(capsys)
    assert code == 1
    assert problems == [
        f"sheet row 4, column 事项编码: '{CODE_FIRST}' is already the code of row 2 (居民身份证首次申领), "
        "but this row names '居民身份证换领'; give each matter its own 事项编码, or repeat the same "
        "事项名称 on its material rows"
    ]


def test_two_matters_with_one_name_are_refused_naming_both_rows(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(4, "事项名称", "居民身份证首次申领")
    assert sheet.run(capsys) == (1, [
        "sheet row 4, column 事项名称: '居民身份证首次申领' is already the name of row 2 (居民身份证首次申领); "
        "two matters may not share a name: use the official name of each"
    ])


def test_an_alias_another_matter_owns_is_refused_naming_both_rows(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(4, "别名", "换身份证、居民身份证首次申领别名二")
    assert sheet.run(capsys) == (1, [
        "sheet row 4, column 别名: '居民身份证首次申领别名二' is already the name or an alias of row 2 "
        "(居民身份证首次申领); an alias may belong to one matter only"
    ])


def test_an_alias_owned_by_a_matter_in_another_file_is_refused(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    other = yaml.safe_load(sheet.out.read_text(encoding="utf-8"))
    other["matters"] = other["matters"][:1]
    other["matters"][0].update(id="hz-other", code="11220100MB99999999", name="其他事项", aliases=["换身份证"])
    (sheet.catalog / "matters" / "other.yml").write_text(yaml.safe_dump(other, allow_unicode=True), "utf-8")
    sheet.set(4, "别名", "换身份证")
    assert sheet.run(capsys) == (1, [
        "sheet row 4, column 别名: '换身份证' is already the name or an alias of matter 'hz-other' in "
        "matters/other.yml; an alias may belong to one matter only"
    ])


def test_a_situation_that_decides_no_material_is_refused(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(3, "适用情形", "")
    assert sheet.run(capsys) == (1, [
        "sheet row 2, column 办理情形: situation 'applicant' (本人还是代办？) decides no material; name it in "
        "the 适用情形 of the materials it decides (key=option), or remove it"
    ])


def test_an_export_without_aliases_and_faqs_imports(sheet: Sheet, capsys: pytest.CaptureFixture[str]) -> None:
    sheet.rows = [[cell for i, cell in enumerate(row) if sheet.rows[0][i] != "别名"] for row in sheet.rows]
    sheet.set(2, "常见问题", "")
    sheet.set(4, "常见问题", "")
    code, output = sheet.run(capsys)
    assert code == 0, output
    matters = load_catalog(sheet.catalog).matters
    assert {m.id: (m.aliases, m.faqs) for m in matters.values()} == {"hz-first": ([], []), "hz-renew": ([], [])}


def test_an_empty_事项ID_is_derived_from_department_and_code(sheet: Sheet) -> None:
    sheet.set(2, "事项ID", "")
    assert rows_to_matters(sheet.rows)[0].id == "hz-11220100mb00000823"


def test_what_real_exports_write_is_accepted(sheet: Sheet, capsys: pytest.CaptureFixture[str]) -> None:
    sheet.set(2, "事项编码", "１１２２０１００ｍｂ０００００８２３")  # full width, lower case
    sheet.set(3, "事项编码", "")  # a merged cell
    sheet.set(2, "窗口号", "1、2")
    sheet.set(2, "服务对象", "个人,法人")
    sheet.set(2, "别名", "换证，新办身份证/首次办证")
    sheet.set(2, "咨询电话", "0431-88888888转8001")
    sheet.set(2, "实施部门", "户政")  # the short name, as a city writes it
    sheet.set(2, "办理大厅", "西侧大厅")
    sheet.set(2, "份数", "2份")
    sheet.set(3, "必要性", "否")
    sheet.set(2, "必要性", "是")
    sheet.rows[0] = [{"事项名称": "事项名称（必填）", "份数": " 份数 ", "事项编码": "*实施编码"}.get(h, h)
                     for h in sheet.rows[0]]
    code, output = sheet.run(capsys)
    assert code == 0, output
    matter = load_catalog(sheet.catalog).matters["hz-first"]
    assert (matter.code, matter.location.windows, [o.value for o in matter.service_object]) == (
        CODE_FIRST, [1, 2], ["个人", "法人"])
    assert (matter.aliases, matter.phone, matter.department, matter.location.hall) == (
        ["换证", "新办身份证", "首次办证"], "0431-88888888转8001", "hz", "west-hall")
    assert [(m.necessity.value, m.copies) for m in matter.materials] == [("必要", 2), ("非必要", 1)]


def test_a_bad_copies_cell_is_named_as_份数_with_no_follow_on(sheet: Sheet) -> None:
    sheet.set(2, "份数", "一份")
    with pytest.raises(SheetError) as raised:
        rows_to_matters(sheet.rows)
    assert [str(p) for p in raised.value.problems] == [
        "sheet row 2, column 份数: '一份' is not a whole number; write a whole number of copies, 0-20 (1 or 1份)"
    ]


def test_a_bad_window_list_is_named_once_with_no_follow_on(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(2, "窗口号", "1、二")
    sheet.set(4, "服务对象", "个人、居民")
    assert sheet.run(capsys) == (1, [
        "sheet row 2, column 窗口号: '二' is not a window number; write window numbers separated by 、 or , "
        "(e.g. 10、11、12) or a range (10-12)",
        "sheet row 4, column 服务对象: '居民' is not a valid 服务对象; write 个人, 法人, or both (个人、法人)",
    ])


def test_one_run_reports_row_errors_and_catalog_checks_together(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.set(2, "实施部门", "民政局")
    sheet.set(3, "材料形式", "影印件")
    sheet.set(4, "窗口号", "2、30")
    sheet.set(4, "法定时限", "3")
    sheet.set(4, "网办地址", "zwfw.example.gov.cn")
    assert sheet.run(capsys) == (1, [
        "sheet row 2, column 实施部门: '民政局' is not a department of the catalog; write one of 户政 "
        "(ID, name or short name), or add it in the 部门 sheet",
        "sheet row 3, column 材料形式: '影印件' is not a valid 材料形式; write one of 原件、复印件、电子、原件和复印件",
        "sheet row 4, column 承诺时限: 5 days is longer than 法定时限 (3 days); promise no more than the law allows",
        "sheet row 4, column 窗口号: window 30 is not on the hall map; add it in the 窗口 sheet, "
        "or write a window the map has",
        "sheet row 4, column 网办地址: 网办深度 says the matter is handled online but 网办地址 is not an https:// "
        "address; write the https:// link, or 不支持 in 网办深度",
    ])


def test_a_window_not_on_the_map_is_named_in_sheet_words(sheet: Sheet, capsys: pytest.CaptureFixture[str]) -> None:
    sheet.set(4, "窗口号", "2、30")
    assert sheet.run(capsys) == (1, [
        "sheet row 4, column 窗口号: window 30 is not on the hall map; add it in the 窗口 sheet, "
        "or write a window the map has"
    ])


def test_a_header_variant_is_not_a_missing_column(sheet: Sheet, capsys: pytest.CaptureFixture[str]) -> None:
    sheet.rows[0][sheet.rows[0].index("事项名称")] = "事项名称（必填）"
    sheet.rows[0][sheet.rows[0].index("材料来源")] = "来源"
    assert sheet.run(capsys) == (1, [
        "sheet row 1: missing columns: 材料来源; add them to the header row (see docs/data-format.md "
        "for the template)"
    ])


def test_departments_and_windows_sheets_describe_the_citys_own_hall(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    departments = sheet.write([["部门ID（必填）", "部门名称", "简称", "咨询电话", "所在大厅"],
                               ["mz", "某市民政局", "民政", "0431-88888888转8001", "西侧大厅"]], "departments.csv")
    windows = sheet.write([["窗口号", "所在大厅", "部门", "业务"],
                           ["7、8", "西侧大厅", "民政", "婚姻登记、社会救助"],
                           ["2", "west-hall", "hz", "户政"]], "windows.csv")
    sheet.set(4, "实施部门", "民政")
    sheet.set(4, "窗口号", "7、8")
    code, _ = sheet.run(capsys, "--departments", str(departments), "--windows", str(windows))
    assert code == 0
    catalog = load_catalog(sheet.catalog)
    assert catalog.matters["hz-renew"].department == "mz"
    assert catalog.departments["mz"].phone == "0431-88888888转8001"
    assert {w.number: (w.department, w.businesses) for w in catalog.hall.windows if w.number in (7, 8)} == {
        7: ("mz", ["婚姻登记", "社会救助"]), 8: ("mz", ["婚姻登记", "社会救助"])}


def test_bad_departments_and_windows_rows_are_named_in_their_sheet(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    departments = sheet.write([["部门ID", "部门名称", "简称", "咨询电话", "所在大厅"],
                               ["民政局", "某市民政局", "民政", "88888888", "西侧大厅"]], "departments.csv")
    windows = sheet.write([["窗口号", "所在大厅", "部门"], ["7", "北厅", "hz"], ["8", "西侧大厅", "民政"]],
                          "windows.csv")
    code, problems = sheet.run(capsys, "--departments", str(departments), "--windows", str(windows))
    assert (code, problems) == (1, [
        "sheet 部门 row 2, column 部门ID: '民政局' is not valid; write lower-case letters, digits and '-', e.g. gaj",
        "sheet 部门 row 2, column 咨询电话: '88888888' is not valid; write a landline with area code "
        "(0431-88888888, extension as 0431-88888888转8001), a mobile number, or a five-digit service number "
        "such as 12345",
        "sheet 窗口 row 2, column 所在大厅: '北厅' is not a hall of the map; write one of 西侧大厅",
        "sheet 窗口 row 3, column 部门: '民政' is not a department of the catalog; write one of 户政 (ID, name or "
        "short name), or add it in the 部门 sheet",
    ])


def test_a_theme_that_loses_its_matter_is_reported_in_the_same_run(
    sheet: Sheet, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet.rows = sheet.rows[:3]  # only hz-first: the theme and nothing else name hz-renew
    code, problems = sheet.run(capsys)
    assert (code, problems) == (1, [
        "after the import, themes.yml: record 'theme-test': field 'matters': unknown matter 'hz-renew'"
    ])


def test_pattern_rules_are_explained_in_words_not_regexes(sheet: Sheet) -> None:
    sheet.set(2, "咨询电话", "88888888")
    sheet.set(4, "事项编码", "ab-1")
    sheet.set(5, "事项编码", "ab-1")
    sheet.set(4, "事项ID", "户政-换领")
    sheet.set(5, "必要性", "需要")
    with pytest.raises(SheetError) as raised:
        rows_to_matters(sheet.rows)
    assert [str(p) for p in raised.value.problems] == [
        "sheet row 2, column 咨询电话: '88888888' is not valid; write a landline with area code (0431-88888888, "
        "extension as 0431-88888888转8001), a mobile number, or a five-digit service number such as 12345",
        "sheet row 4, column 事项编码: 'AB-1' is not valid; write the implementation code: 8-40 letters, digits "
        "or '-'",
        "sheet row 4, column 事项ID: '户政-换领' is not valid; write lower-case letters, digits and '-' (2-64, "
        "starting with a letter or digit), or leave it empty to derive it from 实施部门 and 事项编码",
        "sheet row 5, column 必要性: '需要' is not a valid 必要性; write 必要, 非必要 or 容缺 (是 = 必要, 否 = 非必要)",
    ]
