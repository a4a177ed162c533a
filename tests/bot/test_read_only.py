"""A database that stops taking writes (issue 16, item 11): questions that need no writing are
still answered, what needed saving is refused kindly and changes nothing, and the outage is
logged once (and its end once), however many messages or dispatcher ticks meet it.

The read-only database is the real one opened read-only: SQLite with `mode=ro`, PostgreSQL with
`default_transaction_read_only` (the tests run as root, so `chmod 0444` would not stop
writes)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine, make_url
from sqlmodel import select

from bot.conversation.chat import NOT_SAVED, Chat
from bot.conversation.turn import Sender
from bot.services import reminders
from bot.services.database import Outage, make_engine, session_scope
from bot.services.tables import PdpReview, Person, ReminderKind, utcnow
from tests.bot.conftest import rows, say

pytestmark = pytest.mark.database
SAM = Sender(1001, "Sam Learner", username="sam")


def read_only(engine: Engine) -> Engine:
    """The same database, opened so that every write fails."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return make_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    options = {"options": "-c default_transaction_read_only=on"}
    return make_engine(make_url(url).update_query_dict(options)
                       .render_as_string(hide_password=False))


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.services.database"]


@pytest.fixture
def frozen(chat: Chat, engine: Engine) -> Iterator[Chat]:
    """Sam has said hello; then the conversation on the read-only database."""
    say(chat, SAM, "/start")
    locked = read_only(engine)
    yield replace(chat, engine=locked, answers=Outage("answers"), dispatcher=Outage("reminders"))
    locked.dispose()


def test_content_is_answered_when_nothing_can_be_written(frozen: Chat, engine: Engine,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with session_scope(engine) as session:
        active = session.exec(select(Person).where(Person.telegram_id == SAM.telegram_id)).one()
        before = active.last_active_at
    ac = say(frozen, SAM, "5015 2.3")
    assert "2.3" in ac and "5015" in ac and NOT_SAVED not in ac
    unit = say(frozen, SAM, "/unit 5015")
    assert "Management of coaching and mentoring" in unit and NOT_SAVED not in unit
    free = say(frozen, SAM, "What is the GROW model?")
    assert "GROW" in free and NOT_SAVED not in free
    assert say(frozen, SAM, "/pdp add 2026-12-15 Review with my line manager") == NOT_SAVED
    assert say(frozen, Sender(9009, "New Comer"), "5015 2.3") == NOT_SAVED  # cannot be stored
    assert rows(engine, PdpReview) == [] and len(rows(engine, Person)) == 1
    with session_scope(engine) as session:
        same = session.exec(select(Person).where(Person.telegram_id == SAM.telegram_id)).one()
        assert same.last_active_at == before
    assert outage_lines(caplog) == [outage_lines(caplog)[0]]  # five messages, one line
    assert "answers: the database cannot be written" in outage_lines(caplog)[0]

    thawed = replace(frozen, engine=engine)  # writes work again: said once
    assert "2.3" in say(thawed, SAM, "5015 2.3")
    assert len(outage_lines(caplog)) == 2
    assert "answers: the database can be written again" in outage_lines(caplog)[1]


def test_the_dispatcher_logs_one_line_per_outage(frozen: Chat, engine: Engine,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with session_scope(engine) as session:
        reminders.enqueue(session, kind=ReminderKind.text, chat_id=SAM.telegram_id,
                          text="Due now", due_at=utcnow() - timedelta(minutes=1))
    for _ in range(20):  # twenty ticks of the job
        assert frozen.claim_reminders(limit=20, claim_seconds=15, worker="w") == []
    lines = outage_lines(caplog)
    assert len(lines) == 1 and "reminders: the database cannot be written" in lines[0]
    thawed = replace(frozen, engine=engine)
    (due,) = thawed.claim_reminders(limit=20, claim_seconds=15, worker="w")
    assert due.text == "Due now"
    assert thawed.claim_reminders(limit=20, claim_seconds=15, worker="w") == []
    lines = outage_lines(caplog)
    assert len(lines) == 2 and "(20 failed attempts meanwhile)" in lines[1]
