"""The queue of questions the assistant could not answer or was unsure of, grouped by meaning.

Fed by the action server's question log (every `none` and `ask` decision and every question a
👎 followed) and by the hotline report's knowledge gaps. A question leaves the queue once an
editor has dealt with its group (alias added, out of scope, sent to a department)."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from common.pii import mask_pii
from knowledge.console.db import audit, now_iso, table_exists
from knowledge.retrieval.encoders import Encoder
from knowledge.retrieval.engine import HybridSearcher

QUEUED_OUTCOMES = {"none": "未找到", "ask": "需追问", "disliked": "差评"}
HOTLINE_SOURCE = "hotline"
# cosine similarity of e5 question vectors from which two questions count as the same question
SAME_QUESTION = 0.9
RANK_DEPTH = 20
_PUNCTUATION = re.compile(r"[\s，。？！?!,.、~～]+")
_GAP_CONFIDENCE = re.compile(r"（置信度[\d.]+）$")


@dataclass(frozen=True)
class Question:
    key: str  # "log:12" (action server's log) or "hotline:3" (imported)
    text: str  # already masked where it was stored
    source: str  # none / ask / disliked / hotline
    created_at: str


@dataclass
class Group:
    questions: list[Question] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def texts(self) -> list[str]:
        """The distinct wordings, most frequent first."""
        return [text for text, _ in Counter(q.text for q in self.questions).most_common()]

    @property
    def representative(self) -> str:
        return self.texts[0]

    @property
    def keys(self) -> str:
        return ",".join(q.key for q in self.questions)

    @property
    def sources(self) -> dict[str, int]:
        return dict(Counter(q.source for q in self.questions))

    @property
    def latest(self) -> str:
        return max(q.created_at for q in self.questions)


def load_queue(actions: sqlite3.Connection | None, console: sqlite3.Connection) -> list[Question]:
    """Every question not yet dealt with, oldest first."""
    done = {row[0] for row in console.execute("SELECT question_key FROM question_triage")}
    questions: list[Question] = []
    if actions is not None and table_exists(actions, "question_log"):
        marks = ",".join("?" * len(QUEUED_OUTCOMES))
        for row in actions.execute(
            f"SELECT id, text, outcome, created_at FROM question_log WHERE outcome IN ({marks}) ORDER BY id",
            tuple(QUEUED_OUTCOMES),
        ):
            questions.append(Question(f"log:{row['id']}", row["text"], row["outcome"], row["created_at"]))
    for row in console.execute("SELECT id, text, created_at FROM imported_questions ORDER BY id"):
        questions.append(Question(f"{HOTLINE_SOURCE}:{row['id']}", row["text"], HOTLINE_SOURCE, row["created_at"]))
    return [q for q in questions if q.key not in done and q.text.strip()]


def _normal(text: str) -> str:
    return _PUNCTUATION.sub("", text).lower()


def group_questions(questions: list[Question], encoder: Encoder, threshold: float = SAME_QUESTION) -> list[Group]:
    """Greedy grouping: the same words after punctuation are one question; otherwise a wording joins
    the first group whose first wording it is at least `threshold` similar to. Largest groups first."""
    by_wording: dict[str, list[Question]] = {}
    for question in questions:
        by_wording.setdefault(_normal(question.text), []).append(question)
    wordings = sorted(by_wording, key=lambda w: -len(by_wording[w]))
    if not wordings:
        return []
    vectors = encoder.encode_queries([by_wording[w][0].text for w in wordings])
    groups: list[Group] = []
    heads: list[np.ndarray] = []
    for wording, vector in zip(wordings, vectors, strict=True):
        similarities = [float(np.dot(vector, head)) for head in heads]
        best = int(np.argmax(similarities)) if similarities else -1
        if best >= 0 and similarities[best] >= threshold:
            groups[best].questions.extend(by_wording[wording])
        else:
            groups.append(Group(list(by_wording[wording])))
            heads.append(vector)
    groups.sort(key=lambda g: g.latest, reverse=True)
    return sorted(groups, key=lambda g: -g.count)  # stable: among equal counts, the latest first


def rank_of(searcher: HybridSearcher, text: str, matter_id: str) -> int | None:
    """Where the matter comes in the search for `text` (1 = first), None if not in the top 20."""
    result = searcher.search(text, k=RANK_DEPTH, kind="matter")
    for position, hit in enumerate(result.hits, start=1):
        if hit.doc.id == matter_id:
            return position
    return None


def suggestions(searcher: HybridSearcher, text: str, k: int = 3) -> list[tuple[str, str]]:
    """The matters the search thinks of for a question: (id, name), best first."""
    return [(h.doc.id, h.doc.name) for h in searcher.search(text, k=k, kind="matter").hits]


def triage(console: sqlite3.Connection, keys: list[str], action: str, detail: str, actor: str) -> None:
    """Take a group's questions off the queue, saying what was done with them."""
    with console:
        for key in keys:
            console.execute(
                "INSERT OR REPLACE INTO question_triage (question_key, action, detail, actor, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, action, detail, actor, now_iso()),
            )
        audit(console, actor, f"questions_{action}", f"{len(keys)} questions", detail)


def import_hotline_csv(console: sqlite3.Connection, path: Path) -> int:
    """Queue the knowledge gaps of a hotline report (`knowledge.hotline.analyse … --out DIR`, its CSV)."""
    added = 0
    with path.open(encoding="utf-8-sig", newline="") as handle, console:
        for row in csv.DictReader(handle):
            when = row.get("start_time") or datetime.now(UTC).isoformat()
            for gap in (row.get("knowledge_gaps") or "").split(" / "):
                text = mask_pii(_GAP_CONFIDENCE.sub("", gap.strip()))
                if not text:
                    continue
                cursor = console.execute(
                    "INSERT OR IGNORE INTO imported_questions (source, text, created_at) VALUES (?, ?, ?)",
                    (HOTLINE_SOURCE, text, when),
                )
                added += cursor.rowcount
        audit(console, "cli", "import_hotline", str(path.name), f"{added} questions")
    return added
