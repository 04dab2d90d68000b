"""Adding an alias to a matter in the catalog YAML.

The YAML is edited as text, one line, so its comments and layout survive; the whole catalog is
then validated, and the file restored if it no longer loads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from catalog.loader import Catalog, CatalogError, load_catalog

MAX_ALIAS = 30
# characters that would need YAML quoting or that the sheet format uses as separators
_UNSAFE = re.compile(r"[\[\]{}:#,&*!|>'\"%@`；;\n\r\t]")


class AliasError(ValueError):
    """An alias that cannot be added, with the text to show."""


def check_alias(alias: str, catalog: Catalog, matter_id: str) -> str:
    alias = alias.strip()
    matter = catalog.matters.get(matter_id)
    if matter is None:
        raise AliasError("目录中没有这个事项。")
    if not alias or len(alias) > MAX_ALIAS:
        raise AliasError(f"别名不能为空，且不超过{MAX_ALIAS}字。")
    if _UNSAFE.search(alias) or alias[0] in "-?":
        raise AliasError("别名里不能有标点符号（如冒号、逗号、括号、引号）。")
    if alias == matter.name or alias in matter.aliases:
        raise AliasError(f"“{alias}”已经是【{matter.name}】的名称或别名。")
    return alias


def _matter_file(catalog_dir: Path, matter_id: str) -> Path:
    for path in sorted((catalog_dir / "matters").glob("*.yml")):
        if re.search(rf"^- id: {re.escape(matter_id)}\s*$", path.read_text(encoding="utf-8"), re.MULTILINE):
            return path
    raise AliasError("在目录文件中找不到这个事项。")


def _with_alias(source: str, matter_id: str, alias: str) -> str:
    lines = source.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(rf"- id: {re.escape(matter_id)}\s*$", line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    for i in range(start, end):
        flow = re.match(r"^(\s*aliases: \[)(.*)\](\s*)$", lines[i])
        if flow:
            items = flow.group(2).strip()
            lines[i] = f"{flow.group(1)}{items + ', ' if items else ''}{alias}]{flow.group(3)}"
            return "".join(lines)
        if re.match(r"^\s*aliases:\s*$", lines[i]):
            item = lines[i + 1] if i + 1 < end else "  - x\n"
            indent = item[: len(item) - len(item.lstrip())]
            lines.insert(i + 1, f"{indent}- {alias}\n")
            return "".join(lines)
    # no aliases yet: after the name
    name = next(i for i in range(start, end) if re.match(r"^\s+name: ", lines[i]))
    indent = lines[name][: len(lines[name]) - len(lines[name].lstrip())]
    lines.insert(name + 1, f"{indent}aliases: [{alias}]\n")
    return "".join(lines)


def add_alias(catalog: Catalog, matter_id: str, alias: str) -> Path:
    """Write the alias into the matter's YAML file; the catalog must still load, or nothing changes."""
    alias = check_alias(alias, catalog, matter_id)
    path = _matter_file(catalog.source_dir, matter_id)
    before = path.read_text(encoding="utf-8")
    after = _with_alias(before, matter_id, alias)
    written = next(m for m in yaml.safe_load(after)["matters"] if m["id"] == matter_id)
    if alias not in written.get("aliases", []):
        raise AliasError("别名未能写入目录文件。")
    path.write_text(after, encoding="utf-8")
    try:
        load_catalog(catalog.source_dir)
    except CatalogError as error:
        path.write_text(before, encoding="utf-8")
        raise AliasError(f"加上别名后目录校验不通过，已撤销：{error.problems[0]}") from error
    return path

