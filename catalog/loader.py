"""Load the catalog from YAML, validate every record and every cross-reference.

A catalog with any error is refused whole: `load_catalog` raises `CatalogError` listing
every problem, each naming the file, the record and the field.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from catalog.models import (
    Department,
    HallMap,
    Matter,
    Place,
    Policy,
    Theme,
)

DEFAULT_CATALOG_DIR = Path(__file__).parent / "data"

Model = TypeVar("Model", bound=BaseModel)
# libyaml's parser when installed: a 2,000-matter catalog parses in seconds, not a minute
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_text(text: str) -> Any:
    """Parse YAML as `yaml.safe_load` does, with the C parser when there is one."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506  # a safe loader


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: record '{self.record}': field '{self.field}': {self.message}"


class CatalogError(Exception):
    """The catalog has errors; nothing of it may be served."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"catalog refused, {len(problems)} error(s):\n{lines}")


@dataclass
class Catalog:
    matters: dict[str, Matter]
    policies: dict[str, Policy]
    themes: dict[str, Theme]
    departments: dict[str, Department]
    hall: HallMap
    content_hash: str
    source_dir: Path
    places: dict[str, Place] = field(default_factory=dict)

    def matter_by_name(self, name: str) -> Matter | None:
        return next((m for m in self.matters.values() if m.name == name), None)


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        return str(raw.get("id") or raw.get("name") or raw.get("number") or f"#{index + 1}")
    return f"#{index + 1}"


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(record)"


def validate_records(
    model: type[Model], raws: Any, file: str, problems: list[Problem]
) -> list[Model]:
    if not isinstance(raws, list):
        problems.append(Problem(file, "(file)", "(top level)", "expected a list of records"))
        return []
    records: list[Model] = []
    for index, raw in enumerate(raws):
        label = _record_label(raw, index)
        try:
            records.append(model.model_validate(raw))
        except ValidationError as error:
            for detail in error.errors():
                problems.append(Problem(file, label, _field_path(detail["loc"]), detail["msg"]))
    return records


def read_records_yaml(path: Path, key: str, problems: list[Problem]) -> Any:
    try:
        document = read_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(Problem(path.name, "(file)", "(file)", f"cannot read YAML: {error}"))
        return []
    if not isinstance(document, dict) or key not in document:
        problems.append(Problem(path.name, "(file)", key, f"missing top-level key '{key}'"))
        return []
    return document[key]


def _index(
    records: list[Model], file_of: dict[int, str], kind: str, problems: list[Problem]
) -> dict[str, Model]:
    by_id: dict[str, Model] = {}
    for record in records:
        rid: str = record.id  # type: ignore[attr-defined]  # every indexed model has an id
        if rid in by_id:
            problems.append(Problem(file_of[id(record)], rid, "id", f"duplicate {kind} id"))
        by_id[rid] = record
    return by_id


def content_hash(records: dict[str, list[BaseModel]]) -> str:
    """Hash of the catalog's content, so derived artefacts (indexes) know when they are stale.

    It hashes the validated records, not the files: comments, formatting, key order, fields
    left at their defaults, and which file a matter sits in (an import from .xlsx rather than
    .csv of the same rows) leave it unchanged; only content changes it.
    """
    digest = hashlib.sha256()
    for kind in sorted(records):
        # sorted, so moving a record to another file or place in its file changes nothing
        texts = sorted(json.dumps(r.model_dump(mode="json"), ensure_ascii=False, sort_keys=True) for r in records[kind])
        digest.update(kind.encode())
        for text in texts:
            digest.update(text.encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Collision:
    """Two matters that would be confused: same code, same name, or a shared alias."""

    kind: str  # "code", "name" or "alias"
    value: str
    first: Hashable  # whatever identifies a matter to the caller: a record id or a sheet row
    second: Hashable


def find_collisions(entries: Iterable[tuple[Hashable, str, str, list[str]]]) -> list[Collision]:
    """Collisions among (key, code, name, aliases) entries, in input order.

    An alias may not be another matter's alias or official name: either way a search for
    it would land on the wrong record.
    """
    collisions: list[Collision] = []
    code_owner: dict[str, Hashable] = {}
    name_owner: dict[str, Hashable] = {}
    alias_owner: dict[str, Hashable] = {}
    for key, code, name, aliases in entries:
        if code in code_owner:
            collisions.append(Collision("code", code, code_owner[code], key))
        code_owner.setdefault(code, key)
        if name in name_owner:
            collisions.append(Collision("name", name, name_owner[name], key))
        elif name in alias_owner:
            collisions.append(Collision("alias", name, alias_owner[name], key))
        name_owner.setdefault(name, key)
        for alias in dict.fromkeys(aliases):
            owner = alias_owner.get(alias, name_owner.get(alias, key))
            if owner != key:
                collisions.append(Collision("alias", alias, owner, key))
            alias_owner.setdefault(alias, key)
    return collisions


def matter_place_problems(
    department: str, hall_id: str, windows: list[int], departments: dict[str, Department], hall: HallMap
) -> list[tuple[str, str]]:
    """(field, message) for a matter's department, hall and windows checked against the map."""
    problems: list[tuple[str, str]] = []
    if department not in departments:
        problems.append(("department", f"unknown department '{department}'"))
    if hall_id not in {p.id for p in hall.places if p.kind == "hall"}:
        problems.append(("location.hall", f"unknown hall '{hall_id}'"))
    by_number = {w.number: w for w in hall.windows}
    for number in windows:
        window = by_number.get(number)
        if window is None:
            problems.append(("location.windows", f"window {number} is not on the hall map"))
        elif window.hall != hall_id:
            problems.append(("location.windows", f"window {number} is in {window.hall}, not {hall_id}"))
        elif window.department not in (None, department):
            problems.append(
                ("location.windows", f"window {number} belongs to department '{window.department}'")
            )
    return problems


