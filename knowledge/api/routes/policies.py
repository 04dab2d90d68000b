"""Policy matching: which policies a profile qualifies for, and what is still to confirm."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from catalog.models import Rule
from knowledge.api.deps import CatalogDep
from knowledge.policy_match import match_policies

router = APIRouter(prefix="/v1/policies", tags=["policies"])


# Bounds a real profile stays within: outside them the value is a typo or a probe (age -5,
# 10^40 employees, NaN), and a clear 422 beats matching on nonsense.
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Years = Annotated[float, Field(ge=0, le=200)]
Money = Annotated[float, Field(ge=0, le=1e13)]  # 元; a province's largest firm is far below
Percent = Annotated[float, Field(ge=0, le=100)]


class ProfileCreate(BaseModel):
    """An enterprise or person profile; leave out what is not known."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    entity_type: str | None = Field(None, max_length=50)
    size: str | None = Field(None, max_length=50)
    industry: str | None = Field(None, max_length=100)
    registration_years: Years | None = None
    employees: Count | None = None
    graduates_hired: Count | None = None
    annual_revenue: Money | None = None
    taxable_income: Annotated[float, Field(ge=-1e13, le=1e13)] | None = None  # a loss is negative
    total_assets: Money | None = None
    rd_expense: Money | None = None
    is_high_tech: bool | None = None
    is_tech_sme: bool | None = None
    is_specialized: bool | None = None
    is_general_taxpayer: bool | None = None
    insured_months: Annotated[int, Field(ge=0, le=1200)] | None = None
    layoff_rate: Percent | None = None
    disabled_ratio: Percent | None = None
    veterans_hired: Count | None = None
    in_difficulty: bool | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    is_graduate: bool | None = None
    years_since_graduation: Years | None = None
    is_first_business: bool | None = None
    is_registered_unemployed: bool | None = None
    has_local_hukou: bool | None = None
    owns_local_house: bool | None = None
    completed_training: bool | None = None


class ConditionPublic(BaseModel):
    field: str
    text: str


class PolicyMatchPublic(BaseModel):
    id: str
    name: str
    type: str
    mode: str
    benefit: str
    conditions_met: list[ConditionPublic]
    conditions_missing: list[ConditionPublic]
    eligible: bool  # every condition met; otherwise eligible once the missing ones are confirmed


class PolicyMatchesPublic(BaseModel):
    matches: list[PolicyMatchPublic]


def _conditions(rules: list[Rule]) -> list[ConditionPublic]:
    return [ConditionPublic(field=r.field.value, text=r.text) for r in rules]


@router.post("/match")
def match_profile(profile: ProfileCreate, catalog: CatalogDep) -> PolicyMatchesPublic:
    """List every policy the profile qualifies for, with conditions met and still missing."""
    facts = profile.model_dump(exclude_none=True)
    if not facts:
        raise HTTPException(status_code=422, detail="the profile is empty: give at least one field")
    matches = match_policies(list(catalog.policies.values()), facts)
    return PolicyMatchesPublic(
        matches=[
            PolicyMatchPublic(
                id=m.policy.id,
                name=m.policy.name,
                type=m.policy.type.value,
                mode=m.policy.mode.value,
                benefit=m.policy.benefit,
                conditions_met=_conditions(m.met),
                conditions_missing=_conditions(m.missing),
                eligible=not m.missing,
            )
            for m in matches
        ]
    )
