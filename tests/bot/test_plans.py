"""/plan without Telegram: the preview (every AC in order, budgets within the level's range,
must-dos quoted verbatim from the guidance, theorists), the .docx skeleton, the replies to a
bad unit or date, and the checkpoints' reminders: none before "Create", exactly one per
checkpoint after it, none more after a second press, none after "Cancel"."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import docx
import pytest
from sqlalchemy.engine import Engine

from bot.conversation import buttons as cb
from bot.conversation.chat import Chat
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.replies import Reply, plain
from bot.conversation.turn import Sender
from bot.services.assignment import word_range
from bot.services.plans import checkpoints
from bot.services.tables import Reminder, ReminderStatus, Role
from content.catalogue import Catalogue
from tests.bot.conftest import buttons, rows, say

LEARNER = Sender(7101, "Priya")
_AC_LINE = re.compile(r"^(\d\.\d) .* · about (\d+) words$", re.MULTILINE)


def _plan(chat: Chat, text: str) -> Reply:
    replies = chat.message(LEARNER, text)
    assert len(replies) == 1
    return replies[0]


def _pending(engine: Engine) -> list[Reminder]:
    return [r for r in rows(engine, Reminder) if r.status == ReminderStatus.pending]


def test_the_preview_has_every_ac_in_order_with_budgets_within_the_range(
        chat: Chat, catalogue: Catalogue, engine: Engine) -> None:
    reply = _plan(chat, "/plan 5015")
    text = plain(reply.html)
    unit = catalogue.units["5015V1"]
    found = _AC_LINE.findall(text)
    assert [ref for ref, _ in found] == [ac.ref for ac in unit.criteria]
    low, high = word_range(unit) or (0, 0)
    assert low <= sum(int(words) for _, words in found) <= high
    # weighted by verb: "evaluate" 1.2 gets more than "identify" 1.1
    assert dict(found)["1.2"] > dict(found)["1.1"]
    assert "Theorists and models: " in text and "Kurt Lewin" in text
    # every quoted must-do is a sentence of that AC's own guidance, word for word
    for part in text.split("\n\n")[2:-2]:
        ref = part.split(" ", 1)[0]
        criterion = catalogue.criterion(f"5015V1 {ref}")
        assert criterion is not None
        guidance = " ".join(p for g in criterion.guidance for p in g.paragraphs)
        for quoted in re.findall(r"“(.+?)”", part):
            assert quoted in guidance, (ref, quoted)
    assert "“Reference should be made as to how and when you would review" in text
    assert "Add your due date" in text and reply.buttons == ()
    assert _pending(engine) == []


def test_the_outline_is_a_docx_with_one_heading_per_ac(chat: Chat, catalogue: Catalogue) -> None:
    attachment = _plan(chat, "/plan 5015 23 Dec 2026").attachment
    assert attachment is not None and attachment.filename == "plan-5015V1.docx"
    document = docx.Document(io.BytesIO(attachment.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    unit = catalogue.units["5015V1"]
    assert headings == [f"AC {ac.ref} {ac.text}" for ac in unit.criteria]
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(headings[0]) + 1] == "About 140 words."
    assert "due Wed 23 Dec 2026" in texts[1]


def test_an_ilm_unit_has_no_budgets_and_says_why(chat: Chat) -> None:
    text = plain(_plan(chat, "/plan D5.01").html)
    assert "ILM sets no word count for this unit" in text
    assert "· about" not in text
    assert text.count("The specification gives no guidance per AC") == 1


@pytest.mark.parametrize("args, expected", [
    ("/plan 9999 23 Dec", "I don't know the unit “9999”"),
    ("/plan 5015 someday", "I couldn't read a date"),
    ("/plan 5015 31/02/2027", "There is no 31 February 2027"),
    ("/plan 5015 1 Nov 2026", "Sun 1 Nov 2026 is not in the future"),
    ("/plan 5015 today", "is not in the future"),
    ("/plan 5015 23 Dec 2026 <b>soon</b>", "but not “<b>soon</b>” after it"),
])
def test_a_bad_unit_or_date_gets_a_friendly_reply_and_schedules_nothing(
        chat: Chat, engine: Engine, args: str, expected: str) -> None:
    reply = _plan(chat, args)
    assert expected in plain(reply.html)
    assert "<b>soon" not in reply.html  # the learner's text is escaped
    assert all(not b.data.startswith(cb.PLAN + ":") for row in reply.buttons for b in row)
    assert rows(engine, Reminder) == []


def test_checkpoints_are_counted_back_and_those_past_are_skipped() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    points = checkpoints(start=date(2026, 11, 23), due=date(2026, 12, 23), now=now,
                         timezone="Europe/London")
    assert [(p.name, p.day) for p in points] == [
        ("outline", date(2026, 11, 27)), ("first draft", date(2026, 12, 11)),
        ("self-check", date(2026, 12, 17)), ("submit", date(2026, 12, 23))]
    assert points[0].due_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    # due tomorrow: only the day itself is left; a checkpoint at 09:00 today has passed
    tomorrow = checkpoints(start=date(2026, 11, 23), due=date(2026, 11, 24), now=now,
                           timezone="Europe/London")
    assert [p.name for p in tomorrow] == ["submit"]
    # in summer, 09:00 in London is 08:00 UTC
    summer = checkpoints(start=date(2027, 6, 1), due=date(2027, 6, 11), now=now,
                         timezone="Europe/London")
    assert summer[-1].due_at == datetime(2027, 6, 11, 8, 0, tzinfo=UTC)


def test_reminders_only_after_create_and_never_twice(chat: Chat, engine: Engine) -> None:
    reply = _plan(chat, "/plan 5015 23 Dec 2026")
    text = plain(reply.html)
    assert "• Fri 27 Nov 2026: outline\n• Fri 11 Dec 2026: first draft" in text
    assert "• Thu 17 Dec 2026: self-check\n• Wed 23 Dec 2026: submit" in text
    pressable = dict(buttons(reply))
    create = pressable["✅ Create reminders"]
    assert create == "pl:create:5015V1:20261123:20261223"
    assert rows(engine, Reminder) == []
    done = plain(chat.press(LEARNER, create)[0].html)
    assert "Scheduled 4 reminders for 5015V1" in done
    pending = _pending(engine)
    assert [(r.due_at, r.kind, r.chat_id) for r in pending] == [
        (datetime(2026, m, d, 9, 0, tzinfo=UTC), "plan", LEARNER.telegram_id)
        for m, d in ((11, 27), (12, 11), (12, 17), (12, 23))]
    assert pending[2].text.startswith("📝 Plan for 5015V1 (due Wed 23 Dec 2026): check your")
    assert "/check 5015V1" in pending[2].text
    again = chat.press(LEARNER, create)[0]
    assert "already scheduled; nothing added" in plain(again.html)
    assert len(rows(engine, Reminder)) == 4
    # a new due date for the unit replaces the pending checkpoints
    later = dict(buttons(_plan(chat, "/plan 5015 20 Jan 2027")))["✅ Create reminders"]
    chat.press(LEARNER, later)
    assert len(_pending(engine)) == 4
    assert {r.due_at.date() for r in _pending(engine)} >= {date(2027, 1, 20)}
    assert sum(r.status == ReminderStatus.cancelled for r in rows(engine, Reminder)) == 4


def test_cancel_leaves_nothing(chat: Chat, engine: Engine) -> None:
    cancel = dict(buttons(_plan(chat, "/plan 7016 in 3 weeks")))["✖️ Cancel"]
    assert "Cancelled: no checkpoint reminders for 7016V1" in plain(
        chat.press(LEARNER, cancel)[0].html)
    assert rows(engine, Reminder) == []


def test_plan_alone_asks_for_an_enrolled_unit_with_buttons(chat: Chat) -> None:
    say(chat, LEARNER, "/ac 7016 1.1")  # the unit it remembers
    reply = _plan(chat, "/plan")
    assert "Which unit is the assignment for?" in plain(reply.html)
    choices = buttons(reply)
    assert choices and all(data.startswith(cb.PLAN_UNIT + ":") for _, data in choices)
    shown = chat.press(LEARNER, cb.make(cb.PLAN_UNIT, "5015V1"))[0]
    assert "Assignment plan · 5015V1" in plain(shown.html)


def test_tampered_payloads_and_groups_change_nothing(chat: Chat, engine: Engine) -> None:
    for data in ("pl:create:5015V1:20261123:20261399", "pl:drop:5015V1:20261123:20261223",
                 "pl:create:9999:20261123:20261223", "pl:create:5015V1:20261123"):
        assert chat.press(LEARNER, data)[0].toast == "That button is no longer valid."
    group = Sender(LEARNER.telegram_id, "Priya", private=False, chat_id=-100)
    assert "private" in say(chat, group, "/plan 5015 23 Dec 2026")
    assert rows(engine, Reminder) == []


def test_plan_is_in_help_and_the_private_menu(chat: Chat) -> None:
    assert "/plan 5015 31 Jan" in say(chat, LEARNER, "/help")
    assert "plan" in dict(REGISTRY.menu(Role.learner, Where.private))
    assert "plan" not in dict(REGISTRY.menu(Role.learner, Where.group))