def load_catalog(directory: Path = DEFAULT_CATALOG_DIR) -> Catalog:
    """Load and validate the whole catalog under `directory`, or raise `CatalogError`."""
    problems: list[Problem] = []
    file_of: dict[int, str] = {}

    matters: list[Matter] = []
    matter_files = sorted((directory / "matters").glob("*.yml"))
    if not matter_files:
        problems.append(Problem("matters/", "(directory)", "(files)", "no matter files found"))
    for path in matter_files:
        name = f"matters/{path.name}"
        for record in validate_records(
            Matter, read_records_yaml(path, "matters", problems), name, problems
        ):
            file_of[id(record)] = name
            matters.append(record)

    def load_one(file: str, key: str, model: type[Model]) -> list[Model]:
        path = directory / file
        if not path.exists():
            problems.append(Problem(file, "(file)", "(file)", "file is missing"))
            return []
        records = validate_records(model, read_records_yaml(path, key, problems), file, problems)
        for record in records:
            file_of[id(record)] = file
        return records

    policies = load_one("policies.yml", "policies", Policy)
    themes = load_one("themes.yml", "themes", Theme)
    departments = load_one("departments.yml", "departments", Department)

    hall: HallMap | None = None
    hall_path = directory / "hall.yml"
    try:
        hall_raw = read_yaml_text(hall_path.read_text(encoding="utf-8"))
        hall = HallMap.model_validate(hall_raw)
    except FileNotFoundError:
        problems.append(Problem("hall.yml", "(file)", "(file)", "file is missing"))
    except yaml.YAMLError as error:
        problems.append(Problem("hall.yml", "(file)", "(file)", f"cannot read YAML: {error}"))
    except ValidationError as error:
        for detail in error.errors():
            loc = detail["loc"]
            where = f"{loc[0]}[{loc[1]}]" if len(loc) > 1 else "(map)"
            problems.append(Problem("hall.yml", where, _field_path(loc[2:]), detail["msg"]))

    matter_by_id = _index(matters, file_of, "matter", problems)
    policy_by_id = _index(policies, file_of, "policy", problems)
    theme_by_id = _index(themes, file_of, "theme", problems)
    department_by_id = _index(departments, file_of, "department", problems)

    if hall is not None:
        _check_references(
            matter_by_id, policy_by_id, theme_by_id, department_by_id, hall, file_of, problems
        )
    if problems:
        raise CatalogError(problems)
    assert hall is not None
    catalog = Catalog(
        matters=matter_by_id,
        policies=policy_by_id,
        themes=theme_by_id,
        departments=department_by_id,
        hall=hall,
        content_hash=content_hash({
            "matters": list(matter_by_id.values()), "policies": list(policy_by_id.values()),
            "themes": list(theme_by_id.values()), "departments": list(department_by_id.values()),
            "hall": [hall],
        }),
        source_dir=directory,
    )
    catalog.places = {p.id: p for p in hall.places}
    return catalog


