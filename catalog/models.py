"""Pydantic models of the catalog: matters, policies, themes, departments and the hall map.

Each model mirrors one YAML record. Field-level rules live here; rules that span records
(a window that must exist on the map, a theme member that must be a matter) live in
`catalog.loader`.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

RecordId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
NonEmpty = Annotated[str, Field(min_length=1)]


def _plain(value: object) -> object:
    """Full-width letters, digits and dashes as exported from Chinese systems, made plain."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", value).replace("－", "-").replace("—", "-").strip()


def _normalise_code(value: object) -> object:
    plain = _plain(value)
    return plain.upper() if isinstance(plain, str) else plain


# implementation code (实施编码): 8-40 letters, digits or '-'; lower case and full width normalised
MatterCode = Annotated[
    str, BeforeValidator(_normalise_code), Field(pattern=r"^[0-9A-Z-]{8,40}$")
]
# a landline with area code and an optional extension (0431-88888888转8001), a mobile
# number, or a five-digit service number (12345)
Phone = Annotated[
    str,
    BeforeValidator(_plain),
    Field(pattern=r"^(0\d{2,3}-\d{7,8}(转\d{1,6})?|1\d{10}|\d{5})$"),
]


class Strict(BaseModel):
    """Base for catalog records: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Necessity(str, Enum):
    required = "必要"
    optional = "非必要"
    deferrable = "容缺"  # may be handed in after acceptance (容缺受理)


class MaterialForm(str, Enum):
    original = "原件"
    copy = "复印件"
    electronic = "电子"
    original_and_copy = "原件和复印件"


class MaterialSource(str, Enum):
    applicant = "申请人自备"
    government = "政府部门核发"
    shared = "数据共享免提交"


class MatterType(str, Enum):
    licensing = "行政许可"
    confirmation = "行政确认"
    payment = "行政给付"
    levy = "行政征收"
    filing = "行政备案"
    other_power = "其他行政权力"
    public_service = "公共服务"


class ServiceObject(str, Enum):
    person = "个人"
    legal_person = "法人"


class OnlineDepth(str, Enum):
    none = "不支持"
    appointment = "在线预约"
    pre_review = "网上预审"
    full = "全程网办"


class Situation(Strict):
    """A question whose answer decides which materials apply (办理情形)."""

    key: RecordId
    question: NonEmpty
    options: Annotated[list[NonEmpty], Field(min_length=2)]

    @field_validator("options")
    @classmethod
    def _unique_options(cls, options: list[str]) -> list[str]:
        if len(set(options)) != len(options):
            raise ValueError("options must be unique")
        return options


class Material(Strict):
    name: NonEmpty
    necessity: Necessity
    form: MaterialForm
    copies: Annotated[int, Field(ge=0, le=20)]
    source: MaterialSource
    spec: str = ""
    note: str = ""
    # situation key -> options under which the material is needed; empty means always
    applies_when: dict[str, Annotated[list[NonEmpty], Field(min_length=1)]] = {}


class TimeLimit(Strict):
    legal_days: Annotated[int, Field(ge=0, le=365)]
    promised_days: Annotated[int, Field(ge=0, le=365)]
    note: str = ""

    @model_validator(mode="after")
    def _promise_within_law(self) -> TimeLimit:
        if self.legal_days and self.promised_days > self.legal_days:
            raise PydanticCustomError(
                "promise_beyond_law",
                "promised_days ({promised}) cannot exceed legal_days ({legal})",
                {"promised": self.promised_days, "legal": self.legal_days},
            )
        return self


class Fee(Strict):
    charged: bool
    amount: str = ""
    basis: str = ""

    @model_validator(mode="after")
    def _charged_needs_amount(self) -> Fee:
        if self.charged and not (self.amount and self.basis):
            raise PydanticCustomError("fee_incomplete", "a charged fee needs amount and basis")
        return self


class Location(Strict):
    hall: RecordId
    windows: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)]


class Online(Strict):
    depth: OnlineDepth
    url: str = ""

    @model_validator(mode="after")
    def _url_when_online(self) -> Online:
        if self.depth != OnlineDepth.none and not self.url.startswith("https://"):
            raise PydanticCustomError("online_without_url", "an online service needs an https:// url")
        return self


class Faq(Strict):
    q: NonEmpty
    a: NonEmpty


class Matter(Strict):
    id: RecordId
    code: MatterCode
    name: NonEmpty
    # optional: provincial exports have no 别名 column; the domain lexicon covers plain words
    aliases: list[NonEmpty] = []
    department: RecordId
    matter_type: MatterType
    service_object: Annotated[list[ServiceObject], Field(min_length=1)]
    summary: NonEmpty
    legal_basis: Annotated[list[NonEmpty], Field(min_length=1)]
    conditions: Annotated[list[NonEmpty], Field(min_length=1)]
    situations: list[Situation] = []
    materials: Annotated[list[Material], Field(min_length=1)]
    process: Annotated[list[NonEmpty], Field(min_length=2)]
    time_limit: TimeLimit
    fee: Fee
    location: Location
    hours: NonEmpty
    phone: Phone
    online: Online
    visits: Literal["0", "1", "n"]
    cross_province: bool
    postal_delivery: bool
    self_service_terminal: bool
    faqs: list[Faq] = []

    @model_validator(mode="after")
    def _materials_name_declared_situations(self) -> Matter:
        # custom error types carry the material index, so the sheet importer can name the row
        declared = {s.key: s.options for s in self.situations}
        if len(declared) != len(self.situations):
            raise PydanticCustomError("duplicate_situation", "situations: keys must be unique")
        for i, material in enumerate(self.materials):
            for key, options in material.applies_when.items():
                if key not in declared:
                    raise PydanticCustomError(
                        "unknown_situation",
                        "materials[{index}] ({material}).applies_when: unknown situation "
                        "'{key}'; declared: {declared}",
                        {"index": i, "material": material.name, "key": key, "declared": "、".join(declared)},
                    )
                unknown = [o for o in options if o not in declared[key]]
                if unknown:
                    raise PydanticCustomError(
                        "unknown_option",
                        "materials[{index}] ({material}).applies_when.{key}: unknown options "
                        "{unknown}; allowed: {allowed}",
                        {
                            "index": i,
                            "material": material.name,
                            "key": key,
                            "unknown": "、".join(unknown),
                            "allowed": "、".join(declared[key]),
                        },
                    )
        used = {key for material in self.materials for key in material.applies_when}
        for situation in self.situations:
            if situation.key not in used:
                # a question whose answer changes nothing only makes the applicant wait
                raise PydanticCustomError(
                    "situation_decides_nothing",
                    "situation '{key}' ({question}) decides no material; name it in a material's "
                    "applies_when or remove it",
                    {"key": situation.key, "question": situation.question},
                )
        return self


class ProfileField(str, Enum):
    """Fields of an applicant profile that policy conditions may test."""

    entity_type = "entity_type"  # 企业 / 个体工商户 / 个人 / 社会组织
    size = "size"  # 微型 / 小型 / 中型 / 大型
    industry = "industry"
    registration_years = "registration_years"
    employees = "employees"
    graduates_hired = "graduates_hired"
    annual_revenue = "annual_revenue"  # 万元
    taxable_income = "taxable_income"  # 万元, annual taxable income
    total_assets = "total_assets"  # 万元
    rd_expense = "rd_expense"  # 万元, research and development spending last year
    is_high_tech = "is_high_tech"
    is_tech_sme = "is_tech_sme"
    is_specialized = "is_specialized"  # 专精特新
    is_general_taxpayer = "is_general_taxpayer"
    insured_months = "insured_months"  # months of unemployment insurance paid
    layoff_rate = "layoff_rate"  # percent, last year
    disabled_ratio = "disabled_ratio"  # percent of staff with disabilities
    veterans_hired = "veterans_hired"
    in_difficulty = "in_difficulty"  # temporary operating difficulty (疫情/灾害等)
    age = "age"
    is_graduate = "is_graduate"  # graduated from college
    years_since_graduation = "years_since_graduation"
    is_first_business = "is_first_business"
    is_registered_unemployed = "is_registered_unemployed"
    has_local_hukou = "has_local_hukou"
    owns_local_house = "owns_local_house"
    completed_training = "completed_training"  # holds a vocational skill certificate


class RuleOp(str, Enum):
    eq = "eq"
    ne = "ne"
    in_ = "in"
    not_in = "not_in"
    gt = "gt"
    gte = "gte"
    lt = "lt"
    lte = "lte"


Scalar = bool | int | float | str


class Rule(Strict):
    """A machine-checkable condition over one profile field."""

    field: ProfileField
    op: RuleOp
    value: Scalar | list[Scalar]
    text: NonEmpty

    @model_validator(mode="after")
    def _value_fits_op(self) -> Rule:
        is_list = isinstance(self.value, list)
        if self.op in (RuleOp.in_, RuleOp.not_in) and not is_list:
            raise ValueError(f"op '{self.op.value}' needs a list value")
        if self.op not in (RuleOp.in_, RuleOp.not_in) and is_list:
            raise ValueError(f"op '{self.op.value}' needs a single value")
        numeric = (RuleOp.gt, RuleOp.gte, RuleOp.lt, RuleOp.lte)
        if self.op in numeric and (
            isinstance(self.value, bool) or not isinstance(self.value, (int, float))
        ):
            raise ValueError(f"op '{self.op.value}' needs a number")
        return self


class PolicyType(str, Enum):
    reduce = "减"
    exempt = "免"
    defer = "缓"
    reward = "奖"


class PolicyMode(str, Enum):
    automatic = "免申即享"
    instant = "即申即享"
    online = "线上零跑动"
    offline_once = "线下一次跑"


class Validity(Strict):
    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class Policy(Strict):
    id: RecordId
    name: NonEmpty
    aliases: list[NonEmpty] = []
    type: PolicyType
    mode: PolicyMode
    issuer: NonEmpty
    document: NonEmpty
    target: NonEmpty
    summary: NonEmpty
    conditions: Annotated[list[Rule], Field(min_length=1)]
    materials: list[NonEmpty] = []
    benefit: NonEmpty
    time_limit: NonEmpty
    validity: Validity
    contact: NonEmpty
    department: RecordId
    related_matters: list[RecordId] = []


class Theme(Strict):
    """A theme service (一件事一次办): several matters handled with one combined form."""

    id: RecordId
    name: NonEmpty
    aliases: Annotated[list[NonEmpty], Field(min_length=2)]
    summary: NonEmpty
    matters: Annotated[list[RecordId], Field(min_length=2)]
    location: Location
    promised_days: Annotated[int, Field(ge=0, le=365)]
    online_url: str = ""


class Department(Strict):
    id: RecordId
    name: NonEmpty
    short_name: NonEmpty
    phone: Phone
    hall: RecordId


class Point(Strict):
    x: float
    y: float


class Pose(Point):
    theta: float = 0.0  # radians, map frame: 0 = east (+x), pi/2 = north (+y)


PlaceKind = Literal["hall", "desk", "area", "window", "door", "facility"]


class Place(Strict):
    id: RecordId
    name: NonEmpty
    kind: PlaceKind
    aliases: list[NonEmpty] = []
    hall: RecordId | None = None  # the hall that contains it; None for halls themselves
    pos: Point
    waypoint: RecordId
    windows: list[int] = []  # numbered windows that this place stands for
    description: str = ""


class Window(Strict):
    number: Annotated[int, Field(ge=1, le=99)]
    hall: RecordId
    department: RecordId | None = None
    businesses: Annotated[list[NonEmpty], Field(min_length=1)]
    pos: Point
    waypoint: RecordId


class Waypoint(Strict):
    id: RecordId
    x: float
    y: float


class Robot(Strict):
    id: RecordId
    name: NonEmpty
    door: RecordId  # place id of the door it greets at
    home: Pose
    screen: RecordId  # the guide screen nearest its home


class Screen(Strict):
    id: RecordId
    name: NonEmpty
    pos: Point
    # heading of a visitor reading the screen, in degrees, map frame (0 = east, 90 = north)
    facing: float
    waypoint: RecordId


class HallMap(Strict):
    name: NonEmpty
    width_m: float
    depth_m: float
    places: list[Place]
    windows: list[Window]
    waypoints: list[Waypoint]
    edges: list[Annotated[list[RecordId], Field(min_length=2, max_length=2)]]
    robots: list[Robot]
    screens: list[Screen]
