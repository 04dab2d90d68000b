"""The WeChat channel (bot env): a real Sanic server with the channel's blueprint, real signed and
AES-encrypted requests, the fake WeChat API on 127.0.0.1, and a stand-in for Rasa's message handler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from rasa.core.channels.channel import UserMessage

from actions.replies import WECHAT_CANNOT as CANNOT
from actions.replies import WECHAT_MENU_PROMPTS as MENU_PROMPTS
from actions.replies import WECHAT_NOT_HEARD as NOT_HEARD
from actions.replies import WECHAT_WELCOME as WELCOME
from channels.wechat import WeChatInput, WeChatNotDelivered
from channels.wechat_api import WeChatAPI, WeChatSettings
from tests.fakes.wechat_api import APP_ID, APP_SECRET, FakeWeChatAPI
from tests.utils.sanic_server import serve_blueprint
from tests.utils.waiting import wait_for
from tests.utils.wechat import (
    AES_KEY,
    TOKEN,
    decrypt_reply,
    encrypt,
    event_xml,
    message_xml,
    reply_fields,
    signature,
    signed_query,
    text_xml,
    voice_xml,
)

pytestmark = pytest.mark.asyncio
WEBHOOK = "/webhooks/wechat/webhook"


@dataclass
class FakeRasa:
    """Stands in for Rasa's on_new_message: records each message and answers after `delay` seconds."""

    delay: float = 0.0
    reply: list[dict[str, Any]] = field(default_factory=lambda: [{"text": "好的，已收到。"}])
    fail: bool = False
    received: list[UserMessage] = field(default_factory=list)

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("the tracker store is down")
        for item in self.reply:
            if "buttons" in item:
                await message.output_channel.send_text_with_buttons(message.sender_id, item["text"], item["buttons"])
            elif "custom" in item:
                await message.output_channel.send_custom_json(message.sender_id, item["custom"])
            else:
                await message.output_channel.send_text_message(message.sender_id, item["text"])

    @property
    def texts(self) -> list[str]:
        return [m.text or "" for m in self.received]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeWeChatAPI]:
    api = FakeWeChatAPI()
    api.base_url = api.start()  # type: ignore[attr-defined]
    yield api
    api.stop()


@pytest.fixture
def settings(fake_api: FakeWeChatAPI) -> WeChatSettings:
    fake_api.reset()
    return WeChatSettings(
        token=TOKEN,
        app_id=APP_ID,
        app_secret=APP_SECRET,
        encoding_aes_key=AES_KEY,
        api_base=fake_api.base_url,  # type: ignore[attr-defined]
        passive_timeout=1.0,
        public_url="https://zwfw.example.gov.cn",
    )


class Server:
    def __init__(self, channel: WeChatInput, rasa: FakeRasa, base: str, session: aiohttp.ClientSession) -> None:
        self.channel, self.rasa, self.base, self.session = channel, rasa, base, session

    async def post(self, body: str | bytes, query: dict[str, str] | None = None) -> tuple[int, str]:
        params = signed_query() if query is None else query
        async with self.session.post(self.base + WEBHOOK, params=params, data=body) as response:
            return response.status, await response.text()

    async def get(self, query: dict[str, str]) -> tuple[int, str]:
        async with self.session.get(self.base + WEBHOOK, params=query) as response:
            return response.status, await response.text()


async def start(settings: WeChatSettings, rasa: FakeRasa) -> AsyncIterator[Server]:
    channel = WeChatInput(settings)
    async with serve_blueprint(channel.blueprint(rasa), "/webhooks/wechat") as base, aiohttp.ClientSession() as session:
        yield Server(channel, rasa, base, session)
        for task in list(channel.background):
            await task


@pytest_asyncio.fixture
async def wechat(settings: WeChatSettings) -> AsyncIterator[Server]:
    async for server in start(settings, FakeRasa()):
        yield server


@pytest_asyncio.fixture
async def slow_wechat(settings: WeChatSettings) -> AsyncIterator[Server]:
    async for server in start(replace(settings, passive_timeout=0.3), FakeRasa(delay=0.8)):
        yield server


