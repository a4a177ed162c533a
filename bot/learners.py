"""Learners, their qualification and units, and their AC statuses: plain persistence functions,
each taking the session first, so they are tested without Telegram."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, delete, func, select

from bot import pdp
from bot.progress import DONE
from bot.dates import local_to_utc, local_today, zone
from bot.models import (
    AcState,
    AcStatus,
    EnrolledUnit,
    Learner,
    Reminder,
    ReminderStatus,
    UnitTarget,
    utcnow,
)


def get_or_create_learner(session: Session, *, telegram_id: int, name: str = "",
                          username: str | None = None) -> Learner:
    """The learner for a Telegram user, created on first contact; marks them active now."""
    learner = session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).first()
    if learner is None:
        learner = Learner(telegram_id=telegram_id, name=name[:200])
    elif name:
        learner.name = name[:200]
    if username:
        learner.username = username[:64]
    learner.last_active_at = utcnow()
    learner.blocked_at = None  # writing to the bot means it is no longer blocked
    session.add(learner)
    session.flush()
    return learner


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


def set_qualification(session: Session, *, learner: Learner, code: str,
                      units: Iterable[str]) -> None:
    """Enrol the learner on a qualification with its starting set of units."""
    learner.qualification = code
    session.add(learner)
    set_units(session, learner_id=learner.id, units=units)  # type: ignore[arg-type]


def remember_unit(session: Session, *, learner: Learner, unit_code: str) -> None:
    """The unit last discussed: a bare "AC 2.3" next time means this unit's 2.3."""
    learner.last_unit = unit_code
    session.add(learner)


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


def set_timezone(session: Session, *, learner: Learner, name: str, now: datetime) -> None:
    """A new time zone moves the pending PDP reminders to 09:00 in it."""
    learner.timezone = name
    session.add(learner)
    for review in pdp.open_reviews(session, learner_id=learner.id):  # type: ignore[arg-type]
        pdp.schedule_reminders(session, learner=learner, review=review, now=now)


def set_quiet_hours(session: Session, *, learner: Learner, start: str | None,
                    end: str | None) -> None:
    learner.quiet_start, learner.quiet_end = start, end
    session.add(learner)


DIGEST = "digest"


def set_digest(session: Session, *, learner: Learner, weekday: int | None, at: time | None,
               now: datetime) -> datetime | None:
    """A tutor's weekly digest: stored, and its next reminder row scheduled (None: off)."""
    learner.digest_weekday, learner.digest_time = weekday, f"{at:%H:%M}" if at else None
    session.add(learner)
    for pending in session.exec(select(Reminder).where(
            Reminder.learner_id == learner.id, Reminder.kind == DIGEST,
            Reminder.status == ReminderStatus.pending)):
        pending.status = ReminderStatus.cancelled
        session.add(pending)
    return schedule_digest(session, learner=learner, now=now)


def schedule_digest(session: Session, *, learner: Learner, now: datetime) -> datetime | None:
    """The next weekly digest after `now`, as a reminder row written when it is sent."""
    if learner.digest_weekday is None or learner.digest_time is None:
        return None
    tz = zone(learner.timezone)
    today = local_today(now, tz)
    at = time.fromisoformat(learner.digest_time)
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        when = local_to_utc(day, at, tz)
        if day.weekday() == learner.digest_weekday and when > now:
            session.add(Reminder(learner_id=learner.id, chat_id=learner.telegram_id, kind=DIGEST,
                                 text="Weekly digest", due_at=when, same_day=True))
            return when
    return None
