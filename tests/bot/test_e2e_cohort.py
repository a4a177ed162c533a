"""End to end, tutors: a tutor creates a cohort, two learners join by deep link, the group is
linked, a scheduled reminder reaches both learners and the group once at its time, and the
report arrives as a real PNG chart and a CSV with one row per learner."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import matplotlib.image
import pytest

from tests.bot.conftest import BOT, TUTOR_ID, Conversation, labels
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]


def test_cohort_from_creation_to_report(emulator: BotApiEmulator, bot_process) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    created = tess.send('/newcohort "Spring 2027" 7D2V2')
    code = re.search(rf"https://t\.me/{BOT}\?start=join_(\w+)", created.text)
    assert code, created.text
    sam = Conversation(emulator, 5101, "Sam Learner")
    kim = Conversation(emulator, 5102, "Kim Learner")
    for learner in (sam, kim):
        assert "Welcome to Spring 2027" in learner.send(f"/start join_{code.group(1)}").text
    assert "for tutors" in sam.send("/cohorts").text

    group = emulator.group(-100510, "Spring 2027 cohort", supergroup=True, admins=[TUTOR_ID])
    in_group = Conversation(emulator, TUTOR_ID, "Tess Tutor", chat=group)
    linked = in_group.send(f"/link@{BOT} Spring 2027")
    assert "now linked to Spring 2027" in linked.text
    assert labels(linked) == ["Join the cohort"]

    london = ZoneInfo("Europe/London")
    at = (datetime.now(london) + timedelta(seconds=8)).replace(microsecond=0)
    question = tess.send(f'/remind "Spring 2027" {at:%Y-%m-%d %H:%M:%S} Assignment 1 due Friday')
    tess.press(question, "Both")
    scheduled = tess.edited(question.message_id, question.seq)
    assert "3 message(s) (both)" in scheduled.text
    text = "📣 Spring 2027: Assignment 1 due Friday"

    def delivered(chat_id: int) -> list:
        return [r for r in emulator.sent(chat_id) if r.method == "sendMessage" and r.text == text]

    assert not any(delivered(c) for c in (sam.chat.id, kim.chat.id, group.id))  # not early
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not all(delivered(c) for c in
                                                   (sam.chat.id, kim.chat.id, group.id)):
        time.sleep(0.2)
    time.sleep(2.5)  # two more dispatcher ticks: nothing is sent twice
    for chat_id in (sam.chat.id, kim.chat.id, group.id):
        (record,) = delivered(chat_id)
        assert record.at >= at.timestamp()
    assert "3 sent" in tess.send("/reminders").text

    report = tess.send("/report Spring 2027")
    photo = next(r for r in report.records if r.method == "sendPhoto")
    image = matplotlib.image.imread(io.BytesIO(photo.files["photo"].data), format="png")
    assert image.shape[0] > 200 and image.shape[1] > 400 and image.std() > 0.05
    document = next(r for r in report.records if r.method == "sendDocument")
    rows = list(csv.DictReader(io.StringIO(document.files["document"].data.decode())))
    assert sorted(r["learner"] for r in rows) == ["Kim Learner", "Sam Learner"]
