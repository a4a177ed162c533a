"""End to end, the practice record through the real bot and the Bot API emulator: the whole
session form by buttons and messages, an interruption and /log resuming it, a supervisor's
feedback through the one-time link (refused the second time and after expiry), /reflect
through all six stages, and /diary and /portfolio arriving as documents that open."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import docx
import pytest
from sqlmodel import Session, select

from bot.services.database import make_engine
from bot.services.tables import FeedbackRequest, utcnow
from tests.bot.conftest import BOT, Conversation, Said, labels
from tests.emulator.model import Record

pytestmark = [pytest.mark.database]


def press(me: Conversation, message: Record | Said, label: str, expect: str) -> Record:
    """Press a button; the new message (not an edit) whose text has `expect`."""
    me.press(message, label)
    return me.emu.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == me.chat.id
                           and r.seq > message.seq and expect in (r.text or ""), timeout=30)


def send_until(me: Conversation, text: str, expect: str) -> Said:
    """Send `text`; its answer once a message holding `expect` has come. The form's next
    question follows the bot's reply as a second message, which a busy machine may send
    after the harness's quiet spell (0.3 s) has ended the answer."""
    start = me.send(text).records[0].seq
    me.emu.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == me.chat.id
                    and r.seq >= start and expect in (r.text or ""), timeout=30)
    return Said([r for r in me.emu.sent(me.chat.id)
                 if r.method == "sendMessage" and r.seq >= start])


def test_session_form_resume_and_supervisor_feedback(talk, bot_database: str) -> None:
    me: Conversation = talk("Ada Learner")
    qualification = me.send("/start")
    me.press(qualification, "ILM")
    first = send_until(me, "/log 90m Sam — first session", "coaching or mentoring?")
    assert "never their real name" in first.text and "coaching or mentoring?" in first.text
    date_step = press(me, first, "Coaching", "When was the session?")
    press(me, date_step, "Yesterday", "What goal")
    me.send("/hours")  # an interruption: the form stops waiting
    assert "What goal" not in me.send("hello").text  # the router answers it, not the form
    resumed = send_until(me, "/log", "What goal")
    assert "Picking up session" in resumed.text and "What goal" in resumed.text
    model_step = me.send("Agree a plan for the reorganisation")
    assert "Which model" in model_step.text and "GROW" in labels(model_step)
    press(me, model_step, "GROW", "What happened")
    feedback_step = me.send("Sam chose to pilot weekly one-to-ones")
    press(me, feedback_step, "Skip", "supervision note")
    card = me.send("Talked about letting silences run")
    assert "Goal: Agree a plan for the reorganisation" in card.text
    assert "Model: GROW model" in card.text and "of the 12 hours ILM D5.03 requires" in card.text

    number = re.search(r"Session #(\d+)", card.text)[1]  # type: ignore[index]
    link = me.send(f"/feedback {number} supervisor")
    token = re.search(rf"https://t\.me/{BOT}\?start=fb_([\w-]+)", link.text)[1]  # type: ignore[index]
    sue: Conversation = talk("Sue Supervisor")
    opened = sue.send(f"/start fb_{token}")
    assert "Ada Learner asks for your feedback, as their supervisor" in opened.text
    thanks = sue.send("Good contracting; let Sam find the options first.")
    assert "your feedback is with Ada Learner" in thanks.text
    me.emu.wait_for(lambda r: r.chat_id == me.chat.id and "answered your feedback link"
                    in (r.text or ""), timeout=30)  # told, by the reminder dispatcher
    assert "already been used" in sue.send(f"/start fb_{token}").text
    assert "Sue Supervisor): Good contracting" in me.send(f"/sessions {number}").text

    second = me.send(f"/feedback {number} observer")
    token2 = re.search(r"start=fb_([\w-]+)", second.text)[1]  # type: ignore[index]
    engine = make_engine(bot_database)
    with Session(engine) as session:  # two weeks go by
        for request in session.exec(select(FeedbackRequest)):
            request.expires_at = utcnow() - timedelta(seconds=1)
            session.add(request)
        session.commit()
    engine.dispose()
    assert "has expired" in sue.send(f"/start fb_{token2}").text


def test_reflect_six_stages_then_diary_and_portfolio(talk) -> None:
    me: Conversation = talk("Bo Learner")
    me.press(me.send("/start"), "ILM")
    me.send("/log 2h Jo — review")
    said = me.send("/reflect")
    stages = []
    for answer in ("I ran a review session with Jo.", "Uneasy, then engaged.",
                   "Good rapport; I talked too much.", "GROW kept us on track.",
                   "I could have asked more open questions.",
                   "Collect feedback on my coaching practice and reflect with my supervisor."):
        stages.append(re.search(r"🪞 (\w[\w ]*) \(stage", said.text)[1])  # type: ignore[index]
        said = me.send(answer)
    assert stages == ["Description", "Feelings", "Evaluation", "Analysis", "Conclusion",
                      "Action plan"]
    assert "Reflection #" in said.text and "It may be evidence for" in said.text
    attach = next(label for label in labels(said) if label.startswith("📎"))
    me.press(said, attach)
    unit, ref = attach.split()[1:]
    me.emu.wait_for(lambda r: r.method == "answerCallbackQuery"
                    and "evidence" in str(r.params.get("text")), timeout=30)
    checklist = me.send(f"/checklist {unit}")
    assert "🪞 reflection #" in checklist.text

    diary = me.send("/diary")
    files = {r.files["document"].filename: r.files["document"].data for r in diary.records
             if r.method == "sendDocument"}
    assert set(files) == {"coaching-diary.docx", "coaching-diary.pdf", "coaching-sessions.csv"}
    document = docx.Document(io.BytesIO(files["coaching-diary.docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Supervisor and peer feedback" in headings and "Reflection" in headings
    assert any("Collect feedback on my coaching practice" in p.text for p in document.paragraphs)
    assert files["coaching-diary.pdf"].startswith(b"%PDF")
    portfolio = me.send("/portfolio")
    files = {r.files["document"].filename: r.files["document"].data for r in portfolio.records
             if r.method == "sendDocument"}
    matrix = docx.Document(io.BytesIO(files["portfolio.docx"]))
    cells = [[c.text for c in row.cells] for table in matrix.tables for row in table.rows]
    assert any(row[0] == ref and row[5].startswith("#") for row in cells)
    assert files["portfolio.pdf"].startswith(b"%PDF")
