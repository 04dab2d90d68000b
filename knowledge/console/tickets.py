"""办不成事 tickets: the action server's `complaints` rows joined with the console's workflow."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common.pii import mask_pii
from knowledge.console.db import audit, now_iso, table_exists

NEW, WORKING, DONE, HOTLINE = "新建", "处理中", "已办结", "已转12345"
STATUSES = (NEW, WORKING, DONE, HOTLINE)
# the workflow: a ticket is taken up, then closed here or handed to the 12345 line
NEXT_STATUSES = {NEW: (WORKING, HOTLINE), WORKING: (DONE, HOTLINE), DONE: (), HOTLINE: ()}


@dataclass(frozen=True)
class Ticket:
    number: str
    sender: str
    channel: str
    text: str  # the citizen's words, unmasked: show `masked_text` unless a reveal was asked for
    matter_id: str | None
    created_at: datetime
    status: str
    department: str | None
    reply: str | None
    reply_delivery: str | None
    deadline: datetime

    @property
    def masked_text(self) -> str:
        return mask_pii(self.text)

    @property
    def masked_sender(self) -> str:
        # channel user ids (WeChat openid, socket session) identify a person: show only their ends
        return self.sender if len(self.sender) <= 6 else f"{self.sender[:3]}…{self.sender[-3:]}"

    @property
    def open(self) -> bool:
        return self.status in (NEW, WORKING)

    def overdue(self, now: datetime) -> bool:
        return self.open and now > self.deadline

    def age_days(self, now: datetime) -> int:
        return (now - self.created_at).days


def _parse(moment: str) -> datetime:
    parsed = datetime.fromisoformat(moment)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def load_tickets(actions: sqlite3.Connection | None, console: sqlite3.Connection, response_days: int,
                 department_of_matter: dict[str, str], number: str | None = None) -> list[Ticket]:
    """Every ticket (or the one numbered `number`), newest first."""
    if actions is None or not table_exists(actions, "complaints"):
        return []
    query = "SELECT number, sender, channel, text, matter_id, created_at FROM complaints"
    rows = actions.execute(query + (" WHERE number = ?" if number else "") + " ORDER BY id DESC",
                           (number,) if number else ()).fetchall()
    work = {
        r["number"]: r for r in console.execute("SELECT * FROM ticket_work").fetchall()
    }
    tickets = []
    for row in rows:
        created = _parse(row["created_at"])
        w = work.get(row["number"])
        tickets.append(Ticket(
            number=row["number"], sender=row["sender"], channel=row["channel"], text=row["text"],
            matter_id=row["matter_id"], created_at=created,
            status=w["status"] if w else NEW,
            # until someone assigns it, the ticket belongs to the department of the matter it is about
            department=(w["department"] if w and w["department"] else department_of_matter.get(row["matter_id"] or "")),
            reply=w["reply"] if w else None, reply_delivery=w["reply_delivery"] if w else None,
            deadline=created + timedelta(days=response_days),
        ))
    return tickets


def filter_tickets(tickets: list[Ticket], status: str = "", department: str = "", min_age_days: int = 0,
                   overdue_only: bool = False) -> list[Ticket]:
    now = datetime.now(UTC)
    return [
        t for t in tickets
        if (not status or t.status == status)
        and (not department or t.department == department)
        and t.age_days(now) >= min_age_days
        and (not overdue_only or t.overdue(now))
    ]


def _save(console: sqlite3.Connection, ticket: Ticket, **changes: str | None) -> None:
    values = {"status": ticket.status, "department": ticket.department, "reply": ticket.reply,
              "reply_delivery": ticket.reply_delivery, **changes}
    console.execute(
        "INSERT INTO ticket_work (number, status, department, reply, reply_delivery, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET status = excluded.status, "
        "department = excluded.department, reply = excluded.reply, reply_delivery = excluded.reply_delivery, "
        "updated_at = excluded.updated_at",
        (ticket.number, values["status"], values["department"], values["reply"], values["reply_delivery"], now_iso()),
    )


class WorkflowError(ValueError):
    """A change the workflow does not allow, with the text to show."""


def set_status(console: sqlite3.Connection, ticket: Ticket, status: str, actor: str) -> None:
    if status not in NEXT_STATUSES[ticket.status]:
        raise WorkflowError(f"工单状态不能从“{ticket.status}”改为“{status}”。")
    if status == DONE and not ticket.reply:
        raise WorkflowError("办结前请先填写并发送给群众的答复。")
    with console:
        _save(console, ticket, status=status)
        audit(console, actor, "ticket_status", ticket.number, f"{ticket.status} → {status}")


def assign(console: sqlite3.Connection, ticket: Ticket, department: str, actor: str) -> None:
    with console:
        _save(console, ticket, department=department)
        audit(console, actor, "ticket_assign", ticket.number, f"{ticket.department or '-'} → {department}")


def save_reply(console: sqlite3.Connection, ticket: Ticket, reply: str, delivery: str, actor: str) -> None:
    # replying takes the ticket up: a new ticket with an answer is being worked on
    status = WORKING if ticket.status == NEW else ticket.status
    with console:
        _save(console, ticket, reply=reply, reply_delivery=delivery, status=status)
        audit(console, actor, "ticket_reply", ticket.number, f"{delivery}: {mask_pii(reply)}")


def add_note(console: sqlite3.Connection, ticket: Ticket, text: str, actor: str) -> None:
    with console:
        console.execute("INSERT INTO ticket_notes (number, author, text, at) VALUES (?, ?, ?, ?)",
                        (ticket.number, actor, text, now_iso()))
        audit(console, actor, "ticket_note", ticket.number, mask_pii(text))


def notes(console: sqlite3.Connection, number: str) -> list[sqlite3.Row]:
    return console.execute("SELECT author, text, at FROM ticket_notes WHERE number = ? ORDER BY id",
                           (number,)).fetchall()


def ticket_phone(actions_db: Path, number: str, staff: str, reason: str) -> str | None:
    """The phone numbers the citizen left, to call them back; None if the ticket has none.

    They are stored encrypted by the action server (TICKET_ENCRYPTION_KEY, docs/security.md);
    `reveal_contact` decrypts them and records the reveal in ACTIONS_DB's `contact_reveals`."""
    from actions.store import NoContact, reveal_contact

    try:
        return "、".join(reveal_contact(number, staff, reason, path=actions_db))
    except NoContact:
        return None
