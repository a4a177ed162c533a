"""The database: one engine per process, sessions, and migrations to head at start."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"

log = logging.getLogger(__name__)

# What a database that cannot be written raises: a read-only SQLite file or a full disk
# (OperationalError), PostgreSQL in a read-only transaction (InternalError), a server gone.
WRITE_ERRORS = (OperationalError, InternalError)


SQLITE_BUSY_SECONDS = 30


class DatabaseUnavailable(Exception):
    """The database cannot be opened or written; the message says what to do."""


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder created, a new file readable by its owner
    only (0600: it holds learners' data), and foreign keys switched on. SQL parameters are kept
    out of error messages, so PDP titles and notes never reach a log."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if "?" not in url and not path.exists():  # SQLite's journals copy this mode
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    # Handlers run the services in worker threads: a pooled SQLite connection may be used by
    # another thread than the one that opened it (never by two at once). Several updates are
    # handled at once, so a write that finds the file locked waits for it (up to
    # SQLITE_BUSY_SECONDS) rather than failing.
    connect_args: dict[str, Any] = ({"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
                                    if url.startswith("sqlite") else {})
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args,
                           hide_parameters=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Any fixed number: the PostgreSQL advisory lock that lets one of several starting workers
# migrate while the others wait (and then find the schema already at head).
MIGRATION_LOCK = 726_354_1


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    if engine.dialect.name != "postgresql":
        command.upgrade(alembic_config(engine), "head")
        return
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            command.upgrade(alembic_config(engine), "head")
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def check_writable(engine: Engine) -> None:
    """Fail at start, with a clear message, when the database cannot be written (a
    read-only SQLite file, a full disk, a server that refuses the connection)."""
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
    except OperationalError as exc:
        raise DatabaseUnavailable(explain_failure(engine, exc)) from exc


def ping(engine: Engine) -> None:
    """Raises when the database does not answer (the webhook's health check)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def reason_of(exc: DBAPIError) -> str:
    """The driver's first line ("attempt to write a readonly database"), never the SQL or its
    parameters."""
    return str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__


class Outage:
    """Whether `what` can write to the database, told to the log once when writing starts to
    fail and once when it works again: a job retrying every few seconds must not write one
    line per try."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.failures = 0  # since the outage began (0: none)
        self._lock = threading.Lock()  # messages are answered in several threads

    def failed(self, exc: DBAPIError) -> None:
        with self._lock:
            self.failures += 1
            first = self.failures == 1
        if first:
            log.error("%s: the database cannot be written (%s); carrying on, logged again "
                      "when it recovers", self.what, reason_of(exc))

    def worked(self) -> None:
        with self._lock:
            failures, self.failures = self.failures, 0
        if failures:
            log.warning("%s: the database can be written again (%d failed attempts meanwhile)",
                        self.what, failures)


def explain_failure(engine: Engine, exc: OperationalError) -> str:
    reason = reason_of(exc)
    where = engine.url.render_as_string(hide_password=True)
    if "readonly" in reason or "read-only" in reason:
        hint = "the file or its folder is read-only: fix its permissions or set DATABASE_URL"
    elif "disk" in reason and "full" in reason:
        hint = "the disk is full: free some space"
    else:
        hint = "check DATABASE_URL and that the database server is running"
    return f"Cannot write to the database at {where}: {reason} ({hint})."


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def hold_write_lock(session: Session) -> None:
    """On SQLite, take the database's write lock before this transaction reads anything, so
    what it reads cannot change before it writes: two dispatchers claiming at once (the tick
    and a "now" push) would otherwise both read a due push or row as free and both take it,
    because the SQLite driver only begins a transaction at the first write. PostgreSQL's row
    locks (FOR UPDATE SKIP LOCKED) already keep them apart. Call it first in the session."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
