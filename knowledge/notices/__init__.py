"""One-time complete notices (一次性告知单): content from the catalog, persistence, HTML and PDF."""

from knowledge.notices.content import (
    AnswerError,
    AnswerProblem,
    ThemeQuestion,
    UnknownSubjectError,
    build_matter_notice,
    build_theme_notice,
    materials_breakdown,
    normalise_name,
    situations_needed,
    theme_key,
    theme_questions,
)
from knowledge.notices.repository import NoticeRepository
from knowledge.notices.schemas import UNKNOWN, NoticeContent, NoticeCreate, NoticePublic
from knowledge.notices.service import NoticeService

__all__ = [
    "UNKNOWN",
    "AnswerError",
    "AnswerProblem",
    "NoticeContent",
    "NoticeCreate",
    "NoticePublic",
    "NoticeRepository",
    "NoticeService",
    "ThemeQuestion",
    "UnknownSubjectError",
    "build_matter_notice",
    "build_theme_notice",
    "materials_breakdown",
    "normalise_name",
    "situations_needed",
    "theme_key",
    "theme_questions",
]
