"""Tutors and cohorts without Telegram: permissions (learners, other tutors, non-admins,
forged buttons, old invite codes: refused and nothing changed), joining, pushed reminders,
the cohort view, report, sign-off, caseload, nudges and the digest."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import UTC, date, datetime, timedelta

import matplotlib.image
import PIL.Image
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.conversation import buttons as cb
from bot.conversation import tutor
from bot.conversation.chat import Chat
from bot.conversation.replies import Reply, plain
from bot.conversation.turn import Sender
from bot.services import cohorts, learners, reminders
from bot.services.database import session_scope
from bot.services.reminders import claim_due, expand_due_pushes
from bot.services.tables import (
    AcState,
    AcStatus,
    Cohort,
    CohortMember,
    Person,
    Push,
    Reminder,
    ReminderKind,
)
from tests.bot.conftest import ADMIN, NOW, OTHER_TUTOR, TUTOR, Clock, rows, say

pytestmark = pytest.mark.database
SAM = Sender(1001, "Sam Learner", username="sam")
KIM = Sender(1002, "Kim Learner", username="kim")
GROUP = -100555


def in_group(sender: Sender, admin: bool = False) -> Sender:
    return Sender(sender.telegram_id, sender.name, private=False, username=sender.username,
                  chat_id=GROUP, chat_admin=admin)


def snapshot(engine: Engine) -> dict[str, list]:
    """Every row of every table, but a learner's last activity (it moves on each message) and
    the shared send budget (it moves on each message sent)."""
    tables = {}
    with engine.connect() as connection:
        for table in sorted(set(inspect(engine).get_table_names()) - {"send_budget"}):
            rows = connection.execute(text(f"SELECT * FROM {table}")).mappings().all()
            tables[table] = sorted((tuple(sorted((k, str(v)) for k, v in row.items()
                                                 if k != "last_active_at")) for row in rows))
    return tables


def code_of(engine: Engine, name: str) -> str:
    with Session(engine) as session:
        return session.exec(select(Cohort).where(Cohort.name == name)).one().invite_code or ""


@pytest.fixture
def cohort(chat: Chat, engine: Engine) -> str:
    """Spring 2027 (L7 Diploma) by TUTOR with Sam and Kim, linked to GROUP; Oscar has Autumn."""
    assert "created" in say(chat, TUTOR, '/newcohort "Spring 2027" 7D2V2')
    assert "created" in say(chat, OTHER_TUTOR, "/newcohort Autumn L7 Diploma")
    code = code_of(engine, "Spring 2027")
    assert "Welcome to Spring 2027" in say(chat, SAM, f"/start join_{code}")
    assert "Welcome to Spring 2027" in say(chat, KIM, f"/start join_{code}")
    assert "now linked" in say(chat, in_group(TUTOR, admin=True), "/link Spring 2027")
    return "Spring 2027"


TUTOR_COMMANDS = ['/newcohort "X" 7D2V2', "/cohorts", "/invite Spring 2027",
                  '/invite "Spring 2027" rotate', '/invite "Spring 2027" revoke',
                  '/remove "Spring 2027" @kim', '/remind "Spring 2027" now hello',
                  "/reminders", "/cohort Spring 2027", "/report Spring 2027",
                  '/signoff "Spring 2027" @kim 5015 2.3', "/today", '/nudges "Spring 2027" off',
                  "/digest monday 08:00"]


@pytest.mark.parametrize("command", TUTOR_COMMANDS + ["/link Spring 2027", "/promote 1002"])
def test_a_learner_is_refused_every_tutor_command(chat: Chat, engine: Engine, cohort: str,
                                                  command: str) -> None:
    before = snapshot(engine)
    where = in_group(SAM, admin=True) if command.startswith("/link") else SAM
    reply = say(chat, where, command)
    assert "for tutors" in reply or "for admins" in reply
    assert snapshot(engine) == before


@pytest.mark.parametrize("command", [c.replace("Spring 2027", "Autumn") for c in TUTOR_COMMANDS
                                     if "Spring 2027" in c])
def test_a_tutor_cannot_touch_another_tutors_cohort(chat: Chat, engine: Engine, cohort: str,
                                                    command: str) -> None:
    say(chat, OTHER_TUTOR, "/start")  # Oscar's Autumn exists; Tess tries to act on it
    before = snapshot(engine)
    assert "You have no cohort called “Autumn”" in say(chat, TUTOR, command)
    assert snapshot(engine) == before


def test_link_needs_a_group_admin_who_is_the_cohorts_tutor(chat: Chat, engine: Engine,
                                                           cohort: str) -> None:
    before = snapshot(engine)
    assert "Only a group administrator" in say(chat, in_group(TUTOR), "/link Spring 2027")
    assert "no cohort called" in say(chat, in_group(OTHER_TUTOR, admin=True), "/link Spring 2027")
    assert "in the cohort's group chat" in say(chat, TUTOR, "/link Spring 2027")
    assert snapshot(engine) == before


@pytest.mark.parametrize("data,pressers", [
    ("pu:both:{push}", (SAM, TUTOR)), ("px:{push}", (SAM, TUTOR)), ("nc:7D2V2:Mine", (SAM,)),
    ("pu:everyone:{push}", (SAM, TUTOR)), ("px:999999", (SAM, TUTOR)),
    ("pu:members:abc", (SAM, TUTOR)),
])
def test_forged_or_foreign_button_payloads_change_nothing(chat: Chat, engine: Engine,
                                                          cohort: str, data: str,
                                                          pressers: tuple[Sender, ...]) -> None:
    """Another tutor's push, a learner creating a cohort, payloads no button carries."""
    say(chat, OTHER_TUTOR, '/remind Autumn in 2 days Draft due')  # Oscar's push (no group)
    say(chat, TUTOR, '/remind "Spring 2027" in 2 days Essay due')  # Tess's draft, awaiting target
    with Session(engine) as session:
        oscars = session.exec(select(Push).join(Cohort).where(Cohort.name == "Autumn")).one()
    before = snapshot(engine)
    for presser in pressers:
        chat.press(presser, data.format(push=oscars.id))
    assert snapshot(engine) == before


