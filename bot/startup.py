"""Builds what a running bot needs from the settings: database, catalogue, retriever, and the
`Chat` every adapter drives."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from bot.conversation.chat import Chat
from bot.services.database import (
    DatabaseUnavailable,
    check_writable,
    explain_failure,
    make_engine,
    migrate,
)
from bot.services.reminders import RetryPolicy
from content.loader import load_catalogue
from index.retriever import Retriever
from index.settings import IndexSettings, Settings


def build_chat(settings: Settings, *, warm: bool = True) -> Chat:
    """A ready Chat: schema migrated, index loaded (or rebuilt when stale).

    Args:
        warm: load the embedding model and index now, so the first question is fast (the
            console); the one-shot `ask` command leaves it to the first search that needs it,
            and the Telegram modes to a background load once connected.
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
    retriever = Retriever(catalogue, IndexSettings.from_settings(settings))
    if warm:
        retriever.warm()
    retry = RetryPolicy(first_wait=settings.reminder_retry_first_seconds,
                        max_wait=settings.reminder_retry_max_seconds,
                        give_up_after=settings.reminder_give_up_seconds)
    return Chat(catalogue, retriever, engine, tutors=settings.tutors, admins=settings.admins,
                inactive_after_days=settings.inactive_after_days, retry=retry)
