"""End to end, /settings and an invitee's units: the time zone changed through the settings'
buttons (one message, edited at each press, never a new one) and by a typed city, then
/timezone and /pdp using it; a learner joining a cohort by its invite link ticks an optional
unit, and /progress and the tutor's /cohort count it."""

from __future__ import annotations

import re

import pytest

from content.catalogue import Catalogue
from tests.bot.conftest import BOT, TUTOR_ID, Conversation, labels

pytestmark = [pytest.mark.database]


def new_messages(me: Conversation) -> int:
    return len([r for r in me.emu.sent(me.chat.id) if r.method == "sendMessage"])


def toast(me: Conversation, after: int, text: str) -> None:
    me.emu.wait_for(lambda r: r.method == "answerCallbackQuery" and r.seq > after
                    and text in str(r.params.get("text")), timeout=30)


def test_time_zone_through_the_settings_buttons(talk) -> None:
    me: Conversation = talk()
    settings = me.send("/settings")
    assert "Time zone: Europe/London" in settings.text
    assert labels(settings) == ["🕒 Time zone", "🌙 Quiet hours", "🎓 Qualification and units",
                                "✅ Done"]
    sent = new_messages(me)
    me.press(settings, "🕒 Time zone")
    zones = me.edited(settings.message_id, settings.seq)
    assert "✅ London" in labels(zones) and labels(zones)[-2:] == ["⌨️ Type a city", "↩️ Back"]
    me.press(zones, "Paris")
    summary = me.edited(settings.message_id, zones.seq)
    toast(me, zones.seq, "Time zone set to Europe/Paris")
    assert "Time zone: Europe/Paris" in summary.text and "✅ Done" in labels(summary)
    me.press(summary, "✅ Done")
    closed = me.edited(settings.message_id, summary.seq)
    assert "/settings opens this again" in closed.text and labels(closed) == []
    assert new_messages(me) == sent  # every press edited the one message
    assert "Your time zone is Europe/Paris" in me.send("/timezone").text
    assert "at 09:00 (Europe/Paris)" in me.send("/pdp add in 3 weeks Review with mentor").text


def test_time_zone_by_a_typed_city(talk) -> None:
    me: Conversation = talk()
    settings = me.send("/settings")
    me.press(settings, "🕒 Time zone")
    zones = me.edited(settings.message_id, settings.seq)
    me.press(zones, "⌨️ Type a city")
    asked = me.edited(settings.message_id, zones.seq)
    assert "Send the name of your city" in asked.text
    assert "Time zone set to Asia/Dubai" in me.send("Dubai").text
    assert "Your time zone is Asia/Dubai" in me.send("/timezone").text


def test_an_invitee_ticks_an_optional_unit_and_it_counts(emulator, bot_process,
                                                         catalogue: Catalogue) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    created = tess.send('/newcohort "Options 2027" 7D2V2')
    code = re.search(rf"https://t\.me/{BOT}\?start=join_(\w+)", created.text)
    assert code, created.text
    ana = Conversation(emulator, 5301, "Ana Invitee")
    welcome = ana.send(f"/start join_{code.group(1)}")
    assert "Welcome to Options 2027" in welcome.text
    assert "minimum of 7 credits from Group B" in welcome.text
    assert "✅ 7015V1" in " ".join(labels(welcome)) and "⬜ 7019V1" in " ".join(labels(welcome))
    ana.press(welcome, "⬜ 7019V1")
    ticked = ana.edited(welcome.message_id, welcome.seq, "editMessageReplyMarkup")
    assert any(label.startswith("✅ 7019V1") for label in labels(ticked))
    ana.press(ticked, "Done")
    done = ana.edited(welcome.message_id, ticked.seq)
    assert "All set" in done.text and "7019V1" in done.text
    checklist = ana.send("/checklist 7019")
    ana.press(checklist, "⬜ 1.1")
    drafting = ana.edited(checklist.message_id, checklist.seq)
    ana.press(drafting, "✏️ 1.1")
    ana.edited(checklist.message_id, drafting.seq)
    unit = catalogue.units["7019V1"]
    assert f"7019V1 1/{len(unit.criteria)} ACs" in ana.send("/progress").text
    q = catalogue.qualifications["7D2V2"]
    units = [u for g in q.rule.groups if g.mandatory for u in g.units] + ["7019V1"]
    total = sum(len(catalogue.units[u].criteria) for u in units)
    assert f"Ana Invitee: 1/{total} ACs in 7 units" in tess.send("/cohort Options 2027").text
    again = ana.send(f"/start join_{code.group(1)}")  # re-joining keeps the choice
    assert "You are already in Options 2027" in again.text
    assert any(label.startswith("✅ 7019V1") for label in labels(again))