@pytest.mark.parametrize("code", ["", "nope", "A" * 12, "join_", "x" * 500, "<b>"])
def test_wrong_old_or_revoked_invite_codes_are_refused(chat: Chat, engine: Engine, cohort: str,
                                                       code: str) -> None:
    old = code_of(engine, "Spring 2027")
    say(chat, TUTOR, '/invite "Spring 2027" rotate')
    before = snapshot(engine)
    for attempt in (code, old):
        assert "not valid any more" in say(chat, Sender(4004, "Eve"), f"/start join_{attempt}")
    after = snapshot(engine)
    assert after["cohortmember"] == before["cohortmember"]
    assert after["enrolledunit"] == before["enrolledunit"]
    new = code_of(engine, "Spring 2027")
    say(chat, TUTOR, '/invite "Spring 2027" revoke')
    assert "not valid any more" in say(chat, Sender(4005, "Fay"), f"/start join_{new}")


def test_joining_enrols_in_the_cohorts_qualification(chat: Chat, engine: Engine,
                                                     cohort: str) -> None:
    with Session(engine) as session:
        sam = session.exec(select(Person).where(Person.telegram_id == SAM.telegram_id)).one()
        assert sam.qualification == "7D2V2"
        assert len(session.exec(select(CohortMember)).all()) == 2
    code = code_of(engine, cohort)
    assert "already in Spring 2027" in say(chat, SAM, f"/start join_{code}")


def test_non_members_in_the_group_get_a_join_button(chat: Chat, cohort: str) -> None:
    (reply,) = chat.message(in_group(Sender(4006, "Guest")), "/ac 7015 2.1")
    urls = [b.url for row in reply.buttons for b in row if b.url]
    assert urls and urls[0].startswith("https://t.me/cm_study_bot?start=join_")
    (member,) = chat.message(in_group(SAM), "/ac 7015 2.1")
    assert not [b for row in member.buttons for b in row if b.url]


