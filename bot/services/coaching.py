"""The coaching log for ILM D5.03, which asks for at least 12 hours of delivered coaching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.services.tables import CoachingSession
from content.catalogue import Catalogue

LOG_UNIT = "D5.03"  # the ILM unit that asks for delivered coaching hours

_DURATION = re.compile(
    r"^(?:(?P<h>\d{1,6}(?:\.\d{1,2})?)\s*(?:h|hrs?|hours?)"
    r"(?:\s*(?P<hm>\d{1,2})\s*(?:m|mins?|minutes?)?)?"
    r"|(?P<m>\d{1,6})\s*(?:m|mins?|minutes?))(?=\s|$|[:—–-])", re.I)
MAX_MINUTES = 12 * 60  # longer is a typing slip, not one session
_SEPARATOR = re.compile(r"\s*:\s+|\s+[—–-]\s+")


class LogError(ValueError):
    """A log line that cannot be read; the message shows the form."""


@dataclass(frozen=True)
class LogEntry:
    minutes: int
    coachee: str
    notes: str


def parse_log(text: str) -> LogEntry:
    """"90m Sam — goal setting session", "1h30 Sam: review", "1.5h Sam"."""
    match = _DURATION.match(text.strip())
    if not match:
        raise LogError("Start with how long it was, e.g. /log 90m Sam — goal setting session")
    minutes = round(float(match["h"] or 0) * 60) + int(match["hm"] or match["m"] or 0)
    if not 1 <= minutes <= MAX_MINUTES:
        raise LogError(f"{match.group(0).strip()} is not a session's length: a session is "
                       f"between 1 minute and {MAX_MINUTES // 60} hours long, e.g. /log 90m Sam.")
    rest = text.strip()[match.end():].strip()
    parts = _SEPARATOR.split(rest, maxsplit=1)
    coachee, notes = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    return LogEntry(minutes, coachee[:100], notes[:1000])


def log_session(session: Session, *, learner_id: int, entry: LogEntry,
                held_on: date) -> CoachingSession:
    row = CoachingSession(learner_id=learner_id, held_on=held_on, minutes=entry.minutes,
                          coachee=entry.coachee, notes=entry.notes)
    session.add(row)
    session.flush()
    return row


def sessions(session: Session, *, learner_id: int) -> list[CoachingSession]:
    return list(session.exec(select(CoachingSession)
                             .where(CoachingSession.learner_id == learner_id)
                             .order_by(col(CoachingSession.held_on), col(CoachingSession.id))))


def hours_required(catalogue: Catalogue) -> int:
    """The hours of coaching ILM D5.03 asks a learner to deliver (12)."""
    return catalogue.units[LOG_UNIT].delivery_hours_required or 12


def hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min"