def _check_references(
    matters: dict[str, Matter],
    policies: dict[str, Policy],
    themes: dict[str, Theme],
    departments: dict[str, Department],
    hall: HallMap,
    file_of: dict[int, str],
    problems: list[Problem],
) -> None:
    place_ids = {p.id for p in hall.places}
    hall_ids = {p.id for p in hall.places if p.kind == "hall"}
    window_numbers = {w.number for w in hall.windows}
    waypoint_ids = {w.id for w in hall.waypoints}

    def report(record: Any, field_name: str, message: str, file: str | None = None) -> None:
        label = getattr(record, "id", None) or getattr(record, "number", "?")
        problems.append(Problem(file or file_of.get(id(record), "hall.yml"), str(label), field_name, message))

    for department in departments.values():
        if department.hall not in hall_ids:
            report(department, "hall", f"unknown hall '{department.hall}'")

    def check_location(record: Any, hall_id: str, windows: list[int]) -> None:
        if hall_id not in hall_ids:
            report(record, "location.hall", f"unknown hall '{hall_id}'")
        for number in windows:
            if number not in window_numbers:
                report(record, "location.windows", f"window {number} is not on the hall map")

    for matter in matters.values():
        for field_name, message in matter_place_problems(
            matter.department, matter.location.hall, matter.location.windows, departments, hall
        ):
            report(matter, field_name, message)
    for collision in find_collisions(
        (m.id, m.code, m.name, m.aliases) for m in matters.values()
    ):
        second = matters[str(collision.second)]
        report(
            second,
            collision.kind if collision.kind != "alias" else "aliases",
            f"{collision.kind} '{collision.value}' is already used by matter '{collision.first}'",
        )

    for policy in policies.values():
        if policy.department not in departments:
            report(policy, "department", f"unknown department '{policy.department}'")
        for matter_id in policy.related_matters:
            if matter_id not in matters:
                report(policy, "related_matters", f"unknown matter '{matter_id}'")

    for theme in themes.values():
        check_location(theme, theme.location.hall, theme.location.windows)
        for matter_id in theme.matters:
            if matter_id not in matters:
                report(theme, "matters", f"unknown matter '{matter_id}'")

    for window in hall.windows:
        if window.hall not in hall_ids:
            report(window, "hall", f"unknown hall '{window.hall}'", "hall.yml")
        if window.department and window.department not in departments:
            report(window, "department", f"unknown department '{window.department}'", "hall.yml")
        if window.waypoint not in waypoint_ids:
            report(window, "waypoint", f"unknown waypoint '{window.waypoint}'", "hall.yml")
    if len(window_numbers) != len(hall.windows):
        problems.append(Problem("hall.yml", "windows", "number", "duplicate window numbers"))

    seen_places: set[str] = set()
    for place in hall.places:
        if place.id in seen_places:
            report(place, "id", "duplicate place id", "hall.yml")
        seen_places.add(place.id)
        if place.hall is not None and place.hall not in hall_ids:
            report(place, "hall", f"unknown hall '{place.hall}'", "hall.yml")
        if place.waypoint not in waypoint_ids:
            report(place, "waypoint", f"unknown waypoint '{place.waypoint}'", "hall.yml")
        for number in place.windows:
            if number not in window_numbers:
                report(place, "windows", f"window {number} is not on the hall map", "hall.yml")

    for index, (a, b) in enumerate(hall.edges):
        for end in (a, b):
            if end not in waypoint_ids:
                problems.append(Problem("hall.yml", f"edges[{index}]", "edges", f"unknown waypoint '{end}'"))
    for robot in hall.robots:
        if robot.door not in place_ids:
            report(robot, "door", f"unknown place '{robot.door}'", "hall.yml")
        if robot.screen not in {s.id for s in hall.screens}:
            report(robot, "screen", f"unknown screen '{robot.screen}'", "hall.yml")
    for screen in hall.screens:
        if screen.waypoint not in waypoint_ids:
            report(screen, "waypoint", f"unknown waypoint '{screen.waypoint}'", "hall.yml")

    unreachable = sorted(waypoint_ids - _reachable(hall))
    if unreachable:
        problems.append(
            Problem("hall.yml", "edges", "edges", f"waypoints not connected to the graph: {unreachable}")
        )


def _reachable(hall: HallMap) -> set[str]:
    """Waypoints reachable from the first one over the undirected edges."""
    if not hall.waypoints:
        return set()
    neighbours: dict[str, set[str]] = {w.id: set() for w in hall.waypoints}
    for a, b in hall.edges:
        if a in neighbours and b in neighbours:
            neighbours[a].add(b)
            neighbours[b].add(a)
    start = hall.waypoints[0].id
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in neighbours[queue.popleft()] - seen:
            seen.add(nxt)
            queue.append(nxt)
    return seen
