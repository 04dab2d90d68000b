"""Reading call files: the format, and bad lines reported by number without their content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.hotline.calls import CallFileError, read_calls
from tests.knowledge.hotline.conftest import BAD_SAMPLE, SAMPLE, raw_numbers

GOOD = {"call_id": "T-1", "start_time": "2026-11-02T09:15:00+08:00", "turns": [{"speaker": "caller", "text": "喂"}]}


def _write(tmp_path: Path, lines: list[str], name: str = "calls.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_sample_is_clean_and_varied() -> None:
    calls, bad = read_calls(SAMPLE)
    assert bad == []
    assert len(calls) >= 30
    assert len({c.call_id for c in calls}) == len(calls)
    assert all(c.caller_texts for c in calls)
    assert len({c.local_start.hour for c in calls}) >= 12
    texts = " ".join(t for c in calls for t in c.caller_texts)
    for word in ("嗯", "那个", "就是说", "投诉", "转人工"):
        assert word in texts
    assert len(raw_numbers(SAMPLE)) >= 10  # ID card, phone, landline and bank card numbers


def test_bad_lines_are_reported_by_number_and_the_rest_is_read() -> None:
    calls, bad = read_calls(BAD_SAMPLE)
    assert [c.call_id for c in calls] == ["BAD-TEST-001", "BAD-TEST-008", "BAD-TEST-013"]
    reasons = {b.line: b.reason for b in bad}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 10, 11, 12]
    assert reasons[2].startswith("invalid JSON")
    assert reasons[3] == "call_id: Field required"
    assert reasons[4] == "turns: Input should be a valid list"
    assert reasons[5] == "turns: must not be empty"
    assert "turns.0.speaker" in reasons[6] and "turns.0.text" in reasons[6]
    assert "timezone" in reasons[7]
    assert reasons[10] == "duplicate call_id (first on line 1)"
    assert reasons[11] == "expected a JSON object, got list"
    assert reasons[12] == "caller_number: Input should be a valid string"
    assert str(bad[0]) == f"line 2: {reasons[2]}"


def test_bad_line_reasons_never_quote_the_line() -> None:
    _, bad = read_calls(BAD_SAMPLE)
    text = " ".join(b.reason for b in bad)
    assert not any(number in text for number in raw_numbers(BAD_SAMPLE))
    assert "居住证" not in text and "customer" not in text


@pytest.mark.parametrize(
    ("start_time", "hour"),
    [("2026-11-02T09:15:00+08:00", 9), ("2026-11-02T01:15:00Z", 9), ("2026-11-02T23:30:00+00:00", 7)],
)
def test_start_times_are_read_in_hall_time(tmp_path: Path, start_time: str, hour: int) -> None:
    calls, bad = read_calls(_write(tmp_path, [json.dumps({**GOOD, "start_time": start_time})]))
    assert bad == [] and calls[0].local_start.hour == hour


@pytest.mark.parametrize(
    ("start_time", "reason"),
    [
        ("2026-11-02T09:15:00", "start_time: needs a timezone, e.g. +08:00 or Z"),
        ("下午三点", "start_time: not an ISO 8601 date and time"),
        (1762046100, "start_time: must be an ISO 8601 string"),
    ],
)
def test_start_times_need_iso_8601_with_a_timezone(tmp_path: Path, start_time: object, reason: str) -> None:
    calls, bad = read_calls(_write(tmp_path, [json.dumps({**GOOD, "start_time": start_time})]))
    assert calls == [] and [str(b) for b in bad] == [f"line 1: {reason}"]


def test_blank_lines_a_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    second = {**GOOD, "call_id": "T-2"}
    path.write_bytes(b"\xef\xbb\xbf" + f"{json.dumps(GOOD)}\r\n\r\n{json.dumps(second)}\r\n".encode())
    calls, bad = read_calls(path)
    assert bad == [] and [c.call_id for c in calls] == ["T-1", "T-2"]


def test_a_line_that_is_not_utf8_is_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    in_gbk = json.dumps({**GOOD, "call_id": "电话"}, ensure_ascii=False).encode("gbk")
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + in_gbk + b"\n")
    calls, bad = read_calls(path)
    assert [c.call_id for c in calls] == ["T-1"]
    assert [b.line for b in bad] == [2] and bad[0].reason.startswith("not UTF-8")


def test_unknown_fields_are_ignored_and_optional_fields_may_be_missing(tmp_path: Path) -> None:
    calls, bad = read_calls(_write(tmp_path, [json.dumps({**GOOD, "duration_s": 75, "queue": "12345"})]))
    assert bad == [] and calls[0].caller_number is None and calls[0].agent_id is None


def test_a_missing_file_or_a_directory_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CallFileError, match="cannot read"):
        read_calls(tmp_path / "nope.jsonl")
    with pytest.raises(CallFileError, match="is a directory"):
        read_calls(tmp_path)
