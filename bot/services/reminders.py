"""Reminders: one way to queue them, and their dispatch: claim due rows atomically, hand them
to a sender, record the outcome.

Rows are claimed by setting them to "sending" with a claim time and the worker's name; on
PostgreSQL the claim reads with FOR UPDATE SKIP LOCKED, so several bot processes never take the
same row. A live worker renews its claims (`renew`) while it sends, so claims can be short: one
older than `claim_seconds` belongs to a dead worker and is taken again, marked `uncertain` (its
send may have arrived). A failed try waits before the next, longer each time and jittered so a
recovering Telegram is not hit by every row at once, and gives up only `give_up_after` after
the first try. Quiet hours postpone all but same-day reminders to the end of the quiet period.

Delivery is at least once: Telegram has no idempotency key, so a send whose answer was lost
(timed out, or the worker died before recording it) is sent again and may arrive twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from bot.services.database import hold_write_lock, session_scope
from bot.services.dates import show_datetime, zone
from bot.services.tables import (
    DEFAULT_TIMEZONE,
    Cohort,
    CohortMember,
    Person,
    Push,
    PushTarget,
    Reminder,
    ReminderKind,
    ReminderStatus,
)

# A reminder sent more than this after its time says it is late.
LATE_AFTER = timedelta(minutes=10)


def enqueue(session: Session, *, kind: ReminderKind, chat_id: int, text: str, due_at: datetime,
            learner_id: int | None = None, pdp_review_id: int | None = None,
            push_id: int | None = None, same_day: bool = False) -> Reminder:
    """Queue one message for `due_at`; the dispatcher sends it then.

    Args:
        learner_id: the person it is for (None for a group): their quiet hours and blocking
            apply, and deleting them deletes it.
        same_day: may be sent inside the person's quiet hours.
    """
    reminder = Reminder(kind=kind.value, chat_id=chat_id, text=text, due_at=due_at,
                        learner_id=learner_id, pdp_review_id=pdp_review_id, push_id=push_id,
                        same_day=same_day)
    session.add(reminder)
    return reminder


def cancel_pending(session: Session, *conditions: ColumnElement[bool]) -> int:
    """Cancel the pending reminders matching `conditions`; how many there were."""
    pending = list(session.exec(select(Reminder).where(
        col(Reminder.status) == ReminderStatus.pending, *conditions)))
    for reminder in pending:
        reminder.status = ReminderStatus.cancelled
        session.add(reminder)
    return len(pending)


def push_recipients(session: Session, *, push: Push) -> list[tuple[int, int | None]]:
    """Who a push goes to as the cohort stands now: (chat, learner) per member and (group,
    None) for the linked group, as its target says."""
    cohort = session.get(Cohort, push.cohort_id)
    if cohort is None or push.target is None:
        return []
    out: list[tuple[int, int | None]] = []
    if push.target in (PushTarget.members, PushTarget.both):
        out += [(chat, learner) for chat, learner in session.exec(
            select(Person.telegram_id, Person.id)
            .join(CohortMember, col(CohortMember.learner_id) == Person.id)
            .where(CohortMember.cohort_id == cohort.id).order_by(col(Person.id)))]
    if push.target in (PushTarget.group, PushTarget.both) and cohort.group_chat_id is not None:
        out.append((cohort.group_chat_id, None))
    return out


def expand_due_pushes(session: Session, *, now: datetime) -> int:
    """One reminder row per recipient of each push that has fallen due, for the members the
    cohort has now (who joined after scheduling get it; who left does not). Each push is
    expanded once, by one worker (its row is locked, SKIP LOCKED on PostgreSQL). How many
    rows were made."""
    due = session.exec(select(Push).where(
        col(Push.due_at) <= now, col(Push.target).is_not(None), col(Push.expanded_at).is_(None),
        col(Push.cancelled_at).is_(None)).with_for_update(skip_locked=True))
    made = 0
    for push in due:
        cohort = session.get(Cohort, push.cohort_id)
        for chat_id, learner_id in push_recipients(session, push=push):
            enqueue(session, kind=ReminderKind.push, chat_id=chat_id,
                    text=f"📣 {cohort.name if cohort else ''}: {push.text}", due_at=push.due_at,
                    learner_id=learner_id, push_id=push.id, same_day=True)
            made += 1
        push.expanded_at = now
        session.add(push)
    session.flush()
    return made


class Outcome(str, Enum):
    sent = "sent"
    blocked = "blocked"  # the user blocked the bot: never retried
    gone = "gone"  # chat not found or similar: never retried
    retry = "retry"  # a transient error (no connection, 5xx): tried again after a wait
    unknown = "unknown"  # no answer in time: it may have arrived; tried again after a wait


@dataclass(frozen=True)
class RetryPolicy:
    """How long a failed send waits before its next try, and when to give up.

    The n-th retry waits `first_wait * 2**(n-1)` seconds, at most `max_wait`, times a random
    factor between 0.5 and 1 (so rows that failed together do not come back together); the
    reminder fails for good once a wait would end more than `give_up_after` seconds after its
    first try. The defaults ride out about an hour of outage in about nine tries.
    """

    first_wait: float = 30
    max_wait: float = 600
    give_up_after: float = 3600

    def wait(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        base = min(self.max_wait, self.first_wait * 2 ** max(0, min(attempts - 1, 30)))
        return timedelta(seconds=base * (rng or random).uniform(0.5, 1.0))


@dataclass(frozen=True)
class Due:
    """A claimed reminder, as the sender needs it."""

    id: int
    chat_id: int
    text: str
    pdp_review_id: int | None
    kind: ReminderKind = ReminderKind.text
    learner_id: int | None = None


def in_quiet_hours(person: Person, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` is inside them; else None."""
    if not person.quiet_start or not person.quiet_end:
        return None
    tz = zone(person.timezone)
    local = now.astimezone(tz)
    start, end = (time.fromisoformat(person.quiet_start), time.fromisoformat(person.quiet_end))
    if start == end:  # no period at all (refused by /quiet now; older rows may hold one)
        return None
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)


