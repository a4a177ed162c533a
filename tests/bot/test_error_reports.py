"""Error reports to the admins, without Telegram: the throttle (one report per error type per
window, the held-back ones counted) and a report's text (kind and place, nobody's data)."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest

from bot.adapters.error_reports import ReportThrottle, error_type, report_text, update_kind
from bot.conversation import buttons as cb


class Ticks:
    """A clock the test moves (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_report_per_type_per_window_and_the_held_back_counted() -> None:
    clock = Ticks()
    throttle = ReportThrottle(600, clock)
    assert throttle.admit("BadRequest") == 0
    clock.now += 10
    assert throttle.admit("BadRequest") is None
    assert throttle.admit("TimedOut") == 0  # another type has a window of its own
    clock.now += 589
    assert throttle.admit("BadRequest") is None
    clock.now += 1  # 600 s after the first report
    assert throttle.admit("BadRequest") == 2
    assert throttle.admit("BadRequest") is None
    clock.now += 600
    assert throttle.admit("BadRequest") == 1
    clock.now += 600
    assert throttle.admit("BadRequest") == 0


def test_a_zero_window_reports_every_error() -> None:
    throttle = ReportThrottle(0, Ticks())
    assert [throttle.admit("E") for _ in range(3)] == [0, 0, 0]


def failed_in_the_bot() -> ValueError:
    """An error raised inside the bot's own code, with personal data in its message."""
    try:
        cb.make(cb.OPEN_AC, "Ada Lovelace wrote this", "x" * 60)
    except ValueError as exc:
        return exc
    raise AssertionError("no error")


def learners_message() -> Update:
    return Update.de_json({"update_id": 9, "message": {
        "message_id": 5, "date": 1_700_000_000, "text": "my secret draft 5015 2.3",
        "chat": {"id": 987654321, "type": "private", "first_name": "Ada"},
        "from": {"id": 987654321, "is_bot": False, "first_name": "Ada", "last_name": "Lovelace",
                 "username": "ada_l"}}}, None)


def test_a_report_says_what_and_where_and_nothing_about_whom() -> None:
    error = failed_in_the_bot()
    text = report_text(error, learners_message(), None, held_back=3)
    assert "ValueError" in text and "<b>In</b>: message" in text
    assert "make (bot/conversation/buttons.py:" in text
    assert "3 more of this type since the last report" in text
    for private in ("987654321", "Ada", "Lovelace", "ada_l", "secret", "5015", "xxxx"):
        assert private not in text, private


def test_a_job_and_library_errors_are_named() -> None:
    text = report_text(TimeoutError(), None, "reminders", held_back=0)
    assert "<b>In</b>: job reminders" in text and "held back" not in text
    assert "Where" not in text  # raised nowhere in the bot's own code
    assert error_type(TimeoutError()) == "TimeoutError"
    assert error_type(BadRequest("Chat not found")) == "telegram.error.BadRequest"


def test_update_kinds() -> None:
    assert update_kind(learners_message()) == "message"
    press = Update.de_json({"update_id": 1, "callback_query": {
        "id": "1", "chat_instance": "c", "data": "x",
        "from": {"id": 5, "is_bot": False, "first_name": "B"}}}, None)
    inline = Update.de_json({"update_id": 2, "inline_query": {
        "id": "1", "query": "q", "offset": "", "from": {"id": 5, "is_bot": False,
                                                         "first_name": "B"}}}, None)
    assert (update_kind(press), update_kind(inline), update_kind(None)) == (
        "callback_query", "inline_query", "no update")
