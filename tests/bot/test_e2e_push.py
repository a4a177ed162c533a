"""Pushed reminders through the real bot process and the emulator (issue 11): a push goes
to the members the cohort has when it falls due, and "now" does not wait for the dispatcher's
tick (this module's bot ticks every 30 s)."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from index.settings import IndexSettings
from tests.bot.conftest import BOT, TUTOR_ID, Conversation, running_bot
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]
TICK = 30


@pytest.fixture(scope="module")
def bot_process(emulator: BotApiEmulator, index_settings: IndexSettings, bot_database: str,
                bot_log: Path, retriever) -> Iterator[subprocess.Popen]:
    """This module's bot: a slow dispatcher tick, so only a wake-up delivers in seconds."""
    with running_bot(emulator, bot_database, index_settings.index_dir, bot_log,
                     REMINDER_INTERVAL_SECONDS=str(TICK)) as process:
        yield process


def new_cohort(tess: Conversation, name: str) -> str:
    """Create the cohort; its invite code."""
    created = tess.send(f'/newcohort "{name}" 7D2V2')
    code = re.search(rf"https://t\.me/{BOT}\?start=join_(\w+)", created.text)
    assert code, created.text
    return code.group(1)


def delivered(emulator: BotApiEmulator, chat_id: int, text: str) -> list:
    return [r for r in emulator.sent(chat_id) if r.method == "sendMessage" and r.text == text]


def wait_until(check, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not check():
        time.sleep(0.1)


def test_a_now_push_arrives_within_three_seconds(emulator: BotApiEmulator, bot_process) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    code = new_cohort(tess, "Now Cohort 1")
    learners = [Conversation(emulator, 5301 + i, f"Now Learner {i}") for i in range(2)]
    for learner in learners:
        assert "Welcome to Now Cohort 1" in learner.send(f"/start join_{code}").text
    asked = time.time()
    scheduled = tess.send("/remind Now Cohort 1 now Workshop moved to room 4")
    assert "Scheduled for now: 2 message(s)" in scheduled.text
    text = "📣 Now Cohort 1: Workshop moved to room 4"
    wait_until(lambda: all(delivered(emulator, c.chat.id, text) for c in learners), 3)
    for learner in learners:
        (record,) = delivered(emulator, learner.chat.id, text)
        assert record.at - asked < 3


def test_a_scheduled_push_reaches_members_who_joined_after_scheduling(
        emulator: BotApiEmulator, bot_process) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    code = new_cohort(tess, "Spring 2029")
    early = Conversation(emulator, 5311, "Early Learner")
    leaver = Conversation(emulator, 5312, "Leaving Learner")
    for learner in (early, leaver):
        assert "Welcome to Spring 2029" in learner.send(f"/start join_{code}").text
    london = ZoneInfo("Europe/London")
    at = (datetime.now(london) + timedelta(seconds=6)).replace(microsecond=0)
    scheduled = tess.send(f"/remind Spring 2029 {at:%Y-%m-%d %H:%M:%S} Drafts due")
    assert "2 message(s) (members)" in scheduled.text
    late = [Conversation(emulator, 5313 + i, f"Late Learner {i}") for i in range(3)]
    for learner in late:
        assert "Welcome to Spring 2029" in learner.send(f"/start join_{code}").text
    assert "no longer in Spring 2029" in tess.send("/remove Spring 2029 Leaving Learner").text
    assert "4 pending" in tess.send("/reminders Spring 2029").text
    text = "📣 Spring 2029: Drafts due"
    members = [early, *late]
    wait_until(lambda: all(delivered(emulator, c.chat.id, text) for c in members), TICK + 15)
    for learner in members:
        (record,) = delivered(emulator, learner.chat.id, text)
        assert record.at >= at.timestamp()
    assert delivered(emulator, leaver.chat.id, text) == []
    time.sleep(1)  # the last outcomes are recorded just after their sends
    assert "4 sent" in tess.send("/reminders Spring 2029").text
