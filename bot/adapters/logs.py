"""Logging for the running bot: one format, and no secret in any line.

The bot token and the webhook secret are replaced wherever they appear, tracebacks included
(python-telegram-bot puts the token in request URLs and in its InvalidToken message), and so
is anything shaped like a bot token. Personal data stays out by construction: the engine hides
SQL parameters (`bot.services.database.make_engine`), and log lines name rows by id.
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# "<bot id>:<35 characters>", as @BotFather hands them out.
TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
HIDDEN = "[redacted]"


class Redacting(logging.Formatter):
    """A formatter that removes the given secrets (and token-shaped text) from every line."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__(FORMAT)
        self.secrets = sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, HIDDEN)
    return TOKEN_SHAPE.sub(HIDDEN, text)


def secrets_of(token: str, webhook_secret: str) -> list[str]:
    """What must never be logged: the token, its secret half alone, the webhook secret."""
    return [token, token.partition(":")[2], webhook_secret]


def setup(secrets: list[str]) -> None:
    """Log to standard error at INFO, redacted; quiet the chatty libraries."""
    handler = logging.StreamHandler()
    handler.setFormatter(Redacting(secrets))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for noisy in ("httpx", "sentence_transformers", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
