"""End to end, start-up and concurrency in polling mode: the bot answers AC references as soon
as it is connected while the embedding model loads in the background, a free question waits for
that load only; several chats are answered at once, and one chat's messages in order."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.bot.conftest import TUTOR_ID, Conversation, start_bot, wait_ready
from tests.emulator import BotApiEmulator
from tests.emulator.model import Record

pytestmark = [pytest.mark.database]

LOADED = re.compile(r"^(\S+ \S+) INFO index\.retriever: embedding model and index loaded in",
                    re.MULTILINE)
NEW = ("sendMessage", "sendPhoto", "sendDocument")


def loaded_at(log: Path, timeout: float = 120) -> float:
    """When the bot logged that the model and index finished loading (epoch seconds)."""
    deadline = time.monotonic() + timeout
    while not (found := LOADED.search(log.read_text())):
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.1)
    return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()


def first_reply(emulator: BotApiEmulator, chat_id: int) -> Record:
    return emulator.wait_messages(chat_id, 1, timeout=60)[0]


def test_an_ac_reference_is_answered_before_the_model_loads_and_a_question_after_it(
        emulator: BotApiEmulator, retriever, index_settings, bot_database: str,
        tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    started = time.time()
    # The reference embedder (sentence-transformers) takes seconds to load: a window long
    # enough to see AC references answered meanwhile on a busy machine.
    process = start_bot(emulator, bot_database, index_settings.index_dir, log,
                        EMBEDDING_BACKEND="torch")
    try:
        wait_ready(emulator, after=started)
        early = Conversation(emulator, 7301, "Early Ada")
        asker = Conversation(emulator, 7302, "Early Ben")
        emulator.send_text(early.chat, early.user, "5015 2.3")
        emulator.send_text(asker.chat, asker.user,
                           "how do I get senior managers to support coaching?")
        reference = first_reply(emulator, early.chat.id)
        answer = first_reply(emulator, asker.chat.id)
        loaded = loaded_at(log)
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text()[-3000:])
    assert "AC 2.3" in (reference.text or "") and "5015V1" in (reference.text or "")
    assert reference.at < loaded, "the AC reference waited for the model"
    assert answer.at > loaded
    assert re.search(r"\b\d{4}V?\d? \d\.\d", answer.text or ""), answer.text
    print(f"ready {wait_ready(emulator, after=started) - started:.1f} s after start; AC "
          f"answered {reference.at - started:.1f} s, model loaded {loaded - started:.1f} s, "
          f"question answered {answer.at - started:.1f} s")


def test_one_chats_messages_are_answered_in_order_while_another_chat_is_not_held_up(
        emulator: BotApiEmulator, bot_process) -> None:
    tess = Conversation(emulator, TUTOR_ID, "Tess Tutor")
    assert "created" in tess.send('/newcohort "Order 2027" 7D2V2').text.lower()
    # Telegram takes 4 s to take the report's chart: the report is the slow one.
    emulator.fault("sendPhoto", "slow", delay=4, chat_id=tess.chat.id)
    references = ["5015 1.1", "5015 1.2", "/help", "5015 1.3", "5015 2.1", "5015 2.2",
                  "/help", "5015 2.4", "5015 3.1"]
    before = len(emulator.sent(tess.chat.id))
    emulator.send_text(tess.chat, tess.user, '/report "Order 2027"')
    for text in references:
        emulator.send_text(tess.chat, tess.user, text)
    other = Conversation(emulator, 7303, "Other Ola")
    emulator.send_text(other.chat, other.user, "5015 3.2")
    quick = first_reply(emulator, other.chat.id)
    replies = [r for r in emulator.wait_messages(tess.chat.id, before + 1 + len(references) + 1,
                                                 timeout=60)[before:] if r.method in NEW]
    photo = next(r for r in replies if r.method == "sendPhoto")
    assert quick.at < photo.at, "the other chat waited for the slow report"
    time.sleep(1)  # nothing more on its way
    replies = [r for r in emulator.sent(tess.chat.id)[before:] if r.method in NEW]
    kinds = [("report" if r.method != "sendMessage" or "Order 2027" in (r.text or "")
              else "help" if "/ac" in (r.text or "") and "AC " not in (r.text or "")[:10]
              else re.search(r"^AC (\d\.\d)", r.text or "").group(1)) for r in replies]
    expected = ["report" if t.startswith("/report") else "help" if t == "/help"
                else t.split()[1] for t in ['/report "Order 2027"', *references]]
    collapsed = [k for i, k in enumerate(kinds) if i == 0 or k != "report" or kinds[i - 1] != k]
    assert collapsed == expected, [(r.method, (r.text or "")[:40]) for r in replies]
