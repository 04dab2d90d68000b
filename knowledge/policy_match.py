"""Match an applicant profile against the machine-checkable conditions of every policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.models import Policy, ProfileField, Rule, RuleOp


@dataclass(frozen=True)
class PolicyMatch:
    policy: Policy
    met: list[Rule]
    missing: list[Rule]  # the profile does not say; the applicant must confirm these


def _holds(rule: Rule, value: Any) -> bool:
    expected = rule.value
    if rule.op == RuleOp.eq:
        return bool(value == expected)
    if rule.op == RuleOp.ne:
        return bool(value != expected)
    if rule.op == RuleOp.in_:
        return value in expected  # type: ignore[operator]
    if rule.op == RuleOp.not_in:
        return value not in expected  # type: ignore[operator]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    number = float(expected)  # type: ignore[arg-type]
    return {
        RuleOp.gt: value > number,
        RuleOp.gte: value >= number,
        RuleOp.lt: value < number,
        RuleOp.lte: value <= number,
    }[rule.op]


def match_policies(policies: list[Policy], profile: dict[str, Any]) -> list[PolicyMatch]:
    """Every policy that no known fact of the profile rules out, fewest unknowns first.

    A policy with every condition met is fully eligible; one with `missing` conditions is
    eligible once the applicant confirms those.
    """
    unknown_fields = set(profile) - {f.value for f in ProfileField}
    if unknown_fields:
        raise ValueError(f"unknown profile fields: {sorted(unknown_fields)}")
    matches: list[PolicyMatch] = []
    for policy in policies:
        met: list[Rule] = []
        missing: list[Rule] = []
        failed = False
        for rule in policy.conditions:
            value = profile.get(rule.field.value)
            if value is None:
                missing.append(rule)
            elif _holds(rule, value):
                met.append(rule)
            else:
                failed = True
                break
        if not failed and met:
            matches.append(PolicyMatch(policy, met, missing))
    return sorted(matches, key=lambda m: (len(m.missing), -len(m.met), m.policy.name))
