"""Reminders survive a SIGKILL of the bot process: pending rows in the database, the process
killed and started again, every reminder delivered exactly once through the emulator.

A process killed while a send is in flight cannot know whether Telegram took the message, and
Telegram has no idempotency key: that one reminder may arrive twice (at-least-once). The kill
here lands between sends, which is what a restart must get exactly right. In a module of its
own so that no other bot process shares the database."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.db import make_engine, migrate
from bot.models import Reminder, utcnow
from index.settings import IndexSettings
from tests.bot.conftest import fresh_database, start_bot
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]


def test_reminders_survive_sigkill_and_are_delivered_exactly_once(
        tmp_path_factory: pytest.TempPathFactory, index_settings: IndexSettings,
        retriever, tmp_path: Path) -> None:
    url = fresh_database(tmp_path_factory)
    engine = make_engine(url)
    migrate(engine)
    count = 60
    with Session(engine) as session:
        for i in range(count):
            session.add(Reminder(chat_id=900000 + i % 6, text=f"reminder {i:03d}",
                                 due_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    log = tmp_path / "bot.log"
    with BotApiEmulator(token="123456:TEST", bot_username="cm_study_bot") as emu:
        for i in range(6):
            emu.private_chat(emu.user(900000 + i, f"Learner {i}"))
        # Five reminders a second: the kill lands between two sends, after some were sent.
        settings = {"REMINDER_CLAIM_SECONDS": "3", "REMINDER_BATCH": "5"}
        first = start_bot(emu, url, index_settings.index_dir, log, **settings)
        try:
            emu.wait_for(lambda r: r.method == "sendMessage" and "reminder 004" in (r.text or ""),
                         timeout=120)
            time.sleep(0.3)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        delivered_before = len([r for r in emu.sent() if r.method == "sendMessage"])
        assert delivered_before < count, "the kill came too late to test a restart"
        second = start_bot(emu, url, index_settings.index_dir, log, **settings)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                texts = [r.text for r in emu.sent() if r.method == "sendMessage"]
                if len(set(texts)) == count:
                    break
                time.sleep(0.2)
            time.sleep(4)  # longer than a claim: a duplicate would show up by now
        finally:
            second.terminate()
            second.wait(timeout=30)
        texts = [r.text for r in emu.sent() if r.method == "sendMessage"]
    assert sorted(texts) == [f"reminder {i:03d}" for i in range(count)], log.read_text()[-3000:]
    with Session(engine) as session:
        assert {r.status.value for r in session.exec(select(Reminder))} == {"sent"}
    engine.dispose()
