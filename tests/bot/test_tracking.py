"""Person tracking without Telegram: checklist, progress against every rule of combination,
PDP reviews and their reminders, the dispatcher's claims, the coaching log, data export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.conversation import buttons as cb
from bot.conversation.chat import Chat
from bot.conversation.replies import plain
from bot.conversation.turn import Sender
from bot.services.coaching import LogError, parse_log
from bot.services.database import session_scope
from bot.services.reminders import Outcome, RetryPolicy, claim_due, record
from bot.services.tables import (
    AcState,
    AcStatus,
    CoachingSession,
    EnrolledUnit,
    PdpReview,
    Person,
    Reminder,
    ReminderStatus,
)
from content.catalogue import Catalogue
from tests.bot.conftest import NOW, Clock, rows, say

pytestmark = pytest.mark.database
ME = Sender(5005, "Ada")


# -- checklist and progress --------------------------------------------------------------------

def test_checklist_cycles_and_edits_in_place(chat: Chat, engine: Engine) -> None:
    assert "⬜ 2.3 Explain how to overcome" in say(chat, ME, "/checklist 5015")
    marks = []
    for _ in range(4):
        (reply,) = chat.press(ME, cb.make(cb.CYCLE, "5015V1", "2.3"))
        assert reply.edit and not reply.markup_only
        marks.append(next(b.label for row in reply.buttons for b in row if b.label.endswith("2.3")))
    assert marks == ["✏️ 2.3", "✅ 2.3", "⬜ 2.3", "✏️ 2.3"]
    assert [(s.ref, s.state) for s in rows(engine, AcStatus)] == [("2.3", AcState.drafting)]


def test_signed_off_stays_signed_off(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/checklist 5015")
    with session_scope(engine) as session:
        learner = session.exec(select(Person)).one()
        session.add(AcStatus(learner_id=learner.id, unit_code="5015V1", ref="1.1",
                             state=AcState.signed_off))
    (reply,) = chat.press(ME, cb.make(cb.CYCLE, "5015V1", "1.1"))
    assert "signed this AC off" in (reply.toast or "")
    assert rows(engine, AcStatus)[0].state == AcState.signed_off


@pytest.mark.parametrize("code", ["5A2V2", "5C2V2", "5D2V2", "7A2V2", "7C2V2", "7D2V2",
                                  "ILM-L5-CCMM"])
def test_progress_against_each_rule_of_combination(chat: Chat, catalogue: Catalogue,
                                                   code: str) -> None:
    q = catalogue.qualifications[code]
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, code))
    assert "rule of combination met" not in say(chat, ME, "/progress")
    needed = [u for g in q.rule.groups if g.mandatory for u in g.units]
    optional = [u for g in q.rule.groups if not g.mandatory for u in g.units]
    credits = sum(catalogue.units[u].credits for u in needed)
    for unit in optional:  # add optional units until the credit minimums are met
        if credits >= q.rule.min_credits:
            break
        needed.append(unit)
        credits += catalogue.units[unit].credits
        chat.press(ME, cb.make(cb.TOGGLE_UNIT, unit))
    for unit in needed:
        for ac in catalogue.units[unit].criteria:
            chat.press(ME, cb.make(cb.MARK, unit, ac.ref))
    text = say(chat, ME, "/progress")
    assert "rule of combination met ✅" in text, text
    assert f"{credits} of {q.rule.min_credits} credits" in text


def test_l7_diploma_progress_names_what_is_missing(chat: Chat, catalogue: Catalogue) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    for unit in ("7015V1", "7016V1", "7017V1", "7018V1", "7002V1", "7020V1"):
        for ac in catalogue.units[unit].criteria:
            chat.press(ME, cb.make(cb.MARK, unit, ac.ref))
    assert "Group A: complete; Group B: 0 of 7 credits" in say(chat, ME, "/progress")


def test_target_flags_a_learner_ten_points_behind(chat: Chat, clock: Clock,
                                                  catalogue: Catalogue) -> None:
    assert "Target for 5015V1" in say(chat, ME, "/target 5015 in 10 weeks")
    chat.press(ME, cb.make(cb.MARK, "5015V1", "1.1"))
    assert "on track" in say(chat, ME, "/progress")
    clock.now = NOW + timedelta(weeks=5)  # half the time gone, 1 of 10 ACs done
    assert "⚠️ 40 points behind" in say(chat, ME, "/progress")
    assert "in the future" in say(chat, ME, "/target 5015 2020-01-01")


# -- PDP reviews and reminders -------------------------------------------------------------------

def test_pdp_add_schedules_three_reminders_at_nine_london_time(chat: Chat, engine: Engine) -> None:
    text = say(chat, ME, "/pdp add 2026-12-15 Review with line manager")
    assert "Tue 15 Dec 2026" in text and "Mon 14 Dec 2026" in text
    due = sorted(r.due_at for r in rows(engine, Reminder))
    assert due == [datetime(2026, 12, 8, 9, tzinfo=UTC), datetime(2026, 12, 14, 9, tzinfo=UTC),
                   datetime(2026, 12, 15, 9, tzinfo=UTC)]


def test_reminders_follow_british_summer_time_and_skip_the_past(chat: Chat, engine: Engine,
                                                               clock: Clock) -> None:
    clock.now = datetime(2027, 3, 26, 12, tzinfo=UTC)  # Friday before BST starts on 28 March
    say(chat, ME, "/pdp add 2027-04-01 Spring review")
    due = sorted(r.due_at for r in rows(engine, Reminder))
    # 25 March (7 days before) is already past; 31 March and 1 April are in BST: 08:00 UTC.
    assert due == [datetime(2027, 3, 31, 8, tzinfo=UTC), datetime(2027, 4, 1, 8, tzinfo=UTC)]


def test_other_time_zone(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/timezone Asia/Dubai")
    say(chat, ME, "/pdp add 2026-12-15 Review")
    assert max(r.due_at for r in rows(engine, Reminder)) == datetime(2026, 12, 15, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", ["/pdp add 2020-01-01 Old", "/pdp add someday Review",
                                  "/pdp add 31 Feb 2027 Review", "/pdp add", "/pdp frobnicate"])
def test_bad_pdp_dates_get_an_example_and_change_nothing(chat: Chat, engine: Engine,
                                                         text: str) -> None:
    assert "/pdp add" in say(chat, ME, text)
    assert rows(engine, PdpReview) == [] and rows(engine, Reminder) == []


def test_recurring_review_schedules_the_next_when_done(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review with line manager every 8 weeks")
    (review,) = rows(engine, PdpReview)
    assert (review.title, review.every_weeks) == ("Review with line manager", 8)
    (reply,) = chat.press(ME, cb.make(cb.PDP, "done", str(review.id)))
    assert "Next review: Tue 9 Feb 2027" in plain(reply.html)
    reviews = rows(engine, PdpReview)
    assert [r.due_on for r in reviews] == [date(2026, 12, 15), date(2027, 2, 9)]
    statuses = {(r.pdp_review_id, r.status) for r in rows(engine, Reminder)}
    assert (review.id, ReminderStatus.pending) not in statuses
    assert (reviews[1].id, ReminderStatus.pending) in statuses


def test_move_and_snooze(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    (review,) = rows(engine, PdpReview)
    assert "Moved: Fri 8 Jan 2027" in say(chat, ME, f"/pdp move {review.id} 8 Jan")
    pending = [r for r in rows(engine, Reminder) if r.status == ReminderStatus.pending]
    assert sorted(r.due_at.date() for r in pending) == [date(2027, 1, 1), date(2027, 1, 7),
                                                        date(2027, 1, 8)]
    (choices,) = chat.press(ME, cb.make(cb.PDP, "snooze", str(review.id)))
    assert choices.markup_only and [b.label for row in choices.buttons for b in row] == [
        "In 1 hour (13:00)", "This evening (18:00)", "Tomorrow (Tue 09:00)",
        "Next week (Mon 09:00)", "↩️ Back"]
    (snoozed,) = chat.press(ME, cb.make(cb.PDP, "later", str(review.id), "tomorrow"))
    assert "again Tue 24 Nov 2026 at 09:00" in (snoozed.toast or "")
    assert snoozed.markup_only and "✅ Done" in snoozed.buttons[0][0].label
    assert any(r.due_at == datetime(2026, 11, 24, 9, tzinfo=UTC) for r in rows(engine, Reminder))


@pytest.mark.parametrize("choice,due", [
    ("hour", NOW + timedelta(hours=1)),
    ("evening", datetime(2026, 11, 23, 18, tzinfo=UTC)),  # 18:00 in London (GMT in November)
    ("tomorrow", datetime(2026, 11, 24, 9, tzinfo=UTC)),
    ("week", datetime(2026, 11, 30, 9, tzinfo=UTC)),  # Monday of next week, 09:00
])
def test_each_snooze_choice_reminds_again_when_it_says(chat: Chat, engine: Engine, choice: str,
                                                       due: datetime) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    (review,) = rows(engine, PdpReview)
    before = len(rows(engine, Reminder))
    chat.press(ME, cb.make(cb.PDP, "later", str(review.id), choice))
    (snoozed,) = [r for r in rows(engine, Reminder)][before:]
    assert snoozed.due_at.replace(tzinfo=UTC) == due and snoozed.text.startswith("⏰ Snoozed")


def test_this_evening_is_offered_only_while_it_is_ahead(chat: Chat, engine: Engine,
                                                        clock: Clock) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    (review,) = rows(engine, PdpReview)
    clock.now = datetime(2026, 11, 23, 19, tzinfo=UTC)
    (choices,) = chat.press(ME, cb.make(cb.PDP, "snooze", str(review.id)))
    assert not any("evening" in b.label for row in choices.buttons for b in row)
    before = len(rows(engine, Reminder))
    (late,) = chat.press(ME, cb.make(cb.PDP, "later", str(review.id), "evening"))
    assert "passed" in (late.toast or "") and len(rows(engine, Reminder)) == before
    (back,) = chat.press(ME, cb.make(cb.PDP, "back", str(review.id)))
    assert back.markup_only and "⏰ Snooze" in back.buttons[0][1].label


def test_pdp_add_reads_the_whole_date_phrase(chat: Chat, engine: Engine) -> None:
    added = say(chat, ME, "/pdp add friday week catch up with coachee")
    assert "Added: Fri 4 Dec 2026 catch up with coachee." in added
    for text, due in (("/pdp add next tuesday Mid-point review", date(2026, 11, 24)),
                      ("/pdp add in 2 weeks Two-week check", date(2026, 12, 7)),
                      ("/pdp add tomorrow Plan", date(2026, 11, 24)),
                      ("/pdp add 15/1 New year review", date(2027, 1, 15)),
                      ("/pdp add 15 Jan Supervisor review", date(2027, 1, 15))):
        say(chat, ME, text)
        assert rows(engine, PdpReview)[-1].due_on == due, text
    assert [r.title for r in rows(engine, PdpReview)] == [
        "catch up with coachee", "Mid-point review", "Two-week check", "Plan",
        "New year review", "Supervisor review"]


@pytest.mark.parametrize("text", ["/pdp add next week catch up", "/pdp add 15/13 Review",
                                  "/pdp add the weekend Review"])
def test_a_vague_or_impossible_date_gets_examples_and_changes_nothing(chat: Chat, engine: Engine,
                                                                     text: str) -> None:
    reply = say(chat, ME, text)
    assert "/pdp add friday week Review" in reply and "/pdp add 15/1 Review" in reply
    assert rows(engine, PdpReview) == [] and rows(engine, Reminder) == []


def test_pdp_delete_asks_then_deletes_only_your_own(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review with line manager")
    say(chat, ME, "/pdp add 2027-01-15 Keep this one")
    review = rows(engine, PdpReview)[0]
    (ask,) = chat.message(ME, f"/pdp delete {review.id}")
    assert "Delete Tue 15 Dec 2026 Review with line manager" in plain(ask.html)
    assert [b.label for b in ask.buttons[0]] == ["Yes, delete it", "No, keep it"]
    mallory = Sender(6006, "Mallory")
    assert "Which review?" in say(chat, mallory, f"/pdp delete {review.id}")
    (refused,) = chat.press(mallory, cb.make(cb.PDP, "drop", str(review.id)))
    assert "no longer exists" in (refused.toast or "") and len(rows(engine, PdpReview)) == 2
    (kept,) = chat.press(ME, cb.make(cb.PDP, "keep", str(review.id)))
    assert "Kept" in plain(kept.html) and len(rows(engine, PdpReview)) == 2
    (gone,) = chat.press(ME, cb.make(cb.PDP, "drop", str(review.id)))
    assert gone.edit and "Deleted: Review with line manager" in plain(gone.html)
    assert [r.title for r in rows(engine, PdpReview)] == ["Keep this one"]
    assert {r.pdp_review_id for r in rows(engine, Reminder)} == {rows(engine, PdpReview)[0].id}
    assert "Which review?" in say(chat, ME, f"/pdp delete {review.id}")
    for bad in ("/pdp delete", "/pdp delete ten", "/pdp delete 99999999999"):
        assert "Which review?" in say(chat, ME, bad)
    assert len(rows(engine, PdpReview)) == 1


def test_timezone_by_city_or_country(chat: Chat, engine: Engine) -> None:
    assert "Time zone set to Europe/London" in say(chat, ME, "/timezone london")
    assert "Time zone set to Europe/Dublin" in say(chat, ME, "/timezone Ireland")
    say(chat, ME, "/pdp add 2026-12-15 Review")
    (ask,) = chat.message(ME, "/timezone new")
    assert [b.label for row in ask.buttons for b in row] == [
        "America/New_York", "America/North_Dakota/New_Salem"]
    assert rows(engine, Person)[0].timezone == "Europe/Dublin"  # nothing changes until pressed
    (chosen,) = chat.press(ME, cb.make(cb.TIMEZONE, "America/New_York"))
    assert chosen.edit and "Time zone set to America/New_York" in plain(chosen.html)
    assert rows(engine, Person)[0].timezone == "America/New_York"
    pending = [r for r in rows(engine, Reminder) if r.status == ReminderStatus.pending]
    assert max(r.due_at for r in pending).replace(tzinfo=UTC) == datetime(2026, 12, 15, 14,
                                                                          tzinfo=UTC)
    for bad in ("/timezone Atlantis", "/timezone <b>x</b>", "/timezone a"):
        assert "e.g. /timezone London" in say(chat, ME, bad)
    assert "&lt;b&gt;" in chat.message(ME, "/timezone <b>x</b>")[0].html
    assert "7 time zones fit san: say more of the city's name" in say(chat, ME, "/timezone san")
    assert chat.press(ME, "tz:Mars/Olympus")[0].toast == "That button is no longer valid."
    assert rows(engine, Person)[0].timezone == "America/New_York"


def test_progress_names_each_group_once(chat: Chat, catalogue: Catalogue) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    text = say(chat, ME, "/progress")
    assert text.count("Group B: 0 of 7 credits") == 1 and text.count("Group A: still needed") == 1


def test_someone_elses_review_cannot_be_pressed(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    (review,) = rows(engine, PdpReview)
    (reply,) = chat.press(Sender(6006, "Mallory"), cb.make(cb.PDP, "done", str(review.id)))
    assert "no longer exists" in (reply.toast or "")
    assert rows(engine, PdpReview)[0].done_at is None
    assert "Which review?" in say(chat, Sender(6006, "Mallory"), f"/pdp move {review.id} 8 Jan")


def test_dispatcher_claims_due_rows_once_and_records_outcomes(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    assert claim_due(engine, now=NOW) == []
    at = datetime(2026, 12, 8, 9, 1, tzinfo=UTC)
    (first,) = claim_due(engine, now=at)
    assert "PDP review in 7 days: Review" in first.text and first.chat_id == ME.telegram_id
    assert claim_due(engine, now=at) == []  # claimed: not taken twice
    record(engine, reminder_id=first.id, outcome=Outcome.sent, now=at)
    late = datetime(2026, 12, 14, 15, tzinfo=UTC)
    (second,) = claim_due(engine, now=late)
    assert "(Late: this was due Mon 14 Dec 2026 at 09:00.)" in second.text
    record(engine, reminder_id=second.id, outcome=Outcome.retry, now=late,
           policy=RetryPolicy(first_wait=60))
    assert claim_due(engine, now=late) == []  # not at once: after a wait
    assert claim_due(engine, now=late + timedelta(seconds=29)) == []  # at least half of it
    assert [d.id for d in claim_due(engine, now=late + timedelta(seconds=61))] == [second.id]


def test_retries_wait_longer_each_time_and_give_up_after_the_period(chat: Chat,
                                                                   engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    policy = RetryPolicy(first_wait=60, max_wait=600, give_up_after=3600)
    at = datetime(2026, 12, 8, 9, 1, tzinfo=UTC)
    waits = []
    while (claimed := claim_due(engine, now=at)):
        record(engine, reminder_id=claimed[0].id, outcome=Outcome.retry, now=at, policy=policy)
        (row,) = [r for r in rows(engine, Reminder) if r.id == claimed[0].id]
        if row.status == ReminderStatus.failed:
            break
        waits.append((row.retry_at.replace(tzinfo=UTC) - at).total_seconds())
        at = row.retry_at.replace(tzinfo=UTC)
    assert row.status == ReminderStatus.failed
    assert all(30 <= w <= 600 for w in waits) and waits[-1] > waits[0] * 4, waits
    assert 1800 < at.timestamp() - datetime(2026, 12, 8, 9, 1, tzinfo=UTC).timestamp() <= 3600


def test_a_dead_dispatchers_claim_expires(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    at = datetime(2026, 12, 8, 9, 1, tzinfo=UTC)
    (claimed,) = claim_due(engine, now=at, claim_seconds=60)
    assert claim_due(engine, now=at + timedelta(seconds=30), claim_seconds=60) == []
    assert [d.id for d in claim_due(engine, now=at + timedelta(seconds=61),
                                    claim_seconds=60)] == [claimed.id]


def test_blocked_learner_is_marked_and_skipped(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    at = datetime(2026, 12, 8, 9, 1, tzinfo=UTC)
    (first,) = claim_due(engine, now=at)
    record(engine, reminder_id=first.id, outcome=Outcome.blocked, now=at)
    assert rows(engine, Person)[0].blocked_at is not None
    assert claim_due(engine, now=datetime(2026, 12, 16, tzinfo=UTC)) == []
    assert {r.status for r in rows(engine, Reminder)} == {ReminderStatus.blocked}


def test_telegram_saying_the_learner_blocked_the_bot_marks_them_at_once(chat: Chat,
                                                                         engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review")
    chat.set_blocked(ME.telegram_id, True)
    (person,) = rows(engine, Person)
    assert person.blocked_at == NOW
    assert claim_due(engine, now=datetime(2026, 12, 8, 9, 1, tzinfo=UTC)) == []  # not tried
    chat.set_blocked(ME.telegram_id, False)  # unblocked: the next reminder goes out
    (later,) = claim_due(engine, now=datetime(2026, 12, 14, 9, 1, tzinfo=UTC))
    assert later.chat_id == ME.telegram_id and rows(engine, Person)[0].blocked_at is None
    chat.set_blocked(999, True)  # someone the bot never met is not stored for it
    assert len(rows(engine, Person)) == 1


def test_quiet_hours_hold_back_all_but_same_day_reminders(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/quiet 08:00-10:00")
    say(chat, ME, "/pdp add 2026-12-15 Review")
    at = datetime(2026, 12, 8, 9, 1, tzinfo=UTC)
    assert claim_due(engine, now=at) == []  # the 7-day reminder waits until 10:00
    assert len(claim_due(engine, now=datetime(2026, 12, 8, 10, 0, tzinfo=UTC))) == 1
    same_day = datetime(2026, 12, 15, 9, 1, tzinfo=UTC)
    claimed = claim_due(engine, now=same_day)
    assert any("today" in d.text for d in claimed)
    assert "Give quiet hours as" in say(chat, ME, "/quiet late")


# -- coaching log and your data --------------------------------------------------------------------

@pytest.mark.parametrize("text,minutes,coachee,notes", [
    ("90m Sam — goal setting session", 90, "Sam", "goal setting session"),
    ("1h30 Sam: review", 90, "Sam", "review"),
    ("1.5h Sam - review", 90, "Sam", "review"),
    ("2 hours", 120, "", ""),
    ("45 min Jo", 45, "Jo", ""),
])
def test_log_forms(text: str, minutes: int, coachee: str, notes: str) -> None:
    entry = parse_log(text)
    assert (entry.minutes, entry.coachee, entry.notes) == (minutes, coachee, notes)


@pytest.mark.parametrize("text", ["", "Sam 90m", "0m Sam", "13h Sam", "lots", "900h Sam",
                                  "100000m", "999999h"])
def test_bad_log_lines(text: str) -> None:
    with pytest.raises(LogError):
        parse_log(text)


def test_too_long_a_session_is_told_the_limit(chat: Chat, engine: Engine) -> None:
    reply = say(chat, ME, "/log 900h")
    assert "900h is not a session's length" in reply and "between 1 minute and 12 hours" in reply
    assert rows(engine, CoachingSession) == []


def test_hours_add_up_against_twelve(chat: Chat) -> None:
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "ILM-L5-CCMM"))  # the 12 hours are ILM's
    say(chat, ME, "/log 10h Sam — programme")
    assert "1 h 30 min to go" in say(chat, ME, "/log 30m Jo — check-in")
    assert "12 h 00 min of the 12 hours ILM D5.03 requires ✅" in say(chat, ME, "/log 1h30 Sam")
    assert "Start with how long" in say(chat, ME, "/log Sam")


def test_calendar_mydata_and_forgetme(chat: Chat, engine: Engine) -> None:
    say(chat, ME, "/pdp add 2026-12-15 Review with line manager every 8 weeks")
    say(chat, ME, "/log 90m Sam")
    chat.press(ME, cb.make(cb.MARK, "5015V1", "2.3"))
    (cal,) = chat.message(ME, "/calendar")
    assert cal.attachment is not None and cal.attachment.filename.endswith(".ics")
    (event,) = Calendar.from_ical(cal.attachment.content).walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 12, 15)
    assert "Review with line manager" in str(event["summary"])
    (data,) = chat.message(ME, "/mydata")
    doc = json.loads(data.attachment.content)  # type: ignore[union-attr]
    assert doc["learner"]["telegram_id"] == ME.telegram_id
    assert len(doc["reminder"]) == 3 and doc["coachingsession"][0]["minutes"] == 90
    other = Sender(7007, "Bea")
    say(chat, other, "/log 60m Kim")
    (ask,) = chat.message(ME, "/forgetme")
    assert rows(engine, PdpReview)  # asking deletes nothing
    (kept,) = chat.press(ME, cb.make(cb.FORGET, "no"))
    assert "Nothing was deleted" in plain(kept.html) and rows(engine, PdpReview)
    (gone,) = chat.press(ME, cb.make(cb.FORGET, "yes"))
    assert "deleted" in plain(gone.html)
    assert [p.telegram_id for p in rows(engine, Person)] == [other.telegram_id]
    assert rows(engine, PdpReview) == [] and rows(engine, Reminder) == []
    assert len(rows(engine, AcStatus)) == 0


def test_private_records_are_not_shown_in_groups(chat: Chat) -> None:
    in_group = Sender(ME.telegram_id, ME.name, private=False)
    for command in ("/progress", "/checklist 5015", "/pdp", "/hours", "/mydata", "/calendar"):
        assert "That is private" in say(chat, in_group, command), command


def test_notes_and_evidence_links_on_an_ac(chat: Chat, engine: Engine) -> None:
    assert "Note saved on 5015V1 2.3" in say(chat, ME, "/note 5015 2.3 draft in shared drive")
    assert "Evidence link saved" in say(chat, ME, "/note 5015 2.3 https://example.org/essay")
    assert "Unit 5015V1 has no AC 9.9" in say(chat, ME, "/note 5015 9.9 text")
    (row,) = rows(engine, AcStatus)
    assert (row.note, row.evidence_url, row.state) == ("draft in shared drive",
                                                       "https://example.org/essay",
                                                       AcState.not_started)
    assert "📝 draft in shared drive · https://example.org/essay" in say(chat, ME, "/checklist 5015")


def test_units_and_progress_count_an_unenrolled_completed_unit_alike(chat: Chat,
                                                                     catalogue: Catalogue) -> None:
    """One rule for completed units: 6001V1 is optional on the L7 Diploma and not enrolled."""
    chat.press(ME, cb.make(cb.PICK_QUALIFICATION, "7D2V2"))
    for ac in catalogue.units["6001V1"].criteria:
        chat.press(ME, cb.make(cb.MARK, "6001V1", ac.ref))
    assert "6001V1" not in {r.unit_code for r in rows(chat.engine, EnrolledUnit)}
    credits = catalogue.units["6001V1"].credits
    figure = f"{credits} of {catalogue.qualifications['7D2V2'].rule.min_credits} credits"
    assert credits > 0 and figure in say(chat, ME, "/units")
    assert figure in say(chat, ME, "/progress")
