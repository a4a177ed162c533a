"""Errors reported to the admins (ADMIN_IDS) in a short Telegram message: the kind of error
and where it happened (the update's kind, the bot's own functions it passed through), never
whose: no message text, names, user ids or chat ids, and not the error's own text, which
may quote them (a database error quotes the values it was given). The log keeps the rest.

A failure that repeats (a dependency down, a bug every learner meets) must not flood the
admins: one report per error type per `ERROR_REPORT_MINUTES`, the next saying how many were
held back meanwhile.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from telegram import Update
from telegram.ext import ContextTypes

from bot.conversation.replies import esc

log = logging.getLogger(__name__)
PROJECT = Path(__file__).resolve().parents[2]
BOT_PACKAGE = PROJECT / "bot"


class ReportThrottle:
    """At most one report per error type in any `every` seconds; the errors held back
    meanwhile are counted for the next report of that type."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def admit(self, kind: str) -> int | None:
        """None when this error is to be held back; else how many of its type were held
        back since that type's last report."""
        now = self._clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._held[kind] = self._held.get(kind, 0) + 1
            return None
        self._last[kind] = now
        return self._held.pop(kind, 0)


def error_type(error: BaseException) -> str:
    """"telegram.error.BadRequest", "ValueError": the class, never the message."""
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else \
        f"{kind.__module__}.{kind.__qualname__}"


def update_kind(update: object) -> str:
    """Which kind of update failed ("message", "callback_query", "inline_query"…)."""
    if not isinstance(update, Update):
        return "no update"
    return next((str(kind) for kind in Update.ALL_TYPES
                 if getattr(update, kind, None) is not None), "update")


def our_frames(error: BaseException) -> list[str]:
    """The bot's own functions the error passed through, outermost first, as
    "send (bot/adapters/telegram.py:136)"; library frames are left out."""
    frames = []
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(BOT_PACKAGE):
            frames.append(f"{frame.name} ({path.relative_to(PROJECT)}:{frame.lineno})")
    return frames


def report_text(error: BaseException, update: object, job: str | None, held_back: int) -> str:
    """The admin's message (HTML): type, update kind or job, the bot's frames, the count."""
    frames = our_frames(error)
    lines = [f"⚠️ <b>Error</b>: {esc(error_type(error))}",
             f"<b>In</b>: {esc(f'job {job}' if job else update_kind(update))}"]
    if frames:
        lines.append(f"<b>Where</b>: {esc(' → '.join(frames))}")
    if held_back:
        lines.append(f"{held_back} more of this type since the last report (held back).")
    lines.append("<i>The log has the details.</i>")
    return "\n".join(lines)


async def report_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell each admin of the error in `context`, unless its type was reported lately; an
    admin who cannot be reached is logged and skipped."""
    error = context.error
    admins = context.bot_data["settings"].admins
    if error is None or not admins:
        return
    held_back = context.bot_data["error_reports"].admit(error_type(error))
    if held_back is None:
        return
    text = report_text(error, update, context.job.name if context.job else None, held_back)
    for admin in sorted(admins):
        try:
            await context.bot.send_message(admin, text)
        except Exception as exc:  # never a new error from reporting one
            log.warning("could not report an error to admin %s (%s)", admin,
                        type(exc).__name__)