def test_push_to_both_schedules_one_row_per_recipient_and_reports(chat: Chat, engine: Engine,
                                                                  clock: Clock,
                                                                  cohort: str) -> None:
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" friday 17:00 Assignment 1 due')
    assert "Where should" in plain(question.html)
    data = next(b.data for row in question.buttons for b in row if b.label == "Both")
    (done,) = chat.press(TUTOR, data)
    assert "Scheduled for Fri 27 Nov 2026 at 17:00: 3 message(s) (both)" in plain(done.html)
    assert "3 pending" in say(chat, TUTOR, "/reminders")
    due = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert claim_due(engine, now=due - timedelta(seconds=1)) == []
    sent = claim_due(engine, now=due)
    assert sorted(d.chat_id for d in sent) == sorted([SAM.telegram_id, KIM.telegram_id, GROUP])
    assert {d.text for d in sent} == {"📣 Spring 2027: Assignment 1 due"}
    assert "3 pending" in say(chat, TUTOR, "/reminders")  # claimed, not yet confirmed


def pending_pushes(engine: Engine) -> list[tuple[int, str]]:
    """(chat, status) of every pushed reminder row."""
    return sorted((r.chat_id, r.status.value) for r in rows(engine, Reminder)
                  if r.kind == ReminderKind.push.value)


def push_made_due(chat: Chat, engine: Engine) -> None:
    """A push to members and the group, due now and made into its rows (not yet claimed)."""
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" friday 17:00 Assignment 1 due')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row if b.label == "Both"))
    with session_scope(engine) as session:
        assert expand_due_pushes(session, now=datetime(2026, 11, 27, 17, 0, tzinfo=UTC)) == 3


def test_removed_from_the_linked_group_unlinks_it_and_tells_the_tutor(chat: Chat,
                                                                      engine: Engine,
                                                                      cohort: str) -> None:
    push_made_due(chat, engine)
    assert chat.removed_from_group(GROUP)
    assert [c.group_chat_id for c in rows(engine, Cohort)] == [None, None]
    assert pending_pushes(engine) == sorted([(GROUP, "cancelled"), (SAM.telegram_id, "pending"),
                                             (KIM.telegram_id, "pending")])
    (told,) = [d for d in claim_due(engine, now=NOW) if d.kind == ReminderKind.text]
    assert told.chat_id == TUTOR.telegram_id
    assert "removed from the group chat linked to your cohort “Spring 2027”" in told.text
    assert "send /link Spring 2027 there" in told.text
    assert not chat.removed_from_group(GROUP)  # told once; a group nobody linked: nothing
    assert not chat.removed_from_group(-100999)
    assert [d for d in claim_due(engine, now=NOW) if d.kind == ReminderKind.text] == []
    assert "group linked" not in say(chat, TUTOR, "/cohorts")


def test_a_group_upgraded_to_a_supergroup_takes_its_cohort_along(chat: Chat, engine: Engine,
                                                                 cohort: str) -> None:
    push_made_due(chat, engine)
    supergroup = -1000000555000
    assert chat.group_moved(GROUP, supergroup)
    assert not chat.group_moved(GROUP, supergroup)  # said again (the other service message)
    assert not chat.group_moved(-100999, -1000000999000)  # a group nobody linked
    linked = {c.name: c.group_chat_id for c in rows(engine, Cohort)}
    assert linked == {"Spring 2027": supergroup, "Autumn": None}
    assert pending_pushes(engine) == sorted([(supergroup, "pending"),
                                             (SAM.telegram_id, "pending"),
                                             (KIM.telegram_id, "pending")])


def test_cancel_a_scheduled_push(chat: Chat, engine: Engine, cohort: str) -> None:
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" in 2 days Workshop')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Members privately"))
    (listed,) = chat.message(TUTOR, "/reminders Spring 2027")
    (cancelled,) = chat.press(TUTOR, listed.buttons[0][0].data)
    assert "Cancelled: Workshop (2 not yet sent)" in plain(cancelled.html)
    later = claim_due(engine, now=NOW + timedelta(days=3))  # past its time: nothing pushed
    assert [d for d in later if d.kind == ReminderKind.push] == []


