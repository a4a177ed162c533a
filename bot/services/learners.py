"""What a learner studies: their qualification and units, their AC statuses and notes, their
unit targets. Plain persistence functions, each taking the session first, so they are tested
without Telegram."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, delete, func, select

from bot.services.tables import AcState, AcStatus, EnrolledUnit, Person, UnitTarget, id_of, utcnow
from content.schema import QualificationData

# The states that count as done: the learner's own tick, or their tutor's sign-off.
DONE = (AcState.done, AcState.signed_off)


def is_done(state: AcState) -> bool:
    return state in DONE


class SignedOff(Exception):
    """The learner tried to change an AC their tutor signed off: it stays done."""


def default_units(qualification: QualificationData) -> list[str]:
    """The units a learner starts with: every unit of a mandatory group (the rest are chosen)."""
    return [c for g in qualification.rule.groups if g.mandatory for c in g.units]


def enrolled_units(session: Session, *, learner_id: int) -> tuple[str, ...]:
    rows = session.exec(select(EnrolledUnit.unit_code)
                        .where(EnrolledUnit.learner_id == learner_id)
                        .order_by(col(EnrolledUnit.unit_code)))
    return tuple(rows)


def set_units(session: Session, *, learner_id: int, units: Iterable[str]) -> None:
    """Replace the learner's units with `units` (codes already checked against the catalogue)."""
    session.exec(delete(EnrolledUnit).where(col(EnrolledUnit.learner_id) == learner_id))
    for code in dict.fromkeys(units):
        session.add(EnrolledUnit(learner_id=learner_id, unit_code=code))
    session.flush()


def set_qualification(session: Session, *, learner: Person,
                      qualification: QualificationData) -> list[str]:
    """Enrol the learner on a qualification with its starting set of units (returned)."""
    learner.qualification = qualification.code
    session.add(learner)
    units = default_units(qualification)
    set_units(session, learner_id=id_of(learner), units=units)
    return units


def remember_unit(session: Session, *, learner: Person, unit_code: str) -> None:
    """The unit last discussed: a bare "AC 2.3" next time means this unit's 2.3. Saved with
    the learner's session; not added to it, so a learner read while the database refuses
    writes (detached, see `Chat._person`) is answered without it."""
    learner.last_unit = unit_code


def _status_row(session: Session, learner_id: int, unit_code: str, ref: str) -> AcStatus | None:
    return session.exec(select(AcStatus).where(
        AcStatus.learner_id == learner_id, AcStatus.unit_code == unit_code,
        AcStatus.ref == ref)).first()


def _unit_rows(session: Session, learner_id: int, unit_code: str) -> list[AcStatus]:
    return list(session.exec(select(AcStatus).where(AcStatus.learner_id == learner_id,
                                                    AcStatus.unit_code == unit_code)))


def _save(session: Session, row: AcStatus) -> AcStatus:
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def ac_state(session: Session, *, learner_id: int, unit_code: str, ref: str) -> AcState:
    row = _status_row(session, learner_id, unit_code, ref)
    return row.state if row else AcState.not_started


def set_ac_state(session: Session, *, learner_id: int, unit_code: str, ref: str,
                 state: AcState) -> AcStatus:
    row = (_status_row(session, learner_id, unit_code, ref)
           or AcStatus(learner_id=learner_id, unit_code=unit_code, ref=ref))
    row.state = state
    return _save(session, row)


def change_own_state(session: Session, *, learner_id: int, unit_code: str, ref: str,
                     state: AcState) -> None:
    """The learner's own change to an AC; SignedOff if their tutor signed it off."""
    if ac_state(session, learner_id=learner_id, unit_code=unit_code, ref=ref) == \
            AcState.signed_off:
        raise SignedOff(f"{unit_code} {ref}")
    set_ac_state(session, learner_id=learner_id, unit_code=unit_code, ref=ref, state=state)


def set_ac_note(session: Session, *, learner_id: int, unit_code: str, ref: str,
                note: str | None, evidence_url: str | None) -> AcStatus:
    """A note or an evidence link on an AC (its status is left as it is)."""
    row = (_status_row(session, learner_id, unit_code, ref)
           or AcStatus(learner_id=learner_id, unit_code=unit_code, ref=ref))
    if evidence_url:
        row.evidence_url = evidence_url
    else:
        row.note = note
    return _save(session, row)


def ac_states(session: Session, *, learner_id: int, unit_code: str) -> dict[str, AcState]:
    """The learner's state of every AC of a unit that has one (absent: not started)."""
    return {row.ref: row.state for row in _unit_rows(session, learner_id, unit_code)}


def ac_notes(session: Session, *, learner_id: int, unit_code: str) -> dict[str, str]:
    """What the learner noted on each AC of a unit: the note, the evidence link, or both."""
    return {r.ref: " · ".join(x for x in (r.note, r.evidence_url) if x)
            for r in _unit_rows(session, learner_id, unit_code) if r.note or r.evidence_url}


def done_counts(session: Session, *, learner_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """ACs done or signed off, per (learner, unit), for many learners in one query."""
    rows = session.exec(
        select(AcStatus.learner_id, AcStatus.unit_code, func.count())
        .where(col(AcStatus.learner_id).in_(list(learner_ids)),
               col(AcStatus.state).in_(DONE))
        .group_by(col(AcStatus.learner_id), col(AcStatus.unit_code)))
    return {(learner_id, unit): count for learner_id, unit, count in rows}


def units_with_status(session: Session, *, learner_id: int) -> tuple[str, ...]:
    """Units the learner has ticked anything on (for learners who skipped onboarding)."""
    rows = session.exec(select(AcStatus.unit_code).where(
        AcStatus.learner_id == learner_id, AcStatus.state != AcState.not_started).distinct())
    return tuple(sorted(rows))


def set_target(session: Session, *, learner_id: int, unit_code: str, started_on: date,
               target_on: date) -> UnitTarget:
    row = session.exec(select(UnitTarget).where(UnitTarget.learner_id == learner_id,
                                                UnitTarget.unit_code == unit_code)).first()
    row = row or UnitTarget(learner_id=learner_id, unit_code=unit_code, started_on=started_on,
                            target_on=target_on)
    row.target_on = target_on
    session.add(row)
    session.flush()
    return row
