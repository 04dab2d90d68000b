"""PII masking for logs and hotline outputs."""

from __future__ import annotations

import pytest

from common.pii import contains_pii, mask_pii


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


def test_the_log_filter_masks_messages_arguments_escapes_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    import json
    import logging

    from common.pii import MaskingFilter

    logger = logging.getLogger("test.pii.filter")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.pii.filter"):
        logger.info('%s - "GET %s"', "127.0.0.1", "/v1/search?q=%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7220102199003071234")
        logger.info(json.dumps({"text": "号13800001234"}))  # \u53f7 ends in a digit
        logger.info("GET /conversations/x/tracker?token=s3cret")
        try:
            raise ValueError("电话13800001234")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "220102199003071234" not in text and "13800001234" not in text and "s3cret" not in text
    assert "身份证号220102********1234" in text and "号138****1234" in text and "token=***" in text


def test_pseudonymise_keeps_senders_apart_without_their_digits() -> None:
    from common.pii import pseudonymise

    assert pseudonymise("o-abc123", "k") == "o-abc123"
    first, other = pseudonymise("13800001234", "k"), pseudonymise("13800005234", "k")
    assert first.startswith("138****1234~") and "13800001234" not in first
    assert first == pseudonymise("13800001234", "k") and first != other
    assert first != pseudonymise("13800001234", "another key")


def test_the_log_filter_keeps_uvicorns_access_log_format_working() -> None:
    import io
    import logging

    from uvicorn.logging import AccessFormatter

    from common.pii import MaskingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("test.pii.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # the access formatter reads the five arguments itself: they must stay a tuple
    logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/v1/search?q=%E5%8F%B713800001234", "1.1", 200)
    assert stream.getvalue() == '127.0.0.1:5 - "GET /v1/search?q=号138****1234 HTTP/1.1" 200 OK\n'
