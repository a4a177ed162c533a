"""A local chat in the terminal, through the same `Chat` as Telegram: try the bot without a
token. Buttons are listed with numbers; type the number to press one."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.conversation.chat import Chat
from bot.conversation.replies import Button, Reply, plain
from bot.conversation.turn import Sender

CONSOLE_USER = Sender(telegram_id=0, name="Console learner", private=True)


def show(replies: list[Reply], out: TextIO) -> list[Button]:
    """Print replies as plain text; returns the buttons now on screen, in number order."""
    buttons: list[Button] = []
    for reply in replies:
        if reply.toast:
            out.write(f"[{reply.toast}]\n")
        if reply.html:
            out.write(plain(reply.html) + "\n")
        if reply.attachment:
            out.write(f"[file {reply.attachment.filename}, {len(reply.attachment.content)} "
                      f"bytes]\n")
        for row in reply.buttons:
            labels = []
            for button in row:
                buttons.append(button)
                labels.append(f"[{len(buttons)}] {button.label}")
            out.write("   ".join(labels) + "\n")
        out.write("\n")
    return buttons


def run(chat: Chat, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Read lines until end of input or "quit"."""
    out.write("Local chat: type a question or a command (/help); a number presses a button; "
              "quit to leave.\n\n")
    buttons = show(chat.message(CONSOLE_USER, "/start"), out)
    for line in inp:
        line = line.strip()
        if line in {"quit", "exit"}:
            break
        if line.isdecimal() and line.isascii() and 1 <= int(line) <= len(buttons):
            button = buttons[int(line) - 1]
            if button.inline_query is not None:  # Share: nothing to press here
                out.write(f"In Telegram, Share sends this card into a chat you pick: there, "
                          f"type @{chat.bot_username or 'botname'} {button.inline_query}\n> ")
                out.flush()
                continue
            replies = chat.press(CONSOLE_USER, button.data)
        else:
            replies = chat.message(CONSOLE_USER, line)
        on_screen = show(replies, out)
        buttons = on_screen or buttons
        out.write("> ")
        out.flush()
