"""Replies shaped for text-to-speech (bot environment)."""

from __future__ import annotations

from channels.speech import speakable, spoken_number


def test_numbers_are_read_as_people_say_them() -> None:
    assert [spoken_number(n) for n in (1, 10, 16, 21, 48)] == ["一", "十", "十六", "二十一", "四十八"]


def test_windows_urls_and_brackets() -> None:
    speech = speakable(["【社保窗口】位于西侧大厅21-26号窗口。详情见 https://example.gov.cn/x"])
    assert speech == ["社保窗口位于西侧大厅二十一到二十六号窗口。", "详情见。"]


def test_long_lists_are_summarised() -> None:
    text = "共5项材料：\n1. 身份证：原件\n2. 户口簿：原件\n3. 照片：电子\n4. 申请表：原件\n5. 委托书：原件"
    speech = speakable([text])
    assert speech[0] == "共需5项材料，主要是身份证、户口簿等，完整清单已显示在屏幕上。"
    assert all("1." not in s for s in speech)


def test_a_note_in_brackets_stays_in_its_sentence() -> None:
    speech = speakable(["时限：承诺当场办结（窗口当场办结；网上申请审核通过后邮寄）。\n收费：不收费"])
    assert speech == ["时限：承诺当场办结（窗口当场办结；网上申请审核通过后邮寄）。", "收费：不收费。"]
