"""Misspelt course words put right before a question is routed: "coching n sharing nolidge",
"resorce implikations of mentering", "gidance on evaluashun modles".

Only words that are neither English (pyspellchecker's word list) nor the course's own are
touched, and only towards a word the specifications use, within one edit (two for longer
words). Everyday words and other subjects stay as typed, so a misspelt off-topic question
does not start to look like a course one; names, codes and numbers are never changed.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from content.catalogue import Catalogue
from index.chunks import SPEC_KINDS, build_chunks

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# Shorter words are too often slang or abbreviations ("wdym", "tmrw") to correct safely.
MIN_LETTERS = 4
# From this length a word may be two edits from the course word ("beleefs", "critiria").
TWO_EDITS_FROM = 7
# Course words within reach that are compared for the likeliest slip.
CANDIDATES = 20


def course_words(catalogue: Catalogue) -> Counter[str]:
    """How often each word occurs in what the specifications say: ACs, guidance, aims,
    indicative content, theorists, verbs and qualification facts."""
    texts = [c.text for c in build_chunks(catalogue) if c.kind in SPEC_KINDS]
    texts += [f"{v.verb} {v.meaning}" for v in catalogue.verbs.values()]
    texts += [f.answer for f in catalogue.facts]
    texts += [q.title for q in catalogue.qualifications.values()]
    return Counter(w.casefold() for text in texts for w in _WORD.findall(text))


def _holds_in_order(word: str, letters: str) -> bool:
    """Whether `letters` can be had from `word` by leaving letters out."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


class Speller:
    """Corrects a question's misspelt course words, leaving everything else as typed."""

    def __init__(self, catalogue: Catalogue) -> None:
        english = SpellChecker(distance=1).word_frequency.dictionary
        # "dont", "doesnt", "shouldnt": contractions typed without the apostrophe are words.
        self._english = set(english) | {w.replace("'", "") for w in english if "'" in w}
        counts = course_words(catalogue)
        self._course = counts
        # Most frequent first, so a tie in distance goes to the commoner course word.
        self._choices = [w for w, _ in counts.most_common() if len(w) >= MIN_LETTERS - 1]

    def known(self, word: str) -> bool:
        folded = word.casefold()
        return folded in self._course or folded in self._english

    def correction(self, word: str) -> str | None:
        """The course word `word` is a misspelling of, or None."""
        stem = word.split("'")[0]  # "coachee's"
        if (len(stem) < MIN_LETTERS or self.known(stem) or self.known(word)
                or sum(c.isupper() for c in word) > 1):  # "RACI", "ECTs": acronyms
            return None
        limit = 2 if len(word) >= TWO_EDITS_FROM else 1
        typed = word.casefold()
        found = process.extract(typed, self._choices, scorer=OSA.distance, score_cutoff=limit,
                                limit=CANDIDATES)
        if not found:
            return None
        closest = [choice for choice, distance, _ in found if distance == found[0][1]]
        if len(typed) == MIN_LETTERS:  # "wich", "bord"; but "perf" is not "per"
            closest = [c for c in closest if _holds_in_order(c, typed)]
            if not closest:
                return None
        # Two letters swapped ("modle": "model", not "module"), then a letter left out ("wich":
        # "which", not "with"), are the commonest slips; otherwise the commonest course word.
        return next((c for c in closest if sorted(c) == sorted(typed)),
                    next((c for c in closest if _holds_in_order(c, typed)), closest[0]))

    def corrected(self, text: str) -> str:
        """`text` with each misspelt course word replaced."""
        return _WORD.sub(lambda m: self.correction(m.group()) or m.group(), text)
