"""Sign-in, sign-out, the start page and the console's stylesheet."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from knowledge.console.auth import AuthError, TooManyAttempts, csrf_ok, log_in, log_out, session_staff
from knowledge.console.web import (
    HERE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    DbDep,
    FormDep,
    SettingsDep,
    StaffDep,
    cookie_secure,
    page,
    redirect,
)

router = APIRouter()


def _safe_next(target: str) -> str:
    # only a console path: a crafted link must not send staff to another site after log-in
    return target if target.startswith("/console/") and not target.startswith("//") else "/console/"


@router.get("/login")
def show_login(request: Request, db: DbDep, next: str = "/console/") -> Response:
    """The sign-in form; its CSRF token is a double-submit cookie, as there is no session yet."""
    if session_staff(db, request.cookies.get(SESSION_COOKIE)):
        return redirect(_safe_next(next))
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", None, next=_safe_next(next), csrf=token)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=cookie_secure(request), path="/console"
    )
    return response


@router.post("/login")
def submit_login(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/console/",
) -> Response:
    """Check the password (rate-limited per account and per address) and open a session."""
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf):
        return page(request, "login.html", None, status=403, next=_safe_next(next), csrf="",
                    error="表单已过期，请刷新页面后重新登录。")
    ip = request.client.host if request.client else "-"
    try:
        _, token = log_in(
            db, username, password, ip,
            max_account=settings.max_failures_account, max_ip=settings.max_failures_ip,
            lockout_minutes=settings.lockout_minutes, session_hours=settings.session_hours,
        )
    except AuthError as error:
        status = 429 if isinstance(error, TooManyAttempts) else 401
        return page(request, "login.html", None, status=status, next=_safe_next(next), csrf=csrf, error=str(error))
    response = redirect(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.session_hours * 3600, httponly=True, samesite="strict",
        secure=cookie_secure(request), path="/console",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
def submit_logout(request: Request, db: DbDep, staff: StaffDep, form: FormDep) -> Response:
    """End the session."""
    log_out(db, request.cookies.get(SESSION_COOKIE, ""), staff)
    response = redirect("/console/login")
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/", response_class=HTMLResponse)
def show_home(request: Request, staff: StaffDep) -> Response:
    """The start page: the areas this role may use."""
    return page(request, "home.html", staff)


@router.get("/static/console.css")
def stylesheet() -> FileResponse:
    return FileResponse(HERE / "static" / "console.css", media_type="text/css")
