"""Mask personal data (ID card, phone and bank card numbers) before text is logged or reported."""

from __future__ import annotations

import re

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
