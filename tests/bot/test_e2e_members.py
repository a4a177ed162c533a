"""End to end, Telegram's membership conventions (issue 11): a learner blocking and unblocking
the bot (my_chat_member in their private chat), the bot removed from a linked group, and a
linked group upgraded to a supergroup (the service messages, or only the 400 that a send to
the old id gets), through the real bot process and the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.services.tables import Cohort, Person
from tests.bot import test_e2e_plans
from tests.bot.conftest import BOT, TUTOR_ID, Conversation
from tests.bot.test_e2e_push import delivered, new_cohort, wait_until
from tests.emulator import BotApiEmulator
from tests.emulator.model import Chat

pytestmark = [pytest.mark.database]
engine = test_e2e_plans.engine  # the bot's database, for the tests to read


def eventually(database: Engine, read: Callable[[Session], object], wanted: object,
               seconds: float = 15) -> None:
    """Wait until `read` finds `wanted` in the bot's database."""
    deadline = time.monotonic() + seconds
    while True:
        with Session(database) as session:
            found = read(session)
        if found == wanted:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"found {found!r}, not {wanted!r}")
        time.sleep(0.1)


def is_blocked(telegram_id: int) -> Callable[[Session], bool]:
    return lambda session: session.exec(select(Person).where(
        Person.telegram_id == telegram_id)).one().blocked_at is not None


def group_of(name: str) -> Callable[[Session], int | None]:
    return lambda session: session.exec(select(Cohort).where(
        Cohort.name == name)).one().group_chat_id


def cohort_with_group(emulator: BotApiEmulator, name: str, group: Chat,
                      learners: int = 1) -> tuple[Conversation, list[Conversation]]:
    """The tutor's cohort `name` with members, linked to `group`."""
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    code = new_cohort(tess, name)
    members = [Conversation(emulator, group.id * -10 + i, f"{name} Learner {i}")
               for i in range(learners)]
    for member in members:
        assert f"Welcome to {name}" in member.send(f"/start join_{code}").text
    in_group = Conversation(emulator, TUTOR_ID, "Tess Tutor", chat=group)
    assert f"now linked to {name}" in in_group.send(f"/link@{BOT} {name}").text
    return tess, members


def push_to_group(tess: Conversation, name: str, text: str) -> None:
    """/remind NAME now TEXT, to the group."""
    question = tess.send(f"/remind {name} now {text}")
    tess.press(question, "The group")
    assert "1 message(s) (group)" in tess.edited(question.message_id, question.seq).text


def test_a_learner_who_blocks_the_bot_is_skipped_until_they_unblock_it(
        emulator: BotApiEmulator, bot_process, engine: Engine) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    code = new_cohort(tess, "Blockers")
    ann, bob = (Conversation(emulator, 7401 + i, name) for i, name in enumerate(("Ann", "Bob")))
    for learner in (ann, bob):
        assert "Welcome to Blockers" in learner.send(f"/start join_{code}").text
    emulator.block(ann.user.id)
    eventually(engine, is_blocked(ann.user.id), True)  # marked at once, before any send
    assert "2 message(s)" in tess.send("/remind Blockers now Room 4 today").text
    first = "📣 Blockers: Room 4 today"
    wait_until(lambda: bool(delivered(emulator, bob.chat.id, first)), 10)
    assert delivered(emulator, bob.chat.id, first)
    time.sleep(1)  # the last outcome is recorded just after its send
    assert "1 blocked, 1 sent" in tess.send("/reminders Blockers").text
    assert [f for f in emulator.failed if f.chat_id == ann.chat.id] == []  # never tried

    emulator.unblock(ann.user.id)
    eventually(engine, is_blocked(ann.user.id), False)
    tess.send("/remind Blockers now Room 5 tomorrow")
    second = "📣 Blockers: Room 5 tomorrow"
    wait_until(lambda: all(delivered(emulator, c.chat.id, second) for c in (ann, bob)), 10)
    for learner in (ann, bob):
        assert len(delivered(emulator, learner.chat.id, second)) == 1
    assert delivered(emulator, ann.chat.id, first) == []