def test_cohort_view_report_and_sign_off(chat: Chat, engine: Engine, cohort: str) -> None:
    chat.press(SAM, cb.make(cb.MARK, "7015V1", "1.1"))
    say(chat, SAM, "/pdp add 2026-12-15 Review with line manager")
    view = say(chat, TUTOR, "/cohort Spring 2027")
    assert "Sam Learner: 1/" in view and "next PDP review Tue 15 Dec 2026" in view
    assert "Kim Learner: 0/" in view
    table, photo = chat.message(TUTOR, "/report Spring 2027")
    assert photo.attachment is not None and photo.attachment.photo
    image = matplotlib.image.imread(io.BytesIO(photo.attachment.content), format="png")
    assert image.shape[0] > 200 and image.shape[1] > 400 and image.std() > 0.05
    rows_ = list(csv.DictReader(io.StringIO(table.attachment.content.decode())))  # type: ignore[union-attr]
    assert [r["learner"] for r in rows_] == ["Kim Learner", "Sam Learner"]
    assert rows_[1]["7015V1"].startswith("1/") and rows_[1]["next_pdp_review"] == "2026-12-15"
    before = snapshot(engine)
    assert "5015V1 is not a unit of" in say(chat, TUTOR, '/signoff "Spring 2027" @kim 5015 2.3')
    assert snapshot(engine) == before  # outside the cohort's qualification (L7 Diploma)
    assert "Signed off 7015V1 2.3 for Kim Learner" in say(chat, TUTOR,
                                                          '/signoff "Spring 2027" @kim 7015 2.3')
    with Session(engine) as session:
        kim = session.exec(select(Person).where(Person.telegram_id == KIM.telegram_id)).one()
        status = session.exec(select(AcStatus).where(AcStatus.learner_id == kim.id,
                                                     AcStatus.ref == "2.3")).one()
        assert status.state == AcState.signed_off and status.unit_code == "7015V1"
    told = claim_due(engine, now=NOW + timedelta(seconds=1))
    assert any(d.chat_id == KIM.telegram_id and "signed off 7015V1 2.3" in d.text for d in told)
    assert "🎓 2.3" in say(chat, KIM, "/checklist 7015")
    (kept,) = chat.press(KIM, cb.make(cb.CYCLE, "7015V1", "2.3"))
    assert "stays done" in (kept.toast or "")


def test_report_csv_cannot_smuggle_a_formula(chat: Chat, engine: Engine, cohort: str) -> None:
    say(chat, Sender(4007, "=HYPERLINK(\"x\")"), f"/start join_{code_of(engine, cohort)}")
    table, _ = chat.message(TUTOR, "/report Spring 2027")
    assert "'=HYPERLINK" in table.attachment.content.decode()  # type: ignore[union-attr]


def test_report_draws_names_that_look_like_maths_as_typed(chat: Chat, engine: Engine,
                                                        cohort: str) -> None:
    for number, name in enumerate(["$\\frac{$", "$\\frac{", "a\\$b$"]):
        say(chat, Sender(4100 + number, name), f"/start join_{code_of(engine, cohort)}")
    table, photo = chat.message(TUTOR, "/report Spring 2027")
    assert "Report for <b>Spring 2027</b>: 5 learners." == table.html
    names = [r["learner"] for r in csv.DictReader(io.StringIO(
        table.attachment.content.decode()))]  # type: ignore[union-attr]
    assert {"$\\frac{$", "$\\frac{", "a\\$b$"} <= set(names)
    assert photo.attachment is not None and photo.attachment.photo
    assert PIL.Image.open(io.BytesIO(photo.attachment.content)).size[1] > 200


def test_report_for_200_members_comes_in_photos_telegram_accepts(chat: Chat, engine: Engine,
                                                                 cohort: str) -> None:
    with session_scope(engine) as session:
        spring = session.exec(select(Cohort).where(Cohort.name == cohort)).one()
        for number in range(198):  # with Sam and Kim: 200
            person = Person(telegram_id=5000 + number, name=f"Learner {number:03d}")
            session.add(person)
            session.flush()
            session.add(CohortMember(cohort_id=spring.id, learner_id=person.id))
    table, *photos = chat.message(TUTOR, "/report Spring 2027")
    assert len(list(csv.DictReader(io.StringIO(
        table.attachment.content.decode())))) == 200  # type: ignore[union-attr]
    assert len(photos) == 5 and all(p.attachment and p.attachment.photo for p in photos)
    for photo in photos:
        width, height = PIL.Image.open(io.BytesIO(photo.attachment.content)).size  # type: ignore[union-attr]
        assert width + height <= 10_000 and max(width, height) / min(width, height) <= 20
        assert height < 4000
    assert [p.attachment.filename for p in photos][0] == "Spring-2027-1.png"  # type: ignore[union-attr]


