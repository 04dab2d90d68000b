"""`cli explain` shows an operator what matching reads in a record's name."""

from __future__ import annotations

import pytest

from knowledge.retrieval.cli import main


def test_explain_shows_the_object_as_matched_and_the_purpose(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "gjj-repayment-withdrawal"]) == 0
    shown = capsys.readouterr().out
    assert "object:   住房公积金" in shown and "action:   提取" in shown
    assert "purpose:  偿还贷款" in shown and "还月供" in shown
    assert main(["explain", "sz-water-connection"]) == 0
    assert "object:   供水" in capsys.readouterr().out  # 用水报装 writes it as 用水


def test_explain_refuses_an_unknown_record(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "no-such-record"]) == 1
    assert "no matter or policy" in capsys.readouterr().err
