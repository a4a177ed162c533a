"""Builds what a running bot needs from the settings: catalogue, retriever, database, chat."""

from __future__ import annotations

import logging

from bot.chat import Chat
from sqlalchemy.exc import OperationalError

from bot.db import DatabaseUnavailable, check_writable, explain_failure, make_engine, migrate
from bot.settings import Settings
from content.loader import load_catalogue
from index.retriever import Retriever

log = logging.getLogger(__name__)


def build_chat(settings: Settings, *, bot_username: str | None = None,
               warm: bool = True) -> Chat:
    """A ready Chat: schema migrated, index loaded (or rebuilt when stale).

    Args:
        warm: load the embedding model and index now, so the first question is fast; the
            one-shot `ask` command leaves it to the first search that needs it.
    """
    try:
        engine = make_engine(settings.database_url)
    except OSError as exc:
        raise DatabaseUnavailable(f"Cannot create the database folder for "
                                  f"{settings.database_url}: {exc}.") from exc
    try:
        migrate(engine)
    except OperationalError as exc:
        raise DatabaseUnavailable(explain_failure(engine, exc)) from exc
    check_writable(engine)
    catalogue = load_catalogue()
    retriever = Retriever(catalogue)
    if warm:
        retriever.warm()
    return Chat(catalogue, retriever, engine, bot_username=bot_username,
                tutors=settings.tutors | settings.admins, admins=settings.admins,
                quiet_days=settings.nudge_after_days)
