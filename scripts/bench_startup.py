"""A worker from process start to answers, and its memory, for each embedding backend side by
side: `python -m bot webhook` against the Bot API emulator on an existing database (a restart
or a scale-up), an AC reference and a free question sent in two chats the moment the process
starts (the emulator holds them until the webhook is set). For each backend and run: seconds
after start until connected (webhook set), the AC reference answered and the free question
answered; resident memory once idle (both answered, the model loaded) and the peak after
`--questions` more free questions. Prints a Markdown table (medians over the runs).

    .venv/bin/python scripts/bench_startup.py [--runs 3] [--backends torch,onnx,onnx-int8]
                                              [--index-dir data/index] [--questions 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.database import make_engine, migrate  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.bot.conftest import free_port, start_bot  # noqa: E402
from tests.emulator import BotApiEmulator  # noqa: E402

QUESTIONS = ("how do I get senior managers to support coaching?",
             "my coachee keeps cancelling sessions, what do i write about",
             "how many words for the reflective account",
             "what should my coaching contract include",
             "how do i evaluate my own coaching practice")


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def once(backend: str, index_dir: Path, questions: int) -> dict[str, float]:
    """One worker's start, first answers and memory."""
    with BotApiEmulator(token="123456:START", bot_username="cm_study_bot") as emu, \
            tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bot.sqlite3"
        migrate(make_engine(url))  # the database is there already: a restart, not a first run
        ac = emu.private_chat(emu.user(1, "Ada"))
        free = emu.private_chat(emu.user(2, "Ben"))
        emu.send_text(ac, emu.user(1, "Ada"), "5015 2.3")
        emu.send_text(free, emu.user(2, "Ben"), QUESTIONS[0])
        port = free_port()
        started = time.time()
        process = start_bot(emu, url, index_dir, Path(scratch) / "bot.log", "webhook",
                            EMBEDDING_BACKEND=backend, PORT=str(port),
                            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_SECRET="startup-bench-secret",
                            WEBHOOK_URL=f"http://127.0.0.1:{port}/hook")
        try:
            ready = emu.wait_for(lambda r: r.method == "setWebhook", timeout=120).at
            answered_ac = emu.wait_messages(ac.id, 1, timeout=120)[0].at
            answered_free = emu.wait_messages(free.id, 1, timeout=120)[0].at
            time.sleep(1)  # anything the first answers left running settles
            idle, _ = memory_mb(process.pid)
            for i in range(questions):
                emu.send_text(free, emu.user(2, "Ben"), QUESTIONS[i % len(QUESTIONS)])
                emu.wait_messages(free.id, i + 2, timeout=120)
            _, peak = memory_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {"connected": ready - started, "ac": answered_ac - started,
            "free": answered_free - started, "idle": idle, "peak": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="torch,onnx,onnx-int8",
                        help="EMBEDDING_BACKEND values, comma-separated")
    parser.add_argument("--index-dir", type=Path, default=Settings().index_dir)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; webhook worker on an existing SQLite database; "
          f"medians of {args.runs} runs\n")
    print("| backend | connected | AC reference answered | free question answered "
          "| RSS idle | peak RSS after questions |")
    print("| --- | --- | --- | --- | --- | --- |")
    for backend in args.backends.split(","):
        runs = [once(backend, args.index_dir, args.questions) for _ in range(args.runs)]

        def median(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)
        print(f"| {backend} | {median('connected'):.1f} s | {median('ac'):.1f} s "
              f"| {median('free'):.1f} s | {median('idle'):.0f} MB | {median('peak'):.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
