"""The coaching practice record: sessions filled in one step at a time, one-time feedback links
for supervisors and observers, a reflective journal through Gibbs' six stages, the weekly
prompt to reflect, and what each qualification asks of practice (ILM: 12 delivered hours; CMI:
no hour target, but ACs that ask for evidence of one's own practice).

Plain functions, the session first; nothing here knows about Telegram or buttons."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.services import coaching, reminders
from bot.services.dates import DateError, next_weekly, parse_date, zone
from bot.services.tables import (
    CoachingSession,
    FeedbackRequest,
    Person,
    Reflection,
    ReflectionAc,
    Reminder,
    ReminderKind,
    id_of,
)
from content.catalogue import Catalogue, Criterion

# /log's form, in the order it asks; each step may be skipped and edited later.
FORM_STEPS = ("kind", "held_on", "goal", "model", "outcome", "feedback", "supervision")
# Fields the first line gave, editable later like the others.
EDITABLE = ("minutes", "coachee", *FORM_STEPS)
KINDS = ("coaching", "mentoring")
FEEDBACK_ROLES = ("supervisor", "observer", "peer", "coachee")
LINK_VALID = timedelta(days=14)
# Logged this much practice since the last supervision note or supervisor's feedback: nudge.
SUPERVISION_NUDGE_MINUTES = 4 * 60
MAX_TEXT = 1000
# Gibbs' reflective cycle (1988): the field, the stage's name and its question.
GIBBS = (("description", "Description", "What happened? Describe the session or event."),
         ("feelings", "Feelings", "What were you thinking and feeling at the time?"),
         ("evaluation", "Evaluation", "What was good and what was bad about the experience?"),
         ("analysis", "Analysis", "What sense can you make of it? Which theory or model helps "
                                  "explain it?"),
         ("conclusion", "Conclusion", "What else could you have done?"),
         ("action_plan", "Action plan", "If it arose again, what would you do? What will you "
                                        "practise next?"))
FINISHED = len(GIBBS)
# The ACs of a unit that ask for evidence of the learner's own practice.
_PRACTICE_AC = re.compile(r"\b(?:personal|own) (?:coaching or mentoring )?practice|"
                          r"skills and practices|deliver coaching|collect feedback", re.I)


class FieldError(ValueError):
    """An answer a form step cannot take; the message says what it needs."""


class LinkRefused(Exception):
    """A feedback link that cannot be answered (unknown, used, expired); the message says so."""


# -- sessions and the form ----------------------------------------------------------------------

def start_session(session: Session, *, learner: Person, entry: coaching.LogEntry,
                  held_on: date) -> CoachingSession:
    """A session from /log's first line; the form then asks its remaining steps."""
    row = coaching.log_session(session, learner_id=id_of(learner), entry=entry, held_on=held_on)
    row.form_step = FORM_STEPS[0]
    session.add(row)
    session.flush()
    return row


def own_session(session: Session, *, learner_id: int, session_id: int) -> CoachingSession | None:
    row = session.get(CoachingSession, session_id)
    return row if row is not None and row.learner_id == learner_id else None


def unfinished(session: Session, *, learner_id: int) -> CoachingSession | None:
    """The latest session whose form was left before its end."""
    return session.exec(select(CoachingSession).where(
        CoachingSession.learner_id == learner_id, col(CoachingSession.form_step).is_not(None))
        .order_by(col(CoachingSession.id).desc())).first()


def set_field(session: Session, row: CoachingSession, field: str, answer: str, *,
              today: date) -> None:
    """Store one answer (checked first: FieldError changes nothing); the form moves on when
    it was the step it waited for."""
    text = answer.strip()
    if field == "kind":
        if text.lower() not in KINDS:
            raise FieldError("Was it coaching or mentoring?")
        row.kind = text.lower()
    elif field == "held_on":
        try:
            day = (today - timedelta(days=1) if text.lower() == "yesterday"
                   else parse_date(text, today).day)
        except DateError as exc:
            raise FieldError(f"{exc} Try “today”, “yesterday” or “3 Dec”.") from None
        day = _in_the_past(text, day, today)
        if day > today or day < today - timedelta(days=3 * 366):
            raise FieldError("The date of a session you delivered: today or before.")
        row.held_on = day
    elif field == "minutes":
        try:
            row.minutes = coaching.parse_log(text).minutes
        except coaching.LogError as exc:
            raise FieldError(str(exc).replace("/log 90m Sam — goal setting session",
                                              "90m or 1h30")) from None
    elif field in ("coachee", "model"):
        if not text:
            raise FieldError("Send a few words, or skip.")
        setattr(row, field, text[:100])
    elif field in FORM_STEPS:
        if not text:
            raise FieldError("Send a few words, or skip.")
        setattr(row, field, text[:MAX_TEXT])
    else:
        raise FieldError(f"There is no field {field}.")
    if row.form_step == field:
        advance(row)
    session.add(row)


_WEEKDAY_ONLY = re.compile(r"^\s*(?:last\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*$", re.I)
_DAY_MONTH_ONLY = re.compile(r"^\s*\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?\s*$|"
                             r"^\s*[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*$", re.I)


