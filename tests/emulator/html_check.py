"""parse_mode=HTML as Telegram's server (tdlib) parses it.

Telegram rejects whole messages for HTML a browser would forgive (an unknown tag, a bare "<",
crossed tags), so a bot's formatting has to be checked with the same strictness before it
ships. Error texts follow tdlib, e.g. 'Unsupported start tag "br" at byte offset 5'.
"""

import re
from dataclasses import dataclass, field

from tests.emulator.entities import utf16_len

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TG_USER = re.compile(r"tg://user\?id=(\d+)$")


class HtmlParseError(ValueError):
    """The text is not HTML Telegram accepts; str() is tdlib's reason."""


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag."""

    name: str
    argument: str
    offset: int


@dataclass
class _Parser:
    """One pass over the source, building plain text and entities like tdlib's parse_html."""

    source: str
    pos: int = 0
    text: list[str] = field(default_factory=list)
    offset: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        """UTF-8 byte offset of a string index, the unit of tdlib's messages."""
        return len(self.source[:index].encode("utf-8"))

    def at(self, index: int) -> str:
        """The character at `index`, or "" past the end (tdlib's NUL terminator)."""
        return self.source[index] if index < len(self.source) else ""

    def emit(self, chunk: str) -> None:
        """Append plain text and advance the UTF-16 offset."""
        self.text.append(chunk)
        self.offset += utf16_len(chunk)

    def run(self) -> tuple[str, list[dict]]:
        """Parse everything; raise HtmlParseError on the first problem."""
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "&":
                self.entity()
            elif char == "<":
                self.tag()
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            name = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return "".join(self.text), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    def entity(self) -> None:
        """Decode &lt; &gt; &amp; &quot; and numeric entities; keep any other "&" literally."""
        decoded = decode_entity(self.source, self.pos)
        if decoded is None:
            self.emit("&")
            self.pos += 1
            return
        char, end = decoded
        self.emit(char)
        self.pos = end

    def tag(self) -> None:
        """Dispatch on start or end tag."""
        if self.at(self.pos + 1) == "/":
            self.end_tag()
        else:
            self.start_tag()

    def start_tag(self) -> None:
        """Read a start tag and its attributes, then push it."""
        begin = self.pos
        self.pos += 1
        while self.at(self.pos) and not self.at(self.pos).isspace() and self.at(self.pos) != ">":
            self.pos += 1
        if not self.at(self.pos):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.source[begin + 1 : self.pos].lower()
        if name not in _TAG_TYPES:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        argument = self.attributes(name, begin)
        self.pos += 1
        if name == "span" and argument != "tg-spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_OpenTag(name, argument, self.offset))

    def attributes(self, name: str, begin: int) -> str:
        """Read attributes up to ">" and return the one that matters for this tag."""
        argument = ""
        while self.at(self.pos) != ">":
            self.skip_spaces()
            if self.at(self.pos) == ">":
                break
            attr_begin = self.pos
            while self.at(self.pos) and not self.at(self.pos).isspace() and self.at(
                self.pos
            ) not in "=>":
                self.pos += 1
            attribute = self.source[attr_begin : self.pos].lower()
            if not attribute:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            if name == "blockquote" and attribute == "expandable" and self.next_is_not("="):
                argument = "expandable"
                continue
            value = self.attribute_value(name, begin)
            argument = _tag_argument(name, attribute, value) or argument
        return argument

    def attribute_value(self, name: str, begin: int) -> str:
        """Read `= value` (quoted string or name token) of one attribute."""
        self.skip_spaces()
        if self.at(self.pos) != "=":
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {self.byte_offset(begin)}"
            )
        self.pos += 1
        self.skip_spaces()
        if not self.at(self.pos):
            raise HtmlParseError(
                f'Unclosed start tag "{name}" at byte offset {self.byte_offset(begin)}')
        quote = self.at(self.pos)
        if quote in "'\"":
            value = self.quoted(quote)
        else:
            token_begin = self.pos
            while self.at(self.pos) and (self.at(self.pos).isalnum() or self.at(self.pos) in ".-"):
                self.pos += 1
            value = self.source[token_begin : self.pos].lower()
            if not self.at(self.pos).isspace() and self.at(self.pos) != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_begin)}"
                )
        if not self.at(self.pos):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        return value

    def quoted(self, quote: str) -> str:
        """A quoted attribute value, with entities decoded."""
        self.pos += 1
        chars: list[str] = []
        while self.at(self.pos) and self.at(self.pos) != quote:
            decoded = decode_entity(self.source, self.pos) if self.at(self.pos) == "&" else None
            if decoded:
                chars.append(decoded[0])
                self.pos = decoded[1]
            else:
                chars.append(self.at(self.pos))
                self.pos += 1
        if self.at(self.pos) == quote:
            self.pos += 1
        return "".join(chars)

    def next_is_not(self, char: str) -> bool:
        """Whether the next non-space character differs from `char` (a value-less attribute)."""
        index = self.pos
        while self.at(index).isspace():
            index += 1
        return self.at(index) != char

    def skip_spaces(self) -> None:
        """Advance over whitespace."""
        while self.at(self.pos) and self.at(self.pos).isspace():
            self.pos += 1

    def end_tag(self) -> None:
        """Close the innermost open tag, which must be the one named."""
        begin = self.pos
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 2
        while self.at(self.pos) and not self.at(self.pos).isspace() and self.at(self.pos) != ">":
            self.pos += 1
        end_name = self.source[begin + 2 : self.pos].lower()
        self.skip_spaces()
        if self.at(self.pos) != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        open_tag = self.stack.pop()
        if end_name and end_name != open_tag.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{open_tag.name}>", found "</{end_name}>"'
            )
        self.close(open_tag)

    def close(self, tag: _OpenTag) -> None:
        """Turn a closed tag into an entity (empty ones and links without href vanish)."""
        length = self.offset - tag.offset
        entity = _make_entity(tag, length)
        if length <= 0 or entity is None:
            return
        inner = self.entities[-1] if self.entities else None
        if tag.name == "pre" and inner and inner["type"] == "code" and _same_span(inner, entity):
            self.entities.pop()
            if inner.get("language"):
                entity["language"] = inner["language"]
        self.entities.append(entity)


def _same_span(first: dict, second: dict) -> bool:
    """Whether two entities cover exactly the same text."""
    return first["offset"] == second["offset"] and first["length"] == second["length"]


def _tag_argument(tag: str, attribute: str, value: str) -> str | None:
    """The attribute value tdlib keeps for a tag, or None for ignored attributes."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "expandable"
    return None


def _make_entity(tag: _OpenTag, length: int) -> dict | None:
    """The MessageEntity for a closed tag."""
    entity: dict = {"type": _TAG_TYPES[tag.name], "offset": tag.offset, "length": length}
    if tag.name == "a":
        if not tag.argument:
            return None
        user = _TG_USER.match(tag.argument)
        if user:
            entity.update(type="text_mention", user={"id": int(user.group(1))})
        else:
            entity["url"] = tag.argument
    elif tag.name == "code" and tag.argument:
        entity["language"] = tag.argument
    elif tag.name == "blockquote" and tag.argument:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.argument
    return entity


def decode_entity(source: str, index: int) -> tuple[str, int] | None:
    """Decode the HTML entity at `index` into (character, end index), or None if unsupported."""
    match = _ENTITY.match(source, index)
    if not match:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, match.end()) if char else None
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Plain text and MessageEntity dicts (UTF-16 offsets) for parse_mode=HTML text."""
    return _Parser(source).run()


def strip_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace like Telegram, shifting and clipping entities to match."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    kept: list[dict] = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, kept
