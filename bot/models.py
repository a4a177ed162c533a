"""Tables. Schema changes go through the Alembic migrations in `bot/migrations/`.

Times are time-zone-aware datetimes stored in UTC (sqlmodel's UTCDateTime: SQLite keeps UTC
without an offset, PostgreSQL a timestamptz) and shown in the learner's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


DEFAULT_TIMEZONE = "Europe/London"


def utcnow() -> datetime:
    """Now, in UTC, time-zone aware."""
    return datetime.now(UTC)


class Role(str, Enum):
    learner = "learner"
    tutor = "tutor"
    admin = "admin"


class AcState(str, Enum):
    """Where a learner is with one assessment criterion; the checklist cycles through these."""

    not_started = "not_started"
    drafting = "drafting"
    done = "done"
    signed_off = "signed_off"


class Learner(SQLModel, table=True):
    """Anyone who has talked to the bot (learners and tutors alike)."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    name: str = ""
    username: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    role: Role = Role.learner
    qualification: str | None = None
    last_unit: str | None = None
    quiet_start: str | None = None  # "22:00": only same-day reminders are sent from here...
    quiet_end: str | None = None  # ..."07:00" until here, local time
    blocked_at: datetime | None = None  # the user blocked the bot: nothing more is sent
    nudged_at: datetime | None = None  # last "we miss you" nudge, so it is sent once per lull
    digest_weekday: int | None = None  # tutors: weekly /today digest, 0 = Monday...
    digest_time: str | None = None  # ...at this local time, "08:00"
    created_at: datetime = Field(default_factory=utcnow)
    last_active_at: datetime = Field(default_factory=utcnow)


class EnrolledUnit(SQLModel, table=True):
    """A unit the learner studies (chosen at onboarding or implied by the qualification)."""

    __table_args__ = (UniqueConstraint("learner_id", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    unit_code: str


class AcStatus(SQLModel, table=True):
    """A learner's progress on one AC; absent means not started."""

    __table_args__ = (UniqueConstraint("learner_id", "unit_code", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    unit_code: str
    ref: str
    state: AcState = AcState.not_started
    note: str | None = None
    evidence_url: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class UnitTarget(SQLModel, table=True):
    """When the learner means to finish a unit: /progress says whether they are on track."""

    __table_args__ = (UniqueConstraint("learner_id", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    unit_code: str
    started_on: date
    target_on: date


class PdpReview(SQLModel, table=True):
    """A personal development plan review date; a recurring one schedules its successor when
    it is marked done."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    title: str
    due_on: date
    every_weeks: int | None = None
    done_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Cohort(SQLModel, table=True):
    """A tutor's group of learners on one qualification, joined by an invite link."""

    __table_args__ = (UniqueConstraint("tutor_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    tutor_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    name: str
    qualification: str
    invite_code: str | None = Field(default=None, unique=True)  # None: revoked
    group_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, unique=True))
    nudges: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class CohortMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cohort_id", "learner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    joined_at: datetime = Field(default_factory=utcnow)


class PushTarget(str, Enum):
    members = "members"
    group = "group"
    both = "both"


class Push(SQLModel, table=True):
    """A reminder a tutor pushes to a cohort: one reminder row per recipient once its target
    is chosen."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    text: str
    due_at: datetime
    target: PushTarget | None = None  # None until the tutor chose
    cancelled_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReminderStatus(str, Enum):
    pending = "pending"
    sending = "sending"  # claimed by a dispatcher; the claim expires if it dies
    sent = "sent"
    blocked = "blocked"  # the recipient blocked the bot
    failed = "failed"  # gave up after repeated errors
    cancelled = "cancelled"


class Reminder(SQLModel, table=True):
    """A message due at a time: a row, so it survives restarts and is sent exactly once."""

    __table_args__ = (Index("ix_reminder_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int | None = Field(default=None, foreign_key="learner.id", index=True,
                                   ondelete="CASCADE")
    pdp_review_id: int | None = Field(default=None, foreign_key="pdpreview.id",
                                      ondelete="CASCADE")
    push_id: int | None = Field(default=None, foreign_key="push.id", index=True,
                                ondelete="CASCADE")
    kind: str = "text"  # "text", or "digest": the tutor's /today, written when sent
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    text: str
    due_at: datetime
    same_day: bool = False  # may be sent inside the learner's quiet hours
    status: ReminderStatus = ReminderStatus.pending
    attempts: int = 0
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CoachingSession(SQLModel, table=True):
    """Coaching or mentoring delivered by the learner (ILM D5.03 asks for 12 hours)."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    held_on: date
    minutes: int
    coachee: str = ""
    notes: str = ""
    created_at: datetime = Field(default_factory=utcnow)
