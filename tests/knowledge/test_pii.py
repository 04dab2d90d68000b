"""PII masking for logs and hotline outputs."""

from __future__ import annotations

import pytest

from knowledge.pii import contains_pii, mask_pii


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我身份证号是220102199003071234", "我身份证号是220102********1234"),
        ("身份证22010219900307123X丢了", "身份证220102********123X丢了"),
        ("老身份证220102900307123", "老身份证220102*****7123"),
        ("电话13912345678", "电话139****5678"),
        ("电话139-1234-5678回我", "电话139****5678回我"),
        ("+86 13912345678", "139****5678"),
        ("打0431-88776201问问", "打0431-****6201问问"),
        ("银行卡6222021234567890123", "银行卡6222***********0123"),
        ("卡号6222 0212 3456 7890 123", "卡号6222***********0123"),
    ],
)
def test_personal_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert contains_pii(text)


@pytest.mark.parametrize(
    "text", ["拨打12345热线", "2024年3月5日办的", "排了20分钟，在21号窗口", "费用120元", "承诺时限7个工作日"]
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_pii(text) == text
    assert not contains_pii(text)
