"""Cohorts: creation, invite codes, membership, the linked group, pushed reminders. Plain
persistence functions; who may call them is decided in `bot.tutor`."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from bot import learners
from bot.answers import default_units
from bot.models import (
    Cohort,
    CohortMember,
    Learner,
    Push,
    PushTarget,
    Reminder,
    ReminderStatus,
)
from content.schema import QualificationData

JOIN_PREFIX = "join_"


class CohortError(ValueError):
    """A request about cohorts that cannot be met; the message says why, for the user."""


def new_code() -> str:
    """An unguessable invite code (72 random bits), safe in a t.me start parameter."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


def invite_link(bot_username: str, cohort: Cohort) -> str | None:
    if not cohort.invite_code:
        return None
    return f"https://t.me/{bot_username}?start={JOIN_PREFIX}{cohort.invite_code}"


def create(session: Session, *, tutor: Learner, name: str,
           qualification: QualificationData) -> Cohort:
    name = " ".join(name.split())[:60]
    if not name:
        raise CohortError("A cohort needs a name.")
    if find(session, tutor_id=tutor.id, name=name) is not None:  # type: ignore[arg-type]
        raise CohortError(f"You already have a cohort called “{name}”.")
    cohort = Cohort(tutor_id=tutor.id, name=name, qualification=qualification.code,  # type: ignore[arg-type]
                    invite_code=new_code())
    session.add(cohort)
    session.flush()
    return cohort


def of_tutor(session: Session, *, tutor_id: int) -> list[Cohort]:
    return list(session.exec(select(Cohort).where(Cohort.tutor_id == tutor_id)
                             .order_by(col(Cohort.name))))


def find(session: Session, *, tutor_id: int, name: str) -> Cohort | None:
    """One of this tutor's cohorts by name (any case); other tutors' cohorts are invisible."""
    return session.exec(select(Cohort).where(
        Cohort.tutor_id == tutor_id, func.lower(Cohort.name) == name.strip().lower())).first()


def by_group(session: Session, *, chat_id: int) -> Cohort | None:
    return session.exec(select(Cohort).where(Cohort.group_chat_id == chat_id)).first()


def join(session: Session, *, learner: Learner, cohort: Cohort,
         qualification: QualificationData) -> bool:
    """Enrol the learner in the cohort and its qualification; False if already a member."""
    if is_member(session, cohort_id=cohort.id, learner_id=learner.id):  # type: ignore[arg-type]
        return False
    session.add(CohortMember(cohort_id=cohort.id, learner_id=learner.id))  # type: ignore[arg-type]
    if learner.qualification != cohort.qualification:
        learners.set_qualification(session, learner=learner, code=cohort.qualification,
                                   units=default_units(qualification))
    session.flush()
    return True


def cohort_for_code(session: Session, code: str) -> Cohort | None:
    """The cohort an invite code opens; None for a wrong, old or revoked code."""
    return session.exec(select(Cohort).where(Cohort.invite_code == code)).first() \
        if code else None


def is_member(session: Session, *, cohort_id: int, learner_id: int) -> bool:
    return session.exec(select(CohortMember).where(
        CohortMember.cohort_id == cohort_id, CohortMember.learner_id == learner_id)).first() \
        is not None


def members(session: Session, *, cohort_id: int) -> list[Learner]:
    return list(session.exec(select(Learner).join(CohortMember,
                                                  CohortMember.learner_id == Learner.id)
                             .where(CohortMember.cohort_id == cohort_id)
                             .order_by(col(Learner.name), col(Learner.id))))


def find_member(session: Session, *, cohort_id: int, who: str) -> Learner | None:
    """A member by @username, Telegram id or exact name (any case)."""
    who = who.strip()
    for member in members(session, cohort_id=cohort_id):
        if (who.lstrip("@").lower() == (member.username or "").lower()
                or who == str(member.telegram_id) or who.lower() == member.name.lower()):
            return member
    return None


def remove(session: Session, *, cohort: Cohort, learner: Learner) -> None:
    row = session.exec(select(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                  CohortMember.learner_id == learner.id)).one()
    session.delete(row)


