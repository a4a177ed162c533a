"""Two webhook workers on one PostgreSQL push due reminders through the Bot API emulator with
the shared send budget (RATE_LIMIT_PER_SECOND for both together, default 29); one worker is
killed with SIGKILL half way. Reports, as measured at the emulator: the combined send rate,
the busiest calendar second, reminders lost and sends repeated (a send in flight in the killed
worker is sent again by the survivor: Telegram has no idempotency key). A Markdown table.

    .venv/bin/python scripts/bench_shared_budget.py --database postgresql://... \
        [--reminders 2000] [--index-dir data/index]
The database's tables are dropped and recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.services.database import make_engine, migrate  # noqa: E402
from bot.services.tables import Reminder, utcnow  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.bot.conftest import free_port, start_bot  # noqa: E402
from tests.conftest import reset  # noqa: E402
from tests.emulator import BotApiEmulator  # noqa: E402

LEARNERS = 200  # reminders go round these chats (private: no per-chat limit applies)
CLAIM_SECONDS = "3"  # a dead worker's claimed reminders are taken over this soon


def seed(url: str, reminders: int) -> None:
    """An empty schema and `reminders` reminders, all due."""
    engine = make_engine(url)
    reset(engine)
    migrate(engine)
    due = utcnow() - timedelta(seconds=1)
    with Session(engine) as session:
        session.add_all([Reminder(chat_id=800_000 + i % LEARNERS, text=f"r{i:05d}", due_at=due)
                         for i in range(reminders)])
        session.commit()
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="a scratch PostgreSQL database")
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--index-dir", type=Path, default=Settings().index_dir)
    parser.add_argument("--per-second", action="store_true",
                        help="also print the sends in each calendar second")
    args = parser.parse_args()
    url = Settings(database_url=args.database).database_url
    seed(url, args.reminders)
    with tempfile.TemporaryDirectory() as folder, \
            BotApiEmulator(token="123456:BENCH", bot_username="cm_study_bot") as emu:
        for i in range(LEARNERS):
            emu.private_chat(emu.user(800_000 + i, f"Learner {i}"))

        def texts() -> list[str]:
            return [r.text or "" for r in emu.sent() if r.method == "sendMessage"]

        settings = {"REMINDER_CLAIM_SECONDS": CLAIM_SECONDS, "WEBHOOK_LISTEN": "127.0.0.1",
                    "WEBHOOK_SECRET": "shared-budget-secret",
                    "WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/hook"}
        workers = [start_bot(emu, url, args.index_dir, Path(folder) / f"w{n}.log", "webhook",
                             PORT=str(free_port()), **settings) for n in (1, 2)]
        try:
            deadline = time.monotonic() + 300
            while len(texts()) < args.reminders // 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=30)
            killed_at = len(texts())
            while len(set(texts())) < args.reminders and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(float(CLAIM_SECONDS) + 1)  # late repeats would show by now
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)
        sent = [r for r in emu.sent() if r.method == "sendMessage"]
    delivered = Counter(r.text for r in sent)
    first, last = min(r.at for r in sent), max(r.at for r in sent)
    seconds = Counter(int(r.at) for r in sent)
    busiest = max(seconds.values())
    if args.per_second:
        print(" ".join(str(seconds[s]) for s in range(int(first), int(last) + 1)))
    print("| reminders | killed after | delivered | lost | repeats | first to last "
          "| combined rate | busiest second |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {args.reminders} | {killed_at} | {len(delivered)} "
          f"| {args.reminders - len(delivered)} | {len(sent) - len(delivered)} "
          f"| {last - first:.1f} s | {len(sent) / (last - first):.1f} msg/s | {busiest} msgs |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
