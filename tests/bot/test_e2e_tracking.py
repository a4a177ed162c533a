"""End to end, tracking: checklist presses edit in place, /progress, /pdp add, a due reminder
arriving and its buttons, /calendar, /forgetme."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from bot.services.database import make_engine
from bot.services.tables import Person, Reminder, utcnow
from tests.bot.conftest import Conversation, labels

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
        learner = session.exec(select(Person).where(Person.telegram_id == me.user.id)).one()
        first = session.exec(select(Reminder).where(Reminder.learner_id == learner.id)
                             .order_by(Reminder.due_at)).first()
        first.due_at = utcnow() - timedelta(seconds=1)
        session.add(first)
        session.commit()
    engine.dispose()
    reminder = me.emu.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == me.chat.id
                               and "PDP review in 7 days" in (r.text or ""), timeout=30)
    assert labels(reminder) == ["✅ Done", "⏰ Snooze", "📆 Move date"]
    me.press(reminder, "⏰ Snooze")
    choices = me.edited(reminder.message_id, reminder.seq, "editMessageReplyMarkup")
    assert [label.split(" (")[0] for label in labels(choices)][-3:] == [
        "Tomorrow", "Next week", "↩️ Back"]
    me.press(choices, "Tomorrow")
    me.emu.wait_for(lambda r: r.method == "answerCallbackQuery"
                    and "I'll remind you again" in str(r.params.get("text")), timeout=30)
    back = me.edited(reminder.message_id, choices.seq, "editMessageReplyMarkup")
    assert labels(back) == ["✅ Done", "⏰ Snooze", "📆 Move date"]
    me.press(reminder, "✅ Done")
    done = me.edited(reminder.message_id, reminder.seq)
    assert "✅ Done: Review with line manager" in done.text and "Next review" in done.text


def test_pdp_delete_asks_with_buttons_then_deletes(talk) -> None:
    me: Conversation = talk()
    me.send("/pdp add friday week catch up with coachee")
    listed = me.send("/pdp")
    number = listed.text.rsplit("(#", 1)[1].split(")")[0]
    assert "catch up with coachee" in listed.text
    ask = me.send(f"/pdp delete {number}")
    assert labels(ask) == ["Yes, delete it", "No, keep it"]
    me.press(ask, "Yes, delete it")
    gone = me.edited(ask.message_id, ask.seq)
    assert "Deleted: catch up with coachee" in gone.text
    assert "No PDP review dates yet" in me.send("/pdp").text


def test_timezone_choice_by_button(talk) -> None:
    me: Conversation = talk()
    assert "Time zone set to Europe/London" in me.send("/timezone london").text
    ask = me.send("/timezone new")
    assert labels(ask) == ["America/New_York", "America/North_Dakota/New_Salem"]
    me.press(ask, "America/New_York")
    chosen = me.edited(ask.message_id, ask.seq)
    assert "Time zone set to America/New_York" in chosen.text
    assert "Your time zone is America/New_York" in me.send("/timezone").text


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
