"""One broken fixture per kind of catalog error: the catalog is refused whole, and the
error names the file, the record and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.loader import CatalogError, load_catalog
from tests.utils.catalog_factory import catalog_data, write_catalog

Data = dict[str, Any]


def _first_matter(data: Data) -> dict[str, Any]:
    matter: dict[str, Any] = data["matters/hz.yml"]["matters"][0]
    return matter


def test_valid_fixture_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    assert set(catalog.matters) == {"hz-first", "hz-renew"}
    assert catalog.themes["theme-test"].matters == ["hz-first", "hz-renew"]


def _set(path: list[Any], value: Any) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


M = ["matters/hz.yml", "matters", 0]

CASES: list[tuple[str, Callable[[Data], None], str, str, str]] = [
    # (case, mutation, file, record, field fragment)
    ("missing field", _delete([*M, "legal_basis"]), "matters/hz.yml", "hz-first", "legal_basis"),
    ("unknown field", _set([*M, "colour"], "red"), "matters/hz.yml", "hz-first", "colour"),
    ("bad enum", _set([*M, "materials", 0, "form"], "影印件"), "matters/hz.yml", "hz-first",
     "materials.0.form"),
    ("negative copies", _set([*M, "materials", 0, "copies"], -1), "matters/hz.yml", "hz-first",
     "materials.0.copies"),
    ("empty alias", _set([*M, "aliases"], [""]), "matters/hz.yml", "hz-first", "aliases.0"),
    ("bad phone", _set([*M, "phone"], "12"), "matters/hz.yml", "hz-first", "phone"),
    ("bad code", _set([*M, "code"], "11-22"), "matters/hz.yml", "hz-first", "code"),
    ("duplicate code", _set(["matters/hz.yml", "matters", 1, "code"], "11220100MB00000823"),
     "matters/hz.yml", "hz-renew", "code"),
    ("duplicate name", _set(["matters/hz.yml", "matters", 1, "name"], "居民身份证首次申领"),
     "matters/hz.yml", "hz-renew", "name"),
    ("alias owned by another matter",
     _set(["matters/hz.yml", "matters", 1, "aliases"], ["居民身份证首次申领别名二"]),
     "matters/hz.yml", "hz-renew", "aliases"),
    ("alias that is another matter's name",
     _set(["matters/hz.yml", "matters", 1, "aliases"], ["居民身份证首次申领"]),
     "matters/hz.yml", "hz-renew", "aliases"),
    ("situation that decides no material",
     _set([*M, "materials", 1, "applies_when"], {}), "matters/hz.yml", "hz-first", "(record)"),
    ("promise beyond law", _set([*M, "time_limit"], {"legal_days": 5, "promised_days": 9}),
     "matters/hz.yml", "hz-first", "time_limit"),
    ("charged fee without basis", _set([*M, "fee"], {"charged": True, "amount": "20元"}),
     "matters/hz.yml", "hz-first", "fee"),
    ("online without url", _set([*M, "online"], {"depth": "全程网办", "url": ""}),
     "matters/hz.yml", "hz-first", "online"),
    ("material names unknown situation",
     _set([*M, "materials", 1, "applies_when"], {"who": ["委托代办"]}), "matters/hz.yml",
     "hz-first", "(record)"),
    ("material names unknown option",
     _set([*M, "materials", 1, "applies_when"], {"applicant": ["邻居代办"]}), "matters/hz.yml",
     "hz-first", "(record)"),
    ("duplicate matter id", _set([*M, "id"], "hz-renew"), "matters/hz.yml", "hz-renew", "id"),
    ("unknown department", _set([*M, "department"], "nobody"), "matters/hz.yml", "hz-first",
     "department"),
    ("window not on map", _set([*M, "location", "windows"], [1, 99]), "matters/hz.yml",
     "hz-first", "location.windows"),
    ("unknown hall", _set([*M, "location", "hall"], "east-hall"), "matters/hz.yml", "hz-first",
     "location.hall"),
    ("policy names unknown matter",
     _set(["policies.yml", "policies", 0, "related_matters"], ["hz-none"]), "policies.yml",
     "pol-test", "related_matters"),
    ("policy rule with bad field",
     _set(["policies.yml", "policies", 0, "conditions", 0, "field"], "shoe_size"), "policies.yml",
     "pol-test", "conditions.0.field"),
    ("policy rule with list for gte",
     _set(["policies.yml", "policies", 0, "conditions", 0, "value"], [1, 2]), "policies.yml",
     "pol-test", "conditions.0"),
    ("theme names unknown matter", _set(["themes.yml", "themes", 0, "matters"], ["hz-first", "x-y"]),
     "themes.yml", "theme-test", "matters"),
    ("window with unknown waypoint", _set(["hall.yml", "windows", 1, "waypoint"], "wp-zz"),
     "hall.yml", "2", "waypoint"),
    ("unreachable waypoint",
     _set(["hall.yml", "waypoints"], [{"id": "wp-a", "x": 3, "y": 3}, {"id": "wp-b", "x": 10, "y": 9},
                                      {"id": "wp-island", "x": 0, "y": 0}]),
     "hall.yml", "edges", "edges"),
    ("robot at unknown door", _set(["hall.yml", "robots", 0, "door"], "west-door"), "hall.yml",
     "robot-north", "door"),
]


@pytest.mark.parametrize(("case", "mutate", "file", "record", "field"), CASES, ids=[c[0] for c in CASES])
def test_broken_catalog_is_refused_naming_file_record_field(
    tmp_path: Path, case: str, mutate: Callable[[Data], None], file: str, record: str, field: str
) -> None:
    data = catalog_data()
    mutate(data)
    with pytest.raises(CatalogError) as raised:
        load_catalog(write_catalog(tmp_path, data))
    matching = [
        p for p in raised.value.problems if p.file == file and p.record == record and field in p.field
    ]
    assert matching, f"{case}: no problem for {file}/{record}/{field} in {raised.value.problems}"
    assert file in str(raised.value) and record in str(raised.value)


def test_aliases_and_faqs_are_optional(tmp_path: Path) -> None:
    data = catalog_data()
    for matter in data["matters/hz.yml"]["matters"]:
        matter["aliases"] = []
        del matter["faqs"]
    catalog = load_catalog(write_catalog(tmp_path, data))
    assert [m.aliases for m in catalog.matters.values()] == [[], []]


def test_codes_and_phones_as_real_exports_write_them(tmp_path: Path) -> None:
    data = catalog_data()
    _first_matter(data)["code"] = "１１２２０１００ｍｂ-００１"  # full width, lower case
    _first_matter(data)["phone"] = "0431-88888888转8001"
    catalog = load_catalog(write_catalog(tmp_path, data))
    assert catalog.matters["hz-first"].code == "11220100MB-001"
    assert catalog.matters["hz-first"].phone == "0431-88888888转8001"


def test_content_hash_ignores_comments_and_formatting(tmp_path: Path) -> None:
    first = load_catalog(write_catalog(tmp_path / "a")).content_hash
    directory = write_catalog(tmp_path / "b")
    path = directory / "matters" / "hz.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text("# imported from sheet.xlsx\n" + yaml.safe_dump(document, allow_unicode=True, width=60),
                    encoding="utf-8")
    assert load_catalog(directory).content_hash == first
    document["matters"][0]["summary"] = "改了一个字。"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert load_catalog(directory).content_hash != first


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    data = catalog_data()
    data["themes.yml"] = "themes: [unclosed\n"
    with pytest.raises(CatalogError) as raised:
        load_catalog(write_catalog(tmp_path, data))
    assert any(p.file == "themes.yml" and "YAML" in p.message for p in raised.value.problems)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    data = catalog_data()
    del data["policies.yml"]
    with pytest.raises(CatalogError) as raised:
        load_catalog(write_catalog(tmp_path, data))
    assert any(p.file == "policies.yml" and "missing" in p.message for p in raised.value.problems)


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    data = catalog_data()
    _first_matter(data)["department"] = "nobody"
    data["themes.yml"]["themes"][0]["matters"] = ["hz-first", "x-y"]
    with pytest.raises(CatalogError) as raised:
        load_catalog(write_catalog(tmp_path, data))
    fields = {(p.record, p.field) for p in raised.value.problems}
    assert ("hz-first", "department") in fields and ("theme-test", "matters") in fields
