"""End-to-end plumbing: the Bot API emulator, the real bot process, and a user's view of a
conversation through them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.db import make_engine
from index.settings import IndexSettings
from tests.conftest import database_url, reset
from tests.emulator import BotApiEmulator
from tests.emulator.model import Record

ROOT = Path(__file__).parents[2]
BOT = "cm_study_bot"
TUTOR_ID = 4242  # a tutor by the TUTOR_IDS setting in every bot the tests start


def start_bot(emulator: BotApiEmulator, url: str, index_dir: Path, log: Path, *mode: str,
              **settings: str) -> subprocess.Popen:
    """`python -m bot [mode]` with the emulator as its Telegram, logging to `log`."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": emulator.token,
           "TELEGRAM_API_URL": emulator.api_url, "DATABASE_URL": url,
           "INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1",
           "REMINDER_INTERVAL_SECONDS": "1", "TUTOR_IDS": str(TUTOR_ID), **settings}
    with open(log, "a") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", *mode], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = database_url(tmp_path_factory.mktemp("db"))
    engine = make_engine(url)
    reset(engine)
    engine.dispose()
    return url


class Said:
    """The bot's answer to one message: one or more messages (long answers are split)."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.text = "\n\n".join(r.text or "" for r in records)
        last = records[-1]
        self.reply_markup, self.message_id, self.seq = last.reply_markup, last.message_id, last.seq
        self.message_thread_id = records[0].message_thread_id
        self.reply_to_message_id = records[0].reply_to_message_id


class Conversation:
    """One user's chat with the bot: send, press, and read the replies as they arrive."""

    def __init__(self, emu: BotApiEmulator, user_id: int, name: str, chat=None) -> None:
        self.emu = emu
        self.user = emu.user(user_id, name)
        self.chat = chat or emu.private_chat(self.user)

    def _new_messages(self) -> int:
        return len([r for r in self.emu.sent(self.chat.id)
                    if r.method in ("sendMessage", "sendDocument", "sendPhoto")])

    def send(self, text: str, **kwargs) -> Said:
        """Send `text`; the answer is every message the bot sends until it goes quiet."""
        before = self._new_messages()
        self.emu.send_text(self.chat, self.user, text, **kwargs)
        self.emu.wait_messages(self.chat.id, before + 1, timeout=30)
        while True:
            count = self._new_messages()
            time.sleep(0.3)
            if self._new_messages() == count:
                break
        return Said([r for r in self.emu.sent(self.chat.id)
                     if r.method in ("sendMessage", "sendDocument", "sendPhoto")][before:])

    def press(self, message: Record | Said, label_starts: str) -> str:
        buttons = [b for row in message.reply_markup["inline_keyboard"] for b in row]
        button = next(b for b in buttons if b["text"].startswith(label_starts))
        return self.emu.press(self.chat, self.user, message.message_id, button["callback_data"])

    def edited(self, message_id: int, after: int, method: str = "editMessageText") -> Record:
        return self.emu.wait_for(lambda r: r.method == method and r.message_id == message_id
                                 and r.seq > after and r.chat_id == self.chat.id, timeout=30)


def labels(record: Record | Said) -> list[str]:
    return [b["text"] for row in (record.reply_markup or {}).get("inline_keyboard", [])
            for b in row]


@pytest.fixture(scope="module")
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token="123456:TEST", bot_username=BOT) as emu:
        yield emu


@pytest.fixture(scope="module")
def bot_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("log") / "bot.log"


@pytest.fixture(scope="module")
def bot_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fresh_database(tmp_path_factory)


@pytest.fixture(scope="module")
def bot_process(emulator: BotApiEmulator, index_settings: IndexSettings, bot_database: str,
                bot_log: Path, retriever) -> Iterator[subprocess.Popen]:
    """One bot process for a test module; ready once it has set its commands."""
    process = start_bot(emulator, bot_database, index_settings.index_dir, bot_log)
    try:
        emulator.wait_for(lambda r: r.method == "setMyCommands"
                          and "all_group_chats" in str(r.params.get("scope")), timeout=120)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(bot_log.read_text()[-5000:])


@pytest.fixture
def talk(emulator: BotApiEmulator, bot_process) -> Callable[..., Conversation]:
    ids = iter(range(int(time.time() * 1000) % 10**9, 10**10))
    return lambda name="Learner", chat=None: Conversation(emulator, next(ids), name, chat)
