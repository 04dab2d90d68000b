"""channels/rasa_patches.py: Rasa's action-response check, with the schema checked once, accepts and
rejects exactly what Rasa's own check does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels import rasa_patches

GOOD: dict[str, Any] = {
    "events": [{"event": "slot", "name": "matter", "value": "护照补发"}],
    "responses": [{"text": "请带好身份证。"}],
}
BAD: list[dict[str, Any]] = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},  # a slot event without its name
    {"events": [], "responses": ["not an object"]},
]


@pytest.fixture
def original() -> Iterator[Any]:
    before = RemoteAction._validate_action_result
    yield before
    RemoteAction._validate_action_result = before  # type: ignore[method-assign]


@pytest.mark.parametrize("response", [GOOD, *BAD])
def test_patched_check_agrees_with_rasas(original: Any, response: dict[str, Any]) -> None:
    action = RemoteAction("action_answer_matter", None)
    try:
        expected: str | bool = original(action, response)
    except ValidationError as error:
        expected = error.message
    rasa_patches.install()
    try:
        got: str | bool = action._validate_action_result(response)
    except ValidationError as error:
        got = error.message
    assert got == expected
    assert (got is True) == (response is GOOD)


def test_event_types_resolve_as_rasa_resolves_them() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    names = {cls.type_name for cls in all_subclasses(Event)}
    expected = {name: original(name) for name in names}
    rasa_patches.install()
    try:
        assert {name: Event.resolve_by_type(name) for name in names} == expected
        assert Event.resolve_by_type("topic") is None  # Rasa's backwards-compatible answer
        with pytest.raises(ValueError):
            Event.resolve_by_type("no_such_event")
    finally:
        Event.resolve_by_type = staticmethod(original)  # type: ignore[method-assign]
