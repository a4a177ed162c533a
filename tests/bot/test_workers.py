"""Two worker processes on one PostgreSQL share the reminder queue; one is killed with
SIGKILL mid-way and the other finishes. Always PostgreSQL (several workers need it).

Telegram has no idempotency key: a send in flight when a worker dies cannot be known to have
arrived, so the survivor sends it again. Every reminder must arrive; the only repeats allowed
are of the killed worker's sends in flight at that moment (at most one claimed batch), and the
test prints how many there were."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from bot.services.database import make_engine, migrate
from bot.services.tables import Reminder, ReminderStatus, utcnow
from index.settings import IndexSettings
from tests.bot.conftest import free_port, start_bot
from tests.conftest import own_database
from tests.emulator import BotApiEmulator

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
COUNT = 5000
BATCH = 20


def test_two_workers_one_killed_every_reminder_delivered(index_settings: IndexSettings,
                                                         retriever, tmp_path: Path) -> None:
    url = own_database(tmp_path, server=POSTGRES)
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        due = utcnow() - timedelta(seconds=1)
        session.add_all([Reminder(chat_id=800_000 + i % 50, text=f"r{i:05d}", due_at=due)
                         for i in range(COUNT)])
        session.commit()
    settings = {"REMINDER_BATCH": str(BATCH), "REMINDER_CLAIM_SECONDS": "3",
                "RATE_LIMIT_PER_SECOND": "100", "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_SECRET": "two-workers-secret-token",
                "WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/hook"}
    with BotApiEmulator(token="123456:TEST", bot_username="cm_study_bot") as emu:
        for i in range(50):
            emu.private_chat(emu.user(800_000 + i, f"Learner {i}"))

        def texts() -> list[str]:
            return [r.text or "" for r in emu.sent() if r.method == "sendMessage"]

        workers = [start_bot(emu, url, index_settings.index_dir, tmp_path / f"w{n}.log",
                             "webhook", PORT=str(free_port()), **settings) for n in (1, 2)]
        try:
            deadline = time.monotonic() + 120
            while len(texts()) < COUNT // 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=30)
            killed_at = len(texts())
            assert killed_at < COUNT, "the kill came too late"
            deadline = time.monotonic() + 240
            while len(set(texts())) < COUNT and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(4)  # past a claim's expiry: late repeats would show by now
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)
        sent = Counter(texts())
    repeats = {text: n for text, n in sent.items() if n > 1}
    print(f"killed after {killed_at} sends; {len(repeats)} repeated: {sorted(repeats)}")
    logs = "".join((tmp_path / f"w{n}.log").read_text()[-2000:] for n in (1, 2))
    assert set(sent) == {f"r{i:05d}" for i in range(COUNT)}, logs
    assert len(repeats) <= BATCH and all(n == 2 for n in repeats.values()), repeats
    with Session(engine) as session:
        statuses = Counter(r.status for r in session.exec(select(Reminder)))
    assert statuses == {ReminderStatus.sent: COUNT}
    engine.dispose()