async def test_server_verification_returns_echostr_only_when_signed(wechat: Server) -> None:
    assert await wechat.get(signed_query(echostr="5837397749085211")) == (200, "5837397749085211")
    forged = {**signed_query(echostr="5837397749085211"), "signature": "0" * 40}
    assert (await wechat.get(forged))[0] == 403
    assert (await wechat.get({"echostr": "1"}))[0] == 403


async def test_forged_or_missing_signature_never_reaches_rasa(wechat: Server) -> None:
    body = text_xml("o-user-1", "社保卡丢了怎么补")
    assert (await wechat.post(body, {**signed_query(), "signature": "f" * 40}))[0] == 403
    assert (await wechat.post(body, {}))[0] == 403
    assert (await wechat.post(body, signed_query(token="another-token")))[0] == 403
    assert wechat.rasa.received == []


async def test_text_gets_a_passive_text_reply(wechat: Server) -> None:
    status, body = await wechat.post(text_xml("o-user-2", "社保卡丢了怎么补"))
    reply = reply_fields(body)
    assert status == 200
    assert reply["MsgType"] == "text" and reply["Content"] == "好的，已收到。"
    assert reply["ToUserName"] == "o-user-2" and reply["FromUserName"] == "gh_0123456789ab"
    message = wechat.rasa.received[0]
    assert (message.text, message.sender_id, message.input_channel) == ("社保卡丢了怎么补", "wechat:o-user-2", "wechat")
    assert message.metadata == {"channel": "wechat", "openid": "o-user-2"}


async def test_voice_uses_recognition_and_an_empty_one_is_asked_again(wechat: Server) -> None:
    assert reply_fields((await wechat.post(voice_xml("o-user-3", "驾照到期怎么换")))[1])["Content"] == "好的，已收到。"
    assert reply_fields((await wechat.post(voice_xml("o-user-3", "")))[1])["Content"] == NOT_HEARD
    assert wechat.rasa.texts == ["驾照到期怎么换"]


async def test_subscribe_welcomes_and_menu_clicks_send_intents(wechat: Server) -> None:
    welcome = reply_fields((await wechat.post(event_xml("o-user-4", "subscribe")))[1])["Content"]
    assert welcome == WELCOME and "办事指南" in welcome and "政策" in welcome
    for key in ("GUIDE", "NAVIGATE"):
        prompt = reply_fields((await wechat.post(event_xml("o-user-4", "CLICK", key)))[1])["Content"]
        assert prompt == MENU_PROMPTS[key]
    for key in ("POLICY", "HUMAN"):
        await wechat.post(event_xml("o-user-4", "CLICK", key))
    assert wechat.rasa.texts == ["/match_policy", "/request_human"]


@pytest.mark.parametrize(
    "xml",
    [
        message_xml("o-user-5", "image", PicUrl="http://mmbiz.qpic.cn/x.jpg", MediaId="m1"),
        message_xml("o-user-5", "location", Location_X="43.88", Location_Y="125.35", Scale="15", Label="长春"),
        message_xml("o-user-5", "link", Title="t", Description="d", Url="http://example.com"),
        event_xml("o-user-5", "CLICK", "UNKNOWN_KEY"),
        event_xml("o-user-5", "VIEW", "https://example.com"),
    ],
)
async def test_other_messages_get_a_polite_text_saying_what_works(wechat: Server, xml: str) -> None:
    status, body = await wechat.post(xml)
    assert status == 200 and reply_fields(body)["Content"] == CANNOT
    assert wechat.rasa.received == []


