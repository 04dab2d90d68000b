"""Generate a city's matter sheet the way provincial exports write it, for import tests and benchmarks.

    python -m tools.generate_city_sheet OUT.xlsx --matters 2000 [--catalog-dir DIR]

The workbook has three sheets: 事项 (one row per material), 部门 (the city's own departments)
and 窗口 (its own window numbers, beyond the sample map's 48). It exercises every column and
every variant the importer accepts: headers with 必填 markers, spaces and full-width brackets;
an empty 别名 cell on most matters and Chinese or English separators on the rest; window lists
written 10、11、12 and 10-12; 服务对象 written 个人,法人; 必要性 as 是/否; copies as N份; phone
numbers with extensions; codes in lower case or full width; merged 事项编码 cells on material
rows; situations that decide materials; charged fees; every online depth; no FAQ, one, or two.

With --catalog-dir it also writes the catalog the sheet goes into: the sample hall map, no
departments, no policies or themes (the sheet brings the departments and windows).
Everything is deterministic: the same arguments give the same sheet.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

from catalog.loader import DEFAULT_CATALOG_DIR
from catalog.models import MatterType, OnlineDepth
from catalog.spreadsheet import HEADERS

# how an export might spell each header: markers, spaces, full-width brackets, other names
HEADER_VARIANTS = {"事项编码": "*实施编码", "事项名称": "事项名称（必填）", "实施部门": "实施主体（必填）",
                   "服务对象": "服务对象 ", "办理流程": "办理流程(必填)", "份数": "份数【选填】"}
DEPARTMENTS = [
    ("mz", "市民政局", "民政"), ("wj", "市卫生健康委员会", "卫健"), ("jy-edu", "市教育局", "教育"),
    ("jt", "市交通运输局", "交通"), ("sw-comm", "市商务局", "商务"), ("wh", "市文化广电和旅游局", "文旅"),
    ("ny", "市农业农村局", "农业"), ("sl", "市水利局", "水利"), ("lc", "市林业和草原局", "林草"),
    ("zr", "市自然资源局", "自然资源"), ("hb", "市生态环境局", "生态环境"), ("yj", "市应急管理局", "应急"),
    ("sc", "市市场监督管理局", "市场监管"), ("tj", "市统计局", "统计"), ("rf", "市人民防空办公室", "人防"),
    ("dj", "市档案馆", "档案"), ("ty", "市体育局", "体育"), ("mzj", "市民族宗教事务局", "民宗"),
    ("tyjr", "市退役军人事务局", "退役军人"), ("cl", "市残疾人联合会", "残联"),
]
OBJECTS = ["资格认定", "许可", "备案", "登记", "证明", "变更", "注销", "补领", "年检", "审批"]
SUBJECTS = ["养老机构", "民办学校", "道路运输", "旅行社", "农药经营", "取水", "林木采伐", "建设用地",
            "排污", "安全生产", "食品生产", "统计调查", "人防工程", "档案查阅", "体育赛事", "宗教活动场所",
            "优抚对象", "残疾人证", "医疗机构", "放射诊疗", "出租汽车", "娱乐场所", "种子生产", "河道采砂"]
MATERIAL_NAMES = ["申请书", "营业执照", "法定代表人身份证明", "场所证明", "人员资质证明", "设备清单",
                  "管理制度文本", "授权委托书", "受托人身份证", "现场照片"]


def _code(number: int, rng: random.Random) -> str:
    code = f"11220100mb{number:06d}-{rng.randint(100, 999)}"
    if number % 7 == 0:  # full width, as some systems export it
        return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code)
    return code if number % 3 else code.upper()


def matter_rows(count: int, seed: int = 16) -> list[list[str]]:
    """The 事项 sheet, header first."""
    rng = random.Random(seed)
    header = [HEADER_VARIANTS.get(h, h) for h in HEADERS]
    rows = [header]
    windows_of = {d[0]: (49 + 2 * i, 50 + 2 * i) for i, d in enumerate(DEPARTMENTS)}
    for number in range(1, count + 1):
        dept_id, dept_name, short = DEPARTMENTS[number % len(DEPARTMENTS)]
        subject = SUBJECTS[number % len(SUBJECTS)]
        action = OBJECTS[(number // len(SUBJECTS)) % len(OBJECTS)]
        name = f"{subject}{action}（第{number}项）"
        first, second = windows_of[dept_id]
        has_situation = number % 4 == 0
        charged = number % 9 == 0
        depth = list(OnlineDepth)[number % 4]
        aliases = "" if number % 5 else f"{subject}{action}办理{number}、{short}{action}{number},{subject}手续{number}"
        faqs = ["", f"{name}要多久？|{number % 20 + 1}个工作日。",
                f"{name}收费吗？|{'收费' if charged else '不收费'}。\n在哪里办？|{first}号窗口。"][number % 3]
        matter = {
            "事项编码": _code(number, rng),
            "事项ID": "",
            "事项名称": name,
            "别名": aliases,
            "实施部门": [dept_id, dept_name, short][number % 3],
            "事项类型": list(MatterType)[number % len(MatterType)].value,
            "服务对象": ["个人", "法人", "个人,法人", "个人、法人"][number % 4],
            "事项概述": f"{short}部门办理{subject}{action}的事项。",
            "设定依据": f"《{subject}管理条例》第{number % 30 + 1}条\n《{short}工作规定》",
            "受理条件": f"申请人符合{subject}相关规定，材料齐全；\n符合法定形式",
            "办理情形": "agent|由谁办理？|本人办理/委托代办" if has_situation else "",
            "办理流程": "申请\n受理\n审查\n决定",
            "法定时限": str(20 + number % 10),
            "承诺时限": f"{5 + number % 10}个工作日" if number % 2 else str(5 + number % 10),
            "时限说明": "" if number % 6 else "不含公示时间",
            "是否收费": "是" if charged else "否",
            "收费标准": "每件50元" if charged else "",
            "收费依据": "《行政事业性收费标准》" if charged else "",
            "办理大厅": ["east-hall", "东侧大厅", "东厅"][number % 3],
            "窗口号": [f"{first}、{second}", f"{first},{second}", f"{first}-{second}", f"{first}"][number % 4],
            "办公时间": "周一至周五 9:00-17:00",
            "咨询电话": [f"0431-8888{number % 10000:04d}", f"0431-8888{number % 10000:04d}转{number % 900 + 100}",
                     "12345"][number % 3],
            "网办深度": depth.value,
            "网办地址": "" if depth is OnlineDepth.none else f"https://zwfw.example.gov.cn/m/{number}",
            "到现场次数": ["0", "1次", "n"][number % 3],
            "跨省通办": ["是", "否"][number % 2],
            "证照邮寄": ["支持", "不支持"][number % 2],
            "自助终端": ["否", "是"][number % 2],
            "常见问题": faqs,
        }
        materials = MATERIAL_NAMES[: 2 + number % 3]
        if has_situation:
            materials = [*materials, "授权委托书"] if "授权委托书" not in materials else materials
        for index, material in enumerate(materials):
            row = dict(matter) if index == 0 else {h: "" for h in HEADERS}
            if index and number % 2:
                row["事项编码"] = matter["事项编码"]  # else a merged cell, read as empty
            row.update({
                "材料名称": material,
                "必要性": ["必要", "是", "否", "容缺"][(number + index) % 4],
                "材料形式": ["原件", "复印件", "电子", "原件和复印件"][(number + index) % 4],
                "份数": [f"{index % 3 + 1}份", str(index % 3)][(number + index) % 2],
                "材料来源": ["申请人自备", "政府部门核发", "数据共享免提交"][(number + index) % 3],
                "材料规格": "A4纸" if index == 0 else "",
                "材料备注": "" if index else "加盖公章",
                "适用情形": "agent=委托代办" if has_situation and material == "授权委托书" else "",
            })
            rows.append([row[h] for h in HEADERS])
    return rows


def department_rows() -> list[list[str]]:
    return [["部门ID（必填）", "部门名称", "简称", "咨询电话", "所在大厅"]] + [
        [dept_id, name, short, f"0431-8877{i:04d}转{i + 1}", "东侧大厅"]
        for i, (dept_id, name, short) in enumerate(DEPARTMENTS)
    ]


def window_rows() -> list[list[str]]:
    # the sample map has 48 windows; the city's own 49-88 are new, two per department
    return [["窗口号", "所在大厅", "部门", "业务"]] + [
        [f"{49 + 2 * i}、{50 + 2 * i}", "东侧大厅", short, f"{short}、{short}综合"]
        for i, (_, _, short) in enumerate(DEPARTMENTS)
    ]


def write_target_catalog(directory: Path) -> None:
    """The catalog the sheet goes into: the sample hall's floor plan, its windows not yet assigned
    to any department (the 窗口 sheet assigns them), nothing else."""
    (directory / "matters").mkdir(parents=True, exist_ok=True)
    hall = yaml.safe_load((DEFAULT_CATALOG_DIR / "hall.yml").read_text(encoding="utf-8"))
    for window in hall["windows"]:
        window["department"] = None
    (directory / "hall.yml").write_text(yaml.safe_dump(hall, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (directory / "departments.yml").write_text("departments: []\n", encoding="utf-8")
    (directory / "policies.yml").write_text("policies: []\n", encoding="utf-8")
    (directory / "themes.yml").write_text("themes: []\n", encoding="utf-8")


def write_workbook(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for index, (title, rows) in enumerate(
        [("事项", matter_rows(count)), ("部门", department_rows()), ("窗口", window_rows())]
    ):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the .xlsx workbook to write")
    parser.add_argument("--matters", type=int, default=2000)
    parser.add_argument("--catalog-dir", type=Path, help="also write the target catalog here")
    args = parser.parse_args(argv)
    write_workbook(args.out, args.matters)
    if args.catalog_dir:
        write_target_catalog(args.catalog_dir)
    print(f"wrote {args.matters} matters to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
