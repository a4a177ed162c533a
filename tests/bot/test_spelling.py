"""Misspelt course words are put right; everything else stays as the learner typed it."""

from __future__ import annotations

import pytest

from bot.conversation.answers import Context
from bot.conversation.router import Kind, Router, shown
from bot.conversation.spelling import Speller
from content.catalogue import Catalogue
from index.retriever import Retriever


@pytest.fixture(scope="module")
def speller(catalogue: Catalogue) -> Speller:
    return Speller(catalogue)


@pytest.mark.parametrize("typed, meant", [
    ("mentorng skils", "mentoring skills"),
    ("the gudiance for my stratagy", "the guidance for my strategy"),
    ("cost benifits of coahcing", "cost benefits of coaching"),
    # a letter left out before a letter swapped or changed: "which", not "with"
    ("wich critera", "which criteria"),
    ("my learnig modle", "my learning model"),
    ("kolbs cycle", "kolb's cycle"),
])
def test_misspelt_course_words_are_corrected(speller: Speller, typed: str, meant: str) -> None:
    assert speller.corrected(typed) == meant


@pytest.mark.parametrize("typed", [
    "best vegan lasagne near me",          # English words, however far from the course
    "my whippet keeps barking at the postie",
    "ngl idk wdym, hand in tmrw pls",      # slang and short abbreviations
    "is a RACI ok for 7016 1.2",           # acronyms and references
    "my coachee's goals",                  # a possessive
    "i dont know, it doesnt say",          # contractions without the apostrophe
    "perf reviews",                        # a short word is only lengthened, never cut
    "got chatgpt to do it, will turnitin flag it",
])
def test_everything_else_is_left_as_typed(speller: Speller, typed: str) -> None:
    assert speller.corrected(typed) == typed


@pytest.fixture(scope="module")
def router(catalogue: Catalogue, retriever: Retriever) -> Router:
    return Router(catalogue, retriever)


@pytest.mark.parametrize("typed", [
    "resorces needed for a mentering programe", "evalutaing the mentering sceme",
    "stakholders for a coching stratagy", "ethicks of coching",
])
def test_misspelt_questions_are_not_refused(router: Router, typed: str) -> None:
    """As typed, the kind model and the ranking hear too few course words in these to answer
    them (each was refused before the correction)."""
    assert router.answer(typed, Context()).kind in (Kind.AC, Kind.SEARCH)


def test_a_misspelt_question_finds_its_ac(router: Router) -> None:
    understood = router.answer("diffrence between coching and mentering?", Context())
    assert shown(understood)[0][0] == "5014V1 1.3"
