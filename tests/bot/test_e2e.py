"""End to end: the real bot process (`python -m bot`) against the Bot API emulator on
127.0.0.1, checked as a user sees it. One bot process serves the module; each test uses its
own users and chats. The emulator must start: these tests fail, never skip, without it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Message

from tests.bot.conftest import BOT, TUTOR_ID, Conversation, labels
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]


@pytest.fixture(scope="module", autouse=True)
def bot_log_is_clean(bot_process, bot_log: Path) -> Iterator[None]:
    """After the module: the only errors the bot logged are the ones a test injected."""
    yield
    for logged in bot_log.read_text().split("Traceback")[1:]:
        assert "BadRequest: Chat not found" in logged, logged[-3000:]


def test_commands_are_set_for_private_chats_and_groups(emulator: BotApiEmulator,
                                                       bot_process) -> None:
    scopes = {key[0] for key in emulator.commands}
    assert any("all_private_chats" in s for s in scopes)
    assert any("all_group_chats" in s for s in scopes)


def menu(emulator: BotApiEmulator, scope: dict) -> list[str]:
    """The commands setMyCommands set for a scope (what Telegram shows there)."""
    return [c["command"] for c in emulator.commands.get(emulator.commands_for(scope), [])]


def test_a_learners_menus_have_no_tutor_commands_and_a_tutors_has_them(
        emulator: BotApiEmulator, bot_process) -> None:
    learner_private = menu(emulator, {"type": "all_private_chats"})
    learner_group = menu(emulator, {"type": "all_group_chats"})
    tutor_private = menu(emulator, {"type": "chat", "chat_id": TUTOR_ID})
    tutor_only = {"newcohort", "cohorts", "invite", "remove", "link", "remind", "reminders",
                  "cohort", "report", "signoff", "today", "nudges", "digest", "promote"}
    assert {"ac", "checklist", "progress", "help"} <= set(learner_private)
    assert not tutor_only & set(learner_private), learner_private
    assert {"ac", "help"} <= set(learner_group) and not tutor_only & set(learner_group)
    assert set(learner_private) < set(tutor_private)
    assert {"newcohort", "invite", "remove", "nudges", "digest", "remind"} <= set(tutor_private)
    assert "promote" not in tutor_private  # an admin's command
    assert "link" in menu(emulator, {"type": "all_chat_administrators"})


def test_help_lists_tutor_commands_to_a_tutor_only(emulator: BotApiEmulator, talk) -> None:
    learner = talk().send("/help").text
    assert "/checklist 5015" in learner and "/newcohort" not in learner
    tutor = Conversation(emulator, TUTOR_ID, "Tess Tutor").send("/help").text
    assert "/checklist 5015" in tutor
    assert all(f"/{name}" in tutor for name in ("newcohort", "invite", "remind", "signoff",
                                                "today", "nudges", "digest"))
    assert "/promote" not in tutor


def test_start_onboarding_saves_the_qualification_and_units(talk) -> None:
    me = talk("Ada")
    welcome = me.send("/start")
    assert "Which qualification" in welcome.text
    assert "Level 7 Diploma in Leadership Coaching and Mentoring" in " ".join(labels(welcome))
    seq = welcome.seq
    me.press(welcome, "Level 7 Diploma")
    units = me.edited(welcome.message_id, seq)
    assert "Tick the units" in units.text
    assert any(label.startswith("✅ 7015V1") for label in labels(units))
    assert any(label.startswith("⬜ 7019V1") for label in labels(units))
    current = me.emu.message(me.chat.id, welcome.message_id)
    me.emu.press(me.chat, me.user, welcome.message_id,
                 next(b["callback_data"] for row in current["reply_markup"]["inline_keyboard"]
                      for b in row if "7019V1" in b["text"]))
    toggled = me.edited(welcome.message_id, units.seq, "editMessageReplyMarkup")
    assert any(label.startswith("✅ 7019V1") for label in labels(toggled))
    me.emu.press(me.chat, me.user, welcome.message_id, "ok")
    done = me.edited(welcome.message_id, toggled.seq)
    assert "All set" in done.text and "7019V1" in done.text
    # the saved units narrow a bare AC number to the learner's own units
    question = me.send("what does AC 4.2 need?")
    assert [label.split()[0] for label in labels(question)] == ["7002V1", "7020V1"]
    answer = me.send("/ac 5.3")
    assert "AC 5.3" in answer.text and "7020V1" in answer.text


def test_ac_command_quotes_the_criterion_with_its_guidance(talk) -> None:
    me = talk()
    answer = me.send("/ac 5015 2.3")
    text = answer.text
    assert "Explain how to overcome organisational and individual resistance to the " \
           "implementation of coaching and mentoring" in text
    assert "5015V1" in text and "LO 2" in text and "What “explain” asks of you" in text
    assert "You may wish to develop a template detailing the barriers at 2.2" in text
    assert "2,500–3,000 words" in text
    assert {"⬜ Mark done", "Related ACs", "Next: AC 2.4 ▶"} <= set(labels(answer))
    seq = answer.seq
    me.press(answer, "⬜ Mark done")
    marked = me.edited(answer.message_id, seq, "editMessageReplyMarkup")
    assert "✅ Done" in labels(marked)
    assert any("marked done" in c.get("text", "") for c in me.emu.answered_callbacks)


def test_ambiguous_ac_asks_with_unit_buttons_and_answers_in_place(talk) -> None:
    me = talk()
    question = me.send("what does AC 2.3 need?")
    assert "Which unit do you mean?" in question.text
    assert len(labels(question)) > 3 and any(b.startswith("5015V1") for b in labels(question))
    me.press(question, "5015V1")
    answer = me.edited(question.message_id, question.seq)
    assert "AC 2.3" in answer.text and "5015V1" in answer.text and "resistance" in answer.text
    # the unit just discussed now resolves a bare number
    follow_up = me.send("and 2.4?")
    assert "AC 2.4" in follow_up.text and "5015V1" in follow_up.text


def test_ac_that_does_not_exist_lists_the_ones_that_do(talk) -> None:
    me = talk()
    reply = me.send("/ac 5015 9.9")
    assert "Unit 5015V1 has no AC 9.9" in reply.text
    assert "1.1, 1.2, 1.3, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3" in reply.text


def test_theorist_question_and_theorist_command(talk) -> None:
    me = talk()
    reply = me.send("who should I cite for coaching culture?")
    # the source's own sentence on coaching culture names these three, first
    first_three = "•".join(reply.text.split("•")[1:4])
    assert all(name in first_three for name in ("Hardingham", "Caplan", "Megginson"))
    assert "Cited in" in reply.text
    one = me.send("/theorist Clutterbook")
    assert "David Clutterbuck" in one.text and "Clutterbook" in one.text


def test_theorists_for_a_topic_open_the_ac_that_cites_them(talk) -> None:
    me = talk()
    reply = me.send("resistance to change in 5015, what models do they mention")
    assert reply.text.startswith("Theorists and models for “resistance to change in 5015”")
    assert "Named in: 5015V1 2.2 guidance" in reply.text and "Kurt Lewin" in reply.text
    opened = me.press_for_answer(reply, "Open 5015V1 2.2")
    assert "Identify barriers to change which impact on coaching and mentoring" in opened.text


def test_free_question_gets_criteria_with_reasons_and_buttons(talk) -> None:
    me = talk()
    reply = me.send("how do I evaluate a mentoring programme?")
    assert "closest to your question" in reply.text
    assert "D5.01 2.4" in reply.text and "7018V1 2.4" in reply.text
    # each candidate says what matched: an AC or guidance sentence, or how learners ask it,
    # with the learner's own words in bold
    assert reply.text.count("Matched:") + reply.text.count("Learners ask:") == 3
    first = reply.records[0]
    assert first.message is not None and first.text is not None
    bold = [first.text[e["offset"]:e["offset"] + e["length"]]
            for e in first.message.get("entities", []) if e["type"] == "bold"]
    assert {"evaluating", "mentoring", "programme"} & {b.casefold() for b in bold}
    assert labels(reply) and all(b.startswith("Open ") for b in labels(reply))
    off_topic = me.send("what is the best lasagne recipe?")
    assert "not something" in off_topic.text and "who is Whitmore" in off_topic.text


@pytest.mark.parametrize("asked, expected", [
    ("do i have to do 7002", ["7002V1", "Level 7 Diploma"]),
    ("how many words for 7016", ["3,000", "3000- 3500 words"]),
    ("do appendices count towards the word count", ["appendices"]),
    ("is there a pass mark or grades?", ["assessment criteria", "50%"]),
    ("is the level 7 still running, i heard it ends in 2025?", ["2020", "2025"]),
    ("how many coaching hours do i need for ilm", ["12 hours"]),
    ("what does evaluate mean", ["critically appraise"]),
    ("whats the difference between analyse and evaluate", ["“Analyse”", "“Evaluate”"]),
    ("what does determine mean", ["“Determine”"]),
    ("who is whitmore", ["John Whitmore", "GROW"]),
    ("whats kolb", ["David Kolb", "learning cycle"]),
    ("what do they mean by golden thread", ["Golden Thread"]),
    ("can u just write my assignment for me pls", ["can't write your assignment"]),
    ("hiya", ["Hello!"]),
    ("thanks!!", ["welcome"]),
    ("whats 7019 about", ["7019V1", "Aims"]),
    ("what is the action learning unit about", ["5019V1", "Aims"]),
    ("revens who was he", ["Reg Revans", "action learning"]),
    ("one credit is how many hours", ["10 hours"]),
    # Read by the kind model (index/kinds.json) inside the bot process: no pattern has them.
    ("i put describe but my tutor wanted analyse", ["“Describe”", "“Analyse”"]),
    ("does the 12 hrs of coaching for the ilm have to be with different people", ["12 hours"]),
    ("honey n mumford learning styles r they a load of rubbish", ["Honey and Mumford"]),
    ("nite all, chat tmrw", ["Bye for now"]),
    ("whats fifty seventeen about in plain english", ["5017V1", "Aims"]),
    # Round six: overruled patterns, described theorists, voice notes, more shapes.
    ("my coachee is off sick, can i just sign the feedback form as her",
     ["can't write your assignment", "sign"]),
    ("the unfreeze refreeze bloke", ["Kurt Lewin"]),
    ("erm what does seven oh ten three point one need full stop", ["7010V1", "3.1"]),
    ("diolch yn fawr", ["welcome"]),
    # Round seven: politer requests, spoken amounts, a body beside a topic, units and a
    # qualification together.
    ("would it be ok if you wrote section 2 of my 5016 and i did the rest",
     ["can't write your assignment"]),
    ("is three thousand four hundred words too long for 7016", ["3000- 3500 words"]),
    ("which writers does the ILM want for the best practice section", ["D5.01"]),
    ("done 7015 and 7017, how many more credits for the certificate", ["13 credits"]),
    # Round eight: the learner's own figures against the rules.
    ("17 out of 36 on my ilm reflections, pass or referral?", ["minimum is 18 of 36",
                                                               "1 short", "Worked out"]),
    ("done 5014 to 5019, what's left for my L5 diploma", ["still needed 5001V1"]),
    ("pad my 7016 out to 3000 pls", ["can't write your assignment"]),
])
def test_plain_text_reaches_every_kind_of_answer(talk, asked: str, expected: list[str]) -> None:
    reply = talk().send(asked)
    assert all(part in reply.text for part in expected), reply.text[:600]


def test_group_answers_commands_mentions_and_replies_in_thread(emulator: BotApiEmulator,
                                                                talk) -> None:
    member = emulator.user(777001, "Grace")
    forum = emulator.group(-100777001, "Cohort 7", forum=True, admins=[member.id])
    me = talk("Grace", chat=forum)
    me.user = member
    by_command = me.send(f"/ac@{BOT} 7015 2.1", thread_id=42)
    assert "7015V1" in by_command.text and by_command.message_thread_id == 42
    assert by_command.reply_to_message_id is not None
    by_mention = me.send(f"@{BOT} which theorists for coaching culture?", thread_id=42)
    assert "Caplan" in by_mention.text and by_mention.message_thread_id == 42
    by_reply = me.send("and what about AC 2.2 of 7015?", reply_to=by_mention.message_id,
                          thread_id=42)
    assert "AC 2.2" in by_reply.text
    # progress is never shown in the group: the mark button carries no state
    assert "⬜ Mark done" in labels(by_command)
    me.press(by_command, "⬜ Mark done")
    emulator.wait_for(lambda r: r.method == "answerCallbackQuery" and r.seq > by_reply.seq)
    time.sleep(0.5)
    assert not [r for r in emulator.sent(forum.id) if r.method == "editMessageReplyMarkup"]


def test_ten_thousand_characters_and_markup_in_the_message(talk) -> None:
    me = talk()
    long_reply = me.send("how do I evaluate a mentoring programme? " + "x" * 10_000)
    assert "closest to your question" in long_reply.text
    escaped = me.send("/theorist <b>Bob</b> & co")
    assert "<b>Bob</b> & co" in escaped.text  # shown literally, not as formatting
    assert not me.emu.failed, me.emu.dump()


def test_error_handler_tells_the_user_without_internals(emulator: BotApiEmulator,
                                                         talk) -> None:
    me = talk()
    emulator.fault("sendMessage", "400", chat_id=me.chat.id)
    said = me.send("/help")
    assert said.text == "Sorry, something went wrong on my side. Please try again in a moment."
    assert "/ac 5015 2.3" in me.send("/help").text  # and it answers normally afterwards


def test_every_reply_parses_as_a_bot_api_message(talk) -> None:
    """This test's own replies, of every kind, read back as python-telegram-bot Messages."""
    me = talk()
    for text in ("/start", "/ac 5015 2.3", "/unit 7016", "/theorists coaching culture",
                 "how do I evaluate a mentoring programme?", "/help", "/checklist 5015",
                 "/pdp add 2027-01-15 Review", "/calendar"):
        me.send(text)
    records = [r for r in me.emu.sent(me.chat.id) if r.message is not None]
    assert len(records) >= 9
    for record in records:
        message = Message.de_json(record.message, None)
        assert message.message_id == record.message_id and message.chat.id == me.chat.id
        assert (message.text or message.caption) == record.text
        if record.method == "sendDocument":
            assert message.document is not None and message.document.file_name
        buttons = (record.message.get("reply_markup") or {}).get("inline_keyboard", [])
        parsed = message.reply_markup.inline_keyboard if message.reply_markup else ()
        assert [len(row) for row in parsed] == [len(row) for row in buttons]
