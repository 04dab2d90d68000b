"""The seven findings of issue 15, each replayed against the real running services as the
hostile user did, and the end-to-end check that no raw identity or phone number reaches any
log or database of the run. docs/security.md describes what each test guards."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.services import (
    HOTLINE_AUTH,
    RASA_API,
    ROBOT_AUTH,
    SECRETS,
    WECHAT_API_PORT,
    WECHAT_ENV,
    Services,
    say,
    url,
)
from tests.fakes.wechat_api import FakeWeChatAPI
from tests.utils.wechat import signature, signed_query, text_xml

pytestmark = pytest.mark.e2e
ID_NUMBER, PHONE = "220102199003071234", "13800001234"
WECHAT_TOKEN = WECHAT_ENV["WECHAT_TOKEN"]


@pytest.fixture(scope="module", autouse=True)
def fake_wechat_api() -> Iterator[FakeWeChatAPI]:
    """Where the WeChat channel sends answers that miss the passive-reply deadline."""
    api = FakeWeChatAPI(WECHAT_ENV["WECHAT_APP_ID"], WECHAT_ENV["WECHAT_APP_SECRET"])
    api.start(port=WECHAT_API_PORT)
    yield api
    api.stop()


def _rasa(path: str) -> str:
    return f"{url('rasa')}{path}"


def _wechat(body: str, query: dict[str, str] | None = None) -> httpx.Response:
    params = signed_query(WECHAT_TOKEN) if query is None else query
    return httpx.post(_rasa("/webhooks/wechat/webhook"), params=params, content=body.encode(), timeout=30)


def _user_texts(conversation: str) -> list[str]:
    tracker = httpx.get(_rasa(f"/conversations/{conversation}/tracker"), params=RASA_API, timeout=10)
    assert tracker.status_code == 200
    return [e.get("text") for e in tracker.json()["events"] if e["event"] == "user"]


# 1. Rasa's HTTP API was open --------------------------------------------------------------

def test_1_rasa_api_refuses_reads_and_writes_without_the_token(services: Services) -> None:
    say("sec-victim", "社保卡丢了怎么补")
    conversation = "rest:sec-victim"
    refused = [
        httpx.get(_rasa(f"/conversations/{conversation}/tracker"), timeout=10),
        httpx.get(_rasa(f"/conversations/{conversation}/tracker"), params={"token": "guess"}, timeout=10),
        httpx.put(_rasa(f"/conversations/{conversation}/tracker/events"), json=[], timeout=10),
        httpx.post(_rasa(f"/conversations/{conversation}/tracker/events"), json={"event": "restart"}, timeout=10),
        httpx.put(_rasa("/model"), json={"model_file": "/tmp/x.tar.gz"}, timeout=10),
        httpx.post(_rasa("/model/train"), content=b"", timeout=10),
        httpx.post(_rasa("/model/parse"), json={"text": "你好"}, timeout=10),
        httpx.get(_rasa("/status"), timeout=10),
    ]
    assert [r.status_code for r in refused] == [401] * len(refused)
    # with the token the API works, and the victim's conversation is untouched
    assert _user_texts(conversation) == ["社保卡丢了怎么补"]
    # open on purpose (docs/security.md): a greeting and the version, nothing personal
    assert httpx.get(_rasa("/"), timeout=10).status_code == 200
    assert httpx.get(_rasa("/version"), timeout=10).status_code == 200


# 2. The action server ran any action for anyone ------------------------------------------

def test_2_action_server_refuses_requests_without_the_secret(services: Services) -> None:
    forged = {
        "next_action": "action_file_complaint",
        "sender_id": "wechat:o-somebody-else",
        "tracker": {"sender_id": "wechat:o-somebody-else", "latest_message": {"text": "伪造的投诉"}, "events": []},
        "domain": {},
        "version": "3.6.21",
    }
    webhook = f"{url('actions')}/webhook"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": SECRETS["ACTIONS_SECRET"]}):
        assert httpx.post(webhook, json=forged, headers=headers, timeout=10).status_code == 401
    assert httpx.get(f"{url('actions')}/actions", timeout=10).status_code == 401
    assert httpx.get(f"{url('actions')}/health", timeout=10).status_code == 200
    db = services.tmp / "actions.db"
    if db.exists():
        complaints = sqlite3.connect(db).execute("SELECT text FROM complaints").fetchall()
        assert ("伪造的投诉",) not in complaints
    # the real path still works: Rasa sends the secret, and the complaint action files a ticket
    # (it needs no search, so a slow knowledge service cannot make this test flaky)
    assert "编号BBCS-" in "".join(str(m.get("text", "")) for m in say("sec-actions", "我要投诉"))


# 3. A robot could be dispatched through REST metadata; the robot webhook was open ----------

def test_3_rest_metadata_cannot_dispatch_a_robot(services: Services) -> None:
    body = {
        "sender": "sec-robot",
        "message": "带我去社保窗口",
        "metadata": {"channel": "robot", "robot_id": "robot-north", "screen_id": "screen-north"},
        "input_channel": "robot",
    }
    response = httpx.post(_rasa("/webhooks/rest/webhook"), json=body, timeout=30)
    assert response.status_code == 200
    assert not any("guide" in (m.get("custom") or {}) for m in response.json()), response.json()
    voice = {"robot_id": "robot-north", "session_id": "sec", "text": "带我去社保窗口"}
    assert httpx.post(_rasa("/webhooks/robot/webhook"), json=voice, timeout=30).status_code == 401
    call = {"call_id": "c", "text": "x"}
    assert httpx.post(_rasa("/webhooks/hotline/webhook"), json=call, timeout=30).status_code == 401
    # the screen channel takes only the bridge's token
    screen = {"sender": "s", "message": "社保在哪", "screen_id": "screen-north"}
    assert httpx.post(_rasa("/webhooks/screen/webhook"), json=screen, timeout=30).status_code == 401


# 5. Old or reused WeChat signatures; a REST sender continuing a WeChat conversation ---------

def test_5_wechat_refuses_stale_and_replayed_signatures(services: Services) -> None:
    query = signed_query(WECHAT_TOKEN)
    old = str(int(time.time()) - 3 * 86400)
    stale = {**query, "timestamp": old, "signature": signature(WECHAT_TOKEN, old, query["nonce"])}
    assert _wechat(text_xml("o-sec-old", "你好"), stale).status_code == 403
    assert _wechat(text_xml("o-sec-first", "你好"), query).status_code == 200
    replay = _wechat(text_xml("o-sec-second", "社保卡怎么补"), query)
    assert (replay.status_code, replay.text) == (403, "replayed signature")


def test_5_a_rest_sender_cannot_continue_a_wechat_conversation(services: Services) -> None:
    openid = "o-sec-" + uuid.uuid4().hex[:10]
    assert _wechat(text_xml(openid, "你好")).status_code == 200
    say(f"wechat:{openid}", "我要投诉")
    assert _user_texts(f"wechat:{openid}") == ["你好"]
    assert _user_texts(f"rest:wechat:{openid}") == ["我要投诉"]


# 6. Weak REST input handling -------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([{"sender": "a", "message": "你好"}], "JSON object"),
        ({"message": "你好"}, "'sender' is required"),
        ({"sender": "sec", "message": 12345}, "'message' must be a string"),
        ({"sender": "sec", "message": "办" * 501}, "longer than 500"),
        ({"sender": "s" * 10_000, "message": "你好"}, "longer than 500"),
    ],
)
def test_6_rest_refuses_bad_input_with_a_reason(services: Services, body: object, reason: str) -> None:
    response = httpx.post(_rasa("/webhooks/rest/webhook"), json=body, timeout=30)
    assert response.status_code == 400 and reason in response.json()["error"]


def test_6_hotline_refuses_a_huge_agent_id(services: Services) -> None:
    body = {"call_id": "sec-call", "text": "你好", "agent_id": "a" * 200_000}
    response = httpx.post(_rasa("/webhooks/hotline/webhook"), json=body, headers=HOTLINE_AUTH, timeout=30)
    assert response.status_code == 422 and "agent_id" in response.json()["error"]


# 7. Profile fields without range checks ---------------------------------------------------

@pytest.mark.parametrize("body", ['{"age": -5}', '{"employees": 1e40}', '{"age": NaN}', '{"annual_revenue": NaN}'])
def test_7_policy_match_checks_ranges(services: Services, body: str) -> None:
    response = httpx.post(
        f"{url('knowledge')}/v1/policies/match", content=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 422
    field = body.split('"')[1]
    assert [d["loc"] for d in response.json()["detail"]] == [["body", field]]
    assert '"input"' not in response.text  # the default handler echoed it, and failed on NaN


# 4. Identity and phone numbers stored and logged raw: after everything, grep the run --------

def _files_holding(directory: Path, needle: bytes) -> list[str]:
    return [str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_4_no_raw_identity_or_phone_number_in_any_log_or_database(services: Services) -> None:
    personal = f"我的身份证号是{ID_NUMBER}，电话{PHONE}"
    # REST: a question, then a complaint (a ticket that must keep the number, encrypted)
    say("sec-pii", f"{personal}，社保卡丢了怎么补")
    say("sec-pii", f"我要投诉，电话{PHONE}")
    say(PHONE, "你好")  # a sender id that is itself a phone number
    # WeChat, and the hotline with a call named by the caller's number
    _wechat(text_xml("o-sec-pii", f"{personal}，护照怎么办"))
    hotline = {"call_id": f"{PHONE}-1", "text": f"{personal}，公积金怎么提取", "agent_id": "agent-7"}
    assert httpx.post(_rasa("/webhooks/hotline/webhook"), json=hotline, headers=HOTLINE_AUTH, timeout=30).is_success
    robot = {"robot_id": "robot-south", "session_id": "sec-pii", "text": f"{personal}，卫生间在哪"}
    assert httpx.post(_rasa("/webhooks/robot/webhook"), json=robot, headers=ROBOT_AUTH, timeout=30).is_success
    # a client calling the knowledge service directly: its access log must not keep the query
    httpx.get(f"{url('knowledge')}/v1/search", params={"q": f"{personal}社保卡"}, timeout=10)
    time.sleep(2)  # let the processes flush their logs

    leaks = {number: _files_holding(services.tmp, number.encode()) for number in (ID_NUMBER, PHONE)}
    assert leaks == {ID_NUMBER: [], PHONE: []}
    logs = [services.log(name) for name in ("knowledge", "rasa", "actions", "bridge")]
    assert "220102********1234" in "".join(logs)  # masked, not dropped (the search log)
    # the tracker database and its write-ahead log
    tracker = b"".join(path.read_bytes() for path in services.tmp.glob("tracker.db*"))
    assert b"220102********1234" in tracker  # the conversation was stored, masked
    tickets = sqlite3.connect(services.tmp / "actions.db").execute(
        "SELECT text, contact_encrypted FROM complaints WHERE sender = 'rest:sec-pii'"
    ).fetchall()
    assert tickets and all("138****1234" in text and contact for text, contact in tickets)
