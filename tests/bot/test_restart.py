"""Reminders survive a SIGKILL of the bot process: pending rows in the database, the process
killed and started again, every reminder delivered exactly once through the emulator.

A process killed while a send is in flight cannot know whether Telegram took the message, and
Telegram has no idempotency key: that one reminder may arrive twice (at-least-once). The kill
here lands between sends (after the reminders already due, before the later ones), which is
what a restart must get exactly right. In a module of its own so that no other bot process
shares the database."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.services.database import make_engine, migrate
from bot.services.tables import Reminder, utcnow
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
    start = utcnow()
    # 30 due already; 30 due in 45 s, still pending when the first process is killed.
    due = {f"reminder {i:03d}": start - timedelta(minutes=1) if i < 30
           else start + timedelta(seconds=45) for i in range(60)}
    with Session(engine) as session:
        for i, (text, due_at) in enumerate(due.items()):
            session.add(Reminder(chat_id=900000 + i % 6, text=text, due_at=due_at))
        session.commit()
    log = tmp_path / "bot.log"

    def texts(emu: BotApiEmulator) -> list[str]:
        return [r.text or "" for r in emu.sent() if r.method == "sendMessage"]

    with BotApiEmulator(token="123456:TEST", bot_username="cm_study_bot") as emu:
        for i in range(6):
            emu.private_chat(emu.user(900000 + i, f"Learner {i}"))
        first = start_bot(emu, url, index_settings.index_dir, log)
        try:
            deadline = time.monotonic() + 60
            while len(texts(emu)) < 30 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        assert sorted(texts(emu)) == [f"reminder {i:03d}" for i in range(30)], \
            "the first process should have sent exactly the 30 reminders already due"
        second = start_bot(emu, url, index_settings.index_dir, log)
        try:
            deadline = time.monotonic() + 120
            while len(texts(emu)) < 60 and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(3)  # three more dispatcher ticks: a duplicate would show up by now
        finally:
            second.terminate()
            second.wait(timeout=30)
        sent = {r.text: r.at for r in emu.sent() if r.method == "sendMessage"}
        assert sorted(texts(emu)) == sorted(due), log.read_text()[-3000:]
    assert all(sent[t] >= due[t].timestamp() for t in due)  # none before its time
    with Session(engine) as session:
        assert {r.status.value for r in session.exec(select(Reminder))} == {"sent"}
    engine.dispose()
