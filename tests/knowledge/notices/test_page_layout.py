"""The notice page as phones and printers get it, in a real headless Chromium (Playwright).

A QR code on the paper notice is scanned with a phone: at 390 px the page must read top to
bottom with nothing off to the side, and 下载 PDF / 打印 must be on screen. Print stays A4.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from PIL import Image

from catalog.loader import Catalog
from tests.knowledge.notices.helpers import answers_for
from tests.utils.browser import require_chromium
from tests.utils.servers import ServerThread

require_chromium("the notice page layout test")

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(notices_app: FastAPI) -> Iterator[ServerThread]:
    with ServerThread(notices_app) as running:
        yield running


def _issue(server: ServerThread, catalog: Catalog, matter_id: str, choose: int | str) -> str:
    import httpx

    response = httpx.post(
        f"{server.url}/v1/notices", json={"matter_id": matter_id, "answers": answers_for(catalog, matter_id, choose)}
    )
    assert response.status_code == 201, response.text
    return f"{server.url}/notices/{response.json()['id']}"


# Many materials with conditions (不清楚 keeps them all), and a theme-free short one.
@pytest.mark.parametrize(
    ("matter_id", "choose"), [("qy-individual-business-registration", "不清楚"), ("cg-vehicle-registration", 0)]
)
def test_phone_reads_top_to_bottom_with_buttons_on_screen(
    browser: Any, server: ServerThread, catalog: Catalog, tmp_path: Path, matter_id: str, choose: int | str
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.goto(_issue(server, catalog, matter_id, choose))
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for label in ("下载 PDF", "打印"):
        box = page.get_by_text(label, exact=True).bounding_box()
        assert box is not None
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
        assert box["height"] >= 36, "a thumb-sized button"
    # the material cards stack vertically at full width, with legible type
    rows = page.locator("tr.material").all()
    boxes = [r.bounding_box() for r in rows]
    assert len(boxes) >= 4
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above is not None and below is not None
        assert below["y"] >= above["y"] + above["height"] - 1
        assert below["width"] >= PHONE["width"] * 0.85
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.material-name')).fontSize)")
    assert size >= 14
    # the buttons stay reachable after scrolling to the signature lines at the end
    page.locator("#sign").scroll_into_view_if_needed()
    box = page.get_by_text("打印", exact=True).bounding_box()
    assert box is not None and 0 <= box["y"] < 80
    shot = tmp_path / "notice-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    with Image.open(shot) as image:
        assert image.width == PHONE["width"]
        assert image.height > PHONE["height"] * 3
    context.close()


def test_print_keeps_the_a4_table_and_adds_the_signature_lines(
    browser: Any, server: ServerThread, catalog: Catalog, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(_issue(server, catalog, "qy-individual-business-registration", "不清楚"))
    page.emulate_media(media="print")
    assert page.locator(".toolbar").is_hidden()
    # on paper the materials stay one table with its header row
    assert page.locator("table.materials thead").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('tr.material')).display") == "table-row"
    sign = page.inner_text("#sign")
    assert "告知人（签字）" in sign and "申请人签收" in sign and "签收日期" in sign
    pdf = tmp_path / "notice.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes()[:4] == b"%PDF"
    context.close()
