"""Render a notice: the printable A4 HTML page with its QR code, and the same page as PDF."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.notices.content import LICENSING_LAW, SHARED_STATUS, materials_breakdown
from knowledge.notices.schemas import UNKNOWN, NoticePublic

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an inline SVG data URI, made locally (segno), crisp at any print size."""
    # Level M survives a crease or a smudge on paper; border 2 keeps the quiet zone readable.
    return str(segno.make_qr(url, error="m").svg_data_uri(scale=4, border=2))


def render_html(notice: NoticePublic) -> str:
    """The printable A4 page of a notice (self-contained: inline CSS and QR image)."""
    return (
        _environment()
        .get_template("notice.html")
        .render(
            n=notice,
            qr=qr_data_uri(notice.url),
            unknown=UNKNOWN,
            shared_status=SHARED_STATUS,
            licensing_law=LICENSING_LAW,
            breakdown=materials_breakdown(notice.materials),
        )
    )


def render_pdf(notice: NoticePublic) -> bytes:
    """The same page as a PDF with the CJK font embedded (WeasyPrint, system fonts-noto-cjk)."""
    # Imported here: WeasyPrint loads Pango at import, which only the PDF route needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(notice), base_url=str(TEMPLATES)).write_pdf()
    return pdf
