"""The NLU's last word on the intent: readable rules for dialogue acts and question elements
(bot/components/acts.py) override the statistical classifier, which keeps only what rules cannot
name: chit-chat, hall FAQs and out-of-scope talk, and only when it is confident and the message
names nothing in the catalog and asks no element.

Where the rules find no element, the element classifier's sure guess names it; where they find
one, a very sure guess of another overrules them (bot/components/element_classifier.py).

Why: DIET's confidences are not calibrated ("驾照" came out `affirm` 0.68, "户口" `inform` 1.00), so
a content question became a dialogue act. Here a message is a question unless an act's own words
say otherwise, and the catalog search in the actions decides what it is about.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components import acts
from bot.components.element_classifier import ELEMENT_GUESS

# intents only the statistical classifier can recognise (their wording is open-ended)
STATISTICAL_INTENTS = {"chitchat", "hall_faq", "out_of_scope"}
# entities that name something in the catalog (lookup tables generated from it)
CATALOG_ENTITIES = {"matter", "policy", "place", "department"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DialogueActRouter(GraphComponent, IntentClassifier):
    """Sets the intent from dialogue-act and element rules; place it after the classifier."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """How sure the classifier must be to keep a chit-chat, FAQ or out-of-scope intent, and
        how sure the element classifier must be where the rules find no element, and to overrule
        the element they find."""
        return {"statistical_threshold": 0.6, "element_guess_threshold": 0.5, "element_override_threshold": 0.8}

    def __init__(self, config: dict[str, Any]) -> None:
        config = {**self.get_default_config(), **config}
        self.threshold = float(config["statistical_threshold"])
        self.guess_threshold = float(config["element_guess_threshold"])
        self.override_threshold = float(config["element_override_threshold"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DialogueActRouter:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Decides each message's intent in place."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads carry their intent
            entities = {e.get("entity") for e in message.get(ENTITIES) or []}
            guess = message.get(ELEMENT_GUESS)
            guessed = _sure_guess(guess, self.guess_threshold)
            overruling = _sure_guess(guess, self.override_threshold)
            intent = route(text, entities, message.get(INTENT) or {}, self.threshold, guessed, overruling)
            if intent is not None:
                message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
                message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data


def _sure_guess(guess: dict[str, Any] | None, threshold: float) -> str | None:
    """The element classifier's guess when it is at least `threshold` sure (and made one)."""
    if not guess or float(guess.get("confidence") or 0.0) < threshold:
        return None
    return str(guess["name"])


def route(
    text: str,
    entities: set[Any],
    predicted: dict[str, Any],
    threshold: float,
    guessed: str | None = None,
    overruling: str | None = None,
) -> str | None:
    """The intent for `text`, or None to keep the classifier's (chit-chat, FAQ, out of scope).

    `guessed` is the element classifier's sure guess, used where the rules find no element;
    `overruling` its very sure guess, which overrules the element the rules find."""
    act = acts.dialogue_act(text)
    if act is not None:
        return act
    element = acts.element(text)
    names_catalog = bool(entities & CATALOG_ENTITIES)
    confident = float(predicted.get("confidence") or 0.0) >= threshold
    if confident and not names_catalog:
        # a hall question asks its own element ("怎么取号", "停车场在哪"), which the catalog
        # cannot answer (取号 found 号牌 matters); small talk and out-of-scope talk ask none
        if predicted.get("name") == "hall_faq":
            return None
        # out of scope is not what names a thing an office handles or a hall facility: the search
        # decides on it
        official = predicted.get("name") == "out_of_scope" and acts.names_catalog_kind(text)
        if predicted.get("name") in STATISTICAL_INTENTS and element == "general" and not official:
            return None
    if element == "general" and guessed is not None and not acts.asks_whether_there_is(text):
        # the rules know no word for what is asked ("啥价位"); the classifier is sure. Only here:
        # small talk was kept above by the rules' element, as the classifier sees every message
        # as some question. Whether a benefit exists ("有减免没有") is a general question.
        element = guessed
    elif element != "general" and overruling not in (None, "general"):
        # the rules matched a word that asks nothing here: "公积金贷款有啥要求，得连续缴多久才能贷"
        # asks conditions, not the time limit. Measured leaving each development set out in turn
        # (sets 26-35, 2,407 questions): at 0.8 sure it fixed 6 and broke none. Never to general:
        # the sets often call "护照丢了怎么补办" general, and the classifier learnt to be sure of
        # it, but it asks the steps
        element = str(overruling)
    # a where-question about a hall facility (母婴室在哪) is a place question, which can lead there
    if element == "location" and "place" in entities and "matter" not in entities:
        return "ask_place"
    return acts.ELEMENT_INTENTS[element]
