"""What the bot keeps about a learner, handed back: the PDP calendar (.ics), everything as
JSON, and deletion. A tutor's cohorts hold other people's memberships and reminders: they are
shown in the export but must be handed over (`cohorts.hand_over`) before deletion."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, col, select

from bot.services.tables import (
    AcStatus,
    CoachingSession,
    Cohort,
    CohortMember,
    EnrolledUnit,
    FeedbackRequest,
    PdpReview,
    Person,
    Push,
    Reflection,
    ReflectionAc,
    Reminder,
    UnitTarget,
)

# What a learner owns, in deletion order: reminders refer to PDP reviews, feedback requests
# to sessions, evidence links to reflections.
_OWNED: list[type[Reminder | EnrolledUnit | AcStatus | UnitTarget | PdpReview |
                  FeedbackRequest | CoachingSession | ReflectionAc | Reflection |
                  CohortMember]] = [
    Reminder, EnrolledUnit, AcStatus, UnitTarget, PdpReview, FeedbackRequest, CoachingSession,
    ReflectionAc, Reflection, CohortMember]


def calendar_file(reviews: list[PdpReview], now: datetime) -> bytes:
    """All-day events for the open PDP reviews, each with a reminder the day before."""
    cal = Calendar()
    cal.add("prodid", "-//cm-study-assistant//PDP reviews//EN")
    cal.add("version", "2.0")
    for review in reviews:
        event = Event()
        event.add("uid", f"pdp-review-{review.id}@cm-study-assistant")
        event.add("summary", f"PDP review: {review.title}")
        event.add("dtstart", review.due_on)
        event.add("dtend", review.due_on + timedelta(days=1))
        event.add("dtstamp", now)
        if review.every_weeks:
            event.add("rrule", {"freq": "weekly", "interval": review.every_weeks})
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"PDP review tomorrow: {review.title}")
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def everything(session: Session, learner: Person) -> bytes:
    """Every row stored about the learner, as one JSON document: their own rows, the cohorts
    they belong to, and for a tutor the cohorts they lead and the reminders pushed to them."""
    doc: dict[str, Any] = {"learner": learner.model_dump(mode="json")}
    for model in _OWNED:
        rows = session.exec(select(model).where(col(model.learner_id) == learner.id))
        doc[str(model.__tablename__)] = [row.model_dump(mode="json") for row in rows]
    joined = session.exec(select(Cohort).join(CohortMember).where(
        CohortMember.learner_id == learner.id))
    doc["member_of"] = [{"cohort": c.name, "qualification": c.qualification} for c in joined]
    led = session.exec(select(Cohort).where(Cohort.tutor_id == learner.id)).all()
    doc["cohorts_led"] = [c.model_dump(mode="json") for c in led]
    pushes = session.exec(select(Push).where(col(Push.cohort_id).in_([c.id for c in led])))
    doc["pushes"] = [p.model_dump(mode="json") for p in pushes]
    return json.dumps(doc, indent=1, ensure_ascii=False).encode()


def forget(session: Session, learner: Person) -> None:
    """Delete the learner and everything that belongs to them; never a cohort they lead (the
    database would take its members' memberships and reminders with it)."""
    if session.exec(select(Cohort).where(Cohort.tutor_id == learner.id)).first() is not None:
        raise ValueError("hand the cohorts over before deleting their tutor")
    for model in _OWNED:
        for row in session.exec(select(model).where(col(model.learner_id) == learner.id)):
            session.delete(row)
        session.flush()
    session.delete(learner)
