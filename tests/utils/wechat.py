"""Build the requests WeChat's servers send to an official account's URL: signed, plain or AES (both envs)."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import xmltodict
from wechatpy.crypto import WeChatCrypto

TOKEN = "test-wechat-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the admin console gives it
ACCOUNT = "gh_0123456789ab"  # the official account's original id (ToUserName)
_msg_ids = iter(range(int(time.time() * 1000), 2**63))


def signature(token: str, *parts: str) -> str:
    """WeChat's signature: sha1 of the sorted, concatenated strings."""
    return hashlib.sha1("".join(sorted([token, *parts])).encode("utf-8")).hexdigest()


def signed_query(token: str = TOKEN, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
    return {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}


def _cdata(value: Any) -> str:
    return str(value) if isinstance(value, int) else f"<![CDATA[{value}]]>"


def message_xml(
    openid: str, msg_type: str, msg_id: int | None = None, created: int | None = None, **fields: Any
) -> str:
    """A message or event as WeChat pushes it; MsgId is fresh unless given (events have none)."""
    body: dict[str, Any] = {
        "ToUserName": ACCOUNT,
        "FromUserName": openid,
        "CreateTime": created or int(time.time()),
        "MsgType": msg_type,
        **fields,
    }
    if msg_type != "event":
        body["MsgId"] = msg_id or next(_msg_ids)
    return "<xml>" + "".join(f"<{k}>{_cdata(v)}</{k}>" for k, v in body.items()) + "</xml>"


def text_xml(openid: str, content: str, msg_id: int | None = None) -> str:
    return message_xml(openid, "text", msg_id, Content=content)


def voice_xml(openid: str, recognition: str) -> str:
    return message_xml(openid, "voice", MediaId="media-1", Format="amr", Recognition=recognition)


def event_xml(openid: str, event: str, key: str = "", created: int | None = None) -> str:
    return message_xml(openid, "event", None, created, Event=event, EventKey=key)


def encrypt(xml: str, query: dict[str, str], app_id: str, token: str = TOKEN) -> tuple[str, dict[str, str]]:
    """The safe-mode body and query: <xml><ToUserName/><Encrypt/></xml>, encrypt_type=aes and msg_signature."""
    crypto = WeChatCrypto(token, AES_KEY, app_id)
    sealed = xmltodict.parse(crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
    body = (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>"
    )
    return body, {**query, "encrypt_type": "aes", "msg_signature": sealed["MsgSignature"]}


def decrypt_reply(body: str, app_id: str, token: str = TOKEN) -> dict[str, Any]:
    """An encrypted passive reply, checked and decrypted back to its fields."""
    sealed = xmltodict.parse(body)["xml"]
    crypto = WeChatCrypto(token, AES_KEY, app_id)
    plain = crypto.decrypt_message(sealed, sealed["MsgSignature"], sealed["TimeStamp"], sealed["Nonce"])
    return dict(xmltodict.parse(plain)["xml"])


def reply_fields(body: str) -> dict[str, Any]:
    return dict(xmltodict.parse(body)["xml"])
