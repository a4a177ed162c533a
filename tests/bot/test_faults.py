"""Faults the bot meets in production: Telegram answering 429 with retry_after, 403 (blocked),
400 (chat not found), dropped connections; the database dropping every connection under it;
an unwritable SQLite file at start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services.database import make_engine, migrate
from bot.services.tables import Person, Reminder, ReminderStatus, utcnow
from tests.bot import test_outages
from tests.bot.conftest import ROOT, Conversation
from tests.emulator import BotApiEmulator

# This module's bot retries a failed send after about a second, as the outage tests' does
# (production waits 15-30 s before the first retry, which the 30 s checks here would race).
bot_process = test_outages.bot_process

pytestmark = [pytest.mark.database]


def add_reminder(url: str, chat_id: int, text_: str, learner: bool = True) -> int:
    """A reminder due now for a (new) learner, written straight into the bot's database."""
    engine = make_engine(url)
    with Session(engine) as session:
        owner = None
        if learner:
            owner = Person(telegram_id=chat_id, name="Faulty")
            session.add(owner)
            session.flush()
        row = Reminder(learner_id=owner.id if owner else None, chat_id=chat_id, text=text_,
                       due_at=utcnow() - timedelta(seconds=1))
        session.add(row)
        session.commit()
        reminder_id = row.id
    engine.dispose()
    return reminder_id  # type: ignore[return-value]


def status_of(url: str, reminder_id: int) -> tuple[ReminderStatus, Person | None]:
    engine = make_engine(url)
    with Session(engine) as session:
        row = session.get(Reminder, reminder_id)
        owner = session.get(Person, row.learner_id) if row and row.learner_id else None
        result = (row.status, owner)  # type: ignore[union-attr]
    engine.dispose()
    return result


def wait_status(url: str, reminder_id: int, wanted: ReminderStatus) -> Person | None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, owner = status_of(url, reminder_id)
        if status == wanted:
            return owner
        time.sleep(0.2)
    raise AssertionError(f"reminder {reminder_id} is {status}, not {wanted}")


def test_429_is_waited_out_and_the_reply_arrives(emulator: BotApiEmulator, talk) -> None:
    me: Conversation = talk()
    emulator.fault("sendMessage", "429", retry_after=2, chat_id=me.chat.id)
    started = time.monotonic()
    assert "5015V1" in me.send("/ac 5015 2.3").text
    assert time.monotonic() - started >= 2
    assert any(f.error and "Too Many Requests" in f.error for f in emulator.failed)


def test_a_blocked_user_is_marked_and_not_retried(emulator: BotApiEmulator, bot_process,
                                                  bot_database: str) -> None:
    emulator.private_chat(emulator.user(7301, "Blocker"))
    # Its my_chat_member update never reaches the bot, so the 403 is what tells it
    # (the update's own path: tests/bot/test_e2e_members.py).
    emulator.block(7301, tell_bot=False)
    reminder = add_reminder(bot_database, 7301, "never delivered")
    owner = wait_status(bot_database, reminder, ReminderStatus.blocked)
    assert owner is not None and owner.blocked_at is not None
    attempts = [f for f in emulator.failed if f.chat_id == 7301]
    time.sleep(2.5)  # more dispatcher ticks: no more attempts
    assert [f for f in emulator.failed if f.chat_id == 7301] == attempts and len(attempts) == 1


def test_chat_not_found_is_given_up(emulator: BotApiEmulator, bot_process,
                                    bot_database: str) -> None:
    emulator.private_chat(emulator.user(7302, "Gone"))
    emulator.fault("sendMessage", "400", chat_id=7302)
    reminder = add_reminder(bot_database, 7302, "to nowhere")
    wait_status(bot_database, reminder, ReminderStatus.failed)


def test_a_dropped_connection_is_retried_and_delivered_once(emulator: BotApiEmulator,
                                                            bot_process,
                                                            bot_database: str) -> None:
    emulator.private_chat(emulator.user(7303, "Flaky"))
    emulator.fault("sendMessage", "drop", chat_id=7303)
    reminder = add_reminder(bot_database, 7303, "after a reset")
    wait_status(bot_database, reminder, ReminderStatus.sent)
    assert [r.text for r in emulator.sent(7303)] == ["after a reset"]


def test_the_bot_survives_the_database_dropping_its_connections(emulator: BotApiEmulator,
                                                                talk, bot_database: str) -> None:
    me: Conversation = talk()
    assert "5015V1" in me.send("/ac 5015 2.3").text
    engine = make_engine(bot_database)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":  # what a server restart does to clients
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            connection.commit()
    engine.dispose()
    assert "7016V1" in me.send("/unit 7016").text
    assert "Checklist" in me.send("/checklist 5015").text


@pytest.mark.parametrize("url,expected", [
    ("sqlite:///file:{folder}/db.sqlite3?mode=ro&uri=true", "read-only"),
    ("sqlite:////proc/no-such-place/bot.sqlite3", "Cannot create the database folder"),
])
def test_an_unwritable_sqlite_database_is_reported_clearly_at_start(tmp_path: Path, url: str,
                                                                   expected: str) -> None:
    if "mode=ro" in url:  # a database that exists, opened read-only
        make_engine(f"sqlite:///{tmp_path}/db.sqlite3").connect().close()
    env = {**os.environ, "DATABASE_URL": url.format(folder=tmp_path), "TELEGRAM_BOT_TOKEN": "1:x",
           "TELEGRAM_API_URL": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert expected in done.stderr and "Traceback" not in done.stderr


def test_a_refused_token_is_reported_clearly_and_never_printed(tmp_path: Path) -> None:
    token = "999001:AAHsecretPartOfTheTokenThatMustNotLeak"
    with BotApiEmulator(token="123456:TEST") as emu:  # answers 401 to any other token
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": emu.api_url,
               "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "HF_HUB_OFFLINE": "1",
               "WEBHOOK_SECRET": "webhook-secret-never-logged"}
        done = subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 2 and "Telegram refused the bot token" in done.stderr, output[-2000:]
    for secret in (token, token.split(":")[1], "webhook-secret-never-logged"):
        assert secret not in output


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/data/bot.sqlite3")
    migrate(engine)
    engine.dispose()
    assert stat.S_IMODE((tmp_path / "data" / "bot.sqlite3").stat().st_mode) == 0o600


def test_database_errors_do_not_carry_the_values_written(engine) -> None:
    """What the error log would print for a failed write holds no learner's text."""
    title = "Sensitive: disciplinary meeting with HR"
    with Session(engine) as session:
        session.add(Person(telegram_id=5, name="A"))
        session.commit()
        session.add(Person(telegram_id=5, name=title))
        with pytest.raises(IntegrityError) as failed:
            session.commit()
    assert title not in str(failed.value) and "INSERT" in str(failed.value)
