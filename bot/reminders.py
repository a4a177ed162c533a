"""Reminder dispatch: claim due rows atomically, hand them to a sender, record the outcome.

Rows are claimed by setting them to "sending" with a claim time; on PostgreSQL the claim reads
with FOR UPDATE SKIP LOCKED, so several bot processes never take the same row. A claim older
than `claim_seconds` (its process died) is taken again. Quiet hours postpone all but same-day
reminders to the end of the quiet period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from sqlalchemy import and_, or_
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.dates import show_datetime, zone
from bot.db import session_scope
from bot.models import DEFAULT_TIMEZONE, Learner, Reminder, ReminderStatus

MAX_ATTEMPTS = 5
# A reminder sent more than this after its time says it is late.
LATE_AFTER = timedelta(minutes=10)


class Outcome(str, Enum):
    sent = "sent"
    blocked = "blocked"  # the user blocked the bot: never retried
    gone = "gone"  # chat not found or similar: never retried
    retry = "retry"  # a transient error: tried again at the next tick


@dataclass(frozen=True)
class Due:
    """A claimed reminder, as the sender needs it."""

    id: int
    chat_id: int
    text: str
    pdp_review_id: int | None
    kind: str = "text"
    learner_id: int | None = None


def in_quiet_hours(learner: Learner, now: datetime) -> datetime | None:
    """When the learner's quiet period ends, if `now` is inside it; else None."""
    if not learner.quiet_start or not learner.quiet_end:
        return None
    tz = zone(learner.timezone)
    local = now.astimezone(tz)
    start, end = (time.fromisoformat(learner.quiet_start), time.fromisoformat(learner.quiet_end))
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)


def claim_due(engine: Engine, *, now: datetime, limit: int = 20,
              claim_seconds: float = 300) -> list[Due]:
    """Take up to `limit` due reminders for sending (committed before anything is sent)."""
    stale = now - timedelta(seconds=claim_seconds)
    with session_scope(engine) as session:
        query = (select(Reminder)
                 .where(col(Reminder.due_at) <= now,
                        or_(Reminder.status == ReminderStatus.pending,
                            and_(Reminder.status == ReminderStatus.sending,
                                 col(Reminder.claimed_at) < stale)))
                 .order_by(col(Reminder.due_at)).limit(limit)
                 .with_for_update(skip_locked=True))
        claimed = []
        for reminder in session.exec(query):
            learner = session.get(Learner, reminder.learner_id) if reminder.learner_id else None
            if learner is not None and learner.blocked_at is not None:
                reminder.status = ReminderStatus.blocked
            elif learner is not None and not reminder.same_day and (
                    until := in_quiet_hours(learner, now)) is not None:
                reminder.due_at = until
            else:
                reminder.status = ReminderStatus.sending
                reminder.claimed_at = now
                reminder.attempts += 1
                claimed.append(Due(reminder.id, reminder.chat_id,  # type: ignore[arg-type]
                                   _with_lateness(reminder, learner, now),
                                   reminder.pdp_review_id, reminder.kind, reminder.learner_id))
            session.add(reminder)
        return claimed


def _with_lateness(reminder: Reminder, learner: Learner | None, now: datetime) -> str:
    if now - reminder.due_at <= LATE_AFTER:
        return reminder.text
    tz = zone(learner.timezone if learner else DEFAULT_TIMEZONE)
    return f"{reminder.text}\n(Late: this was due {show_datetime(reminder.due_at, tz)}.)"


def record(engine: Engine, *, reminder_id: int, outcome: Outcome, now: datetime) -> None:
    """What sending did: sent, blocked (the learner is marked too), gone, or retry later."""
    with session_scope(engine) as session:
        reminder = session.get(Reminder, reminder_id)
        if reminder is None:  # deleted meanwhile (/forgetme)
            return
        if outcome == Outcome.sent:
            reminder.status, reminder.sent_at = ReminderStatus.sent, now
        elif outcome == Outcome.blocked:
            reminder.status = ReminderStatus.blocked
            learner = session.get(Learner, reminder.learner_id) if reminder.learner_id else None
            if learner is not None:
                learner.blocked_at = now
                session.add(learner)
        elif outcome == Outcome.gone or reminder.attempts >= MAX_ATTEMPTS:
            reminder.status = ReminderStatus.failed
        else:
            reminder.status = ReminderStatus.pending
        session.add(reminder)


