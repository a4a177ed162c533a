"""The answer router: what kind of question a message is, and the answer for each kind.
(Answer quality is measured on the hard set by scripts/eval_answers.py; these pin behaviour.)"""

from __future__ import annotations

import pytest

from bot.conversation.answers import Context, TheoristList
from bot.conversation.router import (
    FactAnswer,
    Kind,
    Refusal,
    Router,
    TheoristCard,
    VerbAnswer,
    shown,
)
from content.catalogue import Catalogue
from index.retriever import Retriever

L7 = Context(units=("7015V1", "7016V1", "7017V1", "7018V1", "7002V1", "7020V1"),
             qualification="7D2V2")


@pytest.fixture(scope="module")
def router(catalogue: Catalogue, retriever: Retriever) -> Router:
    return Router(catalogue, retriever)


@pytest.mark.parametrize("text, kind", [
    ("hiya", Kind.GREETING), ("thanks!!", Kind.GREETING), ("cheers 👍", Kind.GREETING),
    ("can u just write my assignment for me pls", Kind.INTEGRITY),
    ("write 500 words on 2.3 for me", Kind.INTEGRITY),
    ("5015 2.3", Kind.AC), ("what about 2.3", Kind.CHOOSE_UNIT), ("5015 9.9", Kind.PROBLEM),
    ("what does evaluate mean", Kind.VERB), ("difference between analyse and evaluate", Kind.VERB),
    ("how do i evaluate a mentoring programme", Kind.SEARCH),
    ("who is whitmore", Kind.THEORIST), ("whos megginson", Kind.THEORIST),
    ("who should i cite for coaching culture", Kind.THEORISTS),
    ("whats 7019 about", Kind.UNIT), ("how many words for 7016", Kind.FACT),
    ("do i have to do 7002", Kind.FACT), ("is there a pass mark or grades?", Kind.FACT),
    ("what's the weather like in leeds tomorrow", Kind.REFUSAL),
])
def test_kinds(router: Router, text: str, kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


def test_hello_with_a_question_answers_the_question(router: Router) -> None:
    assert router.answer("hi, what does 5015 2.3 need?", Context()).kind == Kind.AC


def test_fact_is_scoped_to_the_askers_qualification(router: Router) -> None:
    answer = router.answer("how many words is each unit", L7).answer
    assert isinstance(answer, FactAnswer)
    assert [f.id for f in answer.facts] == ["word-count-cmi-l7"]
    assert answer.scope and "Level 7" in answer.scope
    everyone = router.answer("how many words is each unit", Context()).answer
    assert isinstance(everyone, FactAnswer) and len(everyone.facts) == 3


def test_a_unit_named_in_a_fact_question_picks_its_level(router: Router) -> None:
    answer = router.answer("how many words for 5016", Context()).answer
    assert isinstance(answer, FactAnswer) and answer.facts[0].id == "word-count-cmi-l5"


def test_two_verbs_side_by_side(router: Router) -> None:
    answer = router.answer("whats the difference between analyse and evaluate", Context()).answer
    assert isinstance(answer, VerbAnswer)
    assert [v.verb for v in answer.verbs] == ["analyse", "evaluate"]


@pytest.mark.parametrize("typed, name", [("who is whitmore", "John Whitmore"),
                                         ("whats kolb", "David Kolb"),
                                         ("what do they mean by golden thread", "Golden Thread"),
                                         ("who is clutterbok", "David Clutterbuck")])
def test_theorist_cards_by_any_spelling(router: Router, typed: str, name: str) -> None:
    answer = router.answer(typed, Context()).answer
    assert isinstance(answer, TheoristCard) and answer.theorist.name == name


def test_theorists_for_coaching_culture_come_from_the_sentence_about_it(router: Router) -> None:
    understood = router.answer("who should i cite for coaching culture", Context())
    assert isinstance(understood.answer, TheoristList)
    assert set(shown(understood)[1][:3]) == {"Megginson and Clutterbuck", "Alison Hardingham",
                                             "Jane Caplan"}


def test_free_questions_stay_in_the_askers_qualification(router: Router) -> None:
    understood = router.answer("my team dont really buy into coaching, where does that go", L7)
    acs, _ = shown(understood)
    level_7 = set(L7.units) | {"6001V1", "6004V1", "7010V1", "7019V1"}
    assert acs and all(key.split()[0] in level_7 for key in acs)


def test_off_topic_refusal_names_the_askers_qualification(router: Router) -> None:
    understood = router.answer("best lasagne recipe", L7)
    assert isinstance(understood.answer, Refusal) and understood.answer.qualification
    assert understood.answer.qualification.code == "7D2V2"
