"""Rules of combination: does a set of completed units achieve a qualification, and if not,
what is still missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from content.schema import QualificationData


@dataclass(frozen=True)
class GroupStatus:
    name: str
    mandatory: bool
    done: tuple[str, ...]
    missing_units: tuple[str, ...]
    credits: int
    min_credits: int | None

    @property
    def met(self) -> bool:
        if self.mandatory:
            return not self.missing_units
        return self.credits >= (self.min_credits or 0)

    def describe(self) -> str:
        """One line a learner can read, e.g. "Group B: 0 of 7 credits"."""
        if self.mandatory:
            if self.met:
                return f"{self.name}: complete"
            return f"{self.name}: still needed {', '.join(self.missing_units)}"
        return f"{self.name}: {self.credits} of {self.min_credits} credits"


@dataclass(frozen=True)
class RuleStatus:
    qualification: str
    credits: int
    min_credits: int
    groups: tuple[GroupStatus, ...]

    @property
    def met(self) -> bool:
        return self.credits >= self.min_credits and all(g.met for g in self.groups)

    @property
    def missing(self) -> tuple[str, ...]:
        """What is still needed, one line a shortfall; empty when the rule is met."""
        lines = [g.describe() for g in self.groups if not g.met]
        if self.credits < self.min_credits:
            lines.append(f"{self.min_credits - self.credits} more credits "
                         f"({self.credits} of {self.min_credits})")
        return tuple(lines)

    def summary(self) -> str:
        """E.g. "L7 Diploma: Group A: complete; Group B: 0 of 7 credits"."""
        return "; ".join(g.describe() for g in self.groups)


def check_rule(
    qualification: QualificationData,
    completed: Iterable[str],
    credits: Mapping[str, int],
) -> RuleStatus:
    """Evaluate the rule of combination for the completed unit codes.

    Args:
        qualification: the qualification whose rule applies.
        completed: codes of the units the learner has completed (others are ignored).
        credits: credit value per unit code (the catalogue's).
    """
    done = set(completed)
    groups = []
    counted: set[str] = set()
    for group in qualification.rule.groups:
        in_group = tuple(u for u in group.units if u in done)
        counted.update(in_group)
        groups.append(GroupStatus(
            name=group.name,
            mandatory=group.mandatory,
            done=in_group,
            missing_units=tuple(u for u in group.units if u not in done),
            credits=sum(credits[u] for u in in_group),
            min_credits=group.min_credits,
        ))
    return RuleStatus(
        qualification=qualification.code,
        credits=sum(credits[u] for u in counted),
        min_credits=qualification.rule.min_credits,
        groups=tuple(groups),
    )
