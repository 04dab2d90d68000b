"""Helpers of the WeChat channel: settings, the official-account API client, the reply renderer and
the per-message turn cache that answers WeChat's retries once."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import aiohttp

from actions import replies
from common.pii import mask_pii

logger = logging.getLogger(__name__)

# a token is refreshed this many seconds before WeChat says it expires
TOKEN_MARGIN = 300
# errcodes that mean "this access_token is no good": invalid credential, invalid token, token expired
TOKEN_ERRORS = {40001, 40014, 42001}
SENTENCE_END = "。！？；!?;\n"


@dataclass(frozen=True)
class WeChatSettings:
    """Everything the channel reads from the environment, read once in `load_settings`."""

    token: str
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""  # 43 characters; set for safe (or compatible) message mode
    api_base: str = "https://api.weixin.qq.com"
    passive_timeout: float = 4.5  # WeChat waits 5 s for a passive reply, then retries
    max_reply_bytes: int = 2048  # WeChat's limit for a text reply, in UTF-8 bytes
    public_url: str = "http://127.0.0.1:8000"  # where citizens open notices
    dedup_seconds: float = 30.0  # WeChat retries within 15 s
    max_body_bytes: int = 64 * 1024


def load_settings(env: dict[str, str] | None = None) -> WeChatSettings:
    env = dict(os.environ if env is None else env)
    return WeChatSettings(
        # the dev default only works with a test account configured with the same token
        token=env.get("WECHAT_TOKEN", "dev-wechat-token"),
        app_id=env.get("WECHAT_APP_ID", ""),
        app_secret=env.get("WECHAT_APP_SECRET", ""),
        encoding_aes_key=env.get("WECHAT_ENCODING_AES_KEY", ""),
        api_base=env.get("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/"),
        passive_timeout=float(env.get("WECHAT_PASSIVE_TIMEOUT", "4.5")),
        max_reply_bytes=int(env.get("WECHAT_MAX_REPLY_BYTES", "2048")),
        public_url=env.get("KNOWLEDGE_PUBLIC_URL", env.get("PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/"),
    )


def mask_openid(openid: str) -> str:
    return openid[:6] + "***" if len(openid) > 6 else "***"


class WeChatAPI:
    """The two official-account API calls the channel needs; never raises, logs what went wrong."""

    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self._token = ""
        self._token_expires = 0.0
        self._lock: asyncio.Lock | None = None

    async def _fetch_token(self, session: aiohttp.ClientSession) -> str:
        params = {"grant_type": "client_credential", "appid": self.settings.app_id, "secret": self.settings.app_secret}
        async with session.get(f"{self.settings.api_base}/cgi-bin/token", params=params) as response:
            data = await response.json(content_type=None)
        if not data.get("access_token"):
            raise RuntimeError(f"token request refused: errcode {data.get('errcode')} {data.get('errmsg')}")
        self._token = str(data["access_token"])
        self._token_expires = time.monotonic() + int(data.get("expires_in", 7200)) - TOKEN_MARGIN
        return self._token

    async def access_token(self, session: aiohttp.ClientSession, refresh: bool = False) -> str:
        """The cached access token; fetched again when it is about to expire or WeChat rejected it."""
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if refresh or not self._token or time.monotonic() >= self._token_expires:
                return await self._fetch_token(session)
            return self._token

    async def send_text(self, openid: str, content: str) -> bool:
        """Send a customer-service text message; True when WeChat accepted it."""
        body = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        who = mask_openid(openid)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
                for attempt in range(2):
                    token = await self.access_token(session, refresh=attempt > 0)
                    url = f"{self.settings.api_base}/cgi-bin/message/custom/send"
                    async with session.post(url, params={"access_token": token}, json=body) as response:
                        data = await response.json(content_type=None)
                    errcode = int(data.get("errcode", -1))
                    if errcode == 0:
                        return True
                    if errcode in TOKEN_ERRORS and attempt == 0:
                        logger.info("WeChat rejected the access token (errcode %s); fetching a new one", errcode)
                        continue
                    break
        # asyncio.TimeoutError is not the builtin TimeoutError before Python 3.11 (the bot env is 3.10)
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, ValueError) as error:  # noqa: UP041
            logger.error("WeChat reply to %s not sent: %s", who, error)
            return False
        if errcode == 45015:
            logger.warning("WeChat reply to %s not sent: the user has not written in the last 48 h (45015)", who)
        else:
            logger.error(
                "WeChat reply to %s not sent: errcode %s %s; text: %s",
                who, errcode, data.get("errmsg"), mask_pii(content[:80]),
            )
        return False


@dataclass
class Rendered:
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (title, payload) the user can type back
    link: str = ""  # the notice page, if one was issued


def render(messages: list[dict[str, Any]], public_url: str) -> Rendered:
    """Rasa's reply messages as one WeChat text: buttons numbered, notice links kept."""
    parts: list[str] = []
    rendered = Rendered("")
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        if message.get("buttons"):
            start = len(rendered.options)
            for number, button in enumerate(message["buttons"], start + 1):
                parts.append(f"{number}. {button.get('title', '')}")
                rendered.options.append((str(button.get("title", "")), str(button.get("payload", ""))))
        if message.get("image"):
            parts.append(f"图片：{message['image']}")
        notice = (message.get("custom") or {}).get("notice")
        if isinstance(notice, dict) and notice.get("url"):
            rendered.link = urljoin(public_url + "/", str(notice["url"]))
            if not any(rendered.link in part for part in parts):
                parts.append(f"告知单（编号{notice.get('number', '')}）：{rendered.link}")
    if rendered.options:
        parts.append(replies.WECHAT_PICK_BY_NUMBER)
    rendered.text = "\n".join(parts)
    return rendered


def shorten(text: str, max_bytes: int, link: str = "") -> str:
    """Cut `text` at a sentence end so that it fits `max_bytes` of UTF-8, pointing to the full content."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    tail = replies.shortened_tail_text(link)
    budget = max_bytes - len(tail.encode("utf-8"))
    head = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    cut = max(head.rfind(mark) for mark in SENTENCE_END)
    if cut > len(head) // 3:
        head = head[: cut + 1]
    return head.rstrip("\n") + tail


def pick_option(text: str, options: list[tuple[str, str]]) -> str | None:
    """The payload of the option the user typed back ("2", "２", or the option's title), if any."""
    typed = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).rstrip(".。")
    if re.fullmatch(r"\d{1,2}", typed) and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1][1]
    return next((payload for title, payload in options if title and title == text.strip()), None)


@dataclass
class Turn:
    """One user message on its way through Rasa, shared by WeChat's retries of it."""

    task: asyncio.Task[str]
    created: float = field(default_factory=time.monotonic)
    state: str = "pending"  # pending -> passive (answered in the HTTP reply) | async (customer-service API)
    waiters: set[int] = field(default_factory=set)
    claimant: int = -1
    settled: asyncio.Event = field(default_factory=asyncio.Event)


class TurnCache:
    """Turns by MsgId (events: FromUserName + CreateTime), kept `ttl` seconds and until Rasa is done."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.turns: dict[str, Turn] = {}

    def get(self, key: str) -> Turn | None:
        now = time.monotonic()
        for old in [k for k, t in self.turns.items() if t.task.done() and now - t.created > self.ttl]:
            del self.turns[old]
        return self.turns.get(key)

    def add(self, key: str, turn: Turn) -> None:
        self.turns[key] = turn
