"""End to end, /plan through the real bot process and the emulator: the preview arrives with
the .docx skeleton (which opens with python-docx, one heading per AC); no reminder row exists
until "Create" is pressed, then one per checkpoint, and a second press adds none; and the
checkpoint reminders are delivered: the test moves their rows' due_at to now in the database
(rather than waiting weeks) and waits for the emulator to receive each one."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import timedelta

import docx
import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.services.database import make_engine
from bot.services.tables import Person, Reminder, ReminderStatus, utcnow
from content.catalogue import Catalogue
from tests.bot.conftest import Conversation, labels

pytestmark = [pytest.mark.database]


@pytest.fixture(scope="module")
def engine(bot_database: str) -> Iterator[Engine]:
    engine = make_engine(bot_database)
    yield engine
    engine.dispose()


def _reminders(engine: Engine, telegram_id: int) -> list[Reminder]:
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.telegram_id == telegram_id)).one()
        return list(session.exec(select(Reminder).where(Reminder.learner_id == person.id)
                                 .order_by(col(Reminder.due_at))))


def test_plan_preview_docx_create_and_the_checkpoints_delivered(
        talk, engine: Engine, catalogue: Catalogue) -> None:
    me: Conversation = talk()
    said = me.send("/plan 5015 in 4 weeks")
    assert "Assignment plan · 5015V1 Management of coaching and mentoring" in said.text
    assert "1.2 Evaluate the benefits of coaching and mentoring to an organisation · about " \
           "350 words" in said.text
    assert "Checkpoints to " in said.text and ": self-check" in said.text

    document = next(r for r in said.records if r.method == "sendDocument")
    upload = document.files["document"]
    assert upload.filename == "plan-5015V1.docx"
    outline = docx.Document(io.BytesIO(upload.data))
    headings = [p.text for p in outline.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"AC {ac.ref} {ac.text}" for ac in catalogue.units["5015V1"].criteria]

    preview = next(r for r in said.records if r.reply_markup)
    assert labels(preview) == ["✅ Create reminders", "✖️ Cancel"]
    assert _reminders(engine, me.user.id) == []
    me.press(preview, "✅ Create")
    me.emu.wait_for(lambda r: r.chat_id == me.chat.id and r.seq > said.seq
                    and "Scheduled 4 reminders for 5015V1" in (r.text or ""), timeout=30)
    made = _reminders(engine, me.user.id)
    assert len(made) == 4 and {r.status for r in made} == {ReminderStatus.pending}
    assert [r.text.split(": ", 1)[1].split(" ", 2)[:2] for r in made] == [
        ["your", "outline"], ["your", "first"], ["check", "your"], ["submission", "day."]]

    me.press(preview, "✅ Create")
    me.emu.wait_for(lambda r: r.chat_id == me.chat.id and r.seq > said.seq
                    and "already scheduled; nothing added" in (r.text or ""), timeout=30)
    assert len(_reminders(engine, me.user.id)) == 4

    with Session(engine) as session:  # every checkpoint due now, instead of in weeks
        session.execute(update(Reminder).where(col(Reminder.id).in_([r.id for r in made]))
                        .values(due_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    for text in [r.text for r in made]:
        me.emu.wait_for(lambda r, text=text: r.method == "sendMessage"
                        and r.chat_id == me.chat.id and r.text == text, timeout=30)
    deadline = time.monotonic() + 30  # the outcome is recorded just after the send
    while {r.status for r in _reminders(engine, me.user.id)} != {ReminderStatus.sent}:
        assert time.monotonic() < deadline, [r.status for r in _reminders(engine, me.user.id)]
        time.sleep(0.2)


def test_cancel_and_a_past_date_schedule_nothing(talk, engine: Engine) -> None:
    me: Conversation = talk()
    said = me.send("/plan 7016 in 10 days")
    preview = next(r for r in said.records if r.reply_markup)
    me.press(preview, "✖️ Cancel")
    me.emu.wait_for(lambda r: r.chat_id == me.chat.id and r.seq > said.seq
                    and "Cancelled: no checkpoint reminders" in (r.text or ""), timeout=30)
    past = me.send("/plan 7016 1 Jan 2020")
    assert "is not in the future" in past.text
    assert _reminders(engine, me.user.id) == []
