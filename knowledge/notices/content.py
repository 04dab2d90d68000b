"""Work out what a one-time notice says, from the catalog record and the situation answers.

Pure functions: no database, no rendering. A material applies when, for every situation key in
its `applies_when`, the answer is among the listed options (empty `applies_when` = always). An
answer of 不清楚 keeps the materials that depend on it, each marked with its condition.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from catalog.loader import Catalog
from catalog.models import (
    Material,
    MaterialSource,
    Matter,
    MatterType,
    Necessity,
    OnlineDepth,
    Situation,
    Theme,
)
from knowledge.notices.schemas import (
    UNKNOWN,
    AnswerPublic,
    Condition,
    MaterialUse,
    MatterSection,
    NoticeContent,
    NoticeMaterial,
    PendingOption,
    PendingSituation,
    ThemeSection,
)

SHARED_STATUS = "无需提交（数据共享获取）"
LICENSING_LAW = "《中华人民共和国行政许可法》第三十二条"
LEGAL_NOTICE = (
    f"本告知单依据{LICENSING_LAW}出具：申请材料不齐全或者不符合法定形式的，"
    "行政机关应当当场或者在五日内一次告知申请人需要补正的全部内容。"
)
_NECESSITY_RANK = {Necessity.required: 0, Necessity.deferrable: 1, Necessity.optional: 2}
_VISITS_TEXT = {"0": "零跑动（无需到现场）", "1": "最多跑一次", "n": "需多次到现场"}
# Theme answers are keyed "<matter_id>.<situation key>"; record ids never contain a dot.
THEME_KEY_SEPARATOR = "."


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with the answers, worded for the visitor."""

    key: str
    kind: str  # missing_answer | invalid_option | unknown_situation
    message: str
    question: str
    options: list[str]


