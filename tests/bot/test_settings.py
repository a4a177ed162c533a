"""/settings without Telegram: every row (time zone by button and by typed city, quiet hours,
qualification and units, a tutor's digest and nudges), each press editing the one message;
stale, forged and out-of-place presses refused with a toast and nothing changed. And an
invitee choosing their optional units when they join a cohort."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.conversation import buttons as cb
from bot.conversation.chat import Chat
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.replies import Reply, plain
from bot.conversation.turn import Sender
from bot.services.database import session_scope
from bot.services.tables import (
    Cohort,
    EnrolledUnit,
    Person,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
)
from tests.bot.conftest import OTHER_TUTOR, TUTOR, buttons, rows, say
from tests.bot.test_tutor import code_of, snapshot

pytestmark = pytest.mark.database
ME = Sender(6006, "Ada")
GROUP_B = ["7019V1", "7010V1", "6001V1", "6004V1"]  # the L7 Diploma's optional group
GROUP_A = ["7002V1", "7015V1", "7016V1", "7017V1", "7018V1", "7020V1"]


def open_settings(chat: Chat, sender: Sender) -> Reply:
    (reply,) = chat.message(sender, "/settings")
    return reply


def press(chat: Chat, sender: Sender, data: str) -> Reply:
    (reply,) = chat.press(sender, data)
    return reply


def me(engine: Engine, sender: Sender = ME) -> Person:
    return next(p for p in rows(engine, Person) if p.telegram_id == sender.telegram_id)


def labels(reply: Reply) -> list[str]:
    return [label for label, _ in buttons(reply)]


# -- the summary --------------------------------------------------------------------------------

def test_a_learner_sees_their_rows_and_a_tutor_theirs_too(chat: Chat) -> None:
    learner = open_settings(chat, ME)
    assert not learner.edit
    text = plain(learner.html)
    assert "Time zone: Europe/London (12:00 there now)" in text
    assert "Quiet hours: off" in text and "Studying: not chosen yet" in text
    assert labels(learner) == ["🕒 Time zone", "🌙 Quiet hours", "🎓 Qualification and units",
                               "✅ Done"]
    assert "digest" not in text.lower() and "nudges" not in text.lower()
    tutor = open_settings(chat, TUTOR)
    assert "Weekly digest: off" in plain(tutor.html)
    assert "Nudges: no cohorts yet" in plain(tutor.html)
    assert labels(tutor)[3:] == ["📬 Weekly digest", "🔔 Nudges", "✅ Done"]


def test_settings_is_declared_once_for_help_and_the_private_menus(chat: Chat) -> None:
    assert "/settings: time zone, quiet hours" in say(chat, ME, "/help")
    assert "settings" in dict(REGISTRY.menu(Role.learner, Where.private))
    assert "settings" not in dict(REGISTRY.menu(Role.learner, Where.group))
    group = Sender(ME.telegram_id, ME.name, private=False, chat_id=-100777)
    assert "message me directly" in say(chat, group, "/settings")
    refused = press(chat, group, cb.make(cb.SETTINGS, "tz", "Europe/Paris"))
    assert refused.toast and "private chat" in refused.toast and not refused.html


def test_done_closes_the_menu(chat: Chat) -> None:
    open_settings(chat, ME)
    closed = press(chat, ME, cb.make(cb.SETTINGS, "done"))
    assert closed.edit and closed.buttons == ()
    assert "Your settings" in plain(closed.html) and "/settings opens this again" in plain(
        closed.html)


# -- time zone ----------------------------------------------------------------------------------

def test_time_zone_by_button_moves_the_reminders_as_timezone_does(chat: Chat,
                                                                  engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    page = press(chat, ME, cb.make(cb.SETTINGS, "tz"))
    assert page.edit and not page.markup_only
    assert "✅ London" in labels(page) and "Paris" in labels(page) and "New York" in labels(page)
    assert labels(page)[-2:] == ["⌨️ Type a city", "↩️ Back"]
    back = press(chat, ME, cb.make(cb.SETTINGS, "tz", "Europe/Paris"))
    assert back.edit and back.toast and back.toast.startswith("Time zone set to Europe/Paris")
    assert "Time zone: Europe/Paris (13:00 there now)" in plain(back.html)
    assert me(engine).timezone == "Europe/Paris"
    pending = [r for r in rows(engine, Reminder) if r.status == ReminderStatus.pending]
    assert max(r.due_at for r in pending).replace(tzinfo=UTC) == datetime(2026, 12, 15, 8,
                                                                          tzinfo=UTC)
    assert "Your time zone is Europe/Paris" in say(chat, ME, "/timezone")


def test_a_typed_city_sets_the_zone_once(chat: Chat, engine: Engine) -> None:
    asked = press(chat, ME, cb.make(cb.SETTINGS, "city"))
    assert asked.edit and "Send the name of your city" in plain(asked.html)
    assert labels(asked) == ["↩️ Back"]
    assert "Time zone set to Europe/Lisbon" in say(chat, ME, "Lisbon")
    assert me(engine).timezone == "Europe/Lisbon" and me(engine).awaiting is None
    assert "Time zone set" not in say(chat, ME, "Dubai")  # no longer waiting: a question
    assert me(engine).timezone == "Europe/Lisbon"


def test_a_typed_city_that_fits_several_zones_or_none(chat: Chat, engine: Engine) -> None:
    press(chat, ME, cb.make(cb.SETTINGS, "city"))
    (ask,) = chat.message(ME, "new")
    assert labels(ask) == ["America/New_York", "America/North_Dakota/New_Salem"]
    assert me(engine).timezone == "Europe/London"
    press(chat, ME, cb.make(cb.SETTINGS, "city"))
    assert "I don't know the time zone <b>x</b>" in say(chat, ME, "<b>x</b>")
    assert me(engine).timezone == "Europe/London" and me(engine).awaiting is None


def test_back_or_a_command_stops_waiting_for_the_city(chat: Chat, engine: Engine) -> None:
    press(chat, ME, cb.make(cb.SETTINGS, "city"))
    assert "Your settings" in plain(press(chat, ME, cb.make(cb.SETTINGS, "home")).html)
    assert me(engine).awaiting is None
    press(chat, ME, cb.make(cb.SETTINGS, "city"))
    say(chat, ME, "/progress")
    assert me(engine).awaiting is None
    say(chat, ME, "Lisbon")
    assert me(engine).timezone == "Europe/London"


# -- quiet hours --------------------------------------------------------------------------------

def test_quiet_hours_presets_and_off(chat: Chat, engine: Engine) -> None:
    page = press(chat, ME, cb.make(cb.SETTINGS, "quiet"))
    assert labels(page) == ["22:00–07:00", "21:00–08:00", "23:00–06:00", "✅ Off", "↩️ Back"]
    back = press(chat, ME, cb.make(cb.SETTINGS, "quiet", "2100-0800"))
    assert back.toast == "Quiet hours 21:00–08:00: only same-day reminders then."
    assert "Quiet hours: 21:00–08:00" in plain(back.html)
    assert (me(engine).quiet_start, me(engine).quiet_end) == ("21:00", "08:00")
    assert "✅ 21:00–08:00" in labels(press(chat, ME, cb.make(cb.SETTINGS, "quiet")))
    off = press(chat, ME, cb.make(cb.SETTINGS, "quiet", "off"))
    assert off.toast == "Quiet hours off." and "Quiet hours: off" in plain(off.html)
    assert me(engine).quiet_start is None


# -- qualification and units --------------------------------------------------------------------

def test_no_qualification_yet_opens_the_choice_of_one(chat: Chat, engine: Engine) -> None:
    page = press(chat, ME, cb.make(cb.SETTINGS, "units"))
    assert page.edit and "Which qualification" in plain(page.html)
    assert labels(page)[-1] == "↩️ Back"
    assert "Level 7 Diploma in Leadership Coaching and Mentoring" in labels(page)
    chosen = press(chat, ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    assert "Tick the units you are studying" in plain(chosen.html)
    assert sorted(r.unit_code for r in rows(engine, EnrolledUnit)) == GROUP_A


def test_units_ticked_in_settings_keep_the_way_back(chat: Chat, engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    page = press(chat, ME, cb.make(cb.SETTINGS, "units"))
    assert "credits from Group B" in plain(page.html)
    assert labels(page)[-2:] == ["🔁 Another qualification", "↩️ Back"]
    assert all(data.endswith(":s") for label, data in buttons(page) if data.startswith("tu:"))
    ticked = press(chat, ME, [data for label, data in buttons(page) if "7019V1" in label][0])
    assert ticked.markup_only and labels(ticked)[-1] == "↩️ Back"
    assert any(label.startswith("✅ 7019V1") for label in labels(ticked))
    assert sorted(r.unit_code for r in rows(engine, EnrolledUnit)) == sorted(GROUP_A + ["7019V1"])
    back = press(chat, ME, cb.make(cb.SETTINGS, "home"))
    assert f"Studying: L7 Diploma, units {', '.join(sorted(GROUP_A + ['7019V1']))}" in \
        plain(back.html)
    other = press(chat, ME, cb.make(cb.SETTINGS, "qual"))
    assert "starts its units afresh" in plain(other.html)
    assert sorted(r.unit_code for r in rows(engine, EnrolledUnit)) == sorted(GROUP_A + ["7019V1"])


# -- tutors: digest and nudges -------------------------------------------------------------------

def pending_digests(engine: Engine) -> list[Reminder]:
    return [r for r in rows(engine, Reminder)
            if r.kind == ReminderKind.digest and r.status == ReminderStatus.pending]


def test_digest_on_and_off_as_digest_does(chat: Chat, engine: Engine) -> None:
    page = press(chat, TUTOR, cb.make(cb.TUTOR_SETTINGS, "digest"))
    assert labels(page) == ["On: Mondays at 08:00", "Off", "↩️ Back"]
    on = press(chat, TUTOR, cb.make(cb.TUTOR_SETTINGS, "digest", "on"))
    assert on.toast == ("Weekly digest every Monday at 08:00; the first on Mon 30 Nov 2026 "
                        "at 08:00.")
    assert "Weekly digest: Monday at 08:00" in plain(on.html)
    (due,) = pending_digests(engine)
    assert due.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 30, 8, tzinfo=UTC)
    off = press(chat, TUTOR, cb.make(cb.TUTOR_SETTINGS, "digest", "off"))
    assert off.toast == "Weekly digest off." and pending_digests(engine) == []
    assert me(engine, TUTOR).digest_weekday is None


def test_nudges_per_cohort(chat: Chat, engine: Engine) -> None:
    say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    say(chat, TUTOR, "/newcohort Autumn L5 Diploma")
    page = press(chat, TUTOR, cb.make(cb.TUTOR_SETTINGS, "nudges"))
    assert labels(page) == ["Autumn: on ✅", "Spring 2027: on ✅", "↩️ Back"]
    spring = next(data for label, data in buttons(page) if label.startswith("Spring"))
    back = press(chat, TUTOR, spring)
    assert back.toast == "Nudges for Spring 2027 are off."
    assert "Nudges: Autumn on, Spring 2027 off" in plain(back.html)
    assert {c.name: c.nudges for c in rows(engine, Cohort)} == {"Autumn": True,
                                                                "Spring 2027": False}
    assert "Nudges for Spring 2027 are off" in say(chat, TUTOR, "/nudges Spring 2027")


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    "se", "se:", "se:nope", "se:tz:Mars/Olympus", "se:tz:Asia/Tokyo", "se:tz:Europe/Paris:x",
    "se:quiet:0300-0400", "se:quiet:22:00-07:00", "se:home:x", "se:units:7019V1",
    "sx:digest:maybe", "sx:digest:on:now", "sx:nudges:abc:on", "sx:nudges:1:maybe",
    "sx:nudges:99999999999:on", "sx:tz", "tu:7019V1:x", "tu:7019V1:s:s", "tu:NOPE:s",
    "se:tz:<b>x</b>"])
def test_forged_payloads_change_nothing(chat: Chat, engine: Engine, data: str) -> None:
    say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    before = snapshot(engine)
    reply = press(chat, TUTOR, data)
    assert reply.toast == "That button is no longer valid." and not reply.html
    assert snapshot(engine) == before


@pytest.mark.parametrize("who,cohort_offset,refusal", [
    (ME, 0, "That is for tutors."),  # a learner, whose menu has no tutors' rows
    (OTHER_TUTOR, 0, "That cohort is not yours, or no longer exists."),
    (TUTOR, 100, "That cohort is not yours, or no longer exists.")])  # deleted since
def test_tutors_rows_refuse_others_and_stale_cohorts(chat: Chat, engine: Engine, who: Sender,
                                                     cohort_offset: int, refusal: str) -> None:
    say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    say(chat, who, "/start")
    cohort_id = rows(engine, Cohort)[0].id + cohort_offset
    before = snapshot(engine)
    reply = press(chat, who, cb.make(cb.TUTOR_SETTINGS, "nudges", str(cohort_id), "off"))
    assert reply.toast == refusal and not reply.html
    if who == ME:
        assert press(chat, ME, cb.make(cb.TUTOR_SETTINGS, "digest", "on")).toast == refusal
    assert snapshot(engine) == before


def test_a_unit_of_another_qualification_is_refused_in_settings(chat: Chat,
                                                                engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    before = snapshot(engine)
    reply = press(chat, ME, cb.make(cb.TOGGLE_UNIT, "5015V1", cb.IN_SETTINGS))
    assert reply.toast == "That unit is not part of your qualification."
    assert snapshot(engine) == before


# -- an invitee's optional units ----------------------------------------------------------------

def test_an_invitee_chooses_optional_units_and_rejoining_keeps_them(chat: Chat,
                                                                    engine: Engine) -> None:
    say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    code = code_of(engine, "Spring 2027")
    (welcome,) = chat.message(ME, f"/start join_{code}")
    text = plain(welcome.html)
    assert text.startswith("Welcome to Spring 2027. Your units so far: 7002V1, 7015V1")
    assert "Learners need to complete all Group A units and any combination of units to a " \
        "minimum of 7 credits from Group B." in text
    ticks = {label.split()[1]: label.split()[0] for label in labels(welcome)[:-1]}
    assert ticks == {**{u: "✅" for u in GROUP_A}, **{u: "⬜" for u in GROUP_B}}
    assert labels(welcome)[-1] == "Done" and not welcome.edit
    ticked = press(chat, ME, next(d for label, d in buttons(welcome) if "7019V1" in label))
    assert any(label.startswith("✅ 7019V1") for label in labels(ticked))
    done = press(chat, ME, cb.make(cb.DONE))
    assert "All set" in plain(done.html) and "7019V1" in plain(done.html)
    again = say(chat, ME, f"/start join_{code}")
    assert again.startswith("You are already in Spring 2027. Your units so far: ")
    assert "7019V1" in again.split("\n")[0]
    assert sorted(r.unit_code for r in rows(engine, EnrolledUnit)) == sorted(GROUP_A + ["7019V1"])
    assert "7019V1 0/" in say(chat, ME, "/progress")
    assert "ACs in 7 units" in say(chat, TUTOR, "/cohort Spring 2027")


def test_an_invitee_to_all_mandatory_units_gets_help_not_a_choice(chat: Chat,
                                                                 engine: Engine) -> None:
    say(chat, TUTOR, "/newcohort Solo ILM-L5-CCMM")
    (welcome,) = chat.message(ME, f"/start join_{code_of(engine, 'Solo')}")
    assert welcome.buttons == ()
    text = plain(welcome.html)
    assert "Welcome to Solo (ILM Level 5 Certificate" in text
    assert "Your units: D5.01, D5.02, D5.03." in text and "Keep track" in text


def test_joining_the_same_qualification_keeps_units_chosen_before(chat: Chat,
                                                                  engine: Engine) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    chat.press(ME, cb.make(cb.TOGGLE_UNIT, "6004V1"))
    say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    (welcome,) = chat.message(ME, f"/start join_{code_of(engine, 'Spring 2027')}")
    assert any(label.startswith("✅ 6004V1") for label in labels(welcome))
    with session_scope(engine) as session:
        units = session.exec(select(EnrolledUnit.unit_code)).all()
    assert sorted(units) == sorted(GROUP_A + ["6004V1"])
