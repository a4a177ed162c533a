"""End to end, tracking: checklist presses edit in place, /progress, /pdp add, a due reminder
arriving and its buttons, /calendar, /forgetme; and reminders surviving a SIGKILL.

A process killed while a send is in flight cannot know whether Telegram took the message, and
Telegram has no idempotency key: that one reminder may arrive twice (at-least-once). The kill
here lands between sends, which is what a restart must get exactly right."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from bot.db import make_engine, migrate
from bot.models import Learner, Reminder, utcnow
from index.settings import IndexSettings
from tests.bot.conftest import Conversation, fresh_database, labels, start_bot
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]


def test_checklist_press_edits_the_message_in_place(talk) -> None:
    me: Conversation = talk()
    checklist = me.send("/checklist 5015")
    assert "⬜ 2.3 Explain how to overcome" in checklist.text
    me.press(checklist, "⬜ 2.3")
    edited = me.edited(checklist.message_id, checklist.seq)
    assert "✏️ 2.3 Explain how to overcome" in edited.text and "✏️ 2.3" in labels(edited)
    progress = me.send("/progress")
    assert "5015V1 0/10 ACs" in progress.text


def test_pdp_add_then_the_reminder_arrives_with_buttons(talk, bot_database: str) -> None:
    me: Conversation = talk()
    added = me.send("/pdp add in 3 weeks Review with line manager every 8 weeks")
    assert "Added:" in added.text and "then every 8 weeks" in added.text
    engine = make_engine(bot_database)
    with Session(engine) as session:  # bring the 7-days-before reminder forward to now
        learner = session.exec(select(Learner).where(Learner.telegram_id == me.user.id)).one()
        first = session.exec(select(Reminder).where(Reminder.learner_id == learner.id)
                             .order_by(Reminder.due_at)).first()
        first.due_at = utcnow() - timedelta(seconds=1)
        session.add(first)
        session.commit()
    engine.dispose()
    reminder = me.emu.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == me.chat.id
                               and "PDP review in 7 days" in (r.text or ""), timeout=30)
    assert labels(reminder) == ["✅ Done", "⏰ Snooze a day", "📆 Move date"]
    me.press(reminder, "✅ Done")
    done = me.edited(reminder.message_id, reminder.seq)
    assert "✅ Done: Review with line manager" in done.text and "Next review" in done.text


def test_calendar_is_a_parseable_ics(talk) -> None:
    me: Conversation = talk()
    me.send("/pdp add 2027-01-15 Quarterly review")
    said = me.send("/calendar")
    document = next(r for r in said.records if r.method == "sendDocument")
    upload = document.files["document"]
    assert upload.filename == "pdp-reviews.ics"
    (event,) = Calendar.from_ical(upload.data).walk("VEVENT")
    assert "Quarterly review" in str(event["summary"])


def test_forgetme_asks_then_deletes(talk) -> None:
    me: Conversation = talk()
    me.send("/log 90m Sam — goal setting")
    ask = me.send("/forgetme")
    me.press(ask, "Yes, delete everything")
    gone = me.edited(ask.message_id, ask.seq)
    assert "everything I stored about you is deleted" in gone.text
    assert "No sessions logged yet" in me.send("/hours").text


def test_reminders_survive_sigkill_and_are_delivered_exactly_once(
        tmp_path_factory: pytest.TempPathFactory, index_settings: IndexSettings,
        retriever, tmp_path: Path) -> None:
    url = fresh_database(tmp_path_factory)
    engine = make_engine(url)
    migrate(engine)
    count = 60
    with Session(engine) as session:
        for i in range(count):
            session.add(Reminder(chat_id=900000 + i % 6, text=f"reminder {i:03d}",
                                 due_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    log = tmp_path / "bot.log"
    with BotApiEmulator(token="123456:TEST", bot_username="cm_study_bot") as emu:
        for i in range(6):
            emu.private_chat(emu.user(900000 + i, f"Learner {i}"))
        # Five reminders a second: the kill lands between two sends, after some were sent.
        settings = {"REMINDER_CLAIM_SECONDS": "3", "REMINDER_BATCH": "5"}
        first = start_bot(emu, url, index_settings.index_dir, log, **settings)
        try:
            emu.wait_for(lambda r: r.method == "sendMessage" and "reminder 004" in (r.text or ""),
                         timeout=120)
            time.sleep(0.3)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        delivered_before = len([r for r in emu.sent() if r.method == "sendMessage"])
        assert delivered_before < count, "the kill came too late to test a restart"
        second = start_bot(emu, url, index_settings.index_dir, log, **settings)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                texts = [r.text for r in emu.sent() if r.method == "sendMessage"]
                if len(set(texts)) == count:
                    break
                time.sleep(0.2)
            time.sleep(4)  # longer than a claim: a duplicate would show up by now
        finally:
            second.terminate()
            second.wait(timeout=30)
        texts = [r.text for r in emu.sent() if r.method == "sendMessage"]
    assert sorted(texts) == [f"reminder {i:03d}" for i in range(count)], log.read_text()[-3000:]
    with Session(engine) as session:
        assert {r.status.value for r in session.exec(select(Reminder))} == {"sent"}
    engine.dispose()
