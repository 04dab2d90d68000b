"""Reloading after an edit encodes only the texts no earlier build has encoded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from catalog.loader import load_catalog
from knowledge.console.reload import reload_catalog
from knowledge.retrieval import service
from knowledge.retrieval.encoders import Vectors, _normalised
from knowledge.settings import get_settings
from tests.utils.catalog_factory import write_catalog


class CountingEncoder:
    """A real (if tiny) deterministic encoder that records which passages it was asked to encode."""

    id = "counting-8"
    dim = 8
    encoded: list[str] = []  # shared: the service makes a new encoder for every searcher

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        return _normalised([[float(ord(t[i % len(t)]) % 7 + i) for i in range(self.dim)] for t in texts], self.dim)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._vectors(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        CountingEncoder.encoded.extend(texts)
        return self._vectors(texts)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(service, "make_encoder", lambda *_: CountingEncoder())
    monkeypatch.setenv("KNOWLEDGE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    CountingEncoder.encoded = []
    yield
    get_settings.cache_clear()


def test_an_added_alias_encodes_only_that_alias(counting: None, tmp_path: Path) -> None:
    directory = write_catalog(tmp_path / "catalog")
    app = SimpleNamespace(state=SimpleNamespace(catalog=load_catalog(directory)))
    first = reload_catalog(app)  # type: ignore[arg-type]
    assert len(CountingEncoder.encoded) > 10  # the first build encodes the whole catalog
    matters_file = directory / "matters" / "hz.yml"
    document = yaml.safe_load(matters_file.read_text(encoding="utf-8"))
    document["matters"][0]["aliases"].append("补办身份证新说法")
    matters_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    CountingEncoder.encoded = []

    second = reload_catalog(app)  # type: ignore[arg-type]

    assert second.content_hash != first.content_hash
    assert app.state.catalog is second
    assert app.state.searcher.encoder.id == CountingEncoder.id
    assert [text for text in CountingEncoder.encoded if "补办身份证新说法" in text] == CountingEncoder.encoded
    assert CountingEncoder.encoded  # the new alias was encoded
