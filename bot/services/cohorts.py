"""Cohorts: creation, invite codes, membership, the linked group, pushed reminders, nudges
for inactive members. Plain persistence functions; who may call them is decided by the
command registry (`bot.conversation.registry`) and the tutor commands."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from bot.services import learners, reminders
from bot.services.tables import (
    Cohort,
    CohortMember,
    Person,
    Push,
    PushTarget,
    Reminder,
    ReminderKind,
    ReminderStatus,
    id_of,
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


def create(session: Session, *, tutor: Person, name: str,
           qualification: QualificationData) -> Cohort:
    name = " ".join(name.split())[:60]
    if not name:
        raise CohortError("A cohort needs a name.")
    if find(session, tutor_id=id_of(tutor), name=name) is not None:
        raise CohortError(f"You already have a cohort called “{name}”.")
    cohort = Cohort(tutor_id=id_of(tutor), name=name, qualification=qualification.code,
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


def hand_over(session: Session, *, led: list[Cohort], heir: Person, leaving: str,
              now: datetime) -> list[str]:
    """A leaving tutor's cohorts given to `heir` with their members, group link, invite and
    pushes (a centre keeps its groups running; each learner's records are their own). A name
    the heir already uses gets a number; the heir is told by message. Returns the names."""
    taken = {c.name for c in of_tutor(session, tutor_id=id_of(heir))}
    names = []
    for cohort in led:
        name, number = cohort.name, 2
        while name in taken:
            name, number = f"{cohort.name} ({number})", number + 1
        cohort.name, cohort.tutor_id = name, id_of(heir)
        session.add(cohort)
        taken.add(name)
        names.append(name)
    session.flush()
    reminders.enqueue(session, kind=ReminderKind.text, chat_id=heir.telegram_id,
                      text=f"{leaving or 'A tutor'} has left and handed their cohorts to you: "
                           f"{', '.join(names)}. /cohorts lists them.",
                      due_at=now, learner_id=id_of(heir), same_day=True)
    return names


def join(session: Session, *, learner: Person, cohort: Cohort,
         qualification: QualificationData) -> bool:
    """Enrol the learner in the cohort and its qualification; False if already a member."""
    if is_member(session, cohort_id=id_of(cohort), learner_id=id_of(learner)):
        return False
    session.add(CohortMember(cohort_id=id_of(cohort), learner_id=id_of(learner)))
    if learner.qualification != cohort.qualification:
        learners.set_qualification(session, learner=learner, qualification=qualification)
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


def members(session: Session, *, cohort_id: int) -> list[Person]:
    return list(session.exec(select(Person).join(CohortMember,
                                                 col(CohortMember.learner_id) == Person.id)
                             .where(CohortMember.cohort_id == cohort_id)
                             .order_by(col(Person.name), col(Person.id))))


def find_members(session: Session, *, cohort_id: int, who: str) -> list[Person]:
    """The members `who` may mean, most certain first: a Telegram id wins, then an @username,
    then a name (any case; several people can share one, and a name can look like an id, so
    the caller asks when more than one is left)."""
    who = who.strip()
    everyone = members(session, cohort_id=cohort_id)
    handle = who.removeprefix("@").casefold()
    for found in ([m for m in everyone if who.isascii() and who == str(m.telegram_id)],
                  [m for m in everyone if m.username and handle == m.username.casefold()]):
        if found:
            return found
    return [m for m in everyone if who.casefold() == " ".join(m.name.split()).casefold()]


def remove(session: Session, *, cohort: Cohort, learner: Person) -> int:
    """Take the learner out of the cohort: the cohort's pushes still waiting for them are
    cancelled, or (not yet due) will not include them; how many."""
    row = session.exec(select(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                  CohortMember.learner_id == learner.id)).one()
    session.delete(row)
    not_due = len(session.exec(select(Push.id).where(
        Push.cohort_id == cohort.id, col(Push.target).in_([PushTarget.members, PushTarget.both]),
        col(Push.expanded_at).is_(None), col(Push.cancelled_at).is_(None))).all())
    cohort_pushes = select(Push.id).where(Push.cohort_id == cohort.id)
    return not_due + reminders.cancel_pending(session, col(Reminder.learner_id) == learner.id,
                                              col(Reminder.push_id).in_(cohort_pushes))


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


def unlink_group(session: Session, *, chat_id: int) -> Cohort | None:
    """The bot was removed from the group: the cohort linked to it is unlinked and what was
    waiting to be posted there is cancelled (members still get their own). The cohort, or
    None when the group was linked to none."""
    cohort = by_group(session, chat_id=chat_id)
    if cohort is None:
        return None
    cohort.group_chat_id = None
    session.add(cohort)
    reminders.cancel_pending(session, col(Reminder.chat_id) == chat_id)
    return cohort


def move_group(session: Session, *, old_chat_id: int, new_chat_id: int) -> Cohort | None:
    """The group became a supergroup, with a new id: the cohort linked to the old id follows
    it, with the reminders waiting to be posted there. Telegram says so twice (a service
    message in each chat) and a send to the old id says so again, so the second time finds
    nothing to move: None, as for a group linked to no cohort."""
    cohort = by_group(session, chat_id=old_chat_id)
    if cohort is None:
        return None
    link_group(session, cohort=cohort, chat_id=new_chat_id)
    waiting = session.exec(select(Reminder).where(
        col(Reminder.chat_id) == old_chat_id,
        col(Reminder.status).in_([ReminderStatus.pending, ReminderStatus.sending])))
    for reminder in waiting:
        reminder.chat_id = new_chat_id
        session.add(reminder)
    return cohort


def draft_push(session: Session, *, cohort: Cohort, text: str, due_at: datetime) -> Push:
    push = Push(cohort_id=id_of(cohort), text=text[:3500], due_at=due_at)
    session.add(push)
    session.flush()
    return push


def schedule_push(session: Session, *, push: Push, target: PushTarget) -> int:
    """Choose where the push goes; its reminder rows are made when it falls due
    (`reminders.expand_due_pushes`). Returns how many it would send to now."""
    cohort = session.get(Cohort, push.cohort_id)
    assert cohort is not None
    if target != PushTarget.members and cohort.group_chat_id is None:
        raise CohortError("This cohort has no linked group yet: run /link in the group first.")
    push.target = target
    session.add(push)
    session.flush()
    return len(reminders.push_recipients(session, push=push))


def pushes(session: Session, *, cohort_id: int) -> list[Push]:
    return list(session.exec(select(Push).where(Push.cohort_id == cohort_id,
                                                col(Push.target).is_not(None))
                             .order_by(col(Push.due_at))))


REPEATED = "possibly twice"  # delivery() key: sent after a try whose answer was lost


def delivery(session: Session, *, push_id: int) -> Counter[str]:
    """How the push's reminders stand: sent, blocked, pending (not tried yet or being sent),
    retrying (tried and failed, waiting for the next try), failed (given up), cancelled; and
    REPEATED: of those sent, how many may have arrived twice (an earlier try timed out or its
    worker died, and Telegram cannot say whether it arrived)."""
    counts: Counter[str] = Counter()
    push = session.get(Push, push_id)
    if push is not None and push.expanded_at is None and push.cancelled_at is None:
        counts["pending"] = len(reminders.push_recipients(session, push=push))
    for status, attempts, uncertain in session.exec(
            select(Reminder.status, Reminder.attempts, Reminder.uncertain)
            .where(Reminder.push_id == push_id)):
        state = ReminderStatus(status)
        if state in (ReminderStatus.pending, ReminderStatus.sending):
            tried = attempts > (1 if state == ReminderStatus.sending else 0)
            counts["retrying" if tried else "pending"] += 1
        else:
            counts[state.value] += 1
        if state == ReminderStatus.sent and uncertain:
            counts[REPEATED] += 1
    return counts


def cancel_push(session: Session, *, push: Push, now: datetime) -> int:
    """Cancel what has not been sent; returns how many reminders were still pending."""
    waiting = (len(reminders.push_recipients(session, push=push))
               if push.expanded_at is None else 0)
    push.cancelled_at = now
    session.add(push)
    return waiting + reminders.cancel_pending(session, col(Reminder.push_id) == push.id)


NUDGE = ("👋 Hello! It's been a while. Pick up where you left off with /progress, or ask me "
         "about any AC (e.g. /ac 2.3).")


def is_inactive(person: Person, *, now: datetime, inactive_after_days: int) -> bool:
    """No message or press from them for `inactive_after_days` days."""
    return person.last_active_at < now - timedelta(days=inactive_after_days)


def queue_nudges(session: Session, *, now: datetime, inactive_after_days: int) -> int:
    """One friendly nudge per spell of inactivity to inactive members of cohorts with nudges
    on."""
    cutoff = now - timedelta(days=inactive_after_days)
    inactive = session.exec(
        select(Person).join(CohortMember, col(CohortMember.learner_id) == Person.id)
        .join(Cohort, col(Cohort.id) == CohortMember.cohort_id)
        .where(col(Cohort.nudges).is_(True), col(Person.last_active_at) < cutoff,
               col(Person.blocked_at).is_(None),
               or_(col(Person.nudged_at).is_(None),
                   col(Person.nudged_at) < col(Person.last_active_at)))
        .distinct())
    count = 0
    for person in inactive:
        reminders.enqueue(session, kind=ReminderKind.nudge, chat_id=person.telegram_id,
                          text=NUDGE, due_at=now, learner_id=id_of(person))
        person.nudged_at = now
        session.add(person)
        count += 1
    return count