def rotate(session: Session, *, cohort: Cohort) -> None:
    cohort.invite_code = new_code()
    session.add(cohort)


def revoke(session: Session, *, cohort: Cohort) -> None:
    cohort.invite_code = None
    session.add(cohort)


def link_group(session: Session, *, cohort: Cohort, chat_id: int) -> None:
    """Link the group chat to this cohort (unlinking it from any other)."""
    previous = by_group(session, chat_id=chat_id)
    if previous is not None and previous.id != cohort.id:
        previous.group_chat_id = None
        session.add(previous)
        session.flush()
    cohort.group_chat_id = chat_id
    session.add(cohort)


def draft_push(session: Session, *, cohort: Cohort, text: str, due_at: datetime) -> Push:
    push = Push(cohort_id=cohort.id, text=text[:3500], due_at=due_at)  # type: ignore[arg-type]
    session.add(push)
    session.flush()
    return push


def schedule_push(session: Session, *, push: Push, target: PushTarget) -> int:
    """One reminder row per recipient; returns how many."""
    cohort = session.get(Cohort, push.cohort_id)
    assert cohort is not None
    if target != PushTarget.members and cohort.group_chat_id is None:
        raise CohortError("This cohort has no linked group yet: run /link in the group first.")
    push.target = target
    session.add(push)
    text = f"📣 {cohort.name}: {push.text}"
    count = 0
    if target in (PushTarget.members, PushTarget.both):
        for member in members(session, cohort_id=cohort.id):  # type: ignore[arg-type]
            session.add(Reminder(learner_id=member.id, push_id=push.id,
                                 chat_id=member.telegram_id, text=text, due_at=push.due_at,
                                 same_day=True))
            count += 1
    if target in (PushTarget.group, PushTarget.both):
        session.add(Reminder(push_id=push.id, chat_id=cohort.group_chat_id,  # type: ignore[arg-type]
                             text=text, due_at=push.due_at, same_day=True))
        count += 1
    session.flush()
    return count


def pushes(session: Session, *, cohort_id: int) -> list[Push]:
    return list(session.exec(select(Push).where(Push.cohort_id == cohort_id,
                                                col(Push.target).is_not(None))
                             .order_by(col(Push.due_at))))


def delivery(session: Session, *, push_id: int) -> Counter[str]:
    """How the push's reminders stand: sent, blocked, pending (waiting or being sent), failed."""
    counts: Counter[str] = Counter()
    for status in session.exec(select(Reminder.status).where(Reminder.push_id == push_id)):
        key = {ReminderStatus.sending: "pending"}.get(status, status.value)
        counts[key] += 1
    return counts


def cancel_push(session: Session, *, push: Push, now: datetime) -> int:
    """Cancel what has not been sent; returns how many reminders were still pending."""
    push.cancelled_at = now
    session.add(push)
    pending = list(session.exec(select(Reminder).where(
        Reminder.push_id == push.id, Reminder.status == ReminderStatus.pending)))
    for reminder in pending:
        reminder.status = ReminderStatus.cancelled
        session.add(reminder)
    return len(pending)


NUDGE = ("👋 Hello! It's been a while. Pick up where you left off with /progress, or ask me "
         "about any AC (e.g. /ac 2.3).")


def queue_nudges(session: Session, *, now: datetime, after_days: int) -> int:
    """One friendly nudge per lull to members of cohorts with nudges on who went quiet."""
    cutoff = now - timedelta(days=after_days)
    quiet = session.exec(
        select(Learner).join(CohortMember, CohortMember.learner_id == Learner.id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(col(Cohort.nudges).is_(True), col(Learner.last_active_at) < cutoff,
               col(Learner.blocked_at).is_(None),
               or_(col(Learner.nudged_at).is_(None),
                   col(Learner.nudged_at) < col(Learner.last_active_at)))
        .distinct())
    count = 0
    for learner in quiet:
        session.add(Reminder(learner_id=learner.id, chat_id=learner.telegram_id, text=NUDGE,
                             due_at=now))
        learner.nudged_at = now
        session.add(learner)
        count += 1
    return count
