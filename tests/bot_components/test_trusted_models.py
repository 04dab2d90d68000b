"""load_trusted (bot env): a stored model holding a type nobody trusts is refused, not run."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from bot.components.trusted_models import load_trusted


def test_a_scikit_learn_model_loads(tmp_path: Path) -> None:
    model = LogisticRegression().fit([[0.0], [1.0]], ["a", "b"])
    sio.dump(model, tmp_path / "m.skops")
    assert list(load_trusted(tmp_path / "m.skops").predict([[1.0]])) == ["b"]


def test_a_type_nobody_trusts_is_refused_unless_named(tmp_path: Path) -> None:
    sio.dump({"weight": Fraction(1, 3)}, tmp_path / "m.skops")
    with pytest.raises(RuntimeError, match="untrusted types.*Fraction"):
        load_trusted(tmp_path / "m.skops")
    # named by the caller, it loads (skops' own round trip of a Fraction is not at issue here)
    loaded = load_trusted(tmp_path / "m.skops", also_trusted=("fractions.Fraction",))
    assert isinstance(loaded["weight"], Fraction)
