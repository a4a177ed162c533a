"""Personal development plan reviews and the reminders they schedule.

A review due on D is reminded 7 days before, the day before and on the day, each at 09:00 in
the learner's time zone; reminders already in the past when the review is added are skipped.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import reminders
from bot.services.dates import local_to_utc, local_today, show_date, zone
from bot.services.tables import (
    PdpReview,
    Person,
    Reminder,
    ReminderKind,
    ReminderStatus,
    id_of,
)

REMINDER_DAYS_BEFORE = (7, 1, 0)
REMINDER_TIME = time(9, 0)
_EVERY = re.compile(r"\s*[,(]?\s*every\s+(?P<n>\d{1,2})\s+weeks?\s*\)?\s*", re.I)


def split_recurrence(title: str) -> tuple[str, int | None]:
    """("Review with line manager", 8) for "Review with line manager every 8 weeks"."""
    match = _EVERY.search(title)
    if not match or not 1 <= int(match["n"]) <= 52:
        return title.strip(), None
    return (title[:match.start()] + " " + title[match.end():]).strip(), int(match["n"])


def reminder_text(review: PdpReview, days_before: int) -> str:
    when = {0: "today", 1: "tomorrow"}.get(days_before, f"in {days_before} days")
    return f"📅 PDP review {when}: {review.title} ({show_date(review.due_on)})"


def _remind(session: Session, learner: Person, review: PdpReview, text: str,
            due_at: datetime, *, same_day: bool) -> Reminder:
    return reminders.enqueue(session, kind=ReminderKind.pdp_review, chat_id=learner.telegram_id,
                             text=text, due_at=due_at, learner_id=id_of(learner),
                             pdp_review_id=id_of(review), same_day=same_day)


def schedule_reminders(session: Session, *, learner: Person, review: PdpReview,
                       now: datetime) -> list[Reminder]:
    """The review's reminders from now on (pending ones it had are cancelled first)."""
    cancel_reminders(session, review_id=id_of(review))
    tz = zone(learner.timezone)
    made = []
    for days in REMINDER_DAYS_BEFORE:
        due_at = local_to_utc(review.due_on - timedelta(days=days), REMINDER_TIME, tz)
        if due_at >= now:
            made.append(_remind(session, learner, review, reminder_text(review, days), due_at,
                                same_day=days == 0))
    session.flush()
    return made


def cancel_reminders(session: Session, *, review_id: int) -> None:
    reminders.cancel_pending(session, col(Reminder.pdp_review_id) == review_id)


def pending_reminders(session: Session, *, review_id: int) -> list[Reminder]:
    return list(session.exec(select(Reminder).where(
        col(Reminder.pdp_review_id) == review_id, col(Reminder.status) == ReminderStatus.pending)
        .order_by(col(Reminder.due_at))))


def add_review(session: Session, *, learner: Person, title: str, due_on: date,
               every_weeks: int | None, now: datetime) -> PdpReview:
    review = PdpReview(learner_id=id_of(learner), title=title[:200] or "PDP review",
                       due_on=due_on, every_weeks=every_weeks)
    session.add(review)
    session.flush()
    schedule_reminders(session, learner=learner, review=review, now=now)
    return review


def open_reviews(session: Session, *, learner_id: int) -> list[PdpReview]:
    return list(session.exec(select(PdpReview).where(
        PdpReview.learner_id == learner_id, col(PdpReview.done_at).is_(None))
        .order_by(col(PdpReview.due_on))))


def own_review(session: Session, *, learner_id: int, review_id: int) -> PdpReview | None:
    """The review if it is this learner's (a forged id from someone else gets None)."""
    review = session.get(PdpReview, review_id)
    return review if review is not None and review.learner_id == learner_id else None


def mark_done(session: Session, *, learner: Person, review: PdpReview,
              now: datetime) -> PdpReview | None:
    """Close the review; a recurring one gets its successor (returned) with reminders."""
    review.done_at = now
    session.add(review)
    cancel_reminders(session, review_id=id_of(review))
    if not review.every_weeks:
        return None
    try:
        following = review.due_on + timedelta(weeks=review.every_weeks)
    except OverflowError:  # due near the end of year 9999: there is no next one
        return None
    return add_review(session, learner=learner, title=review.title, due_on=following,
                      every_weeks=review.every_weeks, now=now)


def move(session: Session, *, learner: Person, review: PdpReview, due_on: date,
         now: datetime) -> None:
    review.due_on = due_on
    session.add(review)
    schedule_reminders(session, learner=learner, review=review, now=now)


# A snooze's choices, in the order offered: in an hour, this evening at 18:00 (while still
# ahead), tomorrow at 09:00, and Monday of next week at 09:00, in the learner's time zone.
SNOOZES = ("hour", "evening", "tomorrow", "week")
EVENING = time(18, 0)


def snooze_times(now: datetime, tz: ZoneInfo) -> dict[str, datetime]:
    """When each snooze choice would remind again (UTC); "evening" only while 18:00 local is
    still ahead."""
    today = local_today(now, tz)
    times = {"hour": now + timedelta(hours=1),
             "evening": local_to_utc(today, EVENING, tz),
             "tomorrow": local_to_utc(today + timedelta(days=1), REMINDER_TIME, tz),
             "week": local_to_utc(today + timedelta(days=7 - today.weekday()), REMINDER_TIME,
                                  tz)}
    if times["evening"] <= now:
        del times["evening"]
    return times


def snooze(session: Session, *, learner: Person, review: PdpReview,
           until: datetime) -> Reminder:
    """Remind again at `until` (one of `snooze_times`)."""
    reminder = _remind(session, learner, review,
                       f"⏰ Snoozed: PDP review {review.title} ({show_date(review.due_on)})",
                       until, same_day=True)
    session.flush()
    return reminder


def delete(session: Session, *, review: PdpReview) -> None:
    """The review and every reminder it scheduled, sent or not, gone for good."""
    for reminder in session.exec(select(Reminder).where(
            col(Reminder.pdp_review_id) == id_of(review))):
        session.delete(reminder)
    session.flush()
    session.delete(review)
    session.flush()
