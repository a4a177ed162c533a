"""Progress: ACs done per unit, credits against the qualification's rule, and whether the
learner is on track for the target dates they set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.models import AcState, UnitTarget
from content.catalogue import Catalogue, Unit
from content.rules import RuleStatus, check_rule

DONE = (AcState.done, AcState.signed_off)
# Behind by this many percentage points (share of time gone minus share of ACs done): flagged.
BEHIND_POINTS = 10


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    done: int
    total: int
    target: UnitTarget | None = None
    behind_points: float | None = None  # None without a target

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def off_track(self) -> bool:
        return self.behind_points is not None and self.behind_points >= BEHIND_POINTS


def behind_points(done: int, total: int, target: UnitTarget, today: date) -> float:
    """Share of time elapsed minus share of ACs done, in percentage points."""
    span = (target.target_on - target.started_on).days
    elapsed = 1.0 if span <= 0 else min(max((today - target.started_on).days / span, 0.0), 1.0)
    return round((elapsed - done / total) * 100, 1)


def unit_progress(unit: Unit, states: dict[str, AcState], target: UnitTarget | None,
                  today: date) -> UnitProgress:
    total = len(unit.criteria)
    done = sum(1 for ac in unit.criteria if states.get(ac.ref) in DONE)
    behind = behind_points(done, total, target, today) if target else None
    return UnitProgress(unit, done, total, target, behind)


def rule_status(catalogue: Catalogue, qualification: str | None,
                progress: list[UnitProgress]) -> RuleStatus | None:
    q = catalogue.qualifications.get(qualification or "")
    if q is None:
        return None
    credits = {code: unit.credits for code, unit in catalogue.units.items()}
    return check_rule(q, [p.unit.code for p in progress if p.complete], credits)


def bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "▓" * filled + "░" * (width - filled)
