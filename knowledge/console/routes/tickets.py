"""Tickets (办不成事 and complaints): the list, one ticket, and working it to the end."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from knowledge.api.deps import CatalogDep
from knowledge.console import tickets as work
from knowledge.console.auth import Staff
from knowledge.console.db import audit, connect_actions
from knowledge.console.delivery import conversation_excerpt, deliver_reply
from knowledge.console.web import DbDep, FormDep, NotFoundError, SettingsDep, page, redirect, require

router = APIRouter(prefix="/tickets")
DeskDep = Annotated[Staff, require("tickets")]

DONE_MESSAGES = {
    "status": "状态已更新。",
    "assign": "已指派部门。",
    "note": "备注已保存。",
}


def _load(db: DbDep, settings: SettingsDep, catalog: CatalogDep, number: str | None = None) -> list[work.Ticket]:
    actions = connect_actions(settings.actions_db)
    try:
        departments = {m.id: m.department for m in catalog.matters.values()}
        return work.load_tickets(actions, db, settings.response_days, departments, number)
    finally:
        if actions is not None:
            actions.close()


def _one(db: DbDep, settings: SettingsDep, catalog: CatalogDep, number: str) -> work.Ticket:
    found = _load(db, settings, catalog, number)
    if not found:
        raise NotFoundError(f"没有编号为 {number} 的工单。")
    return found[0]


@router.get("")
def list_tickets(
    request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
    status: Annotated[str, Query(max_length=10)] = "",
    department: Annotated[str, Query(max_length=40)] = "",
    age: Annotated[int, Query(ge=0, le=3650)] = 0,
    overdue: bool = False,
) -> Response:
    """Tickets with filters by status, department and age; overdue ones highlighted."""
    tickets = work.filter_tickets(_load(db, settings, catalog), status, department, age, overdue)
    return page(request, "tickets.html", staff, tickets=tickets, now=datetime.now(UTC),
                statuses=work.STATUSES, departments=catalog.departments,
                filters={"status": status, "department": department, "age": age, "overdue": overdue})


@router.get("/{number}")
def show_ticket(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                number: str, done: str = "") -> Response:
    """One ticket with its conversation, notes, workflow and reply form; personal data masked."""
    return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                        message=DONE_MESSAGES.get(done, ""))


def _ticket_page(request: Request, staff: Staff, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                 number: str, revealed: bool, message: str = "", error: str = "", status: int = 200,
                 phone: str | None = None) -> Response:
    ticket = _one(db, settings, catalog, number)
    excerpt = conversation_excerpt(settings.rasa_url, settings.rasa_token, ticket.sender)
    return page(request, "ticket.html", staff, status=status, ticket=ticket, revealed=revealed,
                excerpt=excerpt or [], excerpt_missing=excerpt is None,
                notes=work.notes(db, number), next_statuses=work.NEXT_STATUSES[ticket.status],
                departments=catalog.departments, matter=catalog.matters.get(ticket.matter_id or ""),
                phone=phone,
                now=datetime.now(UTC), message=message, error=error)


@router.post("/{number}/reveal")
def reveal_ticket(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                  form: FormDep, number: str) -> Response:
    """Show the unmasked words of a ticket; the reveal is written to the audit log."""
    _one(db, settings, catalog, number)
    reason = form.get("reason", "").strip()[:200]
    if not reason:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                            error="查看完整信息前请填写事由。", status=400)
    with db:
        audit(db, staff.username, "ticket_reveal", number, reason)
    phone = work.ticket_phone(settings.actions_db, number, staff.username, reason)
    return _ticket_page(request, staff, db, settings, catalog, number, revealed=True, phone=phone)


@router.post("/{number}/status")
def change_status(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                  form: FormDep, number: str) -> Response:
    """Move the ticket along 新建 → 处理中 → 已办结 / 已转12345."""
    ticket = _one(db, settings, catalog, number)
    try:
        work.set_status(db, ticket, form.get("status", ""), staff.username)
    except work.WorkflowError as problem:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False, error=str(problem),
                            status=409)
    return redirect(f"/console/tickets/{number}?done=status")


@router.post("/{number}/assign")
def assign_department(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                      form: FormDep, number: str) -> Response:
    """Hand the ticket to a department of the catalog."""
    ticket = _one(db, settings, catalog, number)
    department = form.get("department", "")
    if department not in catalog.departments:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                            error="请选择目录中的部门。", status=400)
    work.assign(db, ticket, department, staff.username)
    return redirect(f"/console/tickets/{number}?done=assign")


@router.post("/{number}/notes")
def add_note(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
             form: FormDep, number: str) -> Response:
    """An internal note on the ticket (not shown to the citizen)."""
    ticket = _one(db, settings, catalog, number)
    text = form.get("text", "").strip()
    if not text or len(text) > 2000:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                            error="备注不能为空，且不超过2000字。", status=400)
    work.add_note(db, ticket, text, staff.username)
    return redirect(f"/console/tickets/{number}?done=note")


@router.post("/{number}/reply")
def send_reply(request: Request, staff: DeskDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
               form: FormDep, number: str) -> Response:
    """Write the reply to the citizen and send it on their channel when it can take it."""
    ticket = _one(db, settings, catalog, number)
    text = form.get("text", "").strip()
    if not text or len(text) > 1000:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                            error="答复不能为空，且不超过1000字。", status=400)
    if not ticket.open:
        return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                            error="工单已结束，不能再答复。", status=409)
    delivery = deliver_reply(settings.rasa_url, settings.rasa_token, ticket.sender, ticket.channel, number, text)
    work.save_reply(db, ticket, text, delivery.summary, staff.username)
    return _ticket_page(request, staff, db, settings, catalog, number, revealed=False,
                        message=f"答复已保存：{delivery.summary}。")