def test_removed_from_a_linked_group_the_cohort_is_unlinked_and_its_tutor_told(
        emulator: BotApiEmulator, bot_process, engine: Engine) -> None:
    tutor = emulator.user(TUTOR_ID, "Tess Tutor")
    unlinked = emulator.group(-7410, "Chatter", admins=[TUTOR_ID])
    group = emulator.group(-7411, "Removals cohort", admins=[TUTOR_ID])
    tess, (learner,) = cohort_with_group(emulator, "Removals", group)
    before = len(emulator.sent(TUTOR_ID))
    emulator.remove_bot(unlinked, tutor)  # a group nobody linked: nothing to say
    emulator.remove_bot(group, tutor, kicked=True)
    told = emulator.wait_for(lambda r: r.chat_id == TUTOR_ID and "removed" in (r.text or ""),
                             timeout=15)
    assert "linked to your cohort “Removals”" in told.text
    assert "add me to it and send /link Removals there" in told.text
    eventually(engine, group_of("Removals"), None)
    time.sleep(1.5)
    assert len(emulator.sent(TUTOR_ID)) == before + 1  # told once, and not about Chatter
    # No group to ask about any more: the push goes to the members only.
    assert "1 message(s) (members)" in tess.send("/remind Removals now After the group").text
    wait_until(lambda: bool(delivered(emulator, learner.chat.id, "📣 Removals: After the group")),
               10)
    assert [f for f in emulator.failed if f.chat_id == group.id] == []

    emulator.add_bot(group, tutor)  # and linked again, as the message says
    in_group = Conversation(emulator, TUTOR_ID, "Tess Tutor", chat=group)
    assert "now linked to Removals" in in_group.send(f"/link@{BOT} Removals").text
    eventually(engine, group_of("Removals"), group.id)


@pytest.mark.parametrize("told", [True, False], ids=["service messages", "only the 400"])
def test_a_linked_group_upgraded_to_a_supergroup_gets_the_next_push_at_its_new_id(
        emulator: BotApiEmulator, bot_process, engine: Engine, told: bool) -> None:
    name = f"Upgrades {int(told)}"
    group = emulator.group(-7420 - int(told), f"{name} cohort", admins=[TUTOR_ID])
    tess, _ = cohort_with_group(emulator, name, group)
    supergroup = emulator.migrate(group, emulator.user(TUTOR_ID, "Tess Tutor"), tell_bot=told)
    if told:
        eventually(engine, group_of(name), supergroup.id)
    push_to_group(tess, name, "Workshop at 10")
    text = f"📣 {name}: Workshop at 10"
    wait_until(lambda: bool(delivered(emulator, supergroup.id, text)), 15)
    assert len(delivered(emulator, supergroup.id, text)) == 1
    refused = [f for f in emulator.failed if f.chat_id == group.id]
    assert [f.error for f in refused] == ([] if told else
                                          ["Bad Request: group chat was upgraded to a "
                                           "supergroup chat"])
    eventually(engine, group_of(name), supergroup.id)
    push_to_group(tess, name, "Bring your log")  # straight to the new id
    wait_until(lambda: bool(delivered(emulator, supergroup.id, f"📣 {name}: Bring your log")),
               15)
    assert [f for f in emulator.failed if f.chat_id == group.id] == refused


def test_an_answer_to_a_message_sent_just_before_the_upgrade_goes_to_the_supergroup(
        emulator: BotApiEmulator, bot_process, engine: Engine) -> None:
    group = emulator.group(-7430, "Late cohort", admins=[TUTOR_ID])
    _, (learner,) = cohort_with_group(emulator, "Late", group)
    supergroup = emulator.migrate(group, emulator.user(TUTOR_ID, "Tess Tutor"), tell_bot=False)
    emulator.send_text(group, learner.user, f"/ac@{BOT} 5015 2.3")
    answer = emulator.wait_for(lambda r: r.chat_id == supergroup.id
                               and r.method == "sendMessage", timeout=30)
    assert "5015V1" in (answer.text or "")
    eventually(engine, group_of("Late"), supergroup.id)
