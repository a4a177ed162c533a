"""What the bot keeps about a learner, handed back: the PDP calendar (.ics), everything as
JSON, and deletion."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, col, select

from bot.services.tables import (
    AcStatus,
    CoachingSession,
    EnrolledUnit,
    FeedbackRequest,
    PdpReview,
    Person,
    Reflection,
    ReflectionAc,
    Reminder,
    UnitTarget,
)

# What a learner owns, in deletion order: reminders refer to PDP reviews, feedback requests
# to sessions, evidence links to reflections.
_OWNED: list[type[Reminder | EnrolledUnit | AcStatus | UnitTarget | PdpReview |
                  FeedbackRequest | CoachingSession | ReflectionAc | Reflection]] = [
    Reminder, EnrolledUnit, AcStatus, UnitTarget, PdpReview, FeedbackRequest, CoachingSession,
    ReflectionAc, Reflection]


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
    """Every row stored about the learner, as one JSON document."""
    doc: dict[str, Any] = {"learner": learner.model_dump(mode="json")}
    for model in _OWNED:
        rows = session.exec(select(model).where(col(model.learner_id) == learner.id))
        doc[str(model.__tablename__)] = [row.model_dump(mode="json") for row in rows]
    return json.dumps(doc, indent=1, ensure_ascii=False).encode()


def forget(session: Session, learner: Person) -> None:
    """Delete the learner and everything that belongs to them."""
    for model in _OWNED:
        for row in session.exec(select(model).where(col(model.learner_id) == learner.id)):
            session.delete(row)
        session.flush()
    session.delete(learner)
