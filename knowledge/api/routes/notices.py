"""One-time notices: issue one (JSON API), read it back as JSON, as a printable page and as PDF."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse

from knowledge.api.deps import CatalogDep
from knowledge.notices import (
    AnswerError,
    NoticeCreate,
    NoticePublic,
    NoticeService,
    UnknownSubjectError,
)


def get_notice_service(request: Request) -> NoticeService:
    service: NoticeService = request.app.state.notices
    return service


NoticeServiceDep = Annotated[NoticeService, Depends(get_notice_service)]

api = APIRouter(prefix="/v1/notices", tags=["notices"])
pages = APIRouter(prefix="/notices", tags=["notices"])
# One router to include in the app: the JSON API and the printable pages live under two prefixes.
router = APIRouter()


def _answer_errors(error: AnswerError) -> list[dict[str, Any]]:
    # Shaped like FastAPI's own 422 details, plus the question and its allowed options.
    return [
        {
            "loc": ["body", "answers", p.key],
            "msg": p.message,
            "type": p.kind,
            "question": p.question,
            "options": p.options,
        }
        for p in error.problems
    ]


def _get_or_404(notices: NoticeService, notice_id: str) -> NoticePublic:
    notice = notices.get(notice_id)
    if notice is None:
        raise HTTPException(status_code=404, detail=f"unknown notice '{notice_id}'")
    return notice


@api.post("", status_code=status.HTTP_201_CREATED)
def create_notice(
    body: NoticeCreate, catalog: CatalogDep, notices: NoticeServiceDep, response: Response
) -> NoticePublic:
    """Issue and store a one-time notice for a matter or a theme service."""
    try:
        notice = notices.issue(catalog, body)
    except UnknownSubjectError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except AnswerError as error:
        raise HTTPException(status_code=422, detail=_answer_errors(error)) from error
    response.headers["Location"] = f"{api.prefix}/{notice.id}"
    return notice


@api.get("/{notice_id}")
def read_notice(notice_id: str, notices: NoticeServiceDep) -> NoticePublic:
    """One stored notice as JSON."""
    return _get_or_404(notices, notice_id)


# Registered before the page route, whose {notice_id} would otherwise swallow "….pdf".
@pages.get("/{notice_id}.pdf", response_class=Response)
def read_notice_pdf(notice_id: str, notices: NoticeServiceDep) -> Response:
    """The notice as a PDF with embedded CJK fonts."""
    notice = _get_or_404(notices, notice_id)
    return Response(
        content=notices.pdf(notice),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{notice.number}.pdf"'},
    )


@pages.get("/{notice_id}", response_class=HTMLResponse)
def read_notice_page(notice_id: str, notices: NoticeServiceDep) -> HTMLResponse:
    """The printable A4 page with a QR code linking to itself."""
    return HTMLResponse(notices.html(_get_or_404(notices, notice_id)))


router.include_router(api)
router.include_router(pages)
