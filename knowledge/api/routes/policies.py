"""Policy matching: which policies a profile qualifies for, and what is still to confirm."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict

from knowledge.api.deps import CatalogDep
from knowledge.catalog.models import Rule
from knowledge.policy_match import match_policies

router = APIRouter(prefix="/v1/policies", tags=["policies"])


class ProfileCreate(BaseModel):
    """An enterprise or person profile; leave out what is not known."""

    model_config = ConfigDict(extra="forbid")

    entity_type: str | None = None
    size: str | None = None
    industry: str | None = None
    registration_years: float | None = None
    employees: int | None = None
    graduates_hired: int | None = None
    annual_revenue: float | None = None
    taxable_income: float | None = None
    total_assets: float | None = None
    rd_expense: float | None = None
    is_high_tech: bool | None = None
    is_tech_sme: bool | None = None
    is_specialized: bool | None = None
    is_general_taxpayer: bool | None = None
    insured_months: int | None = None
    layoff_rate: float | None = None
    disabled_ratio: float | None = None
    veterans_hired: int | None = None
    in_difficulty: bool | None = None
    age: int | None = None
    is_graduate: bool | None = None
    years_since_graduation: float | None = None
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
