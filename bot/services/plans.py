"""An assignment plan's checkpoints: when to have the outline, the first draft and the
self-check done before the due date, and their reminders on the reminder dispatcher.

Checkpoints are spaced in proportion to the time left, counted back from the due date, so a
plan made three months ahead and one made a week ahead both leave the most time for the
draft. Creating a plan's reminders twice changes nothing; a new due date for the same unit
replaces the pending ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.services import reminders
from bot.services.dates import local_to_utc, show_date, zone
from bot.services.tables import Person, Reminder, ReminderKind, ReminderStatus, id_of
from content.catalogue import Unit

# The hour (local) a checkpoint's reminder is sent, as for PDP reviews.
CHECKPOINT_TIME = time(9)
# (name, share of the time from the plan to the due date), latest first: counted backwards.
STEPS = (("submit", 1.0), ("self-check", 0.8), ("first draft", 0.6), ("outline", 0.15))


@dataclass(frozen=True)
class Checkpoint:
    name: str  # one of STEPS' names
    day: date
    due_at: datetime  # UTC


def checkpoints(*, start: date, due: date, now: datetime, timezone: str) -> list[Checkpoint]:
    """The plan's checkpoints from `start` (the day it is made) to `due`, earliest first: each
    on its share of the days between, skipping one already past or not before the next."""
    tz = zone(timezone)
    days = (due - start).days
    kept: list[Checkpoint] = []
    for name, share in STEPS:
        day = start + timedelta(days=round(days * share))
        when = local_to_utc(day, CHECKPOINT_TIME, tz)
        if when > now and (not kept or day < kept[-1].day):
            kept.append(Checkpoint(name, day, when))
    return kept[::-1]


def reminder_text(unit: Unit, checkpoint: Checkpoint, due: date) -> str:
    """What a checkpoint's reminder says (plain text); its first words name the plan."""
    code = unit.code
    say = {
        "outline": "your outline today: one heading per AC with its word budget (the .docx "
                   "skeleton I sent has them).",
        "first draft": "your first draft today: every AC answered under its own heading.",
        "self-check": f"check your draft today: send it with the caption {code}, or paste it "
                      f"after /check {code}, to see which ACs are thin or missing.",
        "submit": "submission day. Read it through once more against /checklist, then "
                  "submit. Good luck!",
    }[checkpoint.name]
    return f"{_prefix(unit, due)}{say}"


def _prefix(unit: Unit, due: date | None = None) -> str:
    """The start of a plan's reminder texts: the unit, then its due date (how a plan's rows
    are told apart from other plans' without a column of their own)."""
    start = f"📝 Plan for {unit.code} ("
    return start if due is None else f"{start}due {show_date(due)}): "


def _pending(session: Session, learner: Person, unit: Unit,
             due: date | None = None) -> list[Reminder]:
    """The pending checkpoint reminders of the learner's plan for `unit` (for `due` only,
    if given)."""
    found = session.exec(select(Reminder).where(
        col(Reminder.learner_id) == id_of(learner),
        col(Reminder.kind) == ReminderKind.plan.value,
        col(Reminder.status) == ReminderStatus.pending))
    return [r for r in found if r.text.startswith(_prefix(unit, due))]


def schedule(session: Session, *, learner: Person, unit: Unit, due: date,
             points: list[Checkpoint]) -> int:
    """Queue the checkpoints' reminders; how many were queued (0 when exactly these are
    already pending: a second press of "Create"). Pending ones of an earlier plan for the
    unit are cancelled."""
    wanted = {(reminder_text(unit, p, due), p.due_at) for p in points}
    pending = _pending(session, learner, unit)
    if {(r.text, r.due_at) for r in pending} == wanted:
        return 0
    reminders.cancel_pending(session, col(Reminder.id).in_([r.id for r in pending]))
    for text, when in sorted(wanted, key=lambda w: w[1]):
        reminders.enqueue(session, kind=ReminderKind.plan, chat_id=learner.telegram_id,
                          text=text, due_at=when, learner_id=id_of(learner))
    return len(wanted)


def cancel(session: Session, *, learner: Person, unit: Unit, due: date) -> int:
    """Cancel the pending reminders of the plan for `unit` due on `due`; how many."""
    pending = _pending(session, learner, unit, due)
    return reminders.cancel_pending(session, col(Reminder.id).in_([r.id for r in pending]))
