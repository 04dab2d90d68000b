"""The call transcript format (JSON lines) and a reader that keeps going past bad lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# The hall's clock: calls are counted by hour in Beijing time (UTC+8, no daylight saving).
HALL_TZ = timezone(timedelta(hours=8), "UTC+08:00")


class Turn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    speaker: Literal["caller", "agent"]
    text: str


class Call(BaseModel):
    """One call: who spoke what, in order. Unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    call_id: Annotated[str, Field(min_length=1)]
    start_time: datetime
    turns: Annotated[list[Turn], Field(min_length=1)]
    caller_number: str | None = None
    agent_id: str | None = None

    @field_validator("start_time", mode="before")
    @classmethod
    def _iso_with_timezone(cls, value: Any) -> datetime:
        # only ISO 8601 text: pydantic alone would also take a number as a Unix time
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 string")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 date and time") from None
        if moment.tzinfo is None:
            raise ValueError("needs a timezone, e.g. +08:00 or Z")
        return moment

    @property
    def local_start(self) -> datetime:
        return self.start_time.astimezone(HALL_TZ)

    @property
    def caller_texts(self) -> list[str]:
        return [t.text for t in self.turns if t.speaker == "caller"]


@dataclass(frozen=True)
class BadLine:
    line: int  # 1-based line number in the input file
    reason: str  # never quotes the line itself: it may hold personal data

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class CallFileError(Exception):
    """The input cannot be read at all (missing, a directory, unreadable)."""


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(line)"


def _reason(error: ValidationError) -> str:
    # pydantic's own str() quotes the input value; only locations and messages are kept
    details = [
        f"{_field(d['loc'])}: " + ("must not be empty" if d["type"] == "too_short" else d["msg"])
        for d in error.errors(include_input=False, include_url=False)
    ]
    return "; ".join(details).replace("Value error, ", "")


def parse_line(raw: bytes) -> Call:
    """Parse one JSON line into a Call, or raise ValueError with a reason safe to print."""
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte {error.start})") from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    try:
        return Call.model_validate(data, strict=True)
    except ValidationError as error:
        raise ValueError(_reason(error)) from None


def iter_calls(path: Path) -> Iterator[Call | BadLine]:
    """Every non-blank line of `path` as a Call or a BadLine, in file order.

    Raises CallFileError when the file cannot be opened."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise CallFileError(f"cannot read {path}: {error.strerror or error}") from None
    seen: dict[str, int] = {}
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a byte-order mark that Windows editors add
            if not raw.strip():
                continue
            try:
                call = parse_line(raw)
            except ValueError as error:
                yield BadLine(number, str(error))
                continue
            if call.call_id in seen:
                yield BadLine(number, f"duplicate call_id (first on line {seen[call.call_id]})")
                continue
            seen[call.call_id] = number
            yield call


def read_calls(path: Path) -> tuple[list[Call], list[BadLine]]:
    """All good calls and all bad lines of a JSON-lines file."""
    if path.is_dir():
        raise CallFileError(f"{path} is a directory, not a calls file")
    calls: list[Call] = []
    bad: list[BadLine] = []
    for item in iter_calls(path):
        if isinstance(item, BadLine):
            bad.append(item)
        else:
            calls.append(item)
    return calls, bad
