"""Time from process start to first answer: `python -m bot` (polling) against the Bot API
emulator, an AC reference and a free question sent in two chats the moment the process starts
(Telegram holds them until the bot asks). Prints seconds after start for: connected (command
menus set), AC reference answered, free question answered; best of `--runs`.

    .venv/bin/python scripts/bench_startup.py [--runs 3] [--backend auto]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.emulator import BotApiEmulator  # noqa: E402


def once(backend: str) -> tuple[float, float, float]:
    with BotApiEmulator(token="123456:START", bot_username="cm_study_bot") as emu, \
            tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_URL": emu.api_url,
               "DATABASE_URL": f"sqlite:///{scratch}/bot.sqlite3", "HF_HUB_OFFLINE": "1",
               "EMBEDDING_BACKEND": backend}
        ac = emu.private_chat(emu.user(1, "Ada"))
        free = emu.private_chat(emu.user(2, "Ben"))
        started = time.time()
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            emu.send_text(ac, emu.user(1, "Ada"), "5015 2.3")
            emu.send_text(free, emu.user(2, "Ben"),
                          "how do I get senior managers to support coaching?")
            ready = emu.wait_for(lambda r: r.method == "setMyCommands", timeout=120).at
            answered_ac = emu.wait_messages(ac.id, 1, timeout=120)[0].at
            answered_free = emu.wait_messages(free.id, 1, timeout=120)[0].at
        finally:
            process.terminate()
            process.wait(timeout=30)
        return ready - started, answered_ac - started, answered_free - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", default="auto", help="EMBEDDING_BACKEND for the bot")
    args = parser.parse_args()
    runs = [once(args.backend) for _ in range(args.runs)]
    print(f"{os.cpu_count()} CPUs, EMBEDDING_BACKEND={args.backend}, best of {args.runs}")
    for i, name in enumerate(("connected", "AC reference answered", "free question answered")):
        print(f"{name}: {min(r[i] for r in runs):.1f} s after start "
              f"(runs: {', '.join(f'{r[i]:.1f}' for r in runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
