"""End to end: inline mode ("@bot 5015 2.3" in any chat), the Share button on AC cards, error
reports to the admins, and the defaults every message goes out with (HTML, no link
previews), with the real bot process against the Bot API emulator (inline mode on)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.telegram import SORRY
from tests.bot.conftest import BOT, Conversation, running_bot
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]
ADMIN_ID = 5151
WINDOW_SECONDS = 12  # ERROR_REPORT_MINUTES of the bot under test (0.2)
TIP = "Type a unit and AC, e.g. 5015 2.3"


@pytest.fixture(scope="module")
def emulator() -> Iterator[BotApiEmulator]:
    """A bot with inline mode switched on, as BotFather's /setinline does."""
    with BotApiEmulator(token="123456:TEST", bot_username=BOT, inline_mode=True) as emu:
        yield emu


@pytest.fixture(scope="module")
def bot_process(emulator: BotApiEmulator, index_settings, bot_database: str, bot_log: Path,
                retriever) -> Iterator[object]:
    """The bot with one admin, whose error reports come at most once per type per 12 s."""
    emulator.private_chat(emulator.user(ADMIN_ID, "Ada Admin"))
    with running_bot(emulator, bot_database, index_settings.index_dir, bot_log,
                     ADMIN_IDS=str(ADMIN_ID),
                     ERROR_REPORT_MINUTES=str(WINDOW_SECONDS / 60)) as process:
        yield process


@pytest.fixture(scope="module", autouse=True)
def bot_log_is_clean(bot_process, bot_log: Path) -> Iterator[None]:
    """After the module: the only errors the bot logged are the ones a test injected."""
    yield
    for logged in bot_log.read_text().split("Traceback")[1:]:
        assert "BadRequest: Chat not found" in logged, logged[-3000:]


def inline(emulator: BotApiEmulator, query: str, chat_type: str = "private",
           user_id: int = 8001) -> dict:
    """What the bot answers a user typing "@bot `query`" in a chat of `chat_type`."""
    query_id = emulator.inline_query(emulator.user(user_id, "Ina Inline"), query,
                                     chat_type=chat_type)
    return emulator.inline_answer(query_id, timeout=60)


def test_an_inline_query_is_answered_with_the_acs_card(emulator: BotApiEmulator,
                                                        talk) -> None:
    answer = inline(emulator, "5015 2.3")
    (result,) = answer["results"]
    assert result["id"] == "5015V1 2.3" and result["title"].startswith("5015 2.3 ")
    assert "CMI Level 5" in result["description"]
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["link_preview_options"] == {"is_disabled": True}
    assert answer["texts"] == [talk().send("/ac 5015 2.3").text]  # the card /ac sends
    assert answer["is_personal"] is True and 0 < answer["cache_time"] <= 30
    assert "button" not in answer


def test_a_unit_code_offers_its_acs(emulator: BotApiEmulator, bot_process) -> None:
    ids = [r["id"] for r in inline(emulator, "7016", chat_type="group")["results"]]
    assert ids and all(i.startswith("7016V1 ") for i in ids) and "7016V1 1.1" in ids


@pytest.mark.parametrize("query", ["zzz", "9999 9.9", "<b>", "", "&amp; </i>"])
def test_a_bad_query_gets_a_tip_and_no_results(emulator: BotApiEmulator, bot_process,
                                               query: str) -> None:
    answer = inline(emulator, query)
    assert answer["results"] == []
    assert answer["button"]["start_parameter"] == "inline"
    assert answer["button"]["text"] in (TIP, f"No such AC. {TIP}")


def test_the_ac_card_shares_itself_into_another_chat(emulator: BotApiEmulator, talk) -> None:
    learner = talk("Sam Share")
    card = learner.send("/ac 5015 2.3")
    buttons = [b for row in card.reply_markup["inline_keyboard"] for b in row]
    assert {"text": "Share", "switch_inline_query": "5015 2.3"} in buttons
    query_id = emulator.share(learner.chat, learner.user, card.message_id, "Share",
                              chat_type="group")
    answer = emulator.inline_answer(query_id, timeout=60)
    assert answer["texts"] == [card.text]


def test_messages_go_out_as_html_without_link_previews(emulator: BotApiEmulator,
                                                        talk) -> None:
    learner = talk()
    learner.send("/start")
    learner.send("/help")
    sent = [r for r in emulator.sent() if r.method in ("sendMessage", "editMessageText")]
    assert sent
    for record in sent:
        assert record.link_preview_options == {"is_disabled": True}, record
        assert record.params["parse_mode"] == "HTML", record


def fail_once(emulator: BotApiEmulator, learner: Conversation) -> None:
    """The learner asks; Telegram refuses the answer (400), so the handler fails: the bot
    says sorry."""
    emulator.fault("sendMessage", "400", chat_id=learner.chat.id)
    assert learner.send("/ac 5015 2.3").text == SORRY


def reports(emulator: BotApiEmulator) -> list[str]:
    return [r.text or "" for r in emulator.sent(ADMIN_ID) if r.method == "sendMessage"]


def test_an_error_is_reported_to_the_admin_once_per_window(emulator: BotApiEmulator,
                                                            talk) -> None:
    learner = talk("Fay Failing")
    fail_once(emulator, learner)
    (report,) = reports(emulator)
    first = emulator.sent(ADMIN_ID)[-1].at
    assert "telegram.error.BadRequest" in report and "In: message" in report
    assert "on_message (bot/adapters/telegram.py:" in report and "held back" not in report
    for private in (str(learner.user.id), "Fay", "Failing", "5015", "Chat not found"):
        assert private not in report, private
    fail_once(emulator, learner)  # the same type within the window: held back
    time.sleep(0.5)
    assert len(reports(emulator)) == 1
    time.sleep(max(0.0, first + WINDOW_SECONDS + 0.5 - time.time()))
    fail_once(emulator, learner)
    assert len(reports(emulator)) == 2
    assert "1 more of this type since the last report (held back)" in reports(emulator)[1]
