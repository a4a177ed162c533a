"""The conversation without Telegram: ambiguity, context, buttons (including forged ones),
onboarding, and the database it leaves behind."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.conversation import buttons as cb
from bot.conversation.chat import Chat, parse_command
from bot.conversation.replies import plain
from bot.conversation.turn import Sender
from bot.services.tables import AcState, AcStatus, EnrolledUnit, Person
from content.catalogue import Catalogue
from tests.bot.conftest import buttons, rows

pytestmark = pytest.mark.database
ME = Sender(1001, "Ada")


def test_parse_command_forms() -> None:
    assert parse_command("/ac 5015 2.3", "cm_study_bot") == ("ac", "5015 2.3")
    assert parse_command("/AC@cm_study_bot 2.3", "cm_study_bot") == ("ac", "2.3")
    assert parse_command("/ac@other_bot 2.3", "cm_study_bot") is None
    assert parse_command("what does /ac do", "cm_study_bot") is None


def test_bare_ac_with_no_context_asks_with_one_button_per_unit(chat: Chat,
                                                                catalogue: Catalogue) -> None:
    (reply,) = chat.message(ME, "what does AC 2.3 need?")
    expected = [u.code for u in catalogue.units_with("2.3")]
    assert [data.split(":")[1] for _, data in buttons(reply)] == expected
    assert all(data.startswith(f"{cb.SHOW_AC}:") for _, data in buttons(reply))


def test_last_unit_discussed_resolves_a_bare_number(chat: Chat) -> None:
    chat.message(ME, "/unit 7016")
    (reply,) = chat.message(ME, "AC 1.4")
    assert "7016V1" in plain(reply.html) and not reply.edit


def test_pressing_a_unit_choice_edits_the_question_into_the_answer(chat: Chat) -> None:
    (reply,) = chat.message(ME, "2.3")
    data = next(d for label, d in buttons(reply) if label.startswith("5015V1"))
    (answer,) = chat.press(ME, data)
    assert answer.edit and "resistance" in plain(answer.html)


@pytest.mark.parametrize("data", [
    "", "ac", "ac:5015V1", "ac:5015V1:9.9", "ac:NOPE:1.1", "mk:5015V1:2.3:x", "q:XXX",
    "tu:1234", "zz:5015V1:2.3", "ok:1", "ac:5015V1:2.3" + "x" * 100, "<b>:&",
])
def test_forged_button_payloads_change_nothing(chat: Chat, engine: Engine, data: str) -> None:
    before = len(rows(engine, AcStatus)), len(rows(engine, EnrolledUnit))
    (reply,) = chat.press(ME, data)
    assert reply.toast == "That button is no longer valid." and not reply.html
    assert (len(rows(engine, AcStatus)), len(rows(engine, EnrolledUnit))) == before


def test_mark_done_toggles_only_the_pressers_own_status(chat: Chat, engine: Engine) -> None:
    other = Sender(2002, "Bea")
    (reply,) = chat.press(ME, cb.make(cb.MARK, "5015V1", "2.3"))
    assert reply.markup_only and "✅ Done" in [label for label, _ in buttons(reply)]
    statuses = rows(engine, AcStatus)
    assert [(s.unit_code, s.ref, s.state) for s in statuses] == [("5015V1", "2.3", AcState.done)]
    learner = next(r for r in rows(engine, Person) if r.id == statuses[0].learner_id)
    assert learner.telegram_id == ME.telegram_id
    (again,) = chat.press(other, cb.make(cb.MARK, "5015V1", "2.3"))
    assert len(rows(engine, AcStatus)) == 2
    chat.press(ME, cb.make(cb.MARK, "5015V1", "2.3"))
    mine = [s for s in rows(engine, AcStatus) if s.learner_id == learner.id]
    assert mine[0].state == AcState.not_started


def test_in_a_group_marking_shows_nothing_to_the_group(chat: Chat) -> None:
    in_group = Sender(ME.telegram_id, ME.name, private=False)
    (reply,) = chat.press(in_group, cb.make(cb.MARK, "5015V1", "2.3"))
    assert not reply.buttons and not reply.html and "marked done" in (reply.toast or "")
    (answer,) = chat.message(in_group, "/ac 5015 2.3")
    assert "⬜ Mark done" in [label for label, _ in buttons(answer)]


def test_onboarding_enrols_and_refuses_units_outside_the_qualification(chat: Chat,
                                                                       engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    units = {r.unit_code for r in rows(engine, EnrolledUnit)}
    assert units == {"7015V1", "7016V1", "7017V1", "7018V1", "7002V1", "7020V1"}
    (refused,) = chat.press(ME, cb.make(cb.TOGGLE_UNIT, "5015V1"))
    assert "not part of your qualification" in (refused.toast or "")
    chat.press(ME, cb.make(cb.TOGGLE_UNIT, "6001V1"))
    assert "6001V1" in {r.unit_code for r in rows(engine, EnrolledUnit)}
    (units_reply,) = chat.message(ME, "/units")
    assert "Group B" in plain(units_reply.html) and "0 of 7 credits" in plain(units_reply.html)


def test_every_command_works_without_onboarding(chat: Chat) -> None:
    for text in ("/help", "/ac", "/ac 5015 2.3", "/unit", "/unit 5015", "/units",
                 "/theorists", "/theorists coaching culture", "/theorist", "/theorist Schein",
                 "/nonsense", "hello", "🙂", "x" * 20_000):
        replies = chat.message(Sender(3003 + len(text)), text)
        assert replies and all(r.html for r in replies), text


def test_unknown_unit_and_theorist_get_friendly_replies(chat: Chat) -> None:
    (unit,) = chat.message(ME, "/unit 9999")
    assert "There is no unit 9999" in plain(unit.html) and "5015V1" in plain(unit.html)
    (who,) = chat.message(ME, "/theorist Clutterbok")  # a typo still finds the card
    assert plain(who.html).startswith("David Clutterbuck") and "Cited in" in plain(who.html)
    (nobody,) = chat.message(ME, "/theorist Zorblax")
    assert "name no theorist “Zorblax”" in plain(nobody.html)


def test_a_command_for_another_bot_is_left_alone_and_stores_nothing(chat: Chat,
                                                                    engine: Engine) -> None:
    group = Sender(7001, "Gus", private=False, chat_id=-100900)
    assert chat.message(group, "/ban@otherbot @spammer") == []
    assert chat.message(group, "/help@OtherBot") == []
    assert rows(engine, Person) == []
    assert chat.message(group, "/help@cm_study_bot")  # its own name: answered


def test_asking_how_to_plan_a_unit_shows_it_with_ticks_and_the_way_to_plan(chat: Chat) -> None:
    chat.message(ME, "/unit 7016")
    (reply,) = chat.message(ME, "can you help me plan my 7018 assignment")
    text = plain(reply.html)
    assert text.startswith("7018V1") and "/plan 7018" in text
    (after,) = chat.message(ME, "AC 1.4")  # 7018 is now the unit a bare number is in
    assert "7018V1" in plain(after.html)