def test_the_table_arrives_when_the_chart_cannot_be_drawn(chat: Chat, cohort: str,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object) -> list[bytes]:
        raise ValueError("no fonts")  # a fault injected where matplotlib would fail

    monkeypatch.setattr(tutor, "heatmap_pages", broken)
    replies = chat.message(TUTOR, "/report Spring 2027")
    assert len(replies) == 1 and "The chart could not be drawn" in replies[0].html
    assert replies[0].attachment is not None and replies[0].attachment.filename.endswith(".csv")
    assert "could not be drawn" in caplog.text


def test_today_lists_due_overdue_off_track_and_quiet(chat: Chat, engine: Engine, clock: Clock,
                                                     cohort: str) -> None:
    say(chat, SAM, "/pdp add 2026-11-25 Mid-point review")
    say(chat, SAM, "/target 7015 in 10 weeks")
    clock.now = NOW + timedelta(days=35)  # Sam: half-way to the target, nothing done
    text_ = say(chat, TUTOR, "/today")
    assert "Overdue PDP reviews\n• Sam Learner (Spring 2027): Mid-point review" in text_
    assert "Off track\n• Sam Learner (Spring 2027): 7015V1" in text_
    assert "Kim Learner (Spring 2027): last active" in text_


def test_nudges_once_per_lull_and_not_when_off(chat: Chat, engine: Engine, clock: Clock,
                                               cohort: str) -> None:
    later = NOW + timedelta(days=15)
    with session_scope(engine) as session:
        assert cohorts.queue_nudges(session, now=later, inactive_after_days=14) == 2
    with session_scope(engine) as session:
        assert cohorts.queue_nudges(session, now=later + timedelta(hours=1), inactive_after_days=14) == 0
    clock.now = later + timedelta(hours=2)
    say(chat, SAM, "/progress")  # Sam is back
    say(chat, TUTOR, '/nudges "Spring 2027" off')
    with session_scope(engine) as session:
        assert cohorts.queue_nudges(session, now=later + timedelta(days=30), inactive_after_days=14) == 0


