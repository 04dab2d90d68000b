"""Picks the chit-chat or hall FAQ answer (`chitchat/ask_name`, `hall_faq/hours`, …) with a logistic
regression over the character n-grams the CountVectorsFeaturizer already made.

Why not Rasa's ResponseSelector: it ran a TensorFlow model on every message, about a sixth of the
Rasa server's CPU per turn (docs/benchmarks.md, "CPU per turn"), to choose among ten fixed
answers. This component fills the same `response_selector` output (under `default`, as the
ResponseSelector does without `retrieval_intent`), so `utter_chitchat` and `utter_hall_faq` answer
through Rasa's own ActionRetrieveResponse, and it runs only when the message's intent is one of
the retrieval intents: other messages never need an answer picked.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression

from bot.components.trusted_models import load_trusted

logger = logging.getLogger(__name__)

RANKING_LENGTH = 10


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class AnswerPicker(GraphComponent):
    """Chooses the answer of a retrieval intent; place it last in the pipeline (after the router)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_iter": 1000, "random_state": 1}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self.clf: LogisticRegression | None = None
        self.responses: dict[str, list[dict[str, Any]]] = {}  # utter_chitchat/ask_name → its texts
        self.retrieval_intents: list[str] = []
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AnswerPicker:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT_RESPONSE_KEY) and e.get(TEXT)]
        if examples:
            self.clf = LogisticRegression(
                max_iter=self.config["max_iter"], random_state=self.config["random_state"], class_weight="balanced"
            )
            self.clf.fit(_features(examples), [e.get(INTENT_RESPONSE_KEY) for e in examples])
        self.responses = {key: list(value) for key, value in training_data.responses.items()}
        self.retrieval_intents = sorted(training_data.retrieval_intents)
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the picked answer to each message whose intent is a retrieval intent."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if self.clf is None or intent not in self.retrieval_intents:
                continue
            probabilities = self.clf.predict_proba(_features([message]))[0]
            labels = zip(self.clf.classes_, probabilities, strict=True)
            ranking = sorted(labels, key=lambda pair: -pair[1])[:RANKING_LENGTH]
            key, confidence = str(ranking[0][0]), float(ranking[0][1])
            utter_action = f"utter_{key}"
            prediction = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(utter_action, [{TEXT: key}]),
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {INTENT_RESPONSE_KEY: str(label), PREDICTED_CONFIDENCE_KEY: float(p)} for label, p in ranking
                ],
            }
            selected = {
                RESPONSE_SELECTOR_RETRIEVAL_INTENTS: self.retrieval_intents,
                RESPONSE_SELECTOR_DEFAULT_INTENT: prediction,
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selected, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            if self.clf is not None:
                sio.dump(self.clf, directory / "classifier.skops")
            answers = {"responses": self.responses, "retrieval_intents": self.retrieval_intents}
            (directory / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AnswerPicker:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                answers = json.loads((directory / "answers.json").read_text(encoding="utf-8"))
                classifier = directory / "classifier.skops"
                if classifier.exists():
                    component.clf = load_trusted(classifier)
        except ValueError:
            logger.debug("AnswerPicker: nothing trained in %s", resource.name)
            return component
        component.responses = answers["responses"]
        component.retrieval_intents = answers["retrieval_intents"]
        return component


def _features(messages: list[Message]) -> csr_matrix:
    """The sentence-level sparse features of each message, one row each."""
    rows = []
    for message in messages:
        sentence = message.get_sparse_features(attribute=TEXT)[1]
        rows.append(csr_matrix(sentence.features if sentence is not None else []))
    return vstack(rows).tocsr()
