"""Pydantic schemas of one-time notices (一次性告知单): the request, the content and the public record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from catalog.models import MaterialForm, MaterialSource, Necessity, OnlineDepth

# The answer a visitor may always give; the notice then lists every alternative of that situation.
UNKNOWN = "不清楚"

AnswerKey = Annotated[str, Field(min_length=1, max_length=140)]
AnswerValue = Annotated[str, Field(min_length=1, max_length=100)]


class NoticeCreate(BaseModel):
    """Issue a notice for one matter or one theme service, given the situation answers."""

    model_config = ConfigDict(extra="forbid")

    matter_id: str | None = None
    theme_id: str | None = None
    # matter: {situation key: option}; theme: {"<matter_id>.<situation key>": option}
    answers: dict[AnswerKey, AnswerValue] = {}
    channel: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,32}$")] = "app"

    @model_validator(mode="after")
    def _one_subject(self) -> NoticeCreate:
        if (self.matter_id is None) == (self.theme_id is None):
            raise ValueError("give exactly one of matter_id and theme_id")
        return self


class Condition(BaseModel):
    """A situation still answered 不清楚 on which a material depends."""

    key: str  # the answer key as the client sends it (theme: "<matter_id>.<key>")
    question: str
    options: list[str]  # the options under which the material is needed


class MaterialUse(BaseModel):
    """One matter's requirement for a material, exactly as its catalog record states it."""

    matter_id: str
    matter_name: str
    necessity: Necessity
    form: MaterialForm
    copies: int
    source: MaterialSource
    spec: str
    note: str
    submit: bool  # False: obtained by data sharing, nothing to hand in
    conditions: list[Condition]  # empty: needed for the answers given
    condition_text: str  # e.g. "「由谁办理」选“委托代理人”时需要"; "" when not conditional


class NoticeMaterial(BaseModel):
    """A material on the notice; in a theme notice, merged over the matters that need it."""

    name: str
    necessity: Necessity  # the strongest over the matters: 必要 > 容缺 > 非必要
    # form, copies, source, spec and note of the first matter that needs it handed in
    form: MaterialForm
    copies: int
    source: MaterialSource
    spec: str
    note: str
    submit: bool
    status: str  # "无需提交（数据共享获取）" when no matter needs it handed in
    conditional: bool  # needed only under an answer still 不清楚
    condition_text: str
    matters: list[str]  # names of the matters that need it
    uses: list[MaterialUse]
    details_vary: bool  # the matters ask for it differently: show each use


class AnswerPublic(BaseModel):
    """A situation question with the answer given."""

    key: str
    question: str
    answer: str
    options: list[str]
    matter_id: str
    matter_name: str


class PendingOption(BaseModel):
    """An option of an unanswered situation and the materials that only it would add."""

    option: str
    materials: list[str]


class PendingSituation(BaseModel):
    """A situation answered 不清楚: its alternatives, spelled out."""

    key: str
    question: str
    matter_id: str
    matter_name: str
    options: list[PendingOption]


class MatterSection(BaseModel):
    """Everything the catalog record says about handling one matter, ready to print."""

    id: str
    code: str
    name: str
    department: str
    matter_type: str
    licensing: bool
    service_object: list[str]
    summary: str
    conditions: list[str]
    process: list[str]
    legal_days: int
    promised_days: int
    legal_limit_text: str  # "15个工作日" or "法律未规定时限"
    promised_limit_text: str  # "7个工作日" or "当场办结"
    time_limit_note: str
    fee_charged: bool
    fee_text: str
    hall: str
    hall_name: str
    windows: list[int]
    windows_text: str
    hours: str
    phone: str
    online_depth: OnlineDepth
    online_url: str
    online_text: str
    visits: str
    visits_text: str
    cross_province: bool
    postal_delivery: bool
    self_service_terminal: bool
    legal_basis: list[str]


class ThemeSection(BaseModel):
    """The bundle-level facts of a theme service (一件事)."""

    id: str
    name: str
    summary: str
    hall: str
    hall_name: str
    windows: list[int]
    windows_text: str
    promised_days: int
    promised_limit_text: str
    online_url: str


class NoticeContent(BaseModel):
    """What a notice says; stored whole, so a notice reads the same after the catalog changes."""

    kind: Literal["matter", "theme"]
    subject_id: str
    name: str
    title: str  # 【name】一次性告知单
    issuer: str  # the service center, from the hall map
    departments: list[str]
    summary: str
    answers: list[AnswerPublic]
    materials: list[NoticeMaterial]
    materials_to_submit: int
    pending: list[PendingSituation]
    matters: list[MatterSection]
    theme: ThemeSection | None
    legal_notice: str  # the one-time notice duty (行政许可法第三十二条) for licensing matters, else ""
    catalog_hash: str


class NoticePublic(NoticeContent):
    """A persisted notice as the API returns it."""

    id: str
    number: str  # CC-YYYYMMDD-NNNNNN
    issued_at: datetime
    issued_on_text: str  # 2026年11月26日
    channel: str
    url: str  # printable page, absolute
    pdf_url: str