def test_weekly_digest_is_scheduled_and_written_when_sent(chat: Chat, engine: Engine,
                                                          cohort: str) -> None:
    assert "first on Mon 30 Nov 2026 at 08:00" in say(chat, TUTOR, "/digest mon 08:00")
    (due,) = claim_due(engine, now=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert due.kind == "digest"
    written = chat.reminder_message(due)
    assert written is not None and "Overdue PDP reviews" in written.html


def test_admin_promotes_a_tutor(chat: Chat, engine: Engine) -> None:
    say(chat, SAM, "/start")
    assert "for tutors" in say(chat, SAM, "/cohorts")
    (promoted,) = chat.message(ADMIN, f"/promote {SAM.telegram_id}")
    assert "now a tutor" in plain(promoted.html)
    (menu,) = promoted.menus  # Sam's own command menu, with the tutor commands
    assert menu.scope.chat_id == SAM.telegram_id and ("newcohort" in dict(menu.commands))
    assert "No cohorts yet" in say(chat, SAM, "/cohorts")


@pytest.mark.parametrize("payload", ["pd:done:²", "pd:done:3000000000", "px:99999999999",
                                     "pu:members:²", "so:1:²:7015V1:2.3", "rm:²:1001",
                                     "so:1:1001:5015V1:9.9"])
def test_forged_payloads_with_odd_numbers_are_refused(chat: Chat, engine: Engine, cohort: str,
                                                      payload: str) -> None:
    before = snapshot(engine)
    (reply,) = chat.press(TUTOR, payload)
    assert reply.toast == "That button is no longer valid."
    assert snapshot(engine) == before


def test_a_press_for_a_member_of_another_tutors_cohort_changes_nothing(
        chat: Chat, engine: Engine, cohort: str) -> None:
    with Session(engine) as session:
        spring = session.exec(select(Cohort).where(Cohort.name == "Spring 2027")).one()
    before = snapshot(engine)
    for payload in (cb.make(cb.SIGN_OFF, str(spring.id), str(KIM.telegram_id), "7015V1", "2.3"),
                    cb.make(cb.REMOVE, str(spring.id), str(KIM.telegram_id))):
        (reply,) = chat.press(OTHER_TUTOR, payload)
        assert "no longer in the cohort" in (reply.toast or "")
    assert snapshot(engine) == before


def test_another_tutor_who_administers_the_group_cannot_relink_it(chat: Chat, engine: Engine,
                                                                   cohort: str) -> None:
    say(chat, OTHER_TUTOR, "/start")
    before = snapshot(engine)
    reply = say(chat, in_group(OTHER_TUTOR, admin=True), "/link Autumn")
    assert "linked to another tutor's cohort" in reply
    assert snapshot(engine) == before


def labels_of(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def test_a_tutors_forgetme_hands_the_cohorts_over_and_keeps_the_learners_rows(
        chat: Chat, engine: Engine, cohort: str) -> None:
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" friday 17:00 Assignment 1 due')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Members privately"))
    say(chat, SAM, "/pdp add 2026-12-15 Review with line manager")
    say(chat, OTHER_TUTOR, '/newcohort "Spring 2027" 7D2V2')  # the heir has the same name
    before = snapshot(engine)
    (ask,) = chat.message(TUTOR, "/forgetme")
    assert "You lead 1 cohort(s) (Spring 2027) with 2 learner(s)" in plain(ask.html)
    assert labels_of(ask) == ["Hand over to Oscar Other", "No, keep everything"]
    (again,) = chat.press(TUTOR, cb.make(cb.FORGET, "yes"))  # an old or forged "yes"
    assert "choose who takes them over" in plain(again.html)
    (refused,) = chat.press(TUTOR, cb.make(cb.FORGET, "to", str(SAM.telegram_id)))
    assert refused.toast == "They cannot take over your cohorts."
    assert snapshot(engine) == before  # asking, a "yes" and a learner as heir change nothing
    heir = next(b.data for row in ask.buttons for b in row if b.label.startswith("Hand over"))
    (done,) = chat.press(TUTOR, heir)
    assert ("Done: Spring 2027 (2) now belong to Oscar Other, who is told, and everything I "
            "stored about you is deleted.") in plain(done.html)
    people_ = {p.telegram_id: p.id for p in rows(engine, Person)}
    assert TUTOR.telegram_id not in people_
    handed = next(c for c in rows(engine, Cohort) if c.name == "Spring 2027 (2)")
    assert handed.tutor_id == people_[OTHER_TUTOR.telegram_id] and handed.group_chat_id == GROUP
    assert sorted(m.learner_id for m in rows(engine, CohortMember) if m.cohort_id == handed.id) \
        == sorted([people_[SAM.telegram_id], people_[KIM.telegram_id]])
    (push,) = rows(engine, Push)
    assert push.cohort_id == handed.id and push.cancelled_at is None
    told = claim_due(engine, now=NOW + timedelta(seconds=1))
    assert [d.text for d in told if d.chat_id == OTHER_TUTOR.telegram_id] == [
        "Tess Tutor has left and handed their cohorts to you: Spring 2027 (2). /cohorts lists "
        "them."]
    pushed = claim_due(engine, now=push.due_at)  # still goes to the members, from the heir
    assert sorted(d.chat_id for d in pushed if d.kind == ReminderKind.push) == sorted(
        [SAM.telegram_id, KIM.telegram_id])
    view = say(chat, OTHER_TUTOR, "/cohort Spring 2027 (2)")
    assert "Sam Learner: 0/" in view and "next PDP review Tue 15 Dec 2026" in view


def test_a_tutors_forgetme_with_no_one_to_take_over_deletes_nothing(chat: Chat,
                                                                    engine: Engine) -> None:
    say(chat, TUTOR, '/newcohort "Solo" 7D2V2')
    say(chat, SAM, f"/start join_{code_of(engine, 'Solo')}")
    before = snapshot(engine)
    (ask,) = chat.message(TUTOR, "/forgetme")
    assert "no other tutor or admin has messaged me yet" in plain(ask.html)
    assert labels_of(ask) == []
    (again,) = chat.press(TUTOR, cb.make(cb.FORGET, "yes"))
    assert "Nothing was deleted" in plain(again.html)
    assert snapshot(engine) == before


