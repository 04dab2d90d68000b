"""Issue, store and read one-time notices: the content rules, the repository and the renderers together."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from catalog.loader import Catalog
from knowledge.notices.content import build_matter_notice, build_theme_notice
from knowledge.notices.render import render_html, render_pdf
from knowledge.notices.repository import NoticeRepository, StoredNotice
from knowledge.notices.schemas import NoticeContent, NoticeCreate, NoticePublic

# The hall keeps Beijing time; China has no daylight saving, so a fixed offset is exact and
# needs no tz database. Notice numbers and dates follow the hall's calendar day.
CHINA_TZ = timezone(timedelta(hours=8), "CST")


def issued_on_text(moment: datetime) -> str:
    """A date as printed on the notice: 2026年11月26日."""
    local = moment.astimezone(CHINA_TZ)
    return f"{local.year}年{local.month}月{local.day}日"


class NoticeService:
    """The one-time notice feature behind the HTTP routes."""

    def __init__(self, repository: NoticeRepository, public_url: str):
        self.repository = repository
        self.public_url = public_url.rstrip("/")

    @classmethod
    def open(cls, db_url: str, data_dir: Path, public_url: str) -> NoticeService:
        """Open the configured store: "" = SQLite at data_dir/notices.db, or a postgresql:// URL."""
        return cls(NoticeRepository.open(db_url, data_dir), public_url)

    def close(self) -> None:
        """Release the database connections."""
        self.repository.close()

    def page_url(self, notice_id: str) -> str:
        """The absolute URL of the printable page (what the QR code holds)."""
        return f"{self.public_url}/notices/{notice_id}"

    def build(self, catalog: Catalog, request: NoticeCreate) -> NoticeContent:
        """The notice content for a request; raises UnknownSubjectError or AnswerError."""
        if request.matter_id is not None:
            return build_matter_notice(catalog, request.matter_id, request.answers)
        assert request.theme_id is not None  # NoticeCreate guarantees exactly one subject
        return build_theme_notice(catalog, request.theme_id, request.answers)

    def issue(self, catalog: Catalog, request: NoticeCreate, now: datetime | None = None) -> NoticePublic:
        """Build, number and store a notice."""
        content = self.build(catalog, request)
        issued_at = (now or datetime.now(CHINA_TZ)).astimezone(CHINA_TZ)
        stored = self.repository.add(
            notice_id=uuid.uuid4().hex,
            issued_at=issued_at,
            kind=content.kind,
            subject_id=content.subject_id,
            channel=request.channel,
            answers=dict(request.answers),
            content=content.model_dump(mode="json"),
        )
        return self._public(stored)

    def get(self, notice_id: str) -> NoticePublic | None:
        """A stored notice, or None."""
        stored = self.repository.get(notice_id)
        return None if stored is None else self._public(stored)

    def _public(self, stored: StoredNotice) -> NoticePublic:
        url = self.page_url(stored.id)
        return NoticePublic.model_validate(
            {
                **stored.content,
                "id": stored.id,
                "number": stored.number,
                "issued_at": stored.issued_at.astimezone(CHINA_TZ),
                "issued_on_text": issued_on_text(stored.issued_at),
                "channel": stored.channel,
                "url": url,
                "pdf_url": f"{url}.pdf",
            }
        )

    def html(self, notice: NoticePublic) -> str:
        """The printable page."""
        return render_html(notice)

    def pdf(self, notice: NoticePublic) -> bytes:
        """The PDF."""
        return render_pdf(notice)
