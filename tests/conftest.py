"""Shared fixtures: the catalogue, one embedding model per test session, and databases.

The database under test is chosen by DATABASE_URL, as in production: unset means a fresh
SQLite file per test; a PostgreSQL URL means that server, with the schema dropped and
migrated from empty for each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from bot.services.database import make_engine, migrate
from content.catalogue import Catalogue
from content.loader import load_catalogue
from index.dense import Embedder
from index.retriever import Retriever
from index.settings import IndexSettings, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(IndexSettings().model)


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> IndexSettings:
    return IndexSettings(index_dir=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def retriever(catalogue: Catalogue, embedder: Embedder,
              index_settings: IndexSettings) -> Retriever:
    retriever = Retriever(catalogue, index_settings, embedder=embedder)
    retriever.warm()
    return retriever


def database_url(tmp_path: Path) -> str:
    """The database for one test: DATABASE_URL's server, or a new SQLite file."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return Settings(database_url=configured).database_url
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


_CREATED: list[str] = []


def own_database(tmp_path: Path, server: str | None = None) -> str:
    """A database no other test uses: a new SQLite file, or on PostgreSQL (DATABASE_URL's,
    or `server`) a new database named after this process and the temporary folder. Bot
    processes get one each, so a process left running by one test module never claims another
    test's reminders, and the SQLite and PostgreSQL runs of the suite can share the server."""
    url = Settings(database_url=server).database_url if server else database_url(tmp_path)
    if not url.startswith("postgresql"):
        return url
    location = make_url(url)
    name = f"{location.database}_{os.getpid()}_{tmp_path.name}".lower()
    admin = create_engine(location, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    created = location.set(database=name).render_as_string(hide_password=False)
    _CREATED.append(created)
    return created


@pytest.fixture(scope="session", autouse=True)
def drop_own_databases() -> Iterator[None]:
    """The databases `own_database` made are dropped when the session ends."""
    yield
    for url in _CREATED:
        location = make_url(url)
        admin = create_engine(location.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{location.database}" WITH (FORCE)'))
        admin.dispose()


def reset(engine: Engine) -> None:
    """PostgreSQL: drop everything so each test migrates from empty."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables at all."""
    engine = make_engine(database_url(tmp_path))
    reset(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A database migrated to the newest schema."""
    migrate(empty_engine)
    return empty_engine