def _in_the_past(text: str, day: date, today: date) -> date:
    """A session was delivered, so "friday" means the last one and "3 Dec" the last 3 Dec;
    the date parser, made for plans, reads both forward. Anything else stays as read."""
    if day <= today:
        return day
    if _WEEKDAY_ONLY.match(text):
        return day - timedelta(days=7)
    if _DAY_MONTH_ONLY.match(text):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)
    return day


def advance(row: CoachingSession) -> None:
    """On to the step after the current one (None after the last)."""
    if row.form_step is None:
        return
    i = FORM_STEPS.index(row.form_step)
    row.form_step = FORM_STEPS[i + 1] if i + 1 < len(FORM_STEPS) else None


def sessions_by_coachee(rows: Iterable[CoachingSession]) -> dict[str, list[CoachingSession]]:
    """Sessions grouped by coachee (the pseudonym as first written), in date order."""
    groups: dict[str, list[CoachingSession]] = {}
    names: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r.held_on, r.id or 0)):
        key = row.coachee.strip().casefold()
        name = names.setdefault(key, row.coachee.strip() or "(no name)")
        groups.setdefault(name, []).append(row)
    return groups


def unsupervised_minutes(session: Session, *, learner_id: int) -> int:
    """Minutes logged since the last session with a supervision note or an answered link."""
    rows = coaching.sessions(session, learner_id=learner_id)
    answered = {r.session_id for r in feedback_on(session, learner_id=learner_id)}
    total = 0
    for row in rows:  # oldest first: a supervised session resets the count
        total = 0 if row.supervision or row.id in answered else total + row.minutes
    return total


def practice_summary(session: Session, *, learner_ids: Iterable[int]
                     ) -> dict[int, tuple[int, date | None]]:
    """Per learner: minutes logged and the last session's date (what a tutor may see)."""
    ids = list(learner_ids)
    out: dict[int, tuple[int, date | None]] = {i: (0, None) for i in ids}
    if not ids:
        return out
    for row in session.exec(select(CoachingSession).where(col(CoachingSession.learner_id)
                                                         .in_(ids))):
        minutes, last = out[row.learner_id]
        out[row.learner_id] = (minutes + row.minutes,
                               row.held_on if last is None or row.held_on > last else last)
    return out


# -- what the qualification asks ----------------------------------------------------------------

@dataclass(frozen=True)
class PracticeTarget:
    """Hours to deliver (ILM), or the ACs that ask for practice evidence (CMI), or neither
    when the learner has not chosen a qualification."""

    hours: int | None
    hours_unit: str | None
    acs: tuple[Criterion, ...]


def target_for(catalogue: Catalogue, qualification: str | None) -> PracticeTarget:
    q = catalogue.qualifications.get(qualification or "")
    if q is None:
        return PracticeTarget(None, None, ())
    codes = [c for g in q.rule.groups for c in g.units]
    with_hours = [catalogue.units[c] for c in codes if catalogue.units[c].delivery_hours_required]
    if with_hours:
        unit = with_hours[0]
        return PracticeTarget(unit.delivery_hours_required, unit.code, ())
    acs = tuple(ac for c in codes for ac in catalogue.units[c].criteria
                if _PRACTICE_AC.search(ac.text))
    return PracticeTarget(None, None, acs)


# -- feedback links ------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feedback_link(session: Session, *, row: CoachingSession, role: str,
                      now: datetime) -> str:
    """A fresh token for a one-time feedback link on `row` (only its hash is stored)."""
    assert role in FEEDBACK_ROLES, role
    token = secrets.token_urlsafe(18)  # 144 random bits, 24 URL-safe characters
    session.add(FeedbackRequest(learner_id=row.learner_id, session_id=id_of(row),
                                token_hash=_hash(token), role=role,
                                expires_at=now + LINK_VALID))
    session.flush()
    return token


def open_link(session: Session, *, token: str, opener: int, opener_id: int,
              now: datetime) -> FeedbackRequest:
    """The request a link opens for Telegram user `opener` (person `opener_id`); LinkRefused
    when it is unknown, the learner's own, answered, expired, or opened by someone else."""
    request = session.exec(select(FeedbackRequest).where(
        FeedbackRequest.token_hash == _hash(token))).first() if token else None
    if request is None:
        raise LinkRefused("That feedback link is not valid. Ask the learner who sent it for a "
                          "new one.")
    if request.learner_id == opener_id:
        raise LinkRefused(f"That is your own feedback link: send it to your {request.role}, "
                          f"who answers it.")
    check(request, opener=opener, now=now)
    request.opened_by = opener
    session.add(request)
    return request


def check(request: FeedbackRequest, *, opener: int, now: datetime) -> None:
    """LinkRefused when the request is answered, expired, or opened by someone else."""
    if request.answered_at is not None:
        raise LinkRefused("That feedback link has already been used: each link takes one "
                          "answer. Thank you!")
    if request.expires_at <= now:
        raise LinkRefused("That feedback link has expired. Ask the learner for a new one.")
    if request.opened_by not in (None, opener):
        raise LinkRefused("That feedback link was opened by someone else: each link is for "
                          "one person.")