async def test_safe_mode_request_gets_an_encrypted_reply(wechat: Server) -> None:
    body, query = encrypt(text_xml("o-user-6", "公积金怎么提取"), signed_query(), APP_ID)
    status, sealed = await wechat.post(body, query)
    assert status == 200 and "<Encrypt>" in sealed and "好的" not in sealed
    assert decrypt_reply(sealed, APP_ID)["Content"] == "好的，已收到。"
    assert wechat.rasa.texts == ["公积金怎么提取"]
    # a body encrypted for another account's key is refused; so is a wrong msg_signature
    other, other_query = encrypt(text_xml("o-user-6", "x"), signed_query(), "wx-another-app")
    assert (await wechat.post(other, other_query))[0] == 400
    assert (await wechat.post(body, {**query, "msg_signature": "0" * 40}))[0] == 403
    assert wechat.rasa.texts == ["公积金怎么提取"]


async def test_slow_rasa_answers_through_the_customer_service_api_once(
    slow_wechat: Server, fake_api: FakeWeChatAPI
) -> None:
    status, body = await slow_wechat.post(text_xml("o-user-7", "企业开办要多久"))
    assert (status, body) == (200, "")
    await wait_for(lambda: fake_api.sent())
    await asyncio.sleep(0.3)
    expected = {"touser": "o-user-7", "msgtype": "text", "text": {"content": "好的，已收到。"}}
    assert [r.body for r in fake_api.sent()] == [expected]
    assert slow_wechat.rasa.texts == ["企业开办要多久"]


async def test_access_token_is_cached_and_refreshed_when_expired(slow_wechat: Server, fake_api: FakeWeChatAPI) -> None:
    for n in (1, 2):
        await slow_wechat.post(text_xml("o-user-8", f"问题{n}"))
        await wait_for(lambda n=n: len(fake_api.sent()) == n)
    assert len(fake_api.token_requests()) == 1
    fake_api.expire_tokens()
    await slow_wechat.post(text_xml("o-user-8", "问题3"))
    await wait_for(lambda: len(fake_api.sent()) == 3)
    assert [r.reply["errcode"] for r in fake_api.send_attempts()] == [0, 0, 42001, 0]
    assert len(fake_api.token_requests()) == 2


