"""People: whoever talks to the bot, their role, time zone and quiet hours, and a tutor's
weekly digest. Plain persistence functions, each taking the session first."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from bot.services import pdp, reminders
from bot.services.dates import next_weekly, zone
from bot.services.tables import Person, Reminder, ReminderKind, Role, id_of


def get_or_create(session: Session, *, telegram_id: int, now: datetime, name: str = "",
                  username: str | None = None) -> Person:
    """The person for a Telegram user, created on first contact; marks them active `now`
    (the conversation's clock, so activity and the nudges that read it keep one time)."""
    person = by_telegram_id(session, telegram_id)
    if person is None:
        person = Person(telegram_id=telegram_id, name=name[:200])
    elif name:
        person.name = name[:200]
    if username:
        person.username = username[:64]
    person.last_active_at = now
    # Written even when unchanged (a stopped test clock): the mark is the first write of a
    # turn, and a database that takes none must refuse it here (see Chat._person).
    flag_modified(person, "last_active_at")
    person.blocked_at = None  # writing to the bot means it is no longer blocked
    session.add(person)
    session.flush()
    return person


def by_telegram_id(session: Session, telegram_id: int) -> Person | None:
    return session.exec(select(Person).where(Person.telegram_id == telegram_id)).first()


def set_blocked(session: Session, *, telegram_id: int, at: datetime | None) -> bool:
    """Telegram said the user blocked the bot (`at`) or unblocked it (None): while blocked,
    nothing is sent to them (`reminders.claim_due` skips them). False for someone the bot
    does not know, who is not stored for it."""
    person = by_telegram_id(session, telegram_id)
    if person is None:
        return False
    person.blocked_at = at
    session.add(person)
    return True


def role_of(person: Person, *, tutors: frozenset[int], admins: frozenset[int]) -> Role:
    """The role a person acts in: the settings' ADMIN_IDS and TUTOR_IDS, or as promoted."""
    if person.telegram_id in admins or person.role == Role.admin:
        return Role.admin
    if person.telegram_id in tutors or person.role == Role.tutor:
        return Role.tutor
    return Role.learner


def staff(session: Session, *, tutors: frozenset[int],
          admins: frozenset[int]) -> dict[int, Role]:
    """Every tutor and admin by Telegram id: those the settings name and those promoted."""
    promoted = session.exec(select(Person).where(col(Person.role) != Role.learner))
    found = {person.telegram_id: role_of(person, tutors=tutors, admins=admins)
             for person in promoted}
    for telegram_id in tutors | admins:
        found.setdefault(telegram_id, Role.admin if telegram_id in admins else Role.tutor)
    return found


def promote(session: Session, *, person: Person) -> None:
    person.role = Role.tutor
    session.add(person)


def set_timezone(session: Session, *, person: Person, name: str, now: datetime) -> None:
    """A new time zone moves the pending PDP reminders to 09:00 in it."""
    person.timezone = name
    session.add(person)
    for review in pdp.open_reviews(session, learner_id=id_of(person)):
        pdp.schedule_reminders(session, learner=person, review=review, now=now)


def set_quiet_hours(session: Session, *, person: Person, start: str | None,
                    end: str | None) -> None:
    person.quiet_start, person.quiet_end = start, end
    session.add(person)


def set_digest(session: Session, *, tutor: Person, weekday: int | None, at: time | None,
               now: datetime) -> datetime | None:
    """A tutor's weekly digest: stored, and its next reminder row scheduled (None: off)."""
    tutor.digest_weekday, tutor.digest_time = weekday, f"{at:%H:%M}" if at else None
    session.add(tutor)
    reminders.cancel_pending(session, col(Reminder.learner_id) == tutor.id,
                             col(Reminder.kind) == ReminderKind.digest.value)
    return schedule_digest(session, tutor=tutor, now=now)


def schedule_digest(session: Session, *, tutor: Person, now: datetime) -> datetime | None:
    """The next weekly digest after `now`, as a reminder row written when it is sent."""
    if tutor.digest_weekday is None or tutor.digest_time is None:
        return None
    when = next_weekly(now, zone(tutor.timezone), tutor.digest_weekday,
                       time.fromisoformat(tutor.digest_time))
    reminders.enqueue(session, kind=ReminderKind.digest, chat_id=tutor.telegram_id,
                      text="Weekly digest", due_at=when, learner_id=id_of(tutor), same_day=True)
    return when