def test_mydata_has_memberships_and_a_tutors_cohorts_and_pushes(chat: Chat,
                                                               cohort: str) -> None:
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" friday 17:00 Assignment 1 due')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Both"))
    (sams,) = chat.message(SAM, "/mydata")
    doc = json.loads(sams.attachment.content)  # type: ignore[union-attr]
    assert doc["member_of"] == [{"cohort": "Spring 2027", "qualification": "7D2V2"}]
    assert len(doc["cohortmember"]) == 1 and doc["cohorts_led"] == [] == doc["pushes"]
    (tutors,) = chat.message(TUTOR, "/mydata")
    doc = json.loads(tutors.attachment.content)  # type: ignore[union-attr]
    assert [c["name"] for c in doc["cohorts_led"]] == ["Spring 2027"]
    assert [p["text"] for p in doc["pushes"]] == ["Assignment 1 due"]
    assert doc["member_of"] == []


def test_cohort_names_with_spaces_work_unquoted_in_every_command(chat: Chat, engine: Engine,
                                                                 cohort: str) -> None:
    """Issue 11: the longest run of leading words that names one of the tutor's cohorts is
    the cohort, whatever the command; quoted names keep working."""
    assert "created" in say(chat, TUTOR, "/newcohort Spring 7D2V2")  # a prefix of the other
    (question,) = chat.message(TUTOR, "/remind Spring 2027 now Please upload your 7015 draft "
                                      "by Friday")
    assert "Where should “Please upload your 7015 draft by Friday” go?" in plain(question.html)
    with Session(engine) as session:
        push = session.exec(select(Push)).one()
        assert session.get(Cohort, push.cohort_id).name == "Spring 2027"  # type: ignore[union-attr]
    assert "Signed off 7015V1 2.3 for Kim Learner" in say(chat, TUTOR,
                                                          "/signoff Spring 2027 @kim 7015 2.3")
    assert "Nudges for Spring 2027 are off" in say(chat, TUTOR, "/nudges spring 2027 off")
    assert "Nudges for Spring are on" in say(chat, TUTOR, "/nudges Spring")
    assert "New invite link for Spring 2027" in say(chat, TUTOR, "/invite Spring  2027 rotate")
    assert "Draft checks for Spring 2027 are" in say(chat, TUTOR, "/drafts Spring 2027")
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Members privately"))
    assert "Please upload" in say(chat, TUTOR, "/reminders Spring 2027")
    assert "Please upload" not in say(chat, TUTOR, "/reminders spring")
    assert "Kim Learner is no longer in Spring 2027" in say(chat, TUTOR,
                                                            "/remove Spring 2027 @kim")
    assert "Sam Learner is no longer in Spring 2027" in say(chat, TUTOR,
                                                            '/remove "Spring 2027" Sam Learner')
    assert "Spring 2027 has no members yet" in say(chat, TUTOR, "/cohort Spring 2027")
    assert "You have no cohort called “Spring 2027 extra”" in say(chat, TUTOR,
                                                                  "/cohort Spring 2027 extra")
    assert "You have no cohort called “Sprung”" in say(chat, TUTOR, "/remind Sprung 2027 now hi")


def test_a_push_reaches_the_members_the_cohort_has_when_it_falls_due(chat: Chat, engine: Engine,
                                                                     cohort: str) -> None:
    """Issue 11: three learners join after `/remind "Spring 2027" 30/11/2026 09:00 Drafts
    due` and Kim leaves; at 09:00 the push goes to the members then, not those at scheduling."""
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" 30/11/2026 09:00 Drafts due')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Members privately"))
    assert "2 pending" in say(chat, TUTOR, "/reminders")
    code = code_of(engine, "Spring 2027")
    joiners = [Sender(2000 + i, f"Joiner {i}") for i in range(3)]
    for joiner in joiners:
        assert "Welcome to Spring 2027" in say(chat, joiner, f"/start join_{code}")
    assert "1 pushed reminder(s) still waiting for them are cancelled" in say(
        chat, TUTOR, "/remove Spring 2027 @kim")
    assert "4 pending" in say(chat, TUTOR, "/reminders")
    due = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert claim_due(engine, now=due - timedelta(seconds=1)) == []
    sent = claim_due(engine, now=due)
    assert sorted(d.chat_id for d in sent) == sorted([SAM.telegram_id,
                                                      *(j.telegram_id for j in joiners)])
    assert {d.text for d in sent} == {"📣 Spring 2027: Drafts due"}
    assert claim_due(engine, now=due + timedelta(seconds=10)) == []  # expanded once only
    assert "4 pending" in say(chat, TUTOR, "/reminders")  # claimed, not yet confirmed


