"""The rules the shipped lexicon data follows (knowledge/lexicon/README.md), checked on the raw
files: the loader keeps the last of two clashing entries silently, so a clash is only seen here."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import yaml

from knowledge.retrieval.lexicon import LEXICON_DIR


def _load(name: str) -> Any:
    return yaml.safe_load((LEXICON_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return list(_load("objects.yml")["objects"])


@pytest.fixture(scope="module")
def actions() -> list[dict[str, Any]]:
    return list(_load("actions.yml")["actions"])


def _owners(entries: list[dict[str, Any]], name: str, *keys: str) -> dict[str, list[str]]:
    """word -> the entries (by `name`) that list it under any of `keys`."""
    owners: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        for key in keys:
            for word in entry.get(key) or []:
                owners[word].append(entry[name])
    return owners


def test_each_object_word_says_one_term_and_is_no_other_term(objects: list[dict[str, Any]]) -> None:
    terms = [o["term"] for o in objects]
    assert len(terms) == len(set(terms))
    owners = _owners(objects, "term", "synonyms")
    assert {w: t for w, t in owners.items() if len(t) > 1} == {}
    assert sorted(w for w in owners if w in set(terms)) == []


def test_each_action_word_belongs_to_one_family(actions: list[dict[str, Any]]) -> None:
    owners = _owners(actions, "action", "official", "everyday")
    assert {w: f for w, f in owners.items() if len(f) > 1} == {}


def test_no_action_word_is_an_object_word(objects: list[dict[str, Any]], actions: list[dict[str, Any]]) -> None:
    object_words = {o["term"] for o in objects} | set(_owners(objects, "term", "synonyms"))
    action_words = set(_owners(actions, "action", "official", "everyday")) | {a["action"] for a in actions}
    assert sorted(action_words & object_words) == []


def test_no_stop_word_is_a_lexicon_word(objects: list[dict[str, Any]], actions: list[dict[str, Any]]) -> None:
    stops = {w for value in _load("stopwords.yml").values() if isinstance(value, list) for w in value}
    words = {o["term"] for o in objects} | set(_owners(objects, "term", "synonyms"))
    words |= set(_owners(actions, "action", "official", "everyday"))
    words |= set(_owners(_load("purposes.yml")["purposes"], "purpose", "everyday"))
    assert sorted(stops & words) == []


def test_each_purpose_word_says_one_purpose() -> None:
    owners = _owners(_load("purposes.yml")["purposes"], "purpose", "everyday")
    assert {w: p for w, p in owners.items() if len(p) > 1} == {}