def claim_due(engine: Engine, *, now: datetime, limit: int = 20, claim_seconds: float = 20,
              worker: str = "") -> list[Due]:
    """Take up to `limit` due reminders for sending (committed before anything is sent).

    Args:
        claim_seconds: a claim not renewed for this long is a dead worker's, and taken over.
        worker: who claims (renewing is only ever done by the holder).
    """
    stale = now - timedelta(seconds=claim_seconds)
    with session_scope(engine) as session:
        hold_write_lock(session)
        expand_due_pushes(session, now=now)
        query = (select(Reminder)
                 .where(col(Reminder.due_at) <= now,
                        or_(and_(col(Reminder.status) == ReminderStatus.pending,
                                 or_(col(Reminder.retry_at).is_(None),
                                     col(Reminder.retry_at) <= now)),
                            and_(col(Reminder.status) == ReminderStatus.sending,
                                 col(Reminder.claimed_at) < stale)))
                 .order_by(col(Reminder.due_at)).limit(limit)
                 .with_for_update(skip_locked=True))
        claimed = []
        for reminder in session.exec(query):
            person = session.get(Person, reminder.learner_id) if reminder.learner_id else None
            if person is not None and person.blocked_at is not None:
                reminder.status = ReminderStatus.blocked
            elif person is not None and not reminder.same_day and (
                    until := in_quiet_hours(person, now)) is not None:
                reminder.due_at = until
            else:
                if reminder.status == ReminderStatus.sending:  # its worker died mid-send
                    reminder.uncertain = True
                reminder.status = ReminderStatus.sending
                reminder.claimed_at, reminder.claimed_by = now, worker
                reminder.first_tried_at = reminder.first_tried_at or now
                reminder.attempts += 1
                assert reminder.id is not None
                claimed.append(Due(reminder.id, reminder.chat_id,
                                   _with_lateness(reminder, person, now),
                                   reminder.pdp_review_id, _kind(reminder.kind),
                                   reminder.learner_id))
            session.add(reminder)
        return claimed


def _kind(stored: str) -> ReminderKind:
    try:
        return ReminderKind(stored)
    except ValueError:  # written by a newer version: sent as plain text
        return ReminderKind.text


def _with_lateness(reminder: Reminder, person: Person | None, now: datetime) -> str:
    if now - reminder.due_at <= LATE_AFTER:
        return reminder.text
    tz = zone(person.timezone if person else DEFAULT_TIMEZONE)
    return f"{reminder.text}\n(Late: this was due {show_datetime(reminder.due_at, tz)}.)"


def renew(engine: Engine, *, reminder_ids: list[int], worker: str, now: datetime) -> int:
    """The heartbeat: a live worker keeps its claims on the rows it is still sending; how
    many it still holds (another worker may have taken some over)."""
    if not reminder_ids:
        return 0
    with engine.begin() as connection:
        result = connection.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(reminder_ids),
                   col(Reminder.status) == ReminderStatus.sending,
                   col(Reminder.claimed_by) == worker)
            .values(claimed_at=now))
        return result.rowcount


def record(engine: Engine, *, reminder_id: int, outcome: Outcome, now: datetime,
           policy: RetryPolicy = RetryPolicy(), rng: random.Random | None = None) -> None:
    """What sending did: sent, blocked (the person is marked too), gone, or try again after a
    wait (failed once the policy gives up)."""
    with session_scope(engine) as session:
        reminder = session.get(Reminder, reminder_id)
        if reminder is None:  # deleted meanwhile (/forgetme)
            return
        if outcome == Outcome.sent:
            reminder.status, reminder.sent_at = ReminderStatus.sent, now
        elif outcome == Outcome.blocked:
            reminder.status = ReminderStatus.blocked
            person = session.get(Person, reminder.learner_id) if reminder.learner_id else None
            if person is not None:
                person.blocked_at = now
                session.add(person)
        elif outcome == Outcome.gone:
            reminder.status = ReminderStatus.failed
        else:
            if outcome == Outcome.unknown:
                reminder.uncertain = True
            retry_at = now + policy.wait(reminder.attempts, rng)
            first = reminder.first_tried_at or now
            if retry_at > first + timedelta(seconds=policy.give_up_after):
                reminder.status = ReminderStatus.failed
            else:
                reminder.status, reminder.retry_at = ReminderStatus.pending, retry_at
        session.add(reminder)
