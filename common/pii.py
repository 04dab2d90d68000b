"""Mask personal data (ID card, phone and bank card numbers) before text is logged or reported."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any
from urllib.parse import unquote_plus

# 18-digit resident ID (last char may be X), 15-digit legacy ID; not inside longer digit runs
_ID_CARD = re.compile(r"(?<!\d)(\d{6})(\d{8}|\d{6})(\d{3})([\dXx])?(?!\d)")
# mainland mobile numbers, optionally +86 / spaces / dashes between groups
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# landlines with area code: 0431-88776201, 0431 8877 6201
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})[- ]?(\d{4})(?!\d)")
# bank cards: 16-19 digits, optionally grouped with single spaces or dashes
_BANK_CARD = re.compile(r"(?<!\d)\d(?:[- ]?\d){15,18}(?!\d)")


def _mask_id(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(text) not in (15, 18):
        return text
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def _mask_bank_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_pii(text: str) -> str:
    """Return `text` with ID card, mobile, landline and bank card numbers masked.

    Keeps enough digits for a person to recognise their own number (first 3-6, last 4).
    """
    text = _ID_CARD.sub(_mask_id, text)
    text = _BANK_CARD.sub(_mask_bank_card, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    return text


def contains_pii(text: str) -> bool:
    return mask_pii(text) != text


def mask_data(value: Any) -> Any:
    """`value` (JSON-like: dicts, lists, strings) with every string masked."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(item) for item in value]
    return value


def phone_numbers(text: str) -> list[str]:
    """The mobile and landline numbers in `text`, as written (for a call back)."""
    numbers = [m.group(0).strip() for m in _MOBILE.finditer(text)]
    return numbers + [m.group(0) for m in _LANDLINE.finditer(text)]


# JSON logs escape Chinese as \\u53f7: its last hex digit would run into the number after it
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _readable(message: str) -> str:
    """Undo URL and JSON escapes, which hide where a number starts (`%B7`, `\\u53f7` end in digits)."""
    if "%" in message:
        message = unquote_plus(message)
    if "\\u" in message:
        message = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), message)
    return message


# Rasa's API token travels as ?token=…: an access log must not keep it either
_TOKEN_PARAMETER = re.compile(r"([?&]token=)[^&\s\"']+")


class MaskingFilter(logging.Filter):
    """Masks personal numbers (and `token=` parameters) in every record it sees, also inside
    escaped URLs and JSON."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if args and isinstance(args, tuple) and all(isinstance(a, (str, int, float)) or a is None for a in args):
            # mask each argument and keep the template: formatters such as uvicorn's access log
            # read the arguments themselves
            record.args = tuple(_clean(a) if isinstance(a, str) else a for a in args)
            record.msg = mask_pii(record.msg) if isinstance(record.msg, str) else record.msg
        else:
            try:
                message = record.getMessage()
            except Exception:  # a broken format string is the logger's problem, not ours
                return True
            record.msg, record.args = _clean(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # tracebacks quote the failing value; the message alone cannot hold them back
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _clean(text: str) -> str:
    return _TOKEN_PARAMETER.sub(r"\1***", mask_pii(_readable(text)))


_FILTER = MaskingFilter()


def install_log_masking(*logger_names: str) -> None:
    """Add the masking filter to these loggers and to every handler configured so far.

    A logger's own filter sees only records logged on it; a handler's sees every record
    it writes, whichever logger it came from. Both, so nothing slips by.
    """
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logger_names)]
    loggers += [item for item in logging.root.manager.loggerDict.values() if isinstance(item, logging.Logger)]
    for logger in loggers:
        for target in [logger, *logger.handlers]:
            if _FILTER not in target.filters:
                target.addFilter(_FILTER)


def pseudonymise(identifier: str, key: str) -> str:
    """`identifier` as is, or, when it holds a personal number, masked plus a keyed hash of it.

    For sender and call ids: a hotline may name a call by the caller's number. The keyed hash
    keeps two callers apart without the raw digits (a plain hash of a phone number, whose masked
    form leaves 10^4 candidates, is reversed in a blink).
    """
    if not contains_pii(identifier):
        return identifier
    digest = hmac.new(key.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:16]
    return f"{mask_pii(identifier)}~{digest}"
