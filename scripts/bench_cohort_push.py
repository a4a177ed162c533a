"""A pushed reminder to a 1,000-member cohort, delivered through the Bot API emulator by the
real bot process (rate limiter on): total time, messages per second, the busiest second,
errors. Prints a Markdown table (quoted in the README).

    .venv/bin/python scripts/bench_cohort_push.py [--members 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.services import cohorts  # noqa: E402
from bot.services.database import make_engine, migrate  # noqa: E402
from bot.services.tables import CohortMember, Person, PushTarget, utcnow  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from tests.emulator import BotApiEmulator  # noqa: E402


def seed(url: str, members: int) -> None:
    """A tutor, a cohort of `members` learners, and one push to all of them, due now."""
    engine = make_engine(url)
    migrate(engine)
    q = load_catalogue().qualifications["7D2V2"]
    with Session(engine) as session:
        tutor = Person(telegram_id=1, name="Tutor")
        session.add(tutor)
        session.flush()
        cohort = cohorts.create(session, tutor=tutor, name="Big cohort", qualification=q)
        for i in range(members):
            learner = Person(telegram_id=10_000 + i, name=f"Learner {i}")
            session.add(learner)
            session.flush()
            session.add(CohortMember(cohort_id=cohort.id, learner_id=learner.id))  # type: ignore[arg-type]
        push = cohorts.draft_push(session, cohort=cohort, text="Assignment 1 is due on Friday",
                                  due_at=utcnow())
        cohorts.schedule_push(session, push=push, target=PushTarget.members)
        session.commit()
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            BotApiEmulator(token="123456:BENCH", bot_username="cm_study_bot") as emu:
        url = f"sqlite:///{folder}/bench.sqlite3"
        seed(url, args.members)
        for i in range(args.members):
            emu.private_chat(emu.user(10_000 + i, f"Learner {i}"))
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_URL": emu.api_url,
               "DATABASE_URL": url, "HF_HUB_OFFLINE": "1", "REMINDER_INTERVAL_SECONDS": "1"}
        started = time.monotonic()
        bot = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = started + 600
            while time.monotonic() < deadline:
                sent = [r for r in emu.sent() if r.method == "sendMessage"]
                if len(sent) >= args.members:
                    break
                time.sleep(0.5)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
        sent = [r for r in emu.sent() if r.method == "sendMessage"]
        chats = Counter(r.chat_id for r in sent)
        first, last = min(r.at for r in sent), max(r.at for r in sent)
        busiest = max(Counter(int(r.at) for r in sent).values())
        print("| members | delivered | duplicates | API errors | first to last | rate | busiest second |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print(f"| {args.members} | {len(chats)} | {len(sent) - len(chats)} | {len(emu.failed)} "
              f"| {last - first:.1f} s | {len(sent) / max(last - first, 1e-9):.1f} msg/s "
              f"| {busiest} msgs |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
