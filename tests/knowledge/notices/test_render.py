"""What a person gets: the PDF (text, embedded CJK fonts, QR) and the HTML page as Chromium draws it.

Uses Debian tools: pdftotext/pdffonts/pdftoppm (poppler-utils), zbarimg (zbar-tools), chromium.
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from catalog.loader import Catalog
from tests.knowledge.notices.helpers import answers_for, require_tool, theme_answers
from tests.utils.browser import CHROMIUM_FLAGS

# A matter with many materials, a short one, one with 容缺 and shared items, and a theme.
PDF_CASES: list[tuple[str, str, int | str]] = [
    ("matter", "bdc-new-house-transfer", "不清楚"),
    ("matter", "cg-vehicle-registration", 0),
    ("matter", "crj-passport-issue", 1),
    ("theme", "theme-open-restaurant", 0),
]


def _squash(text: str) -> str:
    # Table cells wrap long names over lines; compare without any whitespace.
    return "".join(text.split())


def _issue(
    client: TestClient, catalog: Catalog, kind: str, subject: str, choose: int | str
) -> dict[str, Any]:
    if kind == "matter":
        body = {"matter_id": subject, "answers": answers_for(catalog, subject, choose)}
    else:
        body = {"theme_id": subject, "answers": theme_answers(catalog, subject, choose)}
    response = client.post("/v1/notices", json=body)
    assert response.status_code == 201, response.text
    notice: dict[str, Any] = response.json()
    return notice


def _run(*args: str, timeout: float = 120) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=timeout).stdout


def _decode_qr(png: Path) -> list[str]:
    zbarimg = require_tool("zbarimg", "zbar-tools")
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=60, check=False
    )
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize(("kind", "subject", "choose"), PDF_CASES)
def test_pdf_text_has_every_material_and_embedded_cjk_fonts(
    kind: str, subject: str, choose: int | str, notices_client: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdffonts = require_tool("pdffonts", "poppler-utils")
    notice = _issue(notices_client, catalog, kind, subject, choose)
    response = notices_client.get(f"/notices/{notice['id']}.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)

    text = _squash(_run(pdftotext, "-enc", "UTF-8", str(pdf), "-"))
    assert _squash(notice["title"]) in text
    assert notice["number"] in text
    assert len(notice["materials"]) >= 3
    for material in notice["materials"]:
        assert _squash(material["name"]) in text, material["name"]
    for section in notice["matters"]:
        assert _squash(section["promised_limit_text"]) in text
        assert _squash(section["phone"]) in text

    # pdffonts: two header lines, then one line per font; "emb" is the 5th column from the right.
    fonts = [line.split() for line in _run(pdffonts, str(pdf)).splitlines()[2:] if line.strip()]
    assert fonts
    assert any("CJK" in row[0] for row in fonts), fonts
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_pdf_qr_code_decodes_to_the_notice_url(
    notices_client: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    notice = _issue(notices_client, catalog, "matter", "crj-passport-issue", 0)
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notices_client.get(f"/notices/{notice['id']}.pdf").content)
    _run(pdftoppm, "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page"))
    assert _decode_qr(tmp_path / "page-1.png") == [notice["url"]]


class _NoticeDom(HTMLParser):
    """Collects the parts of the rendered DOM the test checks."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.material_rows = 0
        self.material_names: list[str] = []
        self.qr_src = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h1" and a.get("id") == "notice-title":
            self._in = "title"
        elif tag == "tr" and a.get("class") == "material":
            self.material_rows += 1
        elif tag == "strong" and a.get("class") == "material-name":
            self._in = "material"
            self.material_names.append("")
        elif tag == "img" and a.get("id") == "notice-qr":
            self.qr_src = a.get("src") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "strong"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "material":
            self.material_names[-1] += data


def test_chromium_draws_title_materials_table_and_a_readable_qr(
    notices_client: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    chromium = require_tool("chromium", "chromium")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    notice = _issue(notices_client, catalog, "matter", "bdc-new-house-transfer", "不清楚")
    page = notices_client.get(f"/notices/{notice['id']}")
    # The page is self-contained (inline CSS, data-URI QR), so a file is the same page as the URL.
    html_file = tmp_path / "notice.html"
    html_file.write_text(page.text, encoding="utf-8")
    base = [chromium, *CHROMIUM_FLAGS, "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}"]

    dom = _NoticeDom()
    dom.feed(_run(*base, "--dump-dom", html_file.as_uri()))
    assert dom.title == notice["title"]
    assert dom.material_rows == len(notice["materials"])
    assert dom.material_names == [m["name"] for m in notice["materials"]]
    assert dom.qr_src.startswith("data:image/svg+xml")

    shot = tmp_path / "notice.png"
    _run(*base, "--window-size=1000,1400", f"--screenshot={shot}", html_file.as_uri())
    image = Image.open(shot).convert("L")
    assert image.size == (1000, 1400)
    # Not a blank page: a good share of dark pixels (text, table rules, QR modules).
    histogram = image.histogram()
    assert sum(histogram[:128]) > 0.02 * image.size[0] * image.size[1]
    assert _decode_qr(shot) == [notice["url"]]

    # Chromium's own print of the page has the glyphs, not only the DOM: title and every material.
    printed = tmp_path / "chromium.pdf"
    _run(*base, "--no-pdf-header-footer", f"--print-to-pdf={printed}", html_file.as_uri())
    text = _squash(_run(pdftotext, "-enc", "UTF-8", str(printed), "-"))
    assert _squash(notice["title"]) in text
    for material in notice["materials"]:
        assert _squash(material["name"]) in text, material["name"]
