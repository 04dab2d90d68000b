"""What every console page shares: templates, the database per request, the signed-in staff
member, role checks, CSRF checks, and the pages for errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from knowledge.console.auth import AREAS, ROLE_NAMES, Staff, csrf_ok, session_staff
from knowledge.console.db import connect
from knowledge.console.settings import ConsoleSettings, get_console_settings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# no script or style from anywhere but the console itself, and never inside a frame
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class ConsoleError(Exception):
    """An error shown as a console page."""

    status = 400
    message = "请求有误。"

    def __init__(self, message: str | None = None, staff: Staff | None = None) -> None:
        super().__init__(message or self.message)
        self.text = message or self.message
        self.staff = staff  # when known, the error page keeps the staff member's menu


class LoginRequired(ConsoleError):
    status = 303


class Forbidden(ConsoleError):
    status = 403
    message = "您的角色不能使用此页面。如需权限，请联系主管。"


class CsrfFailed(ConsoleError):
    status = 403
    message = "表单已过期或来源不明（CSRF 校验失败）。请返回上一页刷新后重试。"


class NotFoundError(ConsoleError):
    status = 404
    message = "没有找到该记录。"


def cookie_secure(request: Request) -> bool:
    """Secure cookies everywhere but on the loopback address, where there is no TLS to rely on."""
    return (request.url.hostname or "") not in LOOPBACK


def console_settings() -> ConsoleSettings:
    return get_console_settings()


SettingsDep = Annotated[ConsoleSettings, Depends(console_settings)]


def console_db(settings: SettingsDep) -> Iterator[sqlite3.Connection]:
    connection = connect(settings.db_path)
    try:
        yield connection
    finally:
        connection.close()


DbDep = Annotated[sqlite3.Connection, Depends(console_db)]


def current_staff(request: Request, db: DbDep) -> Staff:
    staff = session_staff(db, request.cookies.get(SESSION_COOKIE))
    if staff is None:
        raise LoginRequired(request.url.path)
    return staff


StaffDep = Annotated[Staff, Depends(current_staff)]


def require(area: str) -> Any:
    """A dependency: the signed-in staff member, if their role may use `area`."""
    assert area in AREAS

    def check(staff: StaffDep) -> Staff:
        if not staff.may(area):
            raise Forbidden(staff=staff)
        return staff

    return Depends(check)


async def checked_form(request: Request, staff: StaffDep) -> dict[str, str]:
    """Every change is a POST carrying the session's CSRF token; returns the form fields."""
    form = await request.form()
    if not csrf_ok(staff.csrf, str(form.get("csrf") or "")):
        raise CsrfFailed(staff=staff)
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def page(request: Request, template: str, staff: Staff | None, status: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, template, {"staff": staff, "role_names": ROLE_NAMES, **context}, status_code=status
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


def install(app: FastAPI) -> None:
    """Mount the console on the knowledge service."""
    from knowledge.console.routes import router

    app.include_router(router)

    @app.exception_handler(ConsoleError)
    async def console_error(request: Request, error: ConsoleError) -> Response:
        if isinstance(error, LoginRequired):
            return redirect(f"/console/login?next={quote(error.text)}")
        return page(request, "error.html", error.staff, status=error.status, message=error.text)
