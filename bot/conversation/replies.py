"""What the bot sends, independent of Telegram: HTML text, buttons, a file; and the rules
every message obeys (escaping, the 4,096-character limit)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MAX_LENGTH = 4096
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    """An inline button: a callback payload; a link when `url` is set; or, when `inline_query`
    is set, a share: the person picks a chat, where "@bot <inline_query>" offers the bot's
    inline answer to send there."""

    label: str
    data: str = ""
    url: str | None = None
    inline_query: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (a calendar, a data export)."""

    filename: str
    content: bytes
    caption: str = ""  # HTML, like a reply's text
    photo: bool = False  # shown as a picture rather than a file


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class MenuScope:
    """Where a command menu applies: every private chat, every group, the administrators of
    every group, or one person's private chat (`chat_id`)."""

    kind: str  # "private", "group", "group_admins" or "chat"
    chat_id: int | None = None


@dataclass(frozen=True)
class Menu:
    """A command menu: (name, description) pairs for one scope."""

    scope: MenuScope
    commands: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reply:
    """One message. `edit` asks the adapter to replace the message a button was pressed on
    (falling back to a new message where there is none); `markup_only` to replace only its
    buttons; `menus`, to set these command menus (a newly promoted tutor's); `send_due`, to
    run the reminder dispatcher at once (a push for "now" should not wait for its tick)."""

    html: str
    buttons: Buttons = ()
    edit: bool = False
    markup_only: bool = False
    attachment: Attachment | None = None
    toast: str | None = field(default=None, compare=False)
    menus: tuple[Menu, ...] = field(default=(), compare=False)
    send_due: bool = field(default=False, compare=False)


def rows(buttons: Sequence[Button], width: int) -> Buttons:
    """Buttons laid out `width` to a row."""
    return tuple(tuple(buttons[i:i + width]) for i in range(0, len(buttons), width))


def esc(text: object) -> str:
    """Escape anything that did not come from this bot's own templates."""
    return html.escape(str(text), quote=False)


def plain(html_text: str) -> str:
    """The text a person reads (for the console): tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def visible_length(html_text: str) -> int:
    """How Telegram counts a message's length: the text after entities are parsed."""
    return len(plain(html_text))


def split_html(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """Split at paragraph boundaries (blank lines) into messages within `limit` visible
    characters. Each paragraph must be balanced HTML, which the renderer guarantees; a single
    paragraph longer than the limit is cut at word boundaries, with tags dropped."""
    pieces = [piece for paragraph in text.split("\n\n") for piece in _fit(paragraph, limit)]
    return _pack(pieces, "\n\n", limit, visible_length)


def _fit(paragraph: str, limit: int) -> list[str]:
    if visible_length(paragraph) <= limit:
        return [paragraph]
    words: list[str] = []
    for word in plain(paragraph).split(" "):
        while len(word) > limit:  # one enormous "word": hard cut
            words.append(word[:limit])
            word = word[limit:]
        words.append(word)
    return [esc(piece) for piece in _pack(words, " ", limit, len)]


def _pack(pieces: list[str], separator: str, limit: int,
          length: Callable[[str], int]) -> list[str]:
    """Join consecutive pieces greedily into chunks no longer than `limit`."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if length(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks
