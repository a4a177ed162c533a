"""Shared by the bot's tests: the conversation under a test clock with its helpers (`Clock`,
`say`, `rows`, `buttons`), and the end-to-end plumbing (the Bot API emulator, the real bot
process, and a user's view of a conversation through them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.conversation.chat import Chat
from bot.conversation.replies import Reply, plain
from bot.conversation.turn import Sender
from bot.services.database import make_engine
from content.catalogue import Catalogue
from index.retriever import Retriever
from index.settings import IndexSettings
from tests.conftest import own_database, reset
from tests.emulator import BotApiEmulator
from tests.emulator.model import Record

ROOT = Path(__file__).parents[2]
BOT = "cm_study_bot"
TUTOR_ID = 4242  # a tutor by the TUTOR_IDS setting in every bot the tests start

# -- the conversation without Telegram --------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
TUTOR = Sender(100, "Tess Tutor", username="tess")
OTHER_TUTOR = Sender(200, "Oscar Other", username="oscar")
ADMIN = Sender(300, "Ada Admin")


class Clock:
    """The conversation's clock; a test moves it by setting `now`."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(catalogue: Catalogue, retriever: Retriever, engine: Engine, clock: Clock) -> Chat:
    """The conversation on a fresh database, at NOW, with TUTOR, OTHER_TUTOR and ADMIN."""
    return Chat(catalogue, retriever, engine, bot_username=BOT, now=clock,
                tutors=frozenset({TUTOR.telegram_id, OTHER_TUTOR.telegram_id}),
                admins=frozenset({ADMIN.telegram_id}))


def say(chat: Chat, sender: Sender, text: str) -> str:
    """What the bot answers `sender`, as the person reads it."""
    return "\n".join(plain(r.html) for r in chat.message(sender, text))


def buttons(reply: Reply) -> list[tuple[str, str]]:
    """(label, payload) of every button of a reply."""
    return [(b.label, b.data) for row in reply.buttons for b in row]


def rows(engine: Engine, model: type[Any]) -> list[Any]:
    """Every row of a table."""
    with Session(engine) as session:
        return list(session.exec(select(model)))


# -- end to end ---------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a webhook worker."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    """An empty database of this caller's own (see `own_database`)."""
    url = own_database(tmp_path_factory.mktemp("db"))
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
        return self._answer(lambda: self.emu.send_text(self.chat, self.user, text, **kwargs))

    def send_file(self, filename: str, data: bytes, caption: str | None = None) -> Said:
        """Send a file (a Document), with a caption if given; the answer as for `send`."""
        return self._answer(lambda: self.emu.send_document(self.chat, self.user, filename,
                                                           data, caption=caption))

    def _answer(self, act: Callable[[], object]) -> Said:
        before = self._new_messages()
        act()
        # Long enough for a free question that waits for the model to load after a start.
        self.emu.wait_messages(self.chat.id, before + 1, timeout=60)
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

    def press_for_answer(self, message: Record | Said, label_starts: str) -> Said:
        """Press a button that answers in new messages (as "Open 5015V1 2.2" does)."""
        return self._answer(lambda: self.press(message, label_starts))

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


def wait_ready(emulator: BotApiEmulator, after: float = 0) -> float:
    """When a bot process (started at or after `after`) set its command menus, the last thing
    it does before taking updates."""
    return emulator.wait_for(lambda r: r.method == "setMyCommands" and r.at >= after
                             and "all_group_chats" in str(r.params.get("scope")),
                             timeout=120).at


@contextmanager
def running_bot(emulator: BotApiEmulator, url: str, index_dir: Path, log: Path,
                **settings: str) -> Iterator[subprocess.Popen]:
    """A bot process, ready, stopped at the end (its log's tail printed)."""
    process = start_bot(emulator, url, index_dir, log, **settings)
    try:
        wait_ready(emulator)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text()[-5000:])


@pytest.fixture(scope="module")
def bot_process(emulator: BotApiEmulator, index_settings: IndexSettings, bot_database: str,
                bot_log: Path, retriever) -> Iterator[subprocess.Popen]:
    """One bot process for a test module; ready once it has set its commands."""
    with running_bot(emulator, bot_database, index_settings.index_dir, bot_log) as process:
        yield process


@pytest.fixture
def talk(emulator: BotApiEmulator, bot_process) -> Callable[..., Conversation]:
    ids = iter(range(int(time.time() * 1000) % 10**9, 10**10))
    return lambda name="Learner", chat=None: Conversation(emulator, next(ids), name, chat)
