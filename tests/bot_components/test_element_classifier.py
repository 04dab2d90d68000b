"""ElementClassifier (bot env): trained on the real examples file, it guesses the element of
wordings the rules do not know; the router uses a sure guess only where the rules find no element;
the model survives being stored and loaded; a change to the examples file retrains it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components import acts
from bot.components.element_classifier import ELEMENT_GUESS, ElementClassifier, load_examples
from bot.components.router import DialogueActRouter, route

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "bot" / "element_examples.yml"

# wordings the rules find no element in, none of them in the examples file
UNKNOWN_TO_THE_RULES = [
    ("办个结婚公证大概啥价位", "fee"),
    ("营业执照变更得来你们窗口几次啊", "visits"),
    ("残保金俺们小厂是不是可以不交", "conditions"),
    ("护照换发来回要折腾几回", "visits"),
]


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def classifier(storage: LocalModelStorage) -> ElementClassifier:
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ElementClassifier.get_default_config(), "examples_path": str(EXAMPLES)}
    component = ElementClassifier.create(config, storage, Resource("elements"), context)
    # trained as `rasa train` trains it: on the NLU data, of which it reads the ask_* examples
    component.train(load_data(str(ROOT / "bot" / "data" / "nlu")))
    return component


def _guess(component: ElementClassifier, text: str) -> dict[str, object]:
    message = Message(data={TEXT: text})
    component.process([message])
    return message.get(ELEMENT_GUESS)


@pytest.mark.parametrize(("text", "element"), UNKNOWN_TO_THE_RULES)
def test_it_knows_wordings_the_rules_do_not(classifier: ElementClassifier, text: str, element: str) -> None:
    examples = {q for questions in load_examples(EXAMPLES).values() for q in questions}
    assert text not in examples
    assert acts.element(text) == "general"
    guess = _guess(classifier, text)
    assert guess["name"] == element
    assert guess["confidence"] >= 0.5


def test_button_payloads_get_no_guess(classifier: ElementClassifier) -> None:
    assert _guess(classifier, '/choose_option{"choice":"matter:x"}') is None


def test_the_router_takes_a_sure_guess_only_where_the_rules_find_none() -> None:
    question = {"name": "ask_matter", "confidence": 0.3}
    # the rules find nothing: a sure guess decides, an unsure one does not
    assert route("出生公证大约啥价位", set(), question, 0.6, guessed="fee") == "ask_fee"
    assert route("出生公证大约啥价位", set(), question, 0.6, guessed=None) == "ask_matter"
    # the rules find the element: they decide, unless the classifier is very sure of another
    assert route("护照在哪办", set(), question, 0.6, guessed="fee") == "ask_location"
    asks_conditions = "公积金贷款有啥要求，得连续缴多久才能贷"  # set 34: 多久 asks no time limit here
    assert route(asks_conditions, set(), question, 0.6, guessed="conditions") == "ask_time_limit"
    assert route(asks_conditions, set(), question, 0.6, "conditions", overruling="conditions") == "ask_conditions"
    # never overruled to a general question: "护照丢了怎么补办" asks the steps
    assert route("护照丢了怎么补办", set(), question, 0.6, "general", overruling="general") == "ask_process"
    # whether a benefit exists is a general question, whatever the guess (set 26: "有减免没有" was
    # guessed a conditions question)
    benefits = ("房产税和土地税实在交不起，有减免没有", "首套房契税有优惠没", "社保费缓缴那个政策现在还有没有")
    for text in benefits:
        assert route(text, set(), question, 0.6, guessed="conditions") == "ask_matter", text
    # small talk stays small talk whatever the guess (the classifier sees every message as a question)
    assert route("讲个笑话", set(), {"name": "chitchat", "confidence": 0.9}, 0.6, guessed="process") is None


def test_the_router_reads_the_guess_from_the_message() -> None:
    router = DialogueActRouter({})
    sure, unsure = Message(data={TEXT: "出生公证大约啥价位"}), Message(data={TEXT: "出生公证大约啥价位"})
    sure.set(ELEMENT_GUESS, {"name": "fee", "confidence": 0.8})
    unsure.set(ELEMENT_GUESS, {"name": "fee", "confidence": 0.3})
    router.process([sure, unsure])
    assert sure.get(INTENT)["name"] == "ask_fee"
    assert unsure.get(INTENT)["name"] == "ask_matter"
    # a guess against the rules' element counts only when very sure (element_override_threshold)
    text = "公积金贷款有啥要求，得连续缴多久才能贷"
    very_sure, sure = Message(data={TEXT: text}), Message(data={TEXT: text})
    very_sure.set(ELEMENT_GUESS, {"name": "conditions", "confidence": 0.9})
    sure.set(ELEMENT_GUESS, {"name": "conditions", "confidence": 0.7})
    router.process([very_sure, sure])
    assert very_sure.get(INTENT)["name"] == "ask_conditions"
    assert sure.get(INTENT)["name"] == "ask_time_limit"


def test_stored_and_loaded_it_guesses_the_same(classifier: ElementClassifier, storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ElementClassifier.get_default_config(), "examples_path": str(EXAMPLES)}
    loaded = ElementClassifier.load(config, storage, Resource("elements"), context)
    for text, _ in UNKNOWN_TO_THE_RULES:
        assert _guess(loaded, text) == _guess(classifier, text)


def test_a_changed_examples_file_changes_the_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "examples.yml"
    path.write_text("fee:\n- 多少钱\n", encoding="utf-8")
    before = ElementClassifier.fingerprint_addon({"examples_path": str(path)})
    path.write_text("fee:\n- 多少钱\n- 收费吗\n", encoding="utf-8")
    assert ElementClassifier.fingerprint_addon({"examples_path": str(path)}) != before


def test_nothing_trained_loads_as_no_guess(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ElementClassifier.get_default_config(), "examples_path": str(tmp_path / "missing.yml")}
    component = ElementClassifier.create(config, storage, Resource("empty"), context)
    component.train(TrainingData(training_examples=[]))
    loaded = ElementClassifier.load(config, storage, Resource("empty"), context)
    assert _guess(loaded, "护照多少钱") is None
