"""Staff accounts, password hashes, sessions, CSRF tokens, log-in rate limits and roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from knowledge.console.db import audit, now_iso

ROLES = ("desk", "editor", "supervisor")
ROLE_NAMES = {"desk": "导服台", "editor": "目录编辑", "supervisor": "主管"}
# which roles may use each area of the console; the supervisor may use all of them
AREAS: dict[str, frozenset[str]] = {
    "tickets": frozenset({"desk", "supervisor"}),
    "questions": frozenset({"editor", "supervisor"}),
    "catalog": frozenset({"editor", "supervisor"}),
    "dashboard": frozenset({"supervisor"}),
    "audit": frozenset({"supervisor"}),
}
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current defaults
# verified against when the account does not exist, so a wrong name costs as long as a wrong password
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    display_name: str
    role: str
    csrf: str = ""

    def may(self, area: str) -> bool:
        return self.role in AREAS[area]


class AuthError(ValueError):
    """A log-in that failed, with the text to show."""


class TooManyAttempts(AuthError):
    pass


def _hash_token(token: str) -> str:
    # sessions are stored by hash: a copy of the database does not hand out live sessions
    return hashlib.sha256(token.encode()).hexdigest()


def create_staff(connection: sqlite3.Connection, username: str, display_name: str, role: str, password: str,
                 actor: str) -> int:
    """Create an account; the password is stored as an argon2id hash only."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(username) > 64:
        raise ValueError("username must be 1-64 characters")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    with connection:
        cursor = connection.execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            (username.strip(), display_name.strip() or username.strip(), role, _hasher.hash(password), now_iso()),
        )
        audit(connection, actor, "create_staff", username.strip(), f"role={role}")
    return int(cursor.lastrowid or 0)


def _recent_failures(connection: sqlite3.Connection, column: str, value: str, minutes: int) -> int:
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds")
    # failures since the last success of that account or address
    last_ok = connection.execute(
        f"SELECT MAX(at) FROM login_attempts WHERE {column} = ? AND ok = 1", (value,)
    ).fetchone()[0]
    row = connection.execute(
        f"SELECT COUNT(*) FROM login_attempts WHERE {column} = ? AND ok = 0 AND at >= ? AND at > ?",
        (value, since, last_ok or ""),
    ).fetchone()
    return int(row[0])


def log_in(connection: sqlite3.Connection, username: str, password: str, ip: str, *, max_account: int,
           max_ip: int, lockout_minutes: int, session_hours: int) -> tuple[Staff, str]:
    """Check the password and open a session. Returns (staff, session token).

    Raises TooManyAttempts before checking anything once an account or an address has failed
    too often recently, so guessing is slowed to a few tries per lockout period."""
    username = username.strip()[:64]
    if (
        _recent_failures(connection, "username", username, lockout_minutes) >= max_account
        or _recent_failures(connection, "ip", ip, lockout_minutes) >= max_ip
    ):
        with connection:
            audit(connection, username or "-", "login_blocked", ip)
        raise TooManyAttempts(f"登录失败次数过多，请{lockout_minutes}分钟后再试，或联系主管重置密码。")
    row = connection.execute(
        "SELECT id, username, display_name, role, password_hash FROM staff WHERE username = ? AND active = 1",
        (username,),
    ).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    with connection:
        connection.execute(
            "INSERT INTO login_attempts (username, ip, ok, at) VALUES (?, ?, ?, ?)", (username, ip, int(ok), now_iso())
        )
        audit(connection, username or "-", "login" if ok else "login_failed", ip)
    if not ok or row is None:
        raise AuthError("用户名或密码不正确。")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=session_hours)
    with connection:
        connection.execute(
            "INSERT INTO sessions (token_hash, staff_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_hash_token(token), row["id"], csrf, now_iso(), expires.isoformat(timespec="seconds")),
        )
    return Staff(row["id"], row["username"], row["display_name"], row["role"], csrf), token


def session_staff(connection: sqlite3.Connection, token: str | None) -> Staff | None:
    """The staff member of a live session, or None."""
    if not token:
        return None
    row = connection.execute(
        "SELECT s.id, s.username, s.display_name, s.role, se.csrf FROM sessions se "
        "JOIN staff s ON s.id = se.staff_id WHERE se.token_hash = ? AND se.expires_at > ? AND s.active = 1",
        (_hash_token(token), now_iso()),
    ).fetchone()
    if row is None:
        return None
    return Staff(row["id"], row["username"], row["display_name"], row["role"], row["csrf"])


def log_out(connection: sqlite3.Connection, token: str, staff: Staff) -> None:
    with connection:
        connection.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash_token(token),))
        audit(connection, staff.username, "logout", staff.username)


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given or "")