def answer_link(session: Session, *, request: FeedbackRequest, text: str, name: str,
                now: datetime) -> None:
    """The answer lands on the request, and so on its session."""
    request.answer, request.answered_by, request.answered_at = text.strip()[:MAX_TEXT], \
        name[:200], now
    session.add(request)


def feedback_on(session: Session, *, learner_id: int) -> list[FeedbackRequest]:
    """Answered feedback on the learner's sessions, oldest first."""
    return list(session.exec(select(FeedbackRequest).where(
        FeedbackRequest.learner_id == learner_id, col(FeedbackRequest.answered_at).is_not(None))
        .order_by(col(FeedbackRequest.answered_at))))


# -- reflective journal ---------------------------------------------------------------------------

def unfinished_reflection(session: Session, *, learner_id: int) -> Reflection | None:
    return session.exec(select(Reflection).where(
        Reflection.learner_id == learner_id, col(Reflection.stage) < FINISHED)
        .order_by(col(Reflection.id).desc())).first()


def start_reflection(session: Session, *, learner_id: int) -> Reflection:
    row = Reflection(learner_id=learner_id)
    session.add(row)
    session.flush()
    return row


def own_reflection(session: Session, *, learner_id: int, reflection_id: int) -> Reflection | None:
    row = session.get(Reflection, reflection_id)
    return row if row is not None and row.learner_id == learner_id else None


def answer_stage(session: Session, row: Reflection, text: str | None, *, now: datetime) -> None:
    """The current stage's answer (None: skipped); on to the next stage."""
    if row.stage >= FINISHED:
        return
    if text is not None:
        setattr(row, GIBBS[row.stage][0], text.strip()[:MAX_TEXT])
    row.stage += 1
    row.updated_at = now
    session.add(row)


def reflection_text(row: Reflection) -> str:
    """The answered stages as one text (what retrieval reads and the exports print)."""
    return "\n".join(f"{title}: {getattr(row, field)}" for field, title, _ in GIBBS
                     if getattr(row, field))


def reflections(session: Session, *, learner_id: int) -> list[Reflection]:
    return list(session.exec(select(Reflection).where(Reflection.learner_id == learner_id)
                             .order_by(col(Reflection.created_at), col(Reflection.id))))


def attach(session: Session, *, row: Reflection, unit_code: str, ref: str) -> bool:
    """Use the reflection as evidence on an AC; False when it already is."""
    exists = session.exec(select(ReflectionAc).where(
        ReflectionAc.reflection_id == id_of(row), ReflectionAc.unit_code == unit_code,
        ReflectionAc.ref == ref)).first()
    if exists is not None:
        return False
    session.add(ReflectionAc(learner_id=row.learner_id, reflection_id=id_of(row),
                             unit_code=unit_code, ref=ref))
    session.flush()
    return True


def evidence(session: Session, *, learner_id: int,
             unit_code: str | None = None) -> dict[str, list[Reflection]]:
    """AC key ("5015V1 2.3") -> the reflections used as evidence on it."""
    query = select(ReflectionAc, Reflection).where(
        ReflectionAc.learner_id == learner_id, ReflectionAc.reflection_id == Reflection.id)
    if unit_code is not None:
        query = query.where(ReflectionAc.unit_code == unit_code)
    out: dict[str, list[Reflection]] = {}
    for link, row in session.exec(query.order_by(col(Reflection.created_at))):
        out.setdefault(f"{link.unit_code} {link.ref}", []).append(row)
    return out


def set_weekly_prompt(session: Session, *, person: Person, weekday: int | None,
                      at: time | None, now: datetime) -> datetime | None:
    """The weekly prompt to /reflect: stored, and its next reminder row queued (None: off)."""
    person.reflect_weekday, person.reflect_time = weekday, f"{at:%H:%M}" if at else None
    session.add(person)
    reminders.cancel_pending(session, col(Reminder.learner_id) == person.id,
                             col(Reminder.kind) == ReminderKind.reflect.value)
    return schedule_weekly_prompt(session, person=person, now=now)


WEEKLY_TEXT = "🪞 Time for this week's reflection: /reflect walks you through it."


def schedule_weekly_prompt(session: Session, *, person: Person, now: datetime) -> datetime | None:
    """Queue the next weekly prompt after `now` (also when one is sent)."""
    if person.reflect_weekday is None or person.reflect_time is None:
        return None
    when = next_weekly(now, zone(person.timezone), person.reflect_weekday,
                       time.fromisoformat(person.reflect_time))
    reminders.enqueue(session, kind=ReminderKind.reflect, chat_id=person.telegram_id,
                      text=WEEKLY_TEXT, due_at=when, learner_id=id_of(person))
    return when


def set_awaiting(session: Session, *, person: Person, what: str | None) -> None:
    """What the person's next plain message answers ("session:3:goal", "reflection:2",
    "feedback:5"), or None."""
    person.awaiting = what
    session.add(person)