def test_a_now_push_asks_the_adapter_to_send_at_once(chat: Chat, cohort: str) -> None:
    """Issue 11: "now" should not wait for the dispatcher's tick; a later push does."""
    for when, at_once in (("now", True), ("friday 17:00", False)):
        (question,) = chat.message(TUTOR, f"/remind Spring 2027 {when} Room 4")
        (done,) = chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                                         if b.label == "Both"))
        assert done.send_due is at_once and "3 message(s)" in plain(done.html)


def test_cohort_and_report_count_each_learners_enrolled_units(chat: Chat, engine: Engine,
                                                              cohort: str) -> None:
    """Issue 11: ACs are counted against the units a learner is enrolled in (not every unit
    of the qualification); the CSV has "done/total" per unit and ISO dates; optional units
    are labelled in the chart's columns."""
    q = chat.catalogue.qualifications["7D2V2"]
    mandatory = [c for g in q.rule.groups if g.mandatory for c in g.units]
    optional = [c for g in q.rule.groups if not g.mandatory for c in g.units]
    size = {c: len(chat.catalogue.units[c].criteria) for c in mandatory + optional}
    with Session(engine) as session:
        kim = session.exec(select(Person).where(Person.telegram_id == KIM.telegram_id)).one()
        learners.set_units(session, learner_id=kim.id or 0, units=[*mandatory, optional[0]])
        session.commit()
    chat.press(SAM, cb.make(cb.MARK, mandatory[0], "1.1"))
    view = say(chat, TUTOR, "/cohort Spring 2027")
    sam_total = sum(size[c] for c in mandatory)
    assert f"Sam Learner: 1/{sam_total} ACs in {len(mandatory)} units" in view
    assert (f"Kim Learner: 0/{sam_total + size[optional[0]]} ACs in {len(mandatory) + 1} units"
            in view)
    table, photo = chat.message(TUTOR, "/report Spring 2027")
    kim_row, sam_row = csv.DictReader(io.StringIO(table.attachment.content.decode()))  # type: ignore[union-attr]
    assert sam_row[mandatory[0]] == f"1/{size[mandatory[0]]}" and sam_row[optional[0]] == ""
    assert kim_row[optional[0]] == f"0/{size[optional[0]]}"
    assert (sam_row["acs_done"], sam_row["acs_total"]) == ("1", str(sam_total))
    assert date.fromisoformat(sam_row["last_active"]) and sam_row["next_pdp_review"] == ""
    assert photo.attachment is not None and photo.attachment.photo


def test_two_dispatchers_at_once_expand_a_push_and_claim_its_rows_once(
        chat: Chat, engine: Engine, cohort: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot runs the dispatcher on its tick and at once for a "now" push, so two claims can
    overlap. The first is held after it has read the due push and before it writes; the
    second runs meanwhile. Each member still gets one row, claimed by one of them: on SQLite
    the first holds the write lock from its first read, so the second waits (on PostgreSQL the
    push's and rows' locks do the same)."""
    (question,) = chat.message(TUTOR, '/remind "Spring 2027" 30/11/2026 09:00 Drafts due')
    chat.press(TUTOR, next(b.data for row in question.buttons for b in row
                           if b.label == "Members privately"))
    due = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    first_read, second_done = threading.Event(), threading.Event()
    recipients = reminders.push_recipients

    def held(session: Session, *, push: Push) -> list[tuple[int, int | None]]:
        if threading.current_thread().name == "first":
            first_read.set()
            second_done.wait(timeout=2)  # the second may have to wait for the first instead
        return recipients(session, push=push)

    monkeypatch.setattr(reminders, "push_recipients", held)
    claimed: dict[str, list] = {}

    def claim(name: str) -> None:
        claimed[name] = claim_due(engine, now=due, worker=name)
        if name == "second":
            second_done.set()

    first = threading.Thread(target=claim, args=("first",), name="first")
    first.start()
    assert first_read.wait(timeout=30)
    second = threading.Thread(target=claim, args=("second",), name="second")
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)
    ids = [d.id for name in ("first", "second") for d in claimed[name]]
    assert len(ids) == len(set(ids)) == 2  # Sam and Kim, once each
    with session_scope(engine) as session:
        rows_made = session.exec(select(Reminder).where(col(Reminder.push_id).is_not(None))).all()
    assert len(rows_made) == 2
