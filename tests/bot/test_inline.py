"""Inline mode without Telegram: what "@bot QUERY" offers (cards, a unit's ACs, tips), that
every card fits one message Telegram accepts, and the Share button on AC answers."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.engine import Engine

from bot.adapters import console
from bot.conversation.answers import Context
from bot.conversation.chat import Chat
from bot.conversation.inline import MAX_RESULTS, NOT_FOUND, TIP, inline_answer
from bot.conversation.replies import Button, visible_length
from bot.conversation.turn import Sender
from bot.services.tables import Person
from content.catalogue import Catalogue
from index.retriever import Retriever
from tests.bot.conftest import BOT, rows
from tests.emulator.html_check import parse_html

pytestmark = pytest.mark.database
ME = Sender(1001, "Ada")


def ids(chat: Chat, query: str, telegram_id: int = ME.telegram_id) -> list[str]:
    return [r.id for r in chat.inline(telegram_id, query).results]


def test_a_reference_offers_the_card_that_ac_sends(chat: Chat, catalogue: Catalogue) -> None:
    (result,) = chat.inline(ME.telegram_id, "5015 2.3").results
    (sent,) = chat.message(ME, "/ac 5015 2.3")
    assert result.id == "5015V1 2.3" and result.html == sent.html
    assert result.title.startswith("5015 2.3 Explain how to overcome")
    assert result.description == f"{catalogue.units['5015V1'].title} (CMI Level 5), LO 2"


@pytest.mark.parametrize("query", ["ac 5015 2.3", "5015V1 2.3", "  5015   2.3 ", "AC 2.3 of 5015"])
def test_the_forms_ac_reads_work_inline(chat: Chat, query: str) -> None:
    assert ids(chat, query) == ["5015V1 2.3"]


def test_an_ilm_reference(chat: Chat) -> None:
    assert ids(chat, "D5.01 1.1") == ["D5.01 1.1"]


def test_a_unit_code_offers_its_acs_and_a_number_begun_narrows_them(
        chat: Chat, catalogue: Catalogue) -> None:
    unit = catalogue.units["7016V1"]
    assert ids(chat, "7016") == [ac.key for ac in unit.criteria]
    assert ids(chat, "unit 7016V1") == [ac.key for ac in unit.criteria]
    lo2 = [ac.key for ac in unit.criteria if ac.lo_number == "2"]
    assert ids(chat, "7016 2") == ids(chat, "7016 2.") == lo2
    assert chat.inline(ME.telegram_id, "7016").tip is None


def test_a_bare_number_offers_every_unit_with_it_to_a_stranger(chat: Chat,
                                                              catalogue: Catalogue) -> None:
    expected = [f"{u.code} 2.3" for u in catalogue.units_with("2.3")]
    assert len(expected) > 1 and ids(chat, "2.3", telegram_id=555) == expected[:MAX_RESULTS]


def test_a_learner_gets_the_unit_they_last_asked_about(chat: Chat,
                                                      catalogue: Catalogue) -> None:
    assert len(catalogue.units_with("1.4")) > 1
    chat.message(ME, "/unit 7016")
    assert ids(chat, "1.4") == ["7016V1 1.4"]


def test_an_inline_query_stores_nothing(chat: Chat, engine: Engine) -> None:
    chat.inline(777, "5015 2.3")
    chat.inline(777, "zzz")
    assert rows(engine, Person) == []


@pytest.mark.parametrize(("query", "tip"), [
    ("", TIP), ("   ", TIP), ("zzz", TIP), ("<b>", TIP), ("how many words for 7016", TIP),
    ("7016 7017", TIP), ("9999 9.9", NOT_FOUND), ("99.9", NOT_FOUND), ("\x00", TIP),
])
def test_anything_else_gets_a_tip_and_no_results(chat: Chat, query: str, tip: str) -> None:
    answer = chat.inline(ME.telegram_id, query)
    assert answer.results == () and answer.tip == tip


def test_an_ac_the_unit_lacks_offers_the_units_acs_with_a_tip(chat: Chat,
                                                            catalogue: Catalogue) -> None:
    answer = chat.inline(ME.telegram_id, "5015 9.9")
    assert [r.id for r in answer.results] == [ac.key for ac in catalogue.units["5015V1"].criteria]
    assert answer.tip == NOT_FOUND


def test_every_card_is_one_message_telegram_accepts(catalogue: Catalogue,
                                                    retriever: Retriever) -> None:
    cut = []
    for unit in catalogue.units.values():
        answer = inline_answer(catalogue, retriever, unit.code, Context(), BOT)
        assert [r.id for r in answer.results] == [ac.key for ac in unit.criteria]
        for result in answer.results:
            text, _ = parse_html(result.html)
            assert 0 < len(text.strip()) <= 4096 and visible_length(result.html) <= 4096
            assert len(result.id.encode()) <= 64 and len(result.title) <= 100
            if "Cut to fit one message" in text:
                cut.append(result.id)
    assert cut and all(key.startswith("7015V1") for key in cut), cut
    (long,) = inline_answer(catalogue, retriever, "7015 2.1", Context(), BOT).results
    assert long.html.endswith(f"the whole card is at @{BOT} with /ac 7015 2.1.</i>")


def test_ac_answers_carry_a_share_button_with_the_reference(chat: Chat) -> None:
    for text in ("/ac 5015 2.3", "what does 5015 2.3 need?", "/ac D5.01 1.1"):
        (reply,) = chat.message(ME, text)
        shares = [b for row in reply.buttons for b in row if b.inline_query is not None]
        expected = "D5.01 1.1" if "D5.01" in text else "5015 2.3"
        assert shares == [Button("Share", inline_query=expected)], text


def test_share_in_the_console_says_how_to_share_in_telegram(chat: Chat) -> None:
    (card,) = chat.message(ME, "/ac 5015 2.3")
    share = 1 + [b.label for row in card.buttons for b in row].index("Share")
    out = io.StringIO()
    console.run(chat, io.StringIO(f"/ac 5015 2.3\n{share}\nquit\n"), out)
    assert f"type @{BOT} 5015 2.3" in out.getvalue()
    assert "no longer valid" not in out.getvalue()
