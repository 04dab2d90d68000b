"""The sample catalog: complete, consistent with the hall map, and fully connected."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from catalog.loader import DEFAULT_CATALOG_DIR, Catalog, load_catalog

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _required(kind: str) -> list[tuple[str, str]]:
    with (SHARED / f"required_{kind}.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    return [(r[0], r[1]) for r in rows]


def test_every_required_matter_is_present_under_its_exact_name(catalog: Catalog) -> None:
    names = {m.name for m in catalog.matters.values()}
    missing = [name for _, name in _required("matters") if name not in names]
    assert missing == []


def test_required_matters_sit_with_the_listed_department(catalog: Catalog) -> None:
    short = {d.id: d.short_name for d in catalog.departments.values()}
    wrong = [
        (name, short[m.department])
        for dept, name in _required("matters")
        if (m := catalog.matter_by_name(name)) is not None and short[m.department] != dept
    ]
    assert wrong == []


def test_every_required_policy_is_present_with_its_type(catalog: Catalog) -> None:
    by_name = {p.name: p.type.value for p in catalog.policies.values()}
    assert [(t, n) for t, n in _required("policies") if by_name.get(n) != t] == []


def test_every_required_place_is_present_with_its_kind(catalog: Catalog) -> None:
    by_name = {p.name: p.kind for p in catalog.hall.places}
    assert [(k, n) for k, n in _required("places") if by_name.get(n) != k] == []


def test_catalog_sizes(catalog: Catalog) -> None:
    assert len(catalog.matters) >= 113
    assert len(catalog.policies) >= 30
    assert len(catalog.themes) >= 8
    assert len(catalog.hall.windows) == 48
    assert len(catalog.hall.robots) == 2
    assert len(catalog.hall.screens) >= 4


def test_names_and_aliases_do_not_collide(catalog: Catalog) -> None:
    names = Counter(m.name for m in catalog.matters.values())
    assert [n for n, c in names.items() if c > 1] == []
    owners: dict[str, set[str]] = {}
    for matter in catalog.matters.values():
        for alias in matter.aliases:
            owners.setdefault(alias, set()).add(matter.id)
    assert {a: o for a, o in owners.items() if len(o) > 1} == {}
    # an alias that is some matter's official name would send searches to the wrong record
    assert [(m.id, a) for m in catalog.matters.values() for a in m.aliases if a in names] == []


def test_every_matter_window_exists_and_serves_its_department(catalog: Catalog) -> None:
    windows = {w.number: w for w in catalog.hall.windows}
    for matter in catalog.matters.values():
        for number in matter.location.windows:
            assert number in windows, f"{matter.id}: window {number}"
            assert windows[number].department == matter.department, f"{matter.id}: window {number}"
            assert windows[number].hall == matter.location.hall


def test_windows_follow_the_halls_businesses(catalog: Catalog) -> None:
    west = {"出入境", "车管", "户政", "医保", "社保", "就业", "条码", "公证"}
    east = {"公积金", "市政公用", "房屋交易", "不动产登记", "税务", "工改", "企业设立", "制证出证", "证照免费邮寄"}
    for window in catalog.hall.windows:
        expected = west if window.hall == "west-hall" else east
        assert set(window.businesses) <= expected, window


def test_every_place_window_and_screen_is_reachable(catalog: Catalog) -> None:
    graph: dict[str, set[str]] = {w.id: set() for w in catalog.hall.waypoints}
    for a, b in catalog.hall.edges:
        graph[a].add(b)
        graph[b].add(a)
    seen, stack = {"wp-north-door"}, ["wp-north-door"]
    while stack:
        for nxt in graph[stack.pop()] - seen:
            seen.add(nxt)
            stack.append(nxt)
    targets = (
        [p.waypoint for p in catalog.hall.places]
        + [w.waypoint for w in catalog.hall.windows]
        + [s.waypoint for s in catalog.hall.screens]
    )
    assert set(targets) <= seen


def test_materials_are_tied_to_declared_situations(catalog: Catalog) -> None:
    for matter in catalog.matters.values():
        used = {key for material in matter.materials for key in material.applies_when}
        # every declared situation must change at least one material, or it is a useless question
        assert {s.key for s in matter.situations} == used, matter.id


def test_files_are_marked_as_sample_data() -> None:
    for path in DEFAULT_CATALOG_DIR.rglob("*.yml"):
        assert "示例数据" in path.read_text(encoding="utf-8").splitlines()[0], path
