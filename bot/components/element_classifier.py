"""Guesses which element a question asks about from its wording, for the router
(bot/components/router.py) to use where the rules (acts.element) find none.

Why: the rules name each element by its words, and every new writer found words they lack
("啥价位", "得来窗口几次", "是不是可以不交"): a question the rules leave "general" gets the whole
matter instead of what was asked. A logistic regression over character n-grams, trained on the
ask_* intents' examples and on the development sets' element questions (bot/element_examples.yml),
knows many more wordings. The rules stay first: they are exact where they speak, and the guess is
used only where they find nothing and only when it is sure (docs/nlu.md, "An element classifier").
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.components import acts
from bot.components.trusted_models import load_trusted

logger = logging.getLogger(__name__)

# the message property the guess is written to, {"name": element, "confidence": p}
ELEMENT_GUESS = "element_guess"
_ELEMENT_OF_INTENT = {intent: element for element, intent in acts.ELEMENT_INTENTS.items()}
# besides sklearn's own types, which skops trusts: the idf weights' diagonal matrix is a plain
# scipy sparse matrix (a data container that runs no code when loaded)
_TRUSTED = ("scipy.sparse._csr.csr_matrix",)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ElementClassifier(GraphComponent):
    """Writes its element guess to each message; place it before the router."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C and the n-grams were chosen by leaving out one development set at a time
        # (docs/nlu.md, "An element classifier")
        return {"examples_path": "bot/element_examples.yml", "C": 10.0, "max_iter": 3000, "random_state": 1}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self.model: Pipeline | None = None
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ElementClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The examples file is read outside the training data: a change to it must retrain."""
        path = Path({**cls.get_default_config(), **config}["examples_path"])
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            element = _ELEMENT_OF_INTENT.get(example.get(INTENT))
            if element is not None and example.get(TEXT):
                texts.append(example.get(TEXT))
                labels.append(element)
        for element, questions in load_examples(Path(self.config["examples_path"])).items():
            texts.extend(questions)
            labels.extend([element] * len(questions))
        if len(set(labels)) > 1:
            self.model = Pipeline([
                ("ngrams", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
                ("classifier", LogisticRegression(
                    C=self.config["C"], max_iter=self.config["max_iter"], random_state=self.config["random_state"]
                )),
            ])
            self.model.fit([acts.standard(t) for t in texts], labels)
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the element guess to each typed message (button payloads carry their intent)."""
        for message in messages:
            text = message.get(TEXT)
            if self.model is None or not text or text.startswith("/"):
                continue
            message.set(ELEMENT_GUESS, guess(self.model, text), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            if self.model is not None:
                sio.dump(self.model, directory / "elements.skops")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ElementClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / "elements.skops"
                if path.exists():
                    component.model = load_trusted(path, also_trusted=_TRUSTED)
        except ValueError:
            logger.debug("ElementClassifier: nothing trained in %s", resource.name)
        return component


def load_examples(path: Path) -> dict[str, list[str]]:
    """The examples file's questions by element; none when there is no file."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(element): [str(q) for q in questions] for element, questions in data.items()}


def guess(model: Pipeline, text: str) -> dict[str, Any]:
    """The likeliest element of `text` and the model's probability for it."""
    probabilities = model.predict_proba([acts.standard(text)])[0]
    best = int(probabilities.argmax())
    return {"name": str(model.classes_[best]), "confidence": float(probabilities[best])}
