"""Loading the scikit-learn models our graph components store, as Rasa's own classifiers load
theirs: only types skops trusts (scikit-learn's own) and those a caller names, else an error that
asks for a retrain. A stored model is code-bearing data; an unexpected type must never run."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_trusted(path: Path, also_trusted: tuple[str, ...] = ()) -> Any:
    """The model stored at `path`, refused if it holds a type neither skops nor the caller trusts."""
    import skops.io as sio

    untrusted = set(sio.get_untrusted_types(file=path)) - set(also_trusted)
    if untrusted:
        raise RuntimeError(f"{path} holds untrusted types {sorted(untrusted)}: retrain the model")
    return sio.load(path, trusted=list(also_trusted))
