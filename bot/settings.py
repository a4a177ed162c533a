"""The bot's settings, read once from the environment (and a `.env` file beside the project)."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Everything configurable; the defaults run a local bot on SQLite."""

    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    telegram_bot_token: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = f"sqlite:///{ROOT / 'data' / 'bot.sqlite3'}"
    # How often due reminders are looked for, and when a claim by a dead process expires.
    reminder_interval_seconds: float = 30
    reminder_claim_seconds: float = 300
    reminder_batch: int = 20  # reminders claimed per tick, per process
    # Messages a second this process sends at most (Telegram allows a bot about 30 in all:
    # with several workers, divide it between them).
    rate_limit_per_second: float = 30
    # Telegram user ids, comma-separated: tutors may run cohorts; admins may also promote tutors.
    tutor_ids: str = ""
    admin_ids: str = ""
    # A cohort member quiet for this many days gets one friendly nudge.
    nudge_after_days: int = 14
    # Webhook mode (`python -m bot webhook`): Telegram posts to WEBHOOK_URL, which a load
    # balancer forwards to PORT on each worker; WEBHOOK_SECRET is checked on every request.
    webhook_url: str = ""
    webhook_secret: str = ""
    port: int = 8080
    webhook_listen: str = "0.0.0.0"

    @property
    def tutors(self) -> frozenset[int]:
        return _ids(self.tutor_ids)

    @property
    def admins(self) -> frozenset[int]:
        return _ids(self.admin_ids)

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, url: str) -> str:
        """Platforms hand out `postgres://` URLs; SQLAlchemy wants the driver named. An empty
        value (as in .env.example) means the default SQLite file."""
        if not url.strip():
            return f"sqlite:///{ROOT / 'data' / 'bot.sqlite3'}"
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url

    @field_validator("telegram_api_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @property
    def bot_api_base_url(self) -> str:
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_file_base_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"


def _ids(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.replace(" ", "").split(",") if part.lstrip("-").isdigit())
