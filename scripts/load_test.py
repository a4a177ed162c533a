"""Load test: N simulated users drive the real bot (PostgreSQL) through the Bot API emulator:
in webhook mode with 1 and with 2 workers behind a round-robin balancer, or (--polling) one
polling worker handling updates one at a time (CONCURRENT_UPDATES=1) and concurrently (32).
Each user, one step after another: a free question, an AC, a checklist and a press on it, a
PDP date. Reports updates handled per second, p50/p95 reply latency, errors and peak RSS per
worker. The clock starts once a first free question is answered (the model has loaded).

The send rate limit is lifted here to measure what the workers can handle; on Telegram a bot
may send about 30 messages a second in all, however many workers it has.

    .venv/bin/python scripts/load_test.py [--users 40] [--polling] [--database postgresql://...]
The database's tables are dropped and recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tornado.httpclient import AsyncHTTPClient, HTTPRequest  # noqa: E402
from tornado.httpserver import HTTPServer  # noqa: E402
from tornado.ioloop import IOLoop  # noqa: E402
from tornado.web import Application, RequestHandler  # noqa: E402

from bot.services.database import make_engine  # noqa: E402
from tests.bot.conftest import free_port  # noqa: E402
from tests.conftest import reset  # noqa: E402
from tests.emulator import BotApiEmulator  # noqa: E402

SECRET = "load-test-secret-token"
STEPS = ["how do I evaluate a mentoring programme?", "/ac 5015 2.3", "/checklist 5015",
         "press", "/pdp add in 3 weeks Review with line manager"]


class Balancer:
    """Round-robin HTTP forwarding of the emulator's webhook POSTs to the workers."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = itertools.cycle(targets)
        self.port = free_port()
        self.loop: IOLoop | None = None
        threading.Thread(target=self._run, daemon=True).start()
        while self.loop is None:
            time.sleep(0.01)

    def _run(self) -> None:
        balancer = self

        class Forward(RequestHandler):
            async def post(self) -> None:
                response = await AsyncHTTPClient().fetch(HTTPRequest(
                    next(balancer.targets), method="POST", body=self.request.body,
                    headers=self.request.headers, request_timeout=60), raise_error=False)
                self.set_status(response.code)
                self.finish(response.body or b"")

        import asyncio

        asyncio.set_event_loop(asyncio.new_event_loop())
        AsyncHTTPClient.configure(None, max_clients=100)
        HTTPServer(Application([(r"/.*", Forward)])).listen(self.port, "127.0.0.1")
        self.loop = IOLoop.current()
        self.loop.start()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(workers: int, users: int, database: str, concurrent: int | None = None) -> dict:
    """One measurement: `workers` webhook workers, or with `concurrent` one polling worker
    handling that many updates at once."""
    engine = make_engine(database)
    reset(engine)
    engine.dispose()
    with BotApiEmulator(token="123456:LOAD", bot_username="cm_study_bot") as emu:
        ports = [free_port() for _ in range(workers)]
        targets = [f"http://127.0.0.1:{p}/hook" for p in ports]
        url = targets[0] if workers == 1 else f"http://127.0.0.1:{Balancer(targets).port}/hook"
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_URL": emu.api_url,
               "DATABASE_URL": database, "HF_HUB_OFFLINE": "1", "WEBHOOK_URL": url,
               "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "127.0.0.1",
               "RATE_LIMIT_PER_SECOND": "1000"}
        mode, ready = ["webhook"], "setWebhook"
        if concurrent is not None:
            env = {key: value for key, value in env.items() if not key.startswith("WEBHOOK")}
            env["CONCURRENT_UPDATES"] = str(concurrent)
            mode, ready, ports = [], "setMyCommands", ports[:1]
        processes = [subprocess.Popen([sys.executable, "-m", "bot", *mode], cwd=ROOT,
                                      env={**env, "PORT": str(port)}, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for port in ports]
        try:
            deadline = time.monotonic() + 180
            while len([r for r in emu.sent() if r.method == ready]) < len(processes):
                assert time.monotonic() < deadline, "workers did not start"
                time.sleep(0.2)
            warm = emu.private_chat(emu.user(899_999, "Warm up"))
            for _ in processes:  # each worker's model loads in the background after connecting
                emu.send_text(warm, emu.user(899_999, "Warm up"), STEPS[0])
            emu.wait_messages(warm.id, len(processes), timeout=120)
            latencies: list[float] = []
            errors = 0

            def user(n: int) -> None:
                nonlocal errors
                person = emu.user(900_000 + n, f"Load {n}")
                chat = emu.private_chat(person)
                for step in STEPS:
                    before = len(emu.sent(chat.id))
                    started = time.monotonic()
                    if step == "press":
                        checklist = [r for r in emu.sent(chat.id) if r.reply_markup][-1]
                        data = checklist.reply_markup["inline_keyboard"][0][0]["callback_data"]
                        emu.press(chat, person, checklist.message_id, data)
                    else:
                        emu.send_text(chat, person, step)
                    try:
                        emu.wait_for(lambda r: r.chat_id == chat.id
                                     and r.method in ("sendMessage", "editMessageText")
                                     and r.seq > max([0] + [x.seq for x in
                                                            emu.sent(chat.id)[:before]]),
                                     timeout=60)
                        latencies.append(time.monotonic() - started)
                    except AssertionError:
                        errors += 1

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=users) as pool:
                list(pool.map(user, range(users)))
            elapsed = time.monotonic() - started
            rss = [peak_rss_mb(p.pid) for p in processes]
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=60)
        ordered = sorted(latencies)
        return {"workers": workers if concurrent is None else f"1 polling, {concurrent} at once", "users": users, "updates": users * len(STEPS),
                "per_second": users * len(STEPS) / elapsed,
                "p50_ms": statistics.median(ordered) * 1000,
                "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
                "errors": errors + len(emu.failed), "rss": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--database", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--polling", action="store_true",
                        help="one polling worker, one update at a time and 32 at once")
    args = parser.parse_args()
    rows = ([run(1, args.users, args.database, concurrent=n) for n in (1, 32)] if args.polling
            else [run(n, args.users, args.database) for n in (1, 2)])
    print(f"{os.cpu_count()} CPUs, {args.users} users x {len(STEPS)} steps each\n")
    print("| workers | updates | updates/s | reply p50 | reply p95 | errors | peak RSS per worker |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        rss = ", ".join(f"{m:.0f} MB" for m in r["rss"])
        print(f"| {r['workers']} | {r['updates']} | {r['per_second']:.1f} | {r['p50_ms']:.0f} ms "
              f"| {r['p95_ms']:.0f} ms | {r['errors']} | {rss} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
