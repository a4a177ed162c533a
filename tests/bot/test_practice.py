"""The coaching practice record without Telegram: /log's form (choices, typed answers, skips,
bad answers, resume), hours against each learner's own qualification and the supervision
nudge, one-time feedback links, /reflect through Gibbs' six stages with AC evidence, the weekly
prompt, the exports, what a tutor sees, and /forgetme table by table."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import docx
import pytest
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.conversation import buttons as cb
from bot.conversation.chat import Chat
from bot.conversation.replies import Reply, plain
from bot.conversation.turn import Sender
from bot.services.database import session_scope
from bot.services.reminders import Due
from bot.services.tables import (
    CoachingSession,
    FeedbackRequest,
    Person,
    Reflection,
    ReflectionAc,
    Reminder,
    ReminderKind,
)
from tests.bot.conftest import NOW, TUTOR, Clock, buttons, rows, say

pytestmark = pytest.mark.database
ME = Sender(5005, "Ada")
SUPERVISOR = Sender(6006, "Sue Supervisor")
ILM = "ILM-L5-CCMM"


def press(chat: Chat, who: Sender, reply: Reply, label: str) -> list[Reply]:
    data = next(d for text, d in buttons(reply) if text.startswith(label))
    return chat.press(who, data)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(plain(r.html) for r in replies)


def only(engine: Engine) -> CoachingSession:
    (row,) = rows(engine, CoachingSession)
    return row


def fill_form(chat: Chat, who: Sender = ME) -> list[Reply]:
    """/log then every step: buttons where there are some, typed answers elsewhere."""
    replies = chat.message(who, "/log 90m Sam — first session")
    replies = press(chat, who, replies[-1], "Coaching")
    replies = press(chat, who, replies[-1], "Yesterday")
    replies = chat.message(who, "Agree a plan for the team reorganisation")
    replies = press(chat, who, replies[-1], "GROW")
    replies = chat.message(who, "Explored options; Sam chose to pilot weekly one-to-ones")
    replies = press(chat, who, replies[-1], "Skip")
    return chat.message(who, "Discussed my tendency to offer solutions too early")


def test_the_form_walks_every_step_and_ends_on_an_editable_card(chat: Chat,
                                                                engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, ILM))
    first = chat.message(ME, "/log 90m Sam — first session")
    assert "never their real name" in plain(first[0].html)
    assert "(1/7): Was it coaching or mentoring?" in plain(first[1].html)
    assert [label for label, _ in buttons(first[1])] == ["Coaching", "Mentoring", "Skip ⏭",
                                                         "Stop ⏸"]
    done = text_of(fill_form(chat)[-2:])
    row = rows(engine, CoachingSession)[-1]
    assert (row.kind, row.held_on, row.model, row.form_step) == ("coaching", date(2026, 11, 22),
                                                                 "GROW model", None)
    assert row.goal == "Agree a plan for the team reorganisation" and row.feedback == ""
    assert "Supervision: Discussed my tendency" in done and "Feedback: —" in done
    assert "of the 12 hours ILM D5.03 requires" in done
    card = chat.message(ME, f"/sessions {row.id}")[0]
    assert "✏️ Goal" in [label for label, _ in buttons(card)]
    (prompt,) = press(chat, ME, card, "✏️ Goal")
    assert "What goal" in plain(prompt.html)
    edited = chat.message(ME, "A clearer goal")
    assert "Goal: A clearer goal" in text_of(edited)
    assert rows(engine, CoachingSession)[-1].goal == "A clearer goal"


def test_bad_answers_change_nothing_and_a_command_interrupts_then_log_resumes(
        chat: Chat, engine: Engine) -> None:
    replies = chat.message(ME, "/log 60m Jo")
    replies = press(chat, ME, replies[-1], "Mentoring")
    assert only(engine).form_step == "held_on"
    answer = say(chat, ME, "tomorrow")
    assert "today or before" in answer and "When was the session?" in answer
    assert only(engine).held_on == NOW.date() and only(engine).form_step == "held_on"
    say(chat, ME, "/progress")  # a command: the form stops waiting
    assert "What goal" not in say(chat, ME, "hello")  # the router answers plain text again
    assert only(engine).form_step == "held_on"
    resumed = say(chat, ME, "/log")
    assert "Picking up session" in resumed and "When was the session?" in resumed
    assert "What goal" in say(chat, ME, "3 Nov")
    assert only(engine).held_on == date(2026, 11, 3)
    (stopped,) = press(chat, ME, chat.message(ME, "/log")[-1], "Stop")
    assert "Paused" in plain(stopped.html) and rows(engine, Person)[0].awaiting is None


def test_hours_follow_the_learners_own_qualification(chat: Chat) -> None:
    assert "Choose your qualification" in say(chat, ME, "/log 2h Sam")
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "5D2V2"))
    hours = say(chat, ME, "/hours")
    assert "sets no hour target" in hours and "12 hours" not in hours
    assert "5016V1 2.1" in hours and "5016V1 2.5" in hours
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, ILM))
    assert "10 h 00 min to go" in say(chat, ME, "/hours")
    assert "last supervision note" not in say(chat, ME, "/hours")
    assert "4 h 00 min logged since your last supervision note" in say(chat, ME, "/log 2h Jo")


@pytest.mark.parametrize("code", ["7A2V2", "7C2V2", "7D2V2", "5A2V2", "5C2V2", "5D2V2"])
def test_a_cmi_learners_log_says_nothing_of_ilm_hours(chat: Chat, code: str) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, code))
    logged = say(chat, ME, "/log 90m Sam — goal setting")
    assert "ILM" not in logged and "12 hours" not in logged and "D5.03" not in logged
    assert "sets no hour target" in logged and "Total 1 h 30 min logged" in logged


def test_a_feedback_link_works_once_for_one_person_until_it_expires(
        chat: Chat, engine: Engine, clock: Clock) -> None:
    fill_form(chat)
    number = only(engine).id
    link = say(chat, ME, f"/feedback {number} supervisor")
    token = re.search(r"start=fb_([\w-]+)", link)[1]  # type: ignore[index]
    assert len(token) >= 24 and token not in json.dumps([r.token_hash for r in
                                                         rows(engine, FeedbackRequest)])
    assert "your own feedback link" in say(chat, ME, f"/start fb_{token}")
    opened = say(chat, SUPERVISOR, f"/start fb_{token}")
    assert "Ada asks for your feedback, as their supervisor" in opened
    assert "Goal: Agree a plan" in opened
    assert "opened by someone else" in say(chat, Sender(7007, "Eve"), f"/start fb_{token}")
    thanks = say(chat, SUPERVISOR, "Good contracting; let Sam find the options first.")
    assert "your feedback is with Ada" in thanks
    (request,) = rows(engine, FeedbackRequest)
    assert request.answer.startswith("Good contracting") and request.answered_by == "Sue Supervisor"
    assert "already been used" in say(chat, SUPERVISOR, f"/start fb_{token}")
    assert "Supervisor (Sue Supervisor): Good contracting" in say(chat, ME, f"/sessions {number}")
    assert any("answered your feedback link" in r.text for r in rows(engine, Reminder))
    later = say(chat, ME, f"/feedback {number} observer")
    token2 = re.search(r"start=fb_([\w-]+)", later)[1]  # type: ignore[index]
    clock.now = NOW + timedelta(days=15)
    assert "has expired" in say(chat, SUPERVISOR, f"/start fb_{token2}")
    assert "not valid" in say(chat, SUPERVISOR, "/start fb_guessed-token-000000000000")
    assert "Say which session" in say(chat, ME, "/feedback 999 supervisor")


def test_reflect_through_six_stages_with_stop_and_resume_then_ac_evidence(
        chat: Chat, engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, ILM))
    assert "Description" in say(chat, ME, "/reflect")
    assert "Feelings" in say(chat, ME, "I coached Sam through a difficult conversation.")
    (paused,) = press(chat, ME, chat.message(ME, "/reflect")[-1], "Stop")
    assert "Paused reflection" in plain(paused.html)
    assert "Feelings" in say(chat, ME, "/reflect")  # resumed where it stopped
    say(chat, ME, "Nervous at first, then more confident.")
    press(chat, ME, chat.message(ME, "/reflect")[-1], "Skip")  # evaluation skipped
    say(chat, ME, "My questions were too leading; the GROW structure helped.")
    say(chat, ME, "I could have let silences run longer.")
    final = chat.message(ME, "Next time I will ask for feedback on my coaching practice "
                             "from my supervisor and reflect on my development needs.")
    summary = text_of(final)
    assert "Reflection #1 saved" in summary and "It may be evidence for" in summary
    (entry,) = rows(engine, Reflection)
    assert entry.stage == 6 and entry.evaluation == "" and entry.feelings.startswith("Nervous")
    attach = [(label, data) for label, data in buttons(final[-1]) if label.startswith("📎")]
    assert attach and all(label.split()[1] in ("D5.01", "D5.02", "D5.03") for label, _ in attach)
    label, data = attach[0]
    (toast,) = chat.press(ME, data)
    assert "Shown as evidence" in (toast.toast or "")
    assert "Already evidence" in (chat.press(ME, data)[0].toast or "")
    unit, ref = label.split()[1:]
    assert [(e.unit_code, e.ref) for e in rows(engine, ReflectionAc)] == [(unit, ref)]
    assert "🪞 reflection #1" in say(chat, ME, f"/checklist {unit}")


def test_weekly_prompt_goes_through_the_reminder_dispatcher(chat: Chat, engine: Engine) -> None:
    assert "Say the day and time" in say(chat, ME, "/reflect weekly someday")
    assert "every Friday at 17:00" in say(chat, ME, "/reflect weekly friday 17:00")
    (reminder,) = rows(engine, Reminder)
    assert reminder.kind == ReminderKind.reflect.value
    assert reminder.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    sent = chat.reminder_message(Due(reminder.id or 0, ME.telegram_id, reminder.text, None,
                                     ReminderKind.reflect, reminder.learner_id))
    assert sent is not None and "/reflect" in plain(sent.html)
    assert buttons(sent) == [("🪞 Reflect now", "rf:new:0")]
    assert len(rows(engine, Reminder)) == 2  # the following week's is queued
    assert "Description" in text_of(chat.press(ME, "rf:new:0"))
    say(chat, ME, "/reflect weekly off")
    assert sum(r.status == "pending" for r in rows(engine, Reminder)) == 0


def test_diary_and_portfolio_documents(chat: Chat, engine: Engine, catalogue) -> None:
    assert "No diary yet" in say(chat, ME, "/diary")
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, ILM))
    fill_form(chat)
    say(chat, ME, "/log 45m Jo")
    replies = chat.message(ME, "/diary")
    files = {r.attachment.filename: r.attachment.content for r in replies if r.attachment}
    assert set(files) == {"coaching-diary.docx", "coaching-diary.pdf", "coaching-sessions.csv"}
    assert files["coaching-diary.pdf"].startswith(b"%PDF")
    document = docx.Document(io.BytesIO(files["coaching-diary.docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    sections = catalogue.units["D5.03"].assessment.sections
    assert headings == [
        f"{sections[0].title} (ACs 1.1, 1.2, 2.1, 2.2, 2.3)", "Goals agreed",
        "Sessions planned and delivered", "Hours", "Progress reviews",
        f"{sections[1].title} (ACs 3.1, 3.2, 3.3)", "Supervisor and peer feedback", "Reflection"]
    sessions_table = document.tables[1]
    assert len(sessions_table.rows) == 3  # header and two sessions
    assert [c.text for c in sessions_table.rows[1].cells][2:] == ["Sam", "coaching",
                                                                  "1 h 30 min", "GROW model"]
    feedback = [[c.text for c in row.cells] for row in document.tables[4].rows]
    assert feedback[1][2] == "Supervision note"
    table = list(csv.DictReader(io.StringIO(files["coaching-sessions.csv"].decode())))
    assert [r["coachee"] for r in table] == ["Sam", "Jo"] and table[0]["model"] == "GROW model"
    chat.press(ME, cb.make(cb.MARK, "D5.03", "2.2"))
    say(chat, ME, "/note D5.03 2.2 https://example.org/diary")
    portfolio = chat.message(ME, "/portfolio")
    files = {r.attachment.filename: r.attachment.content for r in portfolio if r.attachment}
    assert files["portfolio.pdf"].startswith(b"%PDF")
    matrix = docx.Document(io.BytesIO(files["portfolio.docx"]))
    assert len(matrix.tables) == 3  # D5.01, D5.02, D5.03
    line = next([c.text for c in row.cells] for row in matrix.tables[2].rows
                if row.cells[0].text == "2.2")
    assert line[2:4] == ["done", "https://example.org/diary"]


def test_a_tutor_sees_hours_and_last_session_never_what_was_said(chat: Chat) -> None:
    created = say(chat, TUTOR, '/newcohort "Spring 2027" ILM-L5-CCMM')
    code = re.search(r"start=join_(\w+)", created)[1]  # type: ignore[index]
    say(chat, ME, f"/start join_{code}")
    fill_form(chat)
    view = say(chat, TUTOR, "/cohort Spring 2027")
    assert "coaching 1 h 30 min, last session Sun 22 Nov 2026" in view
    assert "reorganisation" not in view and "Sam" not in view
    report = chat.message(TUTOR, "/report Spring 2027")
    table = list(csv.DictReader(io.StringIO(report[0].attachment.content.decode())))  # type: ignore[union-attr]
    assert (table[0]["practice_hours"], table[0]["last_session"]) == ("1 h 30 min",
                                                                       "2026-11-22")
    assert "reorganisation" not in report[0].attachment.content.decode()  # type: ignore[union-attr]


def test_mydata_has_every_new_table_and_forgetme_leaves_no_row(chat: Chat,
                                                              engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, ILM))
    fill_form(chat)
    token = re.search(r"start=fb_([\w-]+)", say(chat, ME, f"/feedback {only(engine).id}"))[1]  # type: ignore[index]
    say(chat, SUPERVISOR, f"/start fb_{token}")
    say(chat, SUPERVISOR, "Well done.")
    say(chat, ME, "/reflect")
    for stage in range(6):
        final = chat.message(ME, f"stage {stage}: feedback from my supervisor on my practice")
    chat.press(ME, next(d for label, d in buttons(final[-1]) if label.startswith("📎")))
    say(chat, ME, "/reflect weekly monday 08:00")
    say(chat, SUPERVISOR, "/log 30m Kim")  # someone else's record stays
    doc = json.loads(chat.message(ME, "/mydata")[0].attachment.content)  # type: ignore[union-attr]
    for table in ("coachingsession", "feedbackrequest", "reflection", "reflectionac", "reminder"):
        assert doc[table], table
    assert doc["learner"]["reflect_weekday"] == 0
    with session_scope(engine) as session:
        me = session.exec(sa_select(Person).where(Person.telegram_id == ME.telegram_id)
                          ).scalar_one()
        my_id = me.id
    chat.press(ME, cb.make(cb.FORGET, "yes"))
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            owners = [c for c in table.columns
                      if any(fk.column.table.name == "learner" for fk in c.foreign_keys)]
            for column in owners:
                left = connection.execute(sa_select(table).where(column == my_id)).all()
                assert left == [], (table.name, column.name)
            if table.name == "learner":
                assert connection.execute(sa_select(table).where(
                    table.c.telegram_id == ME.telegram_id)).all() == []
    assert len(rows(engine, CoachingSession)) == 1  # the supervisor's own


def test_button_payloads_are_checked(catalogue) -> None:
    for data in ("lf:set:1:goal", "lf:ask:x:goal", "lf:drop:1:goal", "lf:ask:1:password",
                 "fl:boss:1", "rf:ac:1:5015V1:9.9", "rf:skip:abc", "rf:ac:1:5015V1"):
        assert cb.parse(data, catalogue) is None, data
    assert cb.parse("lf:set:3:model:GROW model", catalogue) == cb.Press(
        "lf", verb="set", number=3, name="model", value="GROW model")
    assert cb.parse("rf:ac:2:5015V1:2.3", catalogue) == cb.Press("rf", verb="ac", number=2,
                                                                 unit="5015V1", ref="2.3")
