"""The rate limiter the bot sends through: one budget for all workers on PostgreSQL.

On PostgreSQL several webhook workers may run at once; each request to a chat first takes a
token from the shared bucket (`bot.services.send_budget`), so together they stay under
Telegram's overall limit and an idle worker's share goes to the busy ones. Per-group limits
(20 a minute) and waiting out a 429 stay in process with python-telegram-bot's AIORateLimiter:
a group's messages come from the worker that answers it. On SQLite there is one process, and
the in-process AIORateLimiter does everything as before.

While the database cannot give a token (down, or read-only) a worker paces itself alone at the
same rate, so the replies that say nothing could be saved still go out.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from sqlalchemy.engine import Engine
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.services.database import WRITE_ERRORS, Outage
from bot.services.send_budget import SendBudget

MAX_RETRIES = 3  # a 429 is waited out and the send tried again this many times
# Tokens a worker holds at once while waiting for them to fall due. A worker that dies wastes
# the ones it holds, and one whose event loop is held up drops those that came too late: few
# held means little wasted, while two keep the next token taken before this one is due.
HELD_AHEAD = 2

Result = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns


class SharedRateLimiter(BaseRateLimiter[int]):
    """AIORateLimiter for groups and 429s, with its overall limit replaced by the shared
    bucket. Every try of a send takes a token, a retry after a 429 too: Telegram counts it."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget
        self.inner = AIORateLimiter(overall_max_rate=0, max_retries=MAX_RETRIES)
        self.alone = AsyncLimiter(budget.rate, 1)
        self.ahead = asyncio.Semaphore(HELD_AHEAD)
        self.outage = Outage("send budget")

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Requests to a chat (those AIORateLimiter counts against the overall limit) wait for
        a token from the shared bucket, after their group's limiter let them through; the
        rest (getMe, setWebhook, menus) go straight on."""
        if data.get("chat_id") is None:
            return await self.inner.process_request(callback, args, kwargs, endpoint, data,
                                                    rate_limit_args)

        async def budgeted(*call_args: Any, **call_kwargs: Any) -> Result:
            await self.take()
            return await callback(*call_args, **call_kwargs)

        return await self.inner.process_request(budgeted, args, kwargs, endpoint, data,
                                                rate_limit_args)

    async def take(self) -> None:
        """Wait until a token from the shared bucket is due (a token that came too late is
        dropped and another taken), or for this worker's own pace while the database cannot
        give one. The sends waiting beyond `HELD_AHEAD` queue here, holding no token."""
        async with self.ahead:
            await self._take()

    async def _take(self) -> None:
        while True:
            try:
                due = await asyncio.to_thread(self.budget.due)
            except WRITE_ERRORS as exc:
                self.outage.failed(exc)
                await self.alone.acquire()
                return
            self.outage.worked()
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if not self.budget.stale(due):
                return


def rate_limiter(engine: Engine, per_second: float) -> BaseRateLimiter[Any]:
    """The shared bucket on PostgreSQL (several workers may send), else the in-process
    limiter (SQLite: one process)."""
    if engine.dialect.name == "postgresql":
        return SharedRateLimiter(SendBudget(engine, rate=per_second))
    return AIORateLimiter(overall_max_rate=per_second, max_retries=MAX_RETRIES)
