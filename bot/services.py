"""Builds what a running bot needs from the settings: catalogue, retriever, database, chat."""

from __future__ import annotations

import logging

from bot.chat import Chat
from bot.db import make_engine, migrate
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
    engine = make_engine(settings.database_url)
    migrate(engine)
    catalogue = load_catalogue()
    retriever = Retriever(catalogue)
    if warm:
        retriever.warm()
    return Chat(catalogue, retriever, engine, bot_username=bot_username,
                tutors=settings.tutors | settings.admins, admins=settings.admins,
                quiet_days=settings.nudge_after_days)
