"""Progress: ACs done per unit, units completed and the credits they bring against the
qualification's rule, and whether the learner is on track for the target dates they set.

Each rule is written once here: a unit is complete when every one of its ACs is done or
signed off, whether or not the learner enrolled on it; /units, /progress and the tutor's
views all ask these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.services import learners
from bot.services.learners import DONE
from bot.services.tables import AcState, AcStatus, Person, UnitTarget, id_of
from content.catalogue import Catalogue, Unit
from content.rules import RuleStatus, check_rule

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
    done = sum(1 for ac in unit.criteria if learners.is_done(states.get(ac.ref, AcState.not_started)))
    behind = behind_points(done, total, target, today) if target else None
    return UnitProgress(unit, done, total, target, behind)


def targets(session: Session, *, learner_id: int) -> dict[str, UnitTarget]:
    return {t.unit_code: t for t in session.exec(
        select(UnitTarget).where(UnitTarget.learner_id == learner_id))}


def units_shown(session: Session, *, learner_id: int) -> tuple[str, ...]:
    """The units /progress shows: those enrolled on, then any other the learner ticked."""
    enrolled = learners.enrolled_units(session, learner_id=learner_id)
    ticked = learners.units_with_status(session, learner_id=learner_id)
    return (*enrolled, *(code for code in ticked if code not in enrolled))


def learner_progress(session: Session, catalogue: Catalogue, *, learner_id: int,
                     today: date) -> list[UnitProgress]:
    """A UnitProgress for each unit shown, with its target if one is set."""
    set_for = targets(session, learner_id=learner_id)
    return [unit_progress(catalogue.units[code],
                          learners.ac_states(session, learner_id=learner_id, unit_code=code),
                          set_for.get(code), today)
            for code in units_shown(session, learner_id=learner_id)]


def off_track_units(session: Session, catalogue: Catalogue, *, learner_id: int,
                    today: date) -> list[str]:
    """The units with a target that the learner is behind on."""
    return [code for code, target in targets(session, learner_id=learner_id).items()
            if unit_progress(catalogue.units[code],
                             learners.ac_states(session, learner_id=learner_id, unit_code=code),
                             target, today).off_track]


def completed_units(session: Session, catalogue: Catalogue, *, learner_id: int) -> list[str]:
    """Units whose every AC is done or signed off, enrolled on or not (one query)."""
    done: dict[str, set[str]] = {}
    for unit_code, ref in session.exec(select(AcStatus.unit_code, AcStatus.ref).where(
            AcStatus.learner_id == learner_id, col(AcStatus.state).in_(DONE))):
        done.setdefault(unit_code, set()).add(ref)
    return [code for code, unit in catalogue.units.items()
            if all(ac.ref in done.get(code, ()) for ac in unit.criteria)]


def qualification_status(session: Session, catalogue: Catalogue,
                         learner: Person) -> RuleStatus | None:
    """Credits from completed units against the rule of the learner's qualification; None
    before they chose one."""
    q = catalogue.qualifications.get(learner.qualification or "")
    if q is None:
        return None
    return check_rule(q, completed_units(session, catalogue, learner_id=id_of(learner)),
                      catalogue.credits())


def bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "▓" * filled + "░" * (width - filled)