class AnswerError(ValueError):
    """The answers do not fit the matter's situations."""

    def __init__(self, problems: list[AnswerProblem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class UnknownSubjectError(LookupError):
    """No matter or theme with that id in the catalog."""

    def __init__(self, kind: str, subject_id: str):
        self.kind = kind
        self.subject_id = subject_id
        super().__init__(f"unknown {kind} '{subject_id}'")


def normalise_name(name: str) -> str:
    """The key under which a theme merges materials: width-folded, no spaces, case-folded."""
    folded = unicodedata.normalize("NFKC", name)
    return "".join(folded.split()).casefold()


def situations_needed(matter: Matter) -> list[Situation]:
    """The situations that at least one material depends on, in catalog order (the form asks only these)."""
    used = {key for material in matter.materials for key in material.applies_when}
    return [s for s in matter.situations if s.key in used]


def theme_key(matter_id: str, situation_key: str) -> str:
    """The answer key of one member matter's situation in a theme request."""
    return f"{matter_id}{THEME_KEY_SEPARATOR}{situation_key}"


def _allowed(situation: Situation) -> list[str]:
    return [*situation.options, UNKNOWN]


def _options_text(options: list[str]) -> str:
    return "、".join(f"“{o}”" for o in options)


def _check(matter: Matter, answers: Mapping[str, str], key_of: dict[str, str], problems: list[AnswerProblem]) -> None:
    """Check one matter's answers; `key_of` maps situation key -> the key the client uses."""
    needed = {s.key for s in situations_needed(matter)}
    for situation in matter.situations:
        client_key = key_of[situation.key]
        allowed = _allowed(situation)
        answer = answers.get(client_key)
        if answer is None:
            if situation.key in needed:
                problems.append(
                    AnswerProblem(
                        client_key,
                        "missing_answer",
                        f"请回答：{situation.question}（可选：{_options_text(allowed)}）",
                        situation.question,
                        allowed,
                    )
                )
        elif answer not in allowed:
            problems.append(
                AnswerProblem(
                    client_key,
                    "invalid_option",
                    f"“{answer}”不是“{situation.question}”的选项；可选：{_options_text(allowed)}",
                    situation.question,
                    allowed,
                )
            )


def _unknown_keys(answers: Mapping[str, str], valid: list[str], problems: list[AnswerProblem]) -> None:
    for key in answers:
        if key not in valid:
            problems.append(
                AnswerProblem(
                    key,
                    "unknown_situation",
                    f"没有“{key}”这一办理情形；可用：{'、'.join(valid) or '（本事项无需回答办理情形）'}",
                    "",
                    valid,
                )
            )


def check_matter_answers(matter: Matter, answers: Mapping[str, str]) -> None:
    """Raise AnswerError unless every needed situation is answered with one of its options or 不清楚."""
    problems: list[AnswerProblem] = []
    _unknown_keys(answers, [s.key for s in matter.situations], problems)
    _check(matter, answers, {s.key: s.key for s in matter.situations}, problems)
    if problems:
        raise AnswerError(problems)


def check_theme_answers(catalog: Catalog, theme: Theme, answers: Mapping[str, str]) -> None:
    """Raise AnswerError unless each member matter's needed situations are answered under qualified keys."""
    problems: list[AnswerProblem] = []
    members = [catalog.matters[m] for m in theme.matters]
    valid = [theme_key(m.id, s.key) for m in members for s in m.situations]
    _unknown_keys(answers, valid, problems)
    for matter in members:
        _check(matter, answers, {s.key: theme_key(matter.id, s.key) for s in matter.situations}, problems)
    if problems:
        raise AnswerError(problems)


def _condition_text(conditions: list[Condition], necessity: Necessity) -> str:
    parts = [f"「{c.question.rstrip('？?')}」选{'或'.join(f'“{o}”' for o in c.options)}" for c in conditions]
    # A 非必要 material is never "needed": under its condition it merely applies (may be handed in).
    ending = "时适用，可不提交" if necessity == Necessity.optional else "时需要"
    return "，且".join(parts) + ending if parts else ""


def materials_breakdown(materials: list[NoticeMaterial]) -> str:
    """The count line above the materials table, every number true of the table below it.

    e.g. "共9项：须提交5项，视办理情形提交2项，非必要1项，无需提交1项（数据共享获取）"."""
    must = sum(1 for m in materials if m.submit and not m.conditional and m.necessity != Necessity.optional)
    conditional = sum(1 for m in materials if m.submit and m.conditional and m.necessity != Necessity.optional)
    optional = sum(1 for m in materials if m.submit and m.necessity == Necessity.optional)
    shared = sum(1 for m in materials if not m.submit)
    parts = [
        f"须提交{must}项" if must else "",
        f"视办理情形提交{conditional}项（已注明条件）" if conditional else "",
        f"非必要{optional}项" if optional else "",
        f"无需提交{shared}项（数据共享获取）" if shared else "",
    ]
    return f"共{len(materials)}项：" + "，".join(p for p in parts if p)


def _use(matter: Matter, material: Material, answers: Mapping[str, str], key_of: dict[str, str]) -> MaterialUse | None:
    """The material as this matter needs it under the answers, or None when it does not apply."""
    by_key = {s.key: s for s in matter.situations}
    conditions: list[Condition] = []
    for key, options in material.applies_when.items():
        situation = by_key[key]
        answer = answers[key_of[key]]
        if answer == UNKNOWN:
            # Listing every option is the same as no condition: needed whatever the answer.
            if set(options) >= set(situation.options):
                continue
            conditions.append(Condition(key=key_of[key], question=situation.question, options=list(options)))
        elif answer not in options:
            return None
    return MaterialUse(
        matter_id=matter.id,
        matter_name=matter.name,
        necessity=material.necessity,
        form=material.form,
        copies=material.copies,
        source=material.source,
        spec=material.spec,
        note=material.note,
        submit=material.source != MaterialSource.shared,
        conditions=conditions,
        condition_text=_condition_text(conditions, material.necessity),
    )


def _details(use: MaterialUse) -> tuple[object, ...]:
    return (use.necessity, use.form, use.copies, use.source, use.spec, use.note)


def _merge(name: str, uses: list[MaterialUse]) -> NoticeMaterial:
    """One notice line for a material, over every matter that needs it."""
    primary = next((u for u in uses if u.submit), uses[0])
    submit = any(u.submit for u in uses)
    conditional = all(u.conditions for u in uses)
    if not conditional:
        condition_text = ""
    elif len(uses) == 1:
        condition_text = uses[0].condition_text
    else:
        condition_text = "；".join(f"{u.matter_name}：{u.condition_text}" for u in uses)
    return NoticeMaterial(
        name=name,
        necessity=min((u.necessity for u in uses), key=_NECESSITY_RANK.__getitem__),
        form=primary.form,
        copies=primary.copies,
        source=primary.source,
        spec=primary.spec,
        note=primary.note,
        submit=submit,
        status="" if submit else SHARED_STATUS,
        conditional=conditional,
        condition_text=condition_text,
        matters=list(dict.fromkeys(u.matter_name for u in uses)),
        uses=uses,
        details_vary=len({_details(u) for u in uses}) > 1,
    )


@dataclass
class _Part:
    """One member matter of a notice with the answers addressed to it."""

    matter: Matter
    answers: Mapping[str, str]
    key_of: dict[str, str]


def _collect(parts: list[_Part]) -> list[NoticeMaterial]:
    """Applicable materials of every part, merged by normalised name in first-seen order."""
    names: dict[str, str] = {}
    uses: dict[str, list[MaterialUse]] = {}
    for part in parts:
        for material in part.matter.materials:
            use = _use(part.matter, material, part.answers, part.key_of)
            if use is None:
                continue
            key = normalise_name(material.name)
            names.setdefault(key, material.name)
            uses.setdefault(key, []).append(use)
    return [_merge(names[key], uses[key]) for key in names]


def _answers(parts: list[_Part]) -> list[AnswerPublic]:
    result: list[AnswerPublic] = []
    for part in parts:
        for situation in part.matter.situations:
            answer = part.answers.get(part.key_of[situation.key])
            if answer is not None:
                result.append(
                    AnswerPublic(
                        key=part.key_of[situation.key],
                        question=situation.question,
                        answer=answer,
                        options=list(situation.options),
                        matter_id=part.matter.id,
                        matter_name=part.matter.name,
                    )
                )
    return result


def _pending(parts: list[_Part], materials: list[NoticeMaterial]) -> list[PendingSituation]:
    """Each situation answered 不清楚 that decides a material, with what each option would add."""
    result: list[PendingSituation] = []
    for part in parts:
        for situation in situations_needed(part.matter):
            key = part.key_of[situation.key]
            if part.answers.get(key) != UNKNOWN:
                continue
            options = [
                PendingOption(
                    option=option,
                    # A material another matter needs anyway is not added by this option.
                    materials=[
                        m.name
                        for m in materials
                        if m.conditional
                        and any(c.key == key and option in c.options for u in m.uses for c in u.conditions)
                    ],
                )
                for option in situation.options
            ]
            if any(o.materials for o in options):
                result.append(
                    PendingSituation(
                        key=key,
                        question=situation.question,
                        matter_id=part.matter.id,
                        matter_name=part.matter.name,
                        options=options,
                    )
                )
    return result


def _days(days: int, zero: str) -> str:
    return f"{days}个工作日" if days else zero


def _windows_text(windows: list[int]) -> str:
    return "、".join(str(n) for n in windows) + "号窗口"


def _hall_name(catalog: Catalog, hall: str) -> str:
    place = catalog.places.get(hall)
    return place.name if place else hall


def matter_section(catalog: Catalog, matter: Matter) -> MatterSection:
    """The printable facts of one matter, all from its catalog record."""
    online = matter.online
    online_text = "暂不支持网上办理" if online.depth == OnlineDepth.none else f"{online.depth.value}：{online.url}"
    fee = matter.fee
    return MatterSection(
        id=matter.id,
        code=matter.code,
        name=matter.name,
        department=catalog.departments[matter.department].name,
        matter_type=matter.matter_type.value,
        licensing=matter.matter_type == MatterType.licensing,
        service_object=[o.value for o in matter.service_object],
        summary=matter.summary,
        conditions=list(matter.conditions),
        process=list(matter.process),
        legal_days=matter.time_limit.legal_days,
        promised_days=matter.time_limit.promised_days,
        legal_limit_text=_days(matter.time_limit.legal_days, "法律未规定时限"),
        promised_limit_text=_days(matter.time_limit.promised_days, "当场办结"),
        time_limit_note=matter.time_limit.note,
        fee_charged=fee.charged,
        fee_text=f"{fee.amount}（收费依据：{fee.basis}）" if fee.charged else "不收费",
        hall=matter.location.hall,
        hall_name=_hall_name(catalog, matter.location.hall),
        windows=list(matter.location.windows),
        windows_text=_windows_text(matter.location.windows),
        hours=matter.hours,
        phone=matter.phone,
        online_depth=online.depth,
        online_url=online.url,
        online_text=online_text,
        visits=matter.visits,
        visits_text=_VISITS_TEXT[matter.visits],
        cross_province=matter.cross_province,
        postal_delivery=matter.postal_delivery,
        self_service_terminal=matter.self_service_terminal,
        legal_basis=list(matter.legal_basis),
    )


def _content(
    catalog: Catalog,
    kind: Literal["matter", "theme"],
    subject_id: str,
    name: str,
    summary: str,
    parts: list[_Part],
    theme: ThemeSection | None,
) -> NoticeContent:
    materials = _collect(parts)
    sections = [matter_section(catalog, p.matter) for p in parts]
    return NoticeContent(
        kind=kind,
        subject_id=subject_id,
        name=name,
        title=f"【{name}】一次性告知单",
        issuer=catalog.hall.name,
        departments=list(dict.fromkeys(s.department for s in sections)),
        summary=summary,
        answers=_answers(parts),
        materials=materials,
        materials_to_submit=sum(1 for m in materials if m.submit),
        pending=_pending(parts, materials),
        matters=sections,
        theme=theme,
        legal_notice=LEGAL_NOTICE if any(s.licensing for s in sections) else "",
        catalog_hash=catalog.content_hash,
    )


def build_matter_notice(catalog: Catalog, matter_id: str, answers: Mapping[str, str]) -> NoticeContent:
    """The notice of one matter; raises UnknownSubjectError or AnswerError."""
    matter = catalog.matters.get(matter_id)
    if matter is None:
        raise UnknownSubjectError("matter", matter_id)
    answers = {k: v.strip() for k, v in answers.items()}
    check_matter_answers(matter, answers)
    part = _Part(matter, answers, {s.key: s.key for s in matter.situations})
    return _content(catalog, "matter", matter.id, matter.name, matter.summary, [part], None)


def build_theme_notice(catalog: Catalog, theme_id: str, answers: Mapping[str, str]) -> NoticeContent:
    """The merged notice of a theme service; answers keyed "<matter_id>.<situation key>"."""
    theme = catalog.themes.get(theme_id)
    if theme is None:
        raise UnknownSubjectError("theme", theme_id)
    answers = {k: v.strip() for k, v in answers.items()}
    check_theme_answers(catalog, theme, answers)
    parts = []
    for matter_id in theme.matters:
        matter = catalog.matters[matter_id]
        parts.append(_Part(matter, answers, {s.key: theme_key(matter.id, s.key) for s in matter.situations}))
    section = ThemeSection(
        id=theme.id,
        name=theme.name,
        summary=theme.summary,
        hall=theme.location.hall,
        hall_name=_hall_name(catalog, theme.location.hall),
        windows=list(theme.location.windows),
        windows_text=_windows_text(theme.location.windows),
        promised_days=theme.promised_days,
        promised_limit_text=_days(theme.promised_days, "当场办结"),
        online_url=theme.online_url,
    )
    return _content(catalog, "theme", theme.id, theme.name, theme.summary, parts, section)


@dataclass(frozen=True)
class ThemeQuestion:
    """One question a theme form asks: a member matter's needed situation under its qualified key."""

    key: str
    matter_id: str
    matter_name: str
    situation: Situation


def theme_questions(catalog: Catalog, theme: Theme) -> list[ThemeQuestion]:
    """The questions a theme notice needs answered, in member then catalog order."""
    return [
        ThemeQuestion(theme_key(m.id, s.key), m.id, m.name, s)
        for m in (catalog.matters[mid] for mid in theme.matters)
        for s in situations_needed(m)
    ]
