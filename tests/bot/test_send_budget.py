"""The send budget all workers share: a token bucket in one PostgreSQL row. Always PostgreSQL
(it exists for several workers, which need it); threads with engines of their own stand for
the workers."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.adapters.send_limiter import HELD_AHEAD, SharedRateLimiter
from bot.services.database import make_engine, migrate
from bot.services.send_budget import SendBudget, wait_for
from tests.conftest import own_database

# Timing under load: scripts/test.sh runs the suite on SQLite and, beside it, its database
# tests on PostgreSQL; these always use PostgreSQL, so they run in that pass only, not twice at
# once on two CPUs (two copies starved each other's second of sends in a CI run).
pytestmark = [pytest.mark.database, pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="always PostgreSQL: run with DATABASE_URL=postgresql://… (scripts/test.sh's "
           "PostgreSQL pass)")]

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
RATE = 40.0


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = own_database(tmp_path, server=POSTGRES)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def send_for(budget: SendBudget, until: float, sent: list[float]) -> None:
    """One worker: take a token, wait until it is due, 'send' (note the time); until `until`."""
    while time.monotonic() < until:
        time.sleep(budget.take())
        sent.append(time.monotonic())


def run(workers: list[tuple[Engine, float]]) -> tuple[float, list[list[float]]]:
    """Each (engine, seconds) sends on the shared budget for that long, all at once; returns
    the start and each worker's send times."""
    start = time.monotonic()
    sent: list[list[float]] = [[] for _ in workers]
    threads = [threading.Thread(target=send_for, args=(SendBudget(engine, rate=RATE),
                                                       start + seconds, times))
               for (engine, seconds), times in zip(workers, sent, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine, _ in workers:
        engine.dispose()
    return start, sent


def test_wait_is_the_time_the_debt_takes_to_refill() -> None:
    assert wait_for(0.4, RATE) == 0.0
    assert wait_for(0.0, RATE) == 0.0
    assert wait_for(-2.0, RATE) == pytest.approx(2 / RATE)


def test_a_token_more_than_one_tokens_time_late_is_stale(url: str) -> None:
    budget = SendBudget(make_engine(url), rate=RATE)
    due = budget.due()
    assert not budget.stale(due)
    assert budget.stale(due - 2 / RATE)
    budget.engine.dispose()


def test_a_budget_needs_a_rate_and_room_for_a_token(url: str) -> None:
    with pytest.raises(ValueError):
        SendBudget(make_engine(url), rate=0)
    with pytest.raises(ValueError):
        SendBudget(make_engine(url), rate=RATE, capacity=0.5)


def test_four_workers_together_never_exceed_the_rate(url: str) -> None:
    start, sent = run([(make_engine(url), 3.0) for _ in range(4)])
    times = sorted(t for worker in sent for t in worker)
    elapsed = times[-1] - start
    assert len(times) <= RATE * elapsed + 1  # capacity: one token
    assert len(times) >= 0.9 * RATE * 3, "the budget was not used"
    assert all(len(worker) >= RATE * 3 / 4 * 0.5 for worker in sent), "a worker was starved"


def test_an_idle_workers_share_goes_to_the_busy_one(url: str) -> None:
    """Two workers send for a second, then one stops: the other alone gets the whole rate,
    not half of it as with a fixed share per process."""
    start, (busy, idle) = run([(make_engine(url), 2.5), (make_engine(url), 1.0)])
    assert len(idle) >= 0.4 * RATE, "both shared the first second"
    together = [t for t in busy + idle if t <= start + 1]
    assert len(together) <= RATE * 1 + 1
    alone = [t for t in busy if start + 1.5 <= t <= start + 2.5]
    assert len(alone) >= 0.9 * RATE, f"{len(alone)} sends in the busy worker's second alone"


def test_the_limiter_takes_a_token_for_each_send_to_a_chat_only(url: str) -> None:
    """sendMessage waits for the shared budget; getMe (no chat) takes nothing from it."""
    engine = make_engine(url)
    limiter = SharedRateLimiter(SendBudget(engine, rate=RATE))
    sent: list[float] = []

    async def call() -> bool:
        sent.append(time.monotonic())
        return True

    def tokens() -> float:
        with engine.connect() as connection:
            return float(connection.execute(text("SELECT tokens FROM send_budget")).scalar_one())

    async def main() -> None:
        await limiter.initialize()
        await asyncio.gather(*(limiter.process_request(call, (), {}, "sendMessage",
                                                       {"chat_id": 7, "text": "hi"}, None)
                               for _ in range(20)))
        before = tokens()
        await limiter.process_request(call, (), {}, "getMe", {}, None)
        assert tokens() == before
        await limiter.shutdown()

    start = time.monotonic()
    asyncio.run(main())
    engine.dispose()
    assert len(sent) == 21
    assert sorted(sent)[19] - start >= 18 / RATE  # 20 sends: one at once, 19 spaced 1/RATE


def test_a_worker_holds_few_tokens_ahead_however_many_sends_wait(url: str) -> None:
    """Twenty sends waiting in one worker reserve at most HELD_AHEAD tokens at a time, so a
    worker killed while they wait wastes no more than that of everyone's budget."""
    engine = make_engine(url)
    limiter = SharedRateLimiter(SendBudget(engine, rate=RATE))
    debts: list[float] = []

    async def call() -> bool:
        with engine.connect() as connection:
            tokens = connection.execute(text(
                "SELECT tokens + :rate * extract(epoch FROM clock_timestamp() - updated_at) "
                "FROM send_budget"), {"rate": RATE}).scalar_one()
        debts.append(-float(tokens))
        return True

    async def main() -> None:
        await limiter.initialize()
        await asyncio.gather(*(limiter.process_request(call, (), {}, "sendMessage",
                                                       {"chat_id": 7, "text": "hi"}, None)
                               for _ in range(20)))
        await limiter.shutdown()

    asyncio.run(main())
    engine.dispose()
    assert len(debts) == 20
    # Read at a send, refilled to now: the tokens taken and not yet due.
    assert max(debts) <= HELD_AHEAD < 5  # not the twenty waiting
    assert max(debts) > 0  # the next token was taken before this one's send: no idle gap


def test_while_the_database_is_read_only_the_worker_paces_itself(url: str) -> None:
    """The reply saying nothing could be saved must still go out when no token can be taken."""
    engine = make_engine(url)
    with engine.connect() as connection:
        name = connection.execute(text("SELECT current_database()")).scalar_one()
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        connection.commit()
    engine.dispose()  # new connections are read-only
    limiter = SharedRateLimiter(SendBudget(engine, rate=RATE))

    async def call() -> bool:
        return True

    async def main() -> list[bool | object]:
        return list(await asyncio.gather(*(limiter.process_request(
            call, (), {}, "sendMessage", {"chat_id": 7, "text": "not saved"}, None)
            for _ in range(3))))

    assert asyncio.run(main()) == [True, True, True]
    assert limiter.outage.failures == 3
    engine.dispose()
