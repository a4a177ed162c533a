"""Rendering rules every message obeys: escaping and the 4,096-character limit."""

from __future__ import annotations

from bot.conversation.answers import TheoristList, ac_answer
from bot.conversation.rendering import render_ac, render_theorists
from bot.conversation.replies import MAX_LENGTH, esc, plain, split_html, visible_length
from bot.services.tables import AcState
from content.catalogue import Catalogue


def test_user_text_is_escaped() -> None:
    assert esc("<b>Bob</b> & co") == "&lt;b&gt;Bob&lt;/b&gt; &amp; co"
    assert plain(esc("<b>Bob</b> & co")) == "<b>Bob</b> & co"


def test_short_text_is_one_message() -> None:
    assert split_html("<b>a</b>\n\nb") == ["<b>a</b>\n\nb"]


def test_split_at_paragraph_boundaries_keeps_tags_balanced() -> None:
    paragraphs = [f"<b>Heading {i}</b>\n" + "word " * 300 for i in range(10)]
    parts = split_html("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(visible_length(p) <= MAX_LENGTH for p in parts)
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert "".join(parts).count("Heading") == 10


def test_one_enormous_paragraph_is_cut_and_stays_escaped() -> None:
    text = esc("<i>" + "x" * 10_000 + " & y")
    parts = split_html(text)
    assert all(visible_length(p) <= MAX_LENGTH for p in parts)
    assert "".join(plain(p) for p in parts).replace(" ", "") == ("<i>" + "x" * 10_000 + "&y")
    assert not any("<i>" in p for p in parts)


def test_the_longest_ac_answer_fits_after_splitting(catalogue: Catalogue) -> None:
    longest = max(catalogue.criteria(), key=lambda ac: sum(len(p) for g in ac.guidance
                                                            for p in g.paragraphs))
    answer = ac_answer(catalogue, longest.key)
    assert answer is not None
    reply = render_ac(answer, AcState.not_started, catalogue)
    parts = split_html(reply.html)
    assert all(visible_length(p) <= MAX_LENGTH for p in parts)
    for paragraph in (p for g in longest.guidance for p in g.paragraphs):
        assert esc(paragraph) in reply.html  # quoted whole, escaped


def test_ac_answer_says_only_what_the_catalogue_says(catalogue: Catalogue) -> None:
    answer = ac_answer(catalogue, "7018V1 1.5")
    assert answer is not None
    text = plain(render_ac(answer, AcState.done, catalogue).html)
    assert answer.criterion.text in text and answer.outcome.text in text
    assert "mentoring in relation to knowledge sharing" in text
    assert "coaching is used to develop knowledge sharing" not in text


def test_theorist_names_are_escaped(catalogue: Catalogue) -> None:
    reply = render_theorists(TheoristList("<script>", ()))
    assert "<script>" not in reply.html and "&lt;script&gt;" in reply.html


def test_theorists_for_a_topic_offer_the_acs_that_cite_them(catalogue: Catalogue) -> None:
    lewin = catalogue.theorist("Kurt Lewin")
    assert lewin is not None
    reply = render_theorists(TheoristList("change", (lewin,), ("5015V1 2.2", "7010V1 2.1")))
    assert "Named in: 5015V1 2.2 guidance, 7010V1 2.1 guidance" in plain(reply.html)
    assert [b.label for row in reply.buttons for b in row] == ["Open 5015V1 2.2", "Open 7010V1 2.1"]
    untitled = render_theorists(TheoristList("", (lewin,), ("5015V1 2.2",)))
    assert plain(untitled.html).startswith("Theorists and models for that")
