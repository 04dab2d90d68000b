"""The NLU held-out sets are well formed: a malformed item would silently count as a miss (or a
hit) in `make eval-nlu`, so every record they name must exist in the sample catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.loader import load_catalog

DATA = Path(__file__).parent / "data"
ACTS = {
    "question", "complaint", "person", "place", "guide", "greet", "thanks", "bye", "affirm", "deny",
    "out_of_scope", "policy_match", "feedback", "feedback_good", "feedback_bad",
}
ELEMENTS = {"materials", "place", "time_limit", "fee", "process", "conditions", "online", "visits", "general"}


@pytest.fixture(scope="module")
def record_keys() -> set[str]:
    catalog = load_catalog()
    kinds: dict[str, dict[str, Any]] = {
        "matter": catalog.matters, "policy": catalog.policies, "theme": catalog.themes, "place": catalog.places,
    }
    return {f"{kind}:{record_id}" for kind, records in kinds.items() for record_id in records}


@pytest.mark.parametrize(
    "name",
    [
        "nlu_heldout.yml", "nlu_heldout2.yml", "nlu_heldout3.yml", "nlu_heldout4.yml", "nlu_dev5.yml",
        "nlu_heldout6.yml", "nlu_heldout7.yml", "nlu_heldout8.yml", "nlu_heldout9.yml", "nlu_dev10.yml",
        "nlu_dev11.yml", "nlu_heldout12.yml", "nlu_heldout13.yml", "nlu_heldout14.yml", "nlu_heldout15.yml",
        "nlu_heldout16.yml", "nlu_heldout17.yml", "nlu_heldout18.yml", "nlu_heldout19.yml",
        "nlu_heldout20.yml", "nlu_heldout21.yml", "nlu_heldout22.yml", "nlu_heldout23.yml",
        "nlu_heldout24.yml", "nlu_heldout25.yml", "nlu_heldout26.yml", "nlu_heldout27.yml",
        "nlu_heldout28.yml", "nlu_heldout29.yml", "nlu_heldout30.yml", "nlu_heldout31.yml", "nlu_heldout32.yml",
        "nlu_heldout33.yml", "nlu_heldout34.yml", "nlu_heldout35.yml", "nlu_heldout36.yml", "nlu_heldout37.yml",
        "nlu_heldout38.yml", "nlu_heldout39.yml", "nlu_heldout40.yml", "nlu_heldout41.yml", "nlu_heldout42.yml",
        "nlu_heldout43.yml", "nlu_heldout44.yml", "nlu_heldout45.yml",
    ],
)
def test_every_item_is_well_formed_and_names_real_records(name: str, record_keys: set[str]) -> None:
    items = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    smaller = {"nlu_dev5.yml": 350, "nlu_heldout8.yml": 150, "nlu_heldout9.yml": 200, "nlu_dev10.yml": 200}
    later = {f"nlu_heldout{n}.yml": 200 for n in range(12, 23)}  # the topic-switch and complaint sets
    assert len(items) >= {**smaller, **later, "nlu_dev11.yml": 160}.get(name, 400)
    assert len({item["id"] for item in items}) == len(items), "duplicate ids"
    for item in items:
        assert item["act"] in ACTS, item["id"]
        assert isinstance(item.get("context") or [], list), item["id"]
        assert set(item.get("records") or []) <= record_keys, item["id"]
        if item["act"] == "question":
            assert item.get("element") in ELEMENTS | {None}, item["id"]
        if item.get("choice"):
            assert len(item["records"]) >= 2, f"{item['id']}: a choice needs two records"



def test_the_element_examples_are_current_and_hold_no_blind_item() -> None:
    """The ElementClassifier trains on bot/element_examples.yml: it must be what the tool makes,
    from development sets only; a blind set's questions in it would leave that set measuring nothing."""
    from tools import element_examples

    text = element_examples.OUT.read_text(encoding="utf-8")
    assert text == element_examples.render(element_examples.examples()), "stale: run make element-examples"
    assert not set(element_examples.BLIND) & set(element_examples.DEVELOPMENT_SETS)
    development = {
        str(item["text"]).strip()
        for name in element_examples.DEVELOPMENT_SETS
        for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    }
    trained = {q for questions in yaml.safe_load(text).values() for q in questions}
    assert trained <= development


def test_whether_one_must_come_in_person_is_trained_as_conditions() -> None:
    """The briefs define it as conditions; early sets called some of these visits."""
    from tools import element_examples

    trained = yaml.safe_load(element_examples.OUT.read_text(encoding="utf-8"))
    assert "换身份证必须本人去吗" in trained["conditions"]
    assert not any(element_examples.IN_PERSON.search(t) and not element_examples.COUNTS_TRIPS.search(t)
                   for t in trained["visits"])
    assert "生育金贴要本人跑一趟不" in trained["visits"]  # it counts a trip
