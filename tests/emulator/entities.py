"""UTF-16 helpers and the entities Telegram computes for text a user types.

Telegram measures entity offsets and lengths in UTF-16 code units, so an emoji outside the
Basic Multilingual Plane counts as 2; bots that slice text with Python indices break on them,
which is exactly what end-to-end tests need to catch.
"""

import re

_COMMAND = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])")
_MENTION = re.compile(r"(?<![A-Za-z0-9_@])@[A-Za-z0-9_]{5,32}(?![A-Za-z0-9_])")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Bot API offset."""
    return len(text.encode("utf-16-le")) // 2


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of the Python string index `index`."""
    return utf16_len(text[:index])


def user_text_entities(text: str) -> list[dict]:
    """bot_command and mention entities, as Telegram adds them to a message a user sends."""
    entities: list[dict] = []
    taken: list[range] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION)):
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            taken.append(range(match.start(), match.end()))
            entities.append(
                {
                    "type": kind,
                    "offset": utf16_offset(text, match.start()),
                    "length": utf16_len(match.group()),
                }
            )
    return sorted(entities, key=lambda e: e["offset"])


def entity_text(text: str, entity: dict) -> str:
    """The part of `text` an entity covers (offsets are UTF-16 code units)."""
    units = text.encode("utf-16-le")
    start = entity["offset"] * 2
    return units[start : start + entity["length"] * 2].decode("utf-16-le")
