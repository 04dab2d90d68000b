"""CachedQueries: a repeated question gets the very vector the e5 encoder gives it, without
encoding it again; the cache stays small and batches pass through."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from knowledge.retrieval.encoders import E5Encoder
from knowledge.retrieval.query_cache import CachedQueries
from tests.utils.counting_encoder import CountingEncoder


@pytest.fixture(scope="module")
def e5() -> E5Encoder:
    return E5Encoder()


def test_a_repeated_question_is_encoded_once_and_gets_the_same_vector(e5: E5Encoder) -> None:
    counting = CountingEncoder(e5)
    cached = CachedQueries(counting)
    first = cached.encode_queries(["驾照到期了怎么换"])
    again = cached.encode_queries(["驾照到期了怎么换"])
    assert counting.queries == ["驾照到期了怎么换"]
    assert (cached.hits, cached.misses) == (1, 1)
    assert np.array_equal(first, again)
    assert np.array_equal(again, e5.encode_queries(["驾照到期了怎么换"]))
    assert again.shape == (1, e5.dim) and again.dtype == np.float32


def test_the_key_is_the_exact_text(e5: E5Encoder) -> None:
    counting = CountingEncoder(e5)
    cached = CachedQueries(counting)
    cached.encode_queries(["护照怎么办"])
    cached.encode_queries(["护照怎么办？"])
    assert counting.queries == ["护照怎么办", "护照怎么办？"]


def test_the_least_recently_used_text_is_dropped_first(e5: E5Encoder) -> None:
    counting = CountingEncoder(e5)
    cached = CachedQueries(counting, size=2)
    for text in ["社保卡", "公积金", "社保卡", "户口"]:  # 公积金 is the least recently used when 户口 comes
        cached.encode_queries([text])
    cached.encode_queries(["社保卡"])
    cached.encode_queries(["公积金"])
    assert counting.queries == ["社保卡", "公积金", "户口", "公积金"]


def test_what_a_caller_does_to_its_vector_does_not_reach_the_cache(e5: E5Encoder) -> None:
    cached = CachedQueries(e5)
    cached.encode_queries(["营业执照"])[0] *= 0
    assert np.array_equal(cached.encode_queries(["营业执照"]), e5.encode_queries(["营业执照"]))
    cached.encode_queries(["营业执照"])[0] *= 0
    assert np.array_equal(cached.encode_queries(["营业执照"]), e5.encode_queries(["营业执照"]))


def test_batches_and_passages_pass_through(e5: E5Encoder) -> None:
    counting = CountingEncoder(e5)
    cached = CachedQueries(counting)
    texts = ["身份证", "驾驶证"]
    assert np.array_equal(cached.encode_queries(texts), e5.encode_queries(texts))
    cached.encode_queries(texts)
    assert counting.queries == texts * 2 and cached.hits == 0
    assert np.array_equal(cached.encode_passages(texts), e5.encode_passages(texts))
    assert (cached.id, cached.dim) == (e5.id, e5.dim)


def test_the_service_setting_sizes_or_turns_off_the_cache(monkeypatch: pytest.MonkeyPatch, e5: E5Encoder) -> None:
    from knowledge.retrieval import service
    from knowledge.settings import Settings

    made: list[object] = []

    class Stop(Exception):
        pass

    def catch(docs: object, encoder: object, *args: object) -> None:
        made.append(encoder)
        raise Stop

    monkeypatch.setattr(service, "make_encoder", lambda *_: e5)
    monkeypatch.setattr(service, "load_or_build_index", catch)
    monkeypatch.setattr(service, "EntityFinder", lambda catalog: None)
    monkeypatch.setattr(service, "catalog_documents", lambda catalog, lexicon: [])
    catalog = SimpleNamespace(content_hash="test")
    for size in (16, 0):
        with pytest.raises(Stop):
            service.make_searcher(catalog, Settings(query_cache=size), use_lexicon=False)  # type: ignore[arg-type]
    cached, plain = made
    assert isinstance(cached, CachedQueries) and cached.size == 16
    assert plain is e5
