"""AnswerPicker (bot env): trained on real character n-gram features, it picks the chit-chat or
hall FAQ answer in the ResponseSelector's output format, only for the retrieval intents, and
survives being stored and loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import ActionRetrieveResponse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.answer_picker import AnswerPicker

EXAMPLES = {
    "chitchat/ask_name": ["你叫什么", "你叫啥名字", "怎么称呼你", "你的名字是什么", "你有名字吗"],
    "chitchat/ask_bot": ["你是机器人吗", "你是真人吗", "你是人工智能吗", "是真人在回复吗", "你是程序吗"],
    "hall_faq/hours": ["几点上班", "大厅几点开门", "工作时间是什么时候", "中午休息吗", "几点下班"],
    "hall_faq/wifi": ["有wifi吗", "无线网密码多少", "网络怎么连", "有没有免费网络", "wifi叫什么"],
}
OTHER = ["身份证丢了怎么补办", "社保卡要带什么材料", "驾照在哪个窗口换", "公积金怎么提取", "护照要多少钱"]


def _message(text: str, intent: str, key: str | None = None) -> Message:
    data: dict[str, Any] = {TEXT: text, INTENT: intent}
    if key:
        data[INTENT_RESPONSE_KEY] = key
    return Message(data=data)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, LocalModelStorage]:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    messages = [_message(t, key.split("/")[0], key) for key, texts in EXAMPLES.items() for t in texts]
    messages += [_message(t, "ask_matter") for t in OTHER]
    responses = {f"utter_{key}": [{"text": f"answer {key}"}] for key in EXAMPLES}
    data = TrainingData(training_examples=messages, responses=responses)
    tokenizer = JiebaTokenizer.create(JiebaTokenizer.get_default_config(), storage, Resource("tokenizer"), context)
    tokenizer.process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3},
        storage,
        Resource("featurizer"),
        context,
    )
    featurizer.train(data)
    featurizer.process_training_data(data)
    picker = AnswerPicker.create(AnswerPicker.get_default_config(), storage, Resource("picker"), context)
    picker.train(data)
    return (tokenizer, featurizer), picker, storage


def _parse(trained: tuple[Any, Any, LocalModelStorage], picker: AnswerPicker, text: str, intent: str) -> Message:
    (tokenizer, featurizer), _, _ = trained
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    tokenizer.process([message])
    featurizer.process([message])
    picker.process([message])
    return message


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("你到底叫什么名字", "chitchat", "utter_chitchat/ask_name"),
        ("请问你是真人还是机器人", "chitchat", "utter_chitchat/ask_bot"),
        ("大厅早上几点开门", "hall_faq", "utter_hall_faq/hours"),
        ("这里有免费wifi吗", "hall_faq", "utter_hall_faq/wifi"),
    ],
)
def test_picks_the_answer_in_the_response_selector_format(trained: Any, text: str, intent: str, answer: str) -> None:
    message = _parse(trained, trained[1], text, intent)
    selected = message.get("response_selector")
    assert selected["all_retrieval_intents"] == ["chitchat", "hall_faq"]
    response = selected["default"]["response"]
    assert response["utter_action"] == answer
    assert response["intent_response_key"] == answer.removeprefix("utter_")
    assert response["responses"] == [{"text": f"answer {answer.removeprefix('utter_')}"}]
    ranking = selected["default"]["ranking"]
    assert ranking[0]["intent_response_key"] == response["intent_response_key"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)


def test_rasa_retrieval_action_reads_the_picked_answer(trained: Any) -> None:
    message = _parse(trained, trained[1], "大厅几点开门啊", "hall_faq")
    parse_data = {"text": message.get(TEXT), "intent": message.get(INTENT), **message.as_dict_nlu()}
    tracker = DialogueStateTracker.from_events("s", [UserUttered(message.get(TEXT), parse_data=parse_data)])
    assert ActionRetrieveResponse("utter_hall_faq").get_full_retrieval_name(tracker) == "utter_hall_faq/hours"


def test_other_intents_get_no_answer_picked(trained: Any) -> None:
    message = _parse(trained, trained[1], "身份证丢了怎么补办", "ask_matter")
    assert message.get("response_selector") is None


def test_stored_and_loaded_it_picks_the_same(trained: Any) -> None:
    _, picker, storage = trained
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = AnswerPicker.load(AnswerPicker.get_default_config(), storage, Resource("picker"), context)
    for text, intent in [("你叫啥", "chitchat"), ("wifi密码是什么", "hall_faq")]:
        expected = _parse(trained, picker, text, intent).get("response_selector")
        assert _parse(trained, loaded, text, intent).get("response_selector") == expected


def test_without_retrieval_examples_it_picks_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    picker = AnswerPicker.create(AnswerPicker.get_default_config(), storage, Resource("picker"), context)
    picker.train(TrainingData(training_examples=[_message(t, "ask_matter") for t in OTHER]))
    loaded = AnswerPicker.load(AnswerPicker.get_default_config(), storage, Resource("picker"), context)
    message = Message(data={TEXT: "你叫什么", INTENT: {"name": "chitchat", "confidence": 1.0}})
    assert loaded.process([message])[0].get("response_selector") is None
