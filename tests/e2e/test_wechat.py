"""WeChat official-account messages through the real Rasa: signed plain and AES-encrypted XML in,
XML replies out; the fake WeChat API stands in for api.weixin.qq.com."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.services import RASA_API, WECHAT_API_PORT, WECHAT_ENV, Services, url
from tests.fakes.wechat_api import FakeWeChatAPI
from tests.utils.wechat import (
    decrypt_reply,
    encrypt,
    event_xml,
    reply_fields,
    signed_query,
    text_xml,
    voice_xml,
)

pytestmark = pytest.mark.e2e
TOKEN = WECHAT_ENV["WECHAT_TOKEN"]
APP_ID = WECHAT_ENV["WECHAT_APP_ID"]
MATTER = "【机动车驾驶证期满换证】"


@pytest.fixture(scope="module", autouse=True)
def fake_api() -> Iterator[FakeWeChatAPI]:
    api = FakeWeChatAPI(APP_ID, WECHAT_ENV["WECHAT_APP_SECRET"])
    api.start(port=WECHAT_API_PORT)
    yield api
    api.stop()


def _webhook() -> str:
    return f"{url('rasa')}/webhooks/wechat/webhook"


def _openid() -> str:
    return "o-e2e-" + uuid.uuid4().hex[:12]


def _post(body: str, query: dict[str, str] | None = None) -> httpx.Response:
    params = signed_query(TOKEN) if query is None else query
    return httpx.post(_webhook(), params=params, content=body.encode("utf-8"), timeout=30)


def _sent_to(api: FakeWeChatAPI, openid: str) -> list[str]:
    return [r.body["text"]["content"] for r in api.sent() if r.body["touser"] == openid]


def _answer(api: FakeWeChatAPI, openid: str, passive: str) -> str:
    """The passive reply's text or, when Rasa took longer than WeChat waits ("" reply), the API message."""
    if passive:
        return str(reply_fields(passive)["Content"])
    deadline = time.monotonic() + 30
    while not _sent_to(api, openid) and time.monotonic() < deadline:
        time.sleep(0.2)
    sent = _sent_to(api, openid)
    assert len(sent) == 1, f"expected one customer-service message to {openid}, got {sent}"
    return sent[0]


def _user_texts(openid: str) -> list[str]:
    tracker = httpx.get(f"{url('rasa')}/conversations/wechat:{openid}/tracker", params=RASA_API, timeout=10).json()
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def test_channel_is_served_and_verifies_the_server(services: Services) -> None:
    assert httpx.get(f"{url('rasa')}/webhooks/wechat/", timeout=10).json() == {"status": "ok", "safe_mode": True}
    echo = httpx.get(_webhook(), params=signed_query(TOKEN, echostr="7361029384756"), timeout=10)
    assert (echo.status_code, echo.text) == (200, "7361029384756")


def test_plain_text_gets_a_reply_naming_the_matter(services: Services, fake_api: FakeWeChatAPI) -> None:
    openid = _openid()
    response = _post(text_xml(openid, "驾照快到期了怎么换"))
    assert response.status_code == 200
    if response.text:
        reply = reply_fields(response.text)
        assert reply["MsgType"] == "text" and reply["ToUserName"] == openid
    content = _answer(fake_api, openid, response.text)
    assert MATTER in content, content


def test_safe_mode_message_gets_an_encrypted_reply(services: Services, fake_api: FakeWeChatAPI) -> None:
    openid = _openid()
    body, query = encrypt(text_xml(openid, "驾照快到期了怎么换"), signed_query(TOKEN), APP_ID, TOKEN)
    response = _post(body, query)
    assert response.status_code == 200 and "驾驶证" not in response.text
    if response.text:
        content = str(decrypt_reply(response.text, APP_ID, TOKEN)["Content"])
    else:
        content = _answer(fake_api, openid, "")
    assert MATTER in content, content


