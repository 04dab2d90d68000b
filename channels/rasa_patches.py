"""Where the Rasa server spends CPU for nothing, fixed without changing what it does.

`channels.serve` installs these before `rasa run` starts; docs/benchmarks.md ("CPU per turn")
has the profile that found them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import rasa.shared.utils.common
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event


@lru_cache(maxsize=1)
def _action_response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction's check of an action server response, with the schema checked once per process.

    Rasa calls `jsonschema.validate` on every action response, which first validates the schema
    itself against the draft 2020-12 meta-schema: about 40% of the server's CPU per turn. The
    response is still validated the same way and a bad one raises the same error.
    """
    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_original_resolve_by_type = Event.resolve_by_type


@lru_cache(maxsize=1)
def _event_classes() -> dict[str, type[Event]]:
    classes: dict[str, type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's loop
    return classes


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type from a table built once.

    Rasa walks the whole Event class tree (with `inspect.isabstract` on each class) for every
    event it reads back from the tracker store: 5% of the server's CPU per turn.
    """
    return _event_classes().get(type_name) or _original_resolve_by_type(type_name, default)


def install() -> None:
    """Apply the fixes to the Rasa classes of this process."""
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    RemoteAction._validate_action_result = _validate_action_result