async def test_user_silent_for_48_hours_is_logged_not_fatal(
    slow_wechat: Server, fake_api: FakeWeChatAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.silent_users.add("o-user-9-silent")
    with caplog.at_level(logging.WARNING, logger="channels.wechat_api"):
        assert await slow_wechat.post(text_xml("o-user-9-silent", "我的电话13812345678")) == (200, "")
        await wait_for(lambda: fake_api.send_attempts())
        await asyncio.sleep(0.1)
    assert [r.reply["errcode"] for r in fake_api.send_attempts()] == [45015]
    assert "45015" in caplog.text and "o-user-9-silent" not in caplog.text
    assert await slow_wechat.post(text_xml("o-user-10", "你好")) == (200, "")
    await wait_for(lambda: fake_api.sent())


async def test_retries_reach_rasa_once_and_are_answered_once(settings: WeChatSettings) -> None:
    async for server in start(settings, FakeRasa(delay=0.3)):
        xml = text_xml("o-user-11", "营业执照怎么办", msg_id=990001)
        requests = []
        for _ in range(3):
            requests.append(asyncio.ensure_future(server.post(xml)))
            await asyncio.sleep(0.05)
        answers = await asyncio.gather(*requests)
        assert [status for status, _ in answers] == [200, 200, 200]
        # WeChat listens only on its newest connection: that one gets the answer, the others ""
        assert [body != "" for _, body in answers] == [False, False, True]
        assert reply_fields(answers[2][1])["Content"] == "好的，已收到。"
        assert await server.post(xml) == (200, "")
        assert server.rasa.texts == ["营业执照怎么办"]
        # events have no MsgId: sender + CreateTime identify them
        click = event_xml("o-user-11", "CLICK", "POLICY", created=1700000000)
        await server.post(click)
        assert await server.post(click) == (200, "")
        assert server.rasa.texts == ["营业执照怎么办", "/match_policy"]


async def test_retry_after_async_delivery_gets_empty_reply(slow_wechat: Server, fake_api: FakeWeChatAPI) -> None:
    xml = text_xml("o-user-12", "护照怎么办", msg_id=990002)
    assert await slow_wechat.post(xml) == (200, "")
    assert await slow_wechat.post(xml) == (200, "")
    await wait_for(lambda: fake_api.sent())
    assert await slow_wechat.post(xml) == (200, "")
    await asyncio.sleep(0.3)
    assert len(fake_api.sent()) == 1 and slow_wechat.rasa.texts == ["护照怎么办"]


@pytest.mark.parametrize(
    "body, status",
    [
        (
            '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<xml><ToUserName>gh</ToUserName><FromUserName>o-x</FromUserName><CreateTime>1</CreateTime>"
            "<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>",
            400,
        ),
        ("<xml><ToUserName>gh</ToUserName><Content>没有结束", 400),
        ("<xml><ToUserName>gh</ToUserName></xml>", 400),
        ("not xml at all", 400),
        ("", 400),
        ("<xml>" + "<Content>长</Content>" * 5000 + "</xml>", 413),
    ],
    ids=["xxe", "unclosed", "no-msgtype", "not-xml", "empty", "oversize"],
)
async def test_bad_bodies_are_refused_and_others_still_answered(wechat: Server, body: str, status: int) -> None:
    assert (await wechat.post(body.encode("utf-8")))[0] == status
    assert reply_fields((await wechat.post(text_xml("o-user-13", "你好")))[1])["Content"] == "好的，已收到。"
    assert wechat.rasa.texts == ["你好"]


async def test_long_reply_is_cut_at_a_sentence_with_the_notice_link(settings: WeChatSettings) -> None:
    long_text = "".join(f"第{n}项材料是身份证明原件及复印件一份。" for n in range(1, 120))
    notice = {"notice": {"id": "n1", "number": "GZ-0001", "url": "/notices/n1", "pdf_url": "/notices/n1.pdf"}}
    async for server in start(settings, FakeRasa(reply=[{"text": long_text}, {"custom": notice}])):
        content = reply_fields((await server.post(text_xml("o-user-14", "材料清单")))[1])["Content"]
        assert len(content.encode("utf-8")) <= 2048
        assert content.endswith("。…完整内容请查看：https://zwfw.example.gov.cn/notices/n1")
        assert content.startswith("第1项材料是身份证明原件及复印件一份。")


async def test_long_reply_without_notice_points_to_notice_and_hotline(settings: WeChatSettings) -> None:
    long_text = "".join(f"第{n}步：到窗口提交申请。" for n in range(1, 200))
    async for server in start(settings, FakeRasa(reply=[{"text": long_text}])):
        content = reply_fields((await server.post(text_xml("o-user-15", "流程")))[1])["Content"]
        assert len(content.encode("utf-8")) <= 2048 and "12345" in content and "http" not in content


async def test_buttons_are_numbered_and_a_typed_number_sends_the_payload(settings: WeChatSettings) -> None:
    buttons = [
        {"title": "机动车驾驶证期满换证", "payload": '/choose_option{"choice": "matter:a"}'},
        {"title": "机动车驾驶证补证", "payload": '/choose_option{"choice": "matter:b"}'},
    ]
    async for server in start(settings, FakeRasa(reply=[{"text": "您问的是哪一项？", "buttons": buttons}])):
        content = reply_fields((await server.post(text_xml("o-user-16", "驾照")))[1])["Content"]
        assert content == "您问的是哪一项？\n1. 机动车驾驶证期满换证\n2. 机动车驾驶证补证\n请回复序号选择。"
        await server.post(text_xml("o-user-16", "2"))
        await server.post(text_xml("o-user-17", "2"))  # another user has no options: the text goes as is
        assert server.rasa.texts == ["驾照", '/choose_option{"choice": "matter:b"}', "2"]


async def test_rasa_failure_gets_a_polite_answer(settings: WeChatSettings) -> None:
    async for server in start(settings, FakeRasa(fail=True)):
        content = reply_fields((await server.post(text_xml("o-user-18", "你好")))[1])["Content"]
        assert "12345" in content and "导服台" in content


async def test_handoff_payload_is_not_shown_as_json(settings: WeChatSettings) -> None:
    handoff = {"handoff": {"reason": "request_human", "channel": "wechat", "to": "咨询导服台"}}
    reply = [{"custom": handoff}, {"text": "已通知中庭咨询导服台的工作人员，会尽快在这里回复您。"}]
    async for server in start(settings, FakeRasa(reply=reply)):
        content = reply_fields((await server.post(text_xml("o-user-19", "转人工")))[1])["Content"]
        assert content == "已通知中庭咨询导服台的工作人员，会尽快在这里回复您。"


async def test_api_errors_are_logged_and_never_raise(
    settings: WeChatSettings, fake_api: FakeWeChatAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="channels.wechat_api"):
        assert await WeChatAPI(settings).send_text("o-user-20", "长" * 700) is False  # 2100 bytes
        assert await WeChatAPI(replace(settings, app_secret="wrong")).send_text("o-user-20", "你好") is False
        assert await WeChatAPI(replace(settings, api_base="http://127.0.0.1:9")).send_text("o-user-20", "你好") is False
    assert [r.reply.get("errcode", "token") for r in fake_api.received] == ["token", 45002, 40125]
    assert "45002" in caplog.text and "40125" in caplog.text and "o-user-20" not in caplog.text


async def test_a_stale_or_future_timestamp_is_refused(wechat: Server) -> None:
    body = text_xml("o-user-30", "社保卡丢了怎么补")
    for skew in (-3 * 86400, -301, 301):
        query = signed_query()
        timestamp = str(int(query["timestamp"]) + skew)
        stale = {**query, "timestamp": timestamp, "signature": signature(TOKEN, timestamp, query["nonce"])}
        assert (await wechat.post(body, stale))[0] == 403
        assert (await wechat.get({**stale, "echostr": "1"}))[0] == 403
    assert (await wechat.post(body, {**signed_query(), "timestamp": "soon"}))[0] == 403
    assert wechat.rasa.received == []


async def test_a_signature_and_nonce_sign_one_message_only(wechat: Server) -> None:
    query = signed_query()
    assert (await wechat.post(text_xml("o-user-31", "护照怎么办", msg_id=990031), query))[0] == 200
    # the same captured query with another message, from another user: a replay
    status, body = await wechat.post(text_xml("o-user-32", "营业执照怎么办", msg_id=990032), query)
    assert (status, body) == (403, "replayed signature")
    # the same message again (WeChat's retry) is still just a retry
    assert await wechat.post(text_xml("o-user-31", "护照怎么办", msg_id=990031), query) == (200, "")
    assert wechat.rasa.texts == ["护照怎么办"]


async def test_a_pushed_message_goes_out_through_the_customer_service_api(
    settings: WeChatSettings, fake_api: FakeWeChatAPI
) -> None:
    output = WeChatInput(settings).get_output_channel()
    content = "【工单BBCS-20261206-0001答复】已为您办结。"
    await output.send_text_message("wechat:o-user-31", content)
    expected = {"touser": "o-user-31", "msgtype": "text", "text": {"content": content}}
    assert [r.body for r in fake_api.sent()] == [expected]


async def test_a_push_wechat_refuses_raises_so_the_sender_knows(
    settings: WeChatSettings, fake_api: FakeWeChatAPI
) -> None:
    fake_api.silent_users.add("o-user-32-silent")
    output = WeChatInput(settings).get_output_channel()
    with pytest.raises(WeChatNotDelivered):
        await output.send_text_message("wechat:o-user-32-silent", "答复")


async def test_two_users_with_the_same_msgid_are_both_answered(wechat: Server) -> None:
    # MsgId is unique in WeChat, but a collision must never silence another user's question
    first = await wechat.post(text_xml("o-user-41", "驾照快到期了怎么换", msg_id=777))
    second = await wechat.post(text_xml("o-user-42", "护照怎么办", msg_id=777))
    assert first[0] == second[0] == 200 and first[1] and second[1]
    assert wechat.rasa.texts == ["驾照快到期了怎么换", "护照怎么办"]
