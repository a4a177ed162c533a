"""Tables. Schema changes go through the Alembic migrations in `bot/services/migrations/`.

Times are time-zone-aware datetimes stored in UTC (sqlmodel's UTCDateTime: SQLite keeps UTC
without an offset, PostgreSQL a timestamptz) and shown in the learner's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Protocol

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

DEFAULT_TIMEZONE = "Europe/London"


def utcnow() -> datetime:
    """Now, in UTC, time-zone aware."""
    return datetime.now(UTC)


class _Saved(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: _Saved) -> int:
    """The id of a row already in the database (flushed): tables declare `id: int | None`
    because a new row has none yet."""
    assert row.id is not None, f"{type(row).__name__} not flushed yet"
    return row.id


class Role(str, Enum):
    """What a person may do, each including the one before: learners study, tutors also run
    cohorts, admins also promote tutors. Commands declare the least role they need."""

    learner = "learner"
    tutor = "tutor"
    admin = "admin"

    def includes(self, other: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(other)


class AcState(str, Enum):
    """Where a learner is with one assessment criterion; the checklist cycles through these."""

    not_started = "not_started"
    drafting = "drafting"
    done = "done"
    signed_off = "signed_off"


class Person(SQLModel, table=True):
    """Anyone who has talked to the bot: learners, tutors and admins (`role`). The table keeps
    its first name, `learner`, and so do the `learner_id` columns of what a learner owns."""

    __tablename__ = "learner"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    name: str = ""
    username: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    role: Role = Role.learner  # as promoted; TUTOR_IDS and ADMIN_IDS add to it
    qualification: str | None = None
    last_unit: str | None = None
    quiet_start: str | None = None  # quiet hours from "22:00": only same-day reminders...
    quiet_end: str | None = None  # ..."07:00" until here, local time
    blocked_at: datetime | None = None  # the user blocked the bot: nothing more is sent
    nudged_at: datetime | None = None  # last nudge while inactive: one per spell of inactivity
    digest_weekday: int | None = None  # tutors: weekly /today digest, 0 = Monday...
    digest_time: str | None = None  # ...at this local time, "08:00"
    awaiting: str | None = None  # what the next plain message answers: "session:3:goal"...
    reflect_weekday: int | None = None  # learners: weekly /reflect prompt, 0 = Monday...
    reflect_time: str | None = None  # ...at this local time, "18:00"
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
    draft_checks: bool = True  # members may have drafts checked (/drafts NAME off stops it)
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
    """A reminder a tutor pushes to a cohort: one reminder row per recipient made when it
    falls due (`expanded_at`), so it reaches the members the cohort has then."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    text: str
    due_at: datetime
    target: PushTarget | None = None  # None until the tutor chose
    cancelled_at: datetime | None = None
    expanded_at: datetime | None = None  # when its reminder rows were made
    created_at: datetime = Field(default_factory=utcnow)


class ReminderKind(str, Enum):
    """Why a reminder row exists; stored as text in `reminder.kind`."""

    text = "text"  # a plain message (rows written before kinds were told apart)
    pdp_review = "pdp_review"  # before a PDP review, or snoozed; sent with the review's buttons
    push = "push"  # a tutor's pushed reminder to a member or the cohort's group
    nudge = "nudge"  # a friendly word to an inactive cohort member
    sign_off = "sign_off"  # a learner told that their tutor signed an AC off
    digest = "digest"  # a tutor's weekly /today, written when it is sent
    reflect = "reflect"  # a learner's weekly prompt to /reflect; the next is queued when sent
    plan = "plan"  # an assignment plan's checkpoint (outline, first draft, self-check, submit)


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
    kind: str = ReminderKind.text.value  # a ReminderKind
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    text: str
    due_at: datetime
    same_day: bool = False  # may be sent inside the learner's quiet hours
    status: ReminderStatus = ReminderStatus.pending
    attempts: int = 0
    claimed_at: datetime | None = None  # renewed while its worker lives (a heartbeat)
    claimed_by: str | None = None  # the worker holding the claim
    first_tried_at: datetime | None = None  # retries give up a while after this
    retry_at: datetime | None = None  # after a failed try: not before this
    uncertain: bool = False  # an earlier try may have arrived (timed out, or its worker died)
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CoachingSession(SQLModel, table=True):
    """Coaching or mentoring delivered by the learner (ILM D5.03 asks for 12 hours), filled in
    by /log's form one step at a time; `form_step` is the step it stopped at (None: done)."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    held_on: date
    minutes: int
    coachee: str = ""  # a pseudonym
    notes: str = ""  # the rest of /log's first line
    kind: str | None = None  # "coaching" or "mentoring"
    goal: str = ""
    model: str = ""  # GROW, OSKAR... (a model of the catalogue, or the learner's own words)
    outcome: str = ""  # what happened and the outcome
    feedback: str = ""  # from the coachee or an observer, as the learner noted it
    supervision: str = ""
    form_step: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class FeedbackRequest(SQLModel, table=True):
    """A one-time link for a supervisor or observer to give feedback on one session. Only a
    hash of the token is kept: the link is shown once, to the learner who asked."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    session_id: int = Field(foreign_key="coachingsession.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(unique=True)
    role: str = "supervisor"  # supervisor, observer, peer or coachee
    expires_at: datetime
    opened_by: int | None = Field(default=None, sa_column=Column(BigInteger))  # Telegram id
    answer: str | None = None
    answered_by: str = ""  # the name Telegram gave for whoever answered
    answered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Reflection(SQLModel, table=True):
    """A reflective journal entry through Gibbs' six stages; `stage` is the next one to
    answer (6: finished)."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    stage: int = 0
    description: str = ""
    feelings: str = ""
    evaluation: str = ""
    analysis: str = ""
    conclusion: str = ""
    action_plan: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ReflectionAc(SQLModel, table=True):
    """A reflection used as evidence on one AC: shown on that AC's checklist line."""

    __table_args__ = (UniqueConstraint("reflection_id", "unit_code", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True, ondelete="CASCADE")
    reflection_id: int = Field(foreign_key="reflection.id", index=True, ondelete="CASCADE")
    unit_code: str
    ref: str


class SendBudget(SQLModel, table=True):
    """The one token bucket that webhook workers on PostgreSQL share for their sends to
    Telegram (see `bot.services.send_budget`); one row, id 1. Unused on SQLite."""

    __tablename__ = "send_budget"

    id: int | None = Field(default=None, primary_key=True)
    tokens: float
    updated_at: datetime
