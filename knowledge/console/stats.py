"""The dashboard's figures over a date range, from the action server's database and the console's."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from knowledge.console.db import table_exists


@dataclass
class Figures:
    outcomes: Counter[str] = field(default_factory=Counter)  # answer / ask / none / disliked / handoff
    hours: list[int] = field(default_factory=lambda: [0] * 24)  # questions per local hour
    matters: Counter[str] = field(default_factory=Counter)  # answered questions per matter id
    tickets_by_department: Counter[str] = field(default_factory=Counter)
    tickets: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    @property
    def questions(self) -> int:
        return sum(self.outcomes[o] for o in ("answer", "ask", "none"))

    def rate(self, outcome: str) -> float | None:
        return self.outcomes[outcome] / self.questions if self.questions else None

    @property
    def satisfaction(self) -> float | None:
        rated = self.satisfied + self.dissatisfied
        return self.satisfied / rated if rated else None


def bounds(start: date, end: date) -> tuple[str, str]:
    """The range as UTC ISO strings, from the start of `start` to the end of `end` in local time."""
    local = datetime.now().astimezone().tzinfo
    low = datetime.combine(start, time.min, local).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, local).astimezone(UTC)
    return low.isoformat(), high.isoformat()


def figures(actions: sqlite3.Connection | None, console: sqlite3.Connection, start: date, end: date,
            department_of_matter: dict[str, str]) -> Figures:
    result = Figures()
    if actions is None:
        return result
    low, high = bounds(start, end)
    if table_exists(actions, "question_log"):
        for row in actions.execute(
            "SELECT outcome, top_id, created_at FROM question_log WHERE created_at >= ? AND created_at < ?", (low, high)
        ):
            result.outcomes[row["outcome"]] += 1
            if row["outcome"] in ("answer", "ask", "none"):
                result.hours[datetime.fromisoformat(row["created_at"]).astimezone().hour] += 1
            if row["outcome"] == "answer" and row["top_id"]:
                result.matters[row["top_id"]] += 1
    if table_exists(actions, "feedback"):
        for row in actions.execute(
            "SELECT satisfied, COUNT(*) AS n FROM feedback WHERE created_at >= ? AND created_at < ? GROUP BY satisfied",
            (low, high),
        ):
            if row["satisfied"]:
                result.satisfied = row["n"]
            else:
                result.dissatisfied = row["n"]
    if table_exists(actions, "complaints"):
        assigned = {r["number"]: r["department"] for r in console.execute("SELECT number, department FROM ticket_work")}
        for row in actions.execute(
            "SELECT number, matter_id FROM complaints WHERE created_at >= ? AND created_at < ?", (low, high)
        ):
            result.tickets += 1
            department = assigned.get(row["number"]) or department_of_matter.get(row["matter_id"] or "")
            result.tickets_by_department[department or ""] += 1
    return result
