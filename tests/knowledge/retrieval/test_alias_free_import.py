"""A catalog as a city's provincial export arrives: a matter sheet whose 别名 (and 常见问题)
column is empty, imported through the real importer, still answers everyday questions,
because the domain lexicon expands the official names (issue #13)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from catalog import cli
from catalog.loader import DEFAULT_CATALOG_DIR, Catalog, load_catalog
from catalog.spreadsheet import read_rows, write_sheet
from knowledge.retrieval import text
from knowledge.retrieval.engine import HybridSearcher
from knowledge.retrieval.service import make_searcher
from knowledge.settings import get_settings

# everyday words, none of them an alias of the record: (question, expected matter id)
EVERYDAY = [
    ("驾照丢了怎么补", "cg-license-reissue"),
    ("身份证过期了要换新的", "hz-id-card-renewal"),
    ("护照弄丢了", "crj-passport-reissue"),
    ("公积金想取出来付房租", "gjj-rent-withdrawal"),
    ("社保卡丢了", "sb-card-loss-replacement"),
    ("房本丢了怎么办", "bdc-cert-reissue"),
    ("车的行驶证找不到了", "cg-vehicle-license-reissue"),
    ("港澳通行证过期了", "crj-hkmo-permit-renewal"),
]


def _import_without_aliases(tmp_path: Path) -> Catalog:
    """The sample catalog with its matters replaced by an import of their sheet, 别名 and
    常见问题 emptied as in a provincial 实施清单."""
    catalog_dir = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG_DIR, catalog_dir, ignore=shutil.ignore_patterns("import_report*"))
    sheet = tmp_path / "实施清单.csv"
    write_sheet(list(load_catalog().matters.values()), sheet)
    rows = read_rows(sheet)
    emptied = [rows[0].index("别名"), rows[0].index("常见问题")]
    for row in rows[1:]:
        for column in emptied:
            row[column] = ""
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    for path in (catalog_dir / "matters").glob("*.yml"):
        path.unlink()
    assert cli.main(["import", str(sheet), "--out", str(catalog_dir / "matters" / "imported.yml")]) == 0
    return load_catalog(catalog_dir)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, HybridSearcher]:
    catalog = _import_without_aliases(tmp_path_factory.mktemp("alias-free-import"))
    text.forget_catalog_words()  # jieba is process-wide: no earlier catalog's words
    return catalog, make_searcher(catalog, get_settings())


def test_the_imported_matters_have_no_aliases_and_no_faqs(imported: tuple[Catalog, HybridSearcher]) -> None:
    catalog, _ = imported
    assert len(catalog.matters) == len(load_catalog().matters)
    assert all(not m.aliases and not m.faqs for m in catalog.matters.values())


@pytest.mark.parametrize(("question", "expected"), EVERYDAY)
def test_everyday_questions_find_matters_without_aliases(
    imported: tuple[Catalog, HybridSearcher], question: str, expected: str
) -> None:
    catalog, searcher = imported
    assert expected in catalog.matters
    result = searcher.search(question, k=3)
    assert [h.doc.key for h in result.hits][0] == f"matter:{expected}", [h.doc.name for h in result.hits]
    assert result.decision != "none"
