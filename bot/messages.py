"""What the bot sends, independent of Telegram: HTML text, buttons, a file; and the rules
every message obeys (escaping, the 4,096-character limit)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

MAX_LENGTH = 4096
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    kind: str = "document"  # "document" or "photo"
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message. `edit` asks the adapter to replace the message a button was pressed on
    (falling back to a new message where there is none); `markup_only` to replace only its
    buttons."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    markup_only: bool = False
    attachment: Attachment | None = None
    toast: str | None = field(default=None, compare=False)


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
    paragraph longer than the limit is cut at line, then word boundaries, with tags dropped."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for piece in _fit(paragraph, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if visible_length(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _fit(paragraph: str, limit: int) -> list[str]:
    if visible_length(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for word in plain(paragraph).split(" "):
        while len(word) > limit:  # one enormous "word": hard cut
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return [esc(p) for p in pieces]
