"""Alembic environment: the engine is handed in by `bot.services.database.migrate` (or made
from DATABASE_URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bot.services.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from bot.services.database import make_engine
from index.settings import Settings

engine = context.config.attributes.get("engine") or make_engine(Settings().database_url)

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
