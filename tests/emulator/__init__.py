"""A Telegram Bot API emulator for end-to-end tests of the bot (see server.BotApiEmulator)."""

from tests.emulator.model import Chat, Record, UploadedFile, User
from tests.emulator.server import BotApiEmulator

__all__ = ["BotApiEmulator", "Chat", "Record", "UploadedFile", "User"]
