"""Migrations build the schema from empty on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import bot.services.tables  # noqa: F401
from bot.services.database import migrate

pytestmark = pytest.mark.database


def test_upgrade_from_empty_creates_every_table_of_the_models(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []
    migrate(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables and "alembic_version" in tables
    migrate(empty_engine)  # idempotent: already at head
