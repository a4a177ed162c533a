"""Tables. Schema changes go through the Alembic migrations in `bot/migrations/`.

Times are time-zone-aware datetimes stored in UTC (sqlmodel's UTCDateTime: SQLite keeps UTC
without an offset, PostgreSQL a timestamptz) and shown in the learner's time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


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
    timezone: str = "Europe/London"
    role: Role = Role.learner
    qualification: str | None = None
    last_unit: str | None = None
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
    updated_at: datetime = Field(default_factory=utcnow)
