"""Where the Rasa server spends CPU for nothing, fixed without changing what it does.

`channels.serve` installs these before `rasa run` starts; docs/benchmarks.md ("CPU per turn")
has the profile that found them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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


def install() -> None:
    """Apply the fixes to the Rasa classes of this process."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]

