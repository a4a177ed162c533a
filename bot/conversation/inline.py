"""Inline mode: "@bot 5015 2.3" typed in any chat offers that AC's card to send there.

Telegram sends an inline query on every keystroke, so only what is cheap is answered: AC
references (read as `/ac` reads them) and unit codes ("7016": its ACs; "7016 2": those of LO
2). Anything else gets a tip rather than a search through the embedding model. The results
are plain data; the Telegram adapter turns them into inline results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.conversation.answers import AcAnswer, ChooseUnit, Context, ac_answer, answer_reference
from bot.conversation.rendering import ac_text, share_query
from bot.conversation.replies import MAX_LENGTH, esc, split_html, visible_length
from content.catalogue import Catalogue, Unit
from index.retriever import Retriever

MAX_RESULTS = 50  # Telegram's limit for one answer
MAX_TITLE = 100  # longer titles are cut by the clients anyway
TIP = "Type a unit and AC, e.g. 5015 2.3"
NOT_FOUND = "No such AC. Type a unit and AC, e.g. 5015 2.3"
# Words that may stand around a unit code without making the query free text.
_FILLER = frozenset({"unit", "ac", "acs", "cmi", "ilm"})
_TYPING_NUMBER = re.compile(r"\d{1,2}(\.\d{0,2})?")  # an AC number being typed: "2", "2.", "2.1"


@dataclass(frozen=True)
class InlineResult:
    """One result a person can pick: its id (unique in an answer, at most 64 bytes), the
    title and one-line description shown in the list, and the message sent when picked."""

    id: str
    title: str
    description: str
    html: str


@dataclass(frozen=True)
class InlineAnswer:
    """The results, and a tip shown above them (None when the results speak for themselves)."""

    results: tuple[InlineResult, ...] = ()
    tip: str | None = None


def inline_answer(catalogue: Catalogue, retriever: Retriever, query: str, context: Context,
                  bot_username: str) -> InlineAnswer:
    """What an inline query offers: an AC's card; every unit's card for a bare AC number that
    several have; a unit's ACs for a unit code (with a partial number, those it starts); a
    tip for anything else."""
    text = " ".join(query.split())
    if not text:
        return InlineAnswer(tip=TIP)
    reference = answer_reference(catalogue, retriever, text, context)
    if isinstance(reference, AcAnswer):
        return InlineAnswer((card(reference, catalogue, bot_username),))
    if isinstance(reference, ChooseUnit):
        keys = [f"{unit.code} {reference.ref}" for unit in reference.units]
        return InlineAnswer(_cards(catalogue, keys, bot_username))
    listed = _unit_listing(catalogue, text)
    if listed is None:
        return InlineAnswer(tip=TIP if reference is None else NOT_FOUND)
    unit, typed = listed
    keys = [ac.key for ac in unit.criteria if _starts(ac.ref, typed)]
    if not keys:  # "5015 9.9": no such AC, so every AC the unit has
        keys = [ac.key for ac in unit.criteria]
    return InlineAnswer(_cards(catalogue, keys, bot_username),
                        tip=NOT_FOUND if reference is not None else None)


def _cards(catalogue: Catalogue, keys: list[str], bot_username: str
           ) -> tuple[InlineResult, ...]:
    """The cards of these ACs (catalogue keys), as many as one answer may hold."""
    return tuple(card(answer, catalogue, bot_username) for key in keys[:MAX_RESULTS]
                 if (answer := ac_answer(catalogue, key)) is not None)


def _unit_listing(catalogue: Catalogue, text: str) -> tuple[Unit, str] | None:
    """("7016" → the unit and ""; "unit 7016 2." → the unit and "2."): a unit code, words
    such as "unit", and at most the beginning of an AC number; None for anything else."""
    words = [w for w in text.casefold().split() if w not in _FILLER]
    unit = next((u for w in words if (u := catalogue.unit(w)) is not None), None)
    if unit is None:
        return None
    rest = [w for w in words if catalogue.unit(w) is not unit]
    if len(rest) > 1 or (rest and not _TYPING_NUMBER.fullmatch(rest[0])):
        return None
    return unit, rest[0] if rest else ""


def _starts(ref: str, typed: str) -> bool:
    """Whether an AC number begins as typed: "2" is LO 2's ACs (not 20's), "2." and "2.1"
    are beginnings of the number."""
    return ref.startswith(typed) if "." in typed else ref.partition(".")[0] == typed


def card(answer: AcAnswer, catalogue: Catalogue, bot_username: str) -> InlineResult:
    """The AC's card as one inline result."""
    ac, unit = answer.criterion, answer.unit
    title = f"{share_query(answer)} {ac.text}"
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE - 1].rstrip() + "…"
    return InlineResult(
        id=ac.key, title=title,
        description=f"{unit.title} ({unit.awarding_body} Level {unit.level}), LO {ac.lo_number}",
        html=one_message(ac_text(answer, catalogue),
                         f"<i>Cut to fit one message: the whole card is at @{esc(bot_username)}"
                         f" with /ac {esc(share_query(answer))}.</i>"))


def one_message(html: str, more: str) -> str:
    """`html` whole when it fits one message; else its beginning, cut at a paragraph, and
    `more` (where to read the rest): an inline result sends exactly one message."""
    if visible_length(html) <= MAX_LENGTH:
        return html
    return f"{split_html(html, MAX_LENGTH - visible_length(more) - 2)[0]}\n\n{more}"