def test_forged_signature_is_refused_before_rasa(services: Services) -> None:
    openid = _openid()
    forged = {**signed_query(TOKEN), "signature": "0" * 40}
    assert _post(text_xml(openid, "驾照快到期了怎么换"), forged).status_code == 403
    assert _post(text_xml(openid, "驾照快到期了怎么换"), signed_query("not-the-token")).status_code == 403
    assert _user_texts(openid) == []


def test_voice_recognition_is_answered(services: Services, fake_api: FakeWeChatAPI) -> None:
    openid = _openid()
    response = _post(voice_xml(openid, "驾驶证快过期了怎么换证"))
    assert response.status_code == 200
    content = _answer(fake_api, openid, response.text)
    assert MATTER in content, content


def test_menu_clicks_prompt_or_start_policy_matching(services: Services, fake_api: FakeWeChatAPI) -> None:
    openid = _openid()
    assert "办什么事" in reply_fields(_post(event_xml(openid, "CLICK", "GUIDE")).text)["Content"]
    policy = _answer(fake_api, openid, _post(event_xml(openid, "CLICK", "POLICY")).text)
    assert "匹配" in policy and "政策" in policy, policy
    assert _user_texts(openid) == ["/match_policy"]


def test_three_retries_of_one_message_give_one_answer(services: Services, fake_api: FakeWeChatAPI) -> None:
    openid = _openid()
    xml = text_xml(openid, "驾照快到期了怎么换")

    async def send_with_retries() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            requests = []
            for _ in range(3):
                post = client.post(_webhook(), params=signed_query(TOKEN), content=xml.encode("utf-8"))
                requests.append(asyncio.ensure_future(post))
                await asyncio.sleep(0.05)
            return list(await asyncio.gather(*requests))

    responses = asyncio.run(send_with_retries())
    assert [r.status_code for r in responses] == [200, 200, 200]
    passive = [r.text for r in responses if r.text]
    assert len(passive) <= 1
    answer = _answer(fake_api, openid, passive[0] if passive else "")
    assert MATTER in answer, answer
    assert _post(xml).text == ""  # a late retry: already answered
    time.sleep(1)
    assert len(passive) + len(_sent_to(fake_api, openid)) == 1
    assert _user_texts(openid) == ["驾照快到期了怎么换"]


def test_a_staff_reply_reaches_the_wechat_user_through_the_customer_service_api(
    services: Services, fake_api: FakeWeChatAPI
) -> None:
    # the console's delivery path (knowledge/console/delivery.py) into a WeChat conversation
    from knowledge.console.delivery import conversation_excerpt, deliver_reply
    from tests.e2e.services import SECRETS

    openid = _openid()
    assert _post(text_xml(openid, "身份证换证跑了三趟还没办成，我要投诉")).status_code == 200
    delivery = deliver_reply(
        url("rasa"), SECRETS["RASA_API_TOKEN"], f"wechat:{openid}", "wechat", "BBCS-20261206-0001", "已为您加急办理。"
    )
    assert delivery.delivered, delivery.summary
    deadline = time.monotonic() + 30
    while not any("已为您加急办理" in text for text in _sent_to(fake_api, openid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "【工单BBCS-20261206-0001答复】已为您加急办理。" in _sent_to(fake_api, openid)
    # the same conversation, not a new one under an escaped id: the excerpt shows both sides
    excerpt = conversation_excerpt(url("rasa"), SECRETS["RASA_API_TOKEN"], f"wechat:{openid}") or []
    assert ("群众", "身份证换证跑了三趟还没办成，我要投诉") in excerpt
    assert ("助手", "【工单BBCS-20261206-0001答复】已为您加急办理。") in excerpt

    # WeChat refuses a user silent for 48 hours: not delivered, and the console is told so
    silent = _openid()
    assert _post(text_xml(silent, "你好")).status_code == 200
    fake_api.silent_users.add(silent)
    refused = deliver_reply(url("rasa"), SECRETS["RASA_API_TOKEN"], f"wechat:{silent}", "wechat", "BBCS-2", "答复")
    assert not refused.delivered
