"""Decides what kind of question a message is and answers each kind from the catalogue.

Learners type as they talk: "do i have to do 7002", "wat do i need for 1.5", "how many words
for 7016", "what does evaluate mean", "who is whitmore", "can you write it for me". The router
reads the message in a fixed order (greeting, request to write the work, AC reference, command
verb, theorist by name, theorists for a topic, unit, qualification fact) and whatever none of
those claims goes to AC retrieval, which may still refuse it as off-topic. Every answer is
data built from the catalogue; `bot.render` turns it into a message.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.conversation import lexicon
from bot.conversation.answers import (
    AcAnswer,
    Answer,
    ChooseUnit,
    Context,
    Found,
    Problem,
    SearchAnswer,
    TheoristList,
    ac_answer,
    answer_reference,
    theorists_for,
)
from bot.conversation.spelling import Speller
from content.catalogue import Catalogue, Fact, Theorist, Unit, fold
from content.refs import spoken_numbers, typed_numbers, unit_mentions
from content.rules import check_rule
from content.schema import QualificationData, VerbData
from index.lexical import BM25, tokens
from index.retriever import Retriever

# Whole names matched with typos: at least this many letters, this similar (difflib's ratio),
# and this far ahead of the next theorist's name.
FUZZY_MIN_LETTERS = 6
MIN_SHORT_NAME = 4  # a shorter surname with a typo confirmed by what it is known for
SPLIT_NAME_WORDS = 4  # at most this many words are tried for a name split in two
FUZZY_CUTOFF = 0.85
FUZZY_TIE = 0.02
# Title words most units share, which cannot tell one unit from another.
_TITLE_COMMON = frozenset(tokens(
    "coaching mentoring management manager leader organisation organisational organisations "
    "individuals practice theory skills understanding using own"))
# Words every fact of a topic shares, which cannot rank one fact above another.
_FACT_COMMON = frozenset(tokens("cmi ilm level qualification qualifications unit units "
                                "certificate diploma award learner learners work"))
MODEL_WORD_LETTERS = 6  # a shorter word of a model's name ("field", "smart") is too common
NAME_LEFTOVER = 3  # words besides a name that a question about the name may hold
# Whole-name fuzzy matching compares every run of words with every name (slow on long
# questions), and a question of more words than this is not a name and a few words about it.
CLOSEST_WORDS = 8
HEADING_WORDS = 8  # a longer topic reads as the whole question repeated
# A unit described by what it covers is the unit of its best AC alone when that AC scores this
# many times the next ("which ilm unit's the one where ye dae the coaching hours": D5.03 2.2,
# 1.3 times the next, of D5.01).
UNIT_BY_ONE_AC_LEAD = 1.25
# How sure the kind model must be before its kind is answered rather than searched (README):
# surer for the integrity reply (a learner's own question answered with "I can't write it for
# you" is the costliest mistake), less for a greeting (never wrong on the evaluation sets).
LEARNED_KIND_MIN = {"integrity": 0.8, "greeting": 0.5}
LEARNED_KIND_DEFAULT = 0.6
# A fact whose topic only the kind model heard (no topic's words in the message) needs the
# model this sure it is a fact at all.
LEARNED_TOPIC_ALONE_MIN = 0.65
# A theorist told by its description: its BM25 score at least this, and this many times the
# next description's (a shared word or two, "coaching for performance", ties); twice when the
# kind model is unsure the message is about a theorist at all ("creative problem solving like
# mind mapping and de bono" matches Buzan's line, and de Bono's nearly as well).
DESCRIBED_MIN = 8.0
# Less when the message says it describes someone ("whose are they", "the grief stages woman").
DESCRIBED_CUED_MIN = 6.0
# … or this, with DESCRIBED_LEAD, when the kind model's best guess (sure or not) is a
# theorist question.
DESCRIBED_LEANING_MIN = 4.0
DESCRIBED_LEAD = 1.3
DESCRIBED_LEAD_UNSURE = 2.0
# A word, for counting them: "L = P + Q" holds none, "can i use it" four.
WORD = re.compile(r"\w\w+|\b[aAiI]\b")
# A message with an AC reference and at least this many words may ask about its command verb
# rather than the AC: the kind model reads it. Fewer never load the model.
WORDS_BESIDE_REFERENCE = 5
# An AC number guessed at ("is that 4.1 or 4.2?") leaves the question to its words when they
# are this many; fewer ("is that 4.1 or 4.2 in d5.01") say nothing but the numbers.
GUESS_DESCRIBED_WORDS = 6
# A ranking this sure the question is in scope is not refused on the kind model's word alone,
# unless the model is at least REFUSAL_VERY_SURE and the ranking below IN_SCOPE_OVER_VERY_SURE
# ("how do i get my uefa c coaching licence": 0.91 off-topic, in scope 0.944; no used-set
# question in scope has the model above 0.71 where the ranking is above 0.9).
IN_SCOPE_OVER_LEARNED = 0.9
REFUSAL_VERY_SURE = 0.9
IN_SCOPE_OVER_VERY_SURE = 0.98
# The kind model's P(off-topic) from which a where-question is not taken as placing something
# in the course (no used-set question in scope asks where with P >= 0.8).
PLACEMENT_OVERRULED = 0.9
# … but a confident top AC does not outweigh a kind model this sure it is off-topic ("my firm
# wont pay my course fees, can i claim tax back": the business-case AC ranks first).
REFUSAL_OVER_CONFIDENT = 0.99
# The kind model overrules a pattern's verdict when it is at least as sure as the first
# figure of another kind listed and gives the pattern's kind less than the second: "recipe
# for welsh cakes" is not the word-count fact, nor "devise means make up?" a request to fake
# work. Off-topic overrules a fact given up to 0.15 ("pass mark for the driving theory test"
# gives the fact 0.05; no used-set fact answered right has P(fact) < 0.15 and P(off-topic) >=
# 0.8), a search only a fact below 0.03 ("how many coaching hours do i log" gives it 0.06).
# Integrity needs the model surer, and never yields to a search: "make this sound like me:
# …" reads like a course question to it.
OVERRULING = {"fact": {"search": (0.8, 0.03), "refusal": (0.8, 0.15)},
              "integrity": {"verb": (0.95, 0.03), "fact": (0.95, 0.03)}}
# A message the kind model is this sure asks about the course is shown candidates rather than
# refused ("my MBA essay on coaching policies…", "can i use the emcc code for that").
COURSE_OVER_REFUSAL = 0.8
# A few words the kind model hears as a course question at least this likely are not read as
# a theorist's description ("coaching culture", not "theory x n y").
COURSE_LIKELIER = 0.5


def _model_words(catalogue: Catalogue, names: dict[str, Theorist]) -> dict[str, Theorist]:
    """The words that stand for one model alone: a word of its name ("johari", "kaizen",
    "scorecard") of at least MODEL_WORD_LETTERS letters, in no other name, that the units'
    texts never use outside that name ("evaluation", of the American Evaluation Association,
    is everywhere)."""
    text = fold(" ".join(part for unit in catalogue.units.values()
                         for part in (unit.title, unit.aims, *unit.indicative_content,
                                      *(f"{ac.text} {ac.guidance}" for ac in unit.criteria))))
    used = Counter(tokens(text))
    owners: dict[str, dict[str, Theorist]] = {}
    inside: Counter[str] = Counter()
    for spelling, theorist in names.items():
        if theorist.kind == "person":
            continue
        times = len(re.findall(rf"\b{re.escape(spelling)}\b", text))
        for word in set(tokens(spelling)):
            if len(word) >= MODEL_WORD_LETTERS:
                owners.setdefault(word, {})[theorist.name] = theorist
                inside[word] += times
    return {word: next(iter(owner.values())) for word, owner in owners.items()
            if len(owner) == 1 and used[word] <= inside[word]}


class Kind(StrEnum):
    """The kinds of answer, as `python -m bot ask --jsonl` reports them."""

    AC = "ac"
    SEARCH = "search"
    CHOOSE_UNIT = "choose_unit"
    PROBLEM = "problem"
    UNIT = "unit"
    FACT = "fact"
    VERB = "verb"
    THEORIST = "theorist"
    THEORISTS = "theorists"
    INTEGRITY = "integrity"
    GREETING = "greeting"
    REFUSAL = "refusal"


@dataclass(frozen=True)
class UnitAnswer:
    unit: Unit
    planning: bool = False  # asked how to plan its assignment: the reply points to /plan


@dataclass(frozen=True)
class Worked:
    """A sum the bot did with the asker's figures (never a quote): its sentence and what it
    was worked out from."""

    text: str
    basis: str


@dataclass(frozen=True)
class FactAnswer:
    """The facts on one topic that apply to the asker (or to everyone, when unknown)."""

    topic: str  # the topic's title, "Word count"
    facts: tuple[Fact, ...]
    scope: str | None  # whose facts: "CMI Level 7 Diploma…", or None for every qualification
    unit: Unit | None = None  # the unit asked about, if any ("do i have to do 7002")
    sizes: tuple[Unit, ...] = ()  # units whose credits and hours come first, each from its page
    worked: tuple[Worked, ...] = ()  # the asker's own figures against the rules


@dataclass(frozen=True)
class VerbAnswer:
    verbs: tuple[VerbData, ...]


@dataclass(frozen=True)
class TheoristCard:
    theorist: Theorist


@dataclass(frozen=True)
class Integrity:
    """A request to write the work: a kind no, and what the bot can do instead, shown with an
    AC of the unit the message names or the asker's own ("/ac D5.01 1.1" to an ILM learner)."""

    example: str = "5015 2.3"


@dataclass(frozen=True)
class Greeting:
    said: str  # "hello", "thanks", "bye" or "ok" (see lexicon.social)


@dataclass(frozen=True)
class Refusal:
    """Off-topic: what the bot knows instead, scoped to the asker's qualification."""

    qualification: QualificationData | None


Routed = (Answer | UnitAnswer | FactAnswer | VerbAnswer | TheoristCard | Integrity | Greeting
          | Refusal)


@dataclass(frozen=True)
class Learned:
    """The kind model's best guess for a message: the kind, whether the model is sure enough
    to answer it (LEARNED_KIND_MIN), and the likeliest fact topic, were it a fact. Without a
    model it is NOTHING_LEARNED, which is sure of nothing and overrules nothing."""

    kind: str
    sure: bool
    topic: str
    probabilities: dict[str, float]

    def sure_of(self, kind: str) -> bool:
        return self.sure and self.kind == kind

    def likely(self, kind: str, at: float) -> bool:
        """Whether the model gives `kind` a probability of at least `at`."""
        return self.probabilities.get(kind, 0.0) >= at

    def overrules(self, kind: str) -> bool:
        """Whether the model is sure enough of another kind to overrule a pattern's `kind`."""
        return any(self.likely(other, at) and not self.likely(kind, below)
                   for other, (at, below) in OVERRULING[kind].items())

    def of_the_course(self, at: float = COURSE_OVER_REFUSAL) -> bool:
        """Whether the model is this sure the message asks about the course."""
        return self.likely("search", at)


NOTHING_LEARNED = Learned("", False, "", {})


@dataclass(frozen=True)
class Understood:
    kind: Kind
    answer: Routed


def _named_qualifications(text: str, qualifications: Iterable[QualificationData]
                          ) -> list[QualificationData]:
    """"the level 7 diploma", "ilm", "L5 certificate": the qualifications the words pick
    (none when the words name no level, awarding body or kind of qualification)."""
    levels = {int(m) for m in lexicon.LEVEL_WORD.findall(text)}
    bodies = {b.upper() for b in lexicon.BODY_WORD.findall(text)}
    kinds = {"certificate" if k.casefold().startswith("cert") else k.casefold()
             for k in lexicon.QUALIFICATION_KIND.findall(text)}
    if not (levels or bodies or kinds):
        return []
    return [q for q in qualifications
            if (not levels or q.level in levels) and (not bodies or q.awarding_body in bodies)
            and (not kinds or any(k in q.title.casefold() for k in kinds))]


def _units_of(q: QualificationData) -> set[str]:
    return {c for g in q.rule.groups for c in g.units}


def _scope_name(catalogue: Catalogue, codes: set[str]) -> str | None:
    """How to name the qualifications an answer is for: one title, a body and level, or
    nothing when it is for several kinds."""
    chosen = [catalogue.qualifications[c] for c in sorted(codes)]
    if len(chosen) == 1:
        return chosen[0].title
    families = {(q.awarding_body, q.level) for q in chosen}
    if len(families) == 1 and len(chosen) < len(catalogue.qualifications):
        body, level = families.pop()
        return f"{body} Level {level}"
    return None


def _mentions_unit(fact: Fact, unit: Unit) -> bool:
    return unit.short_code in fact.answer


def _reference_kind(answer: Answer) -> Kind:
    if isinstance(answer, AcAnswer):
        return Kind.AC
    if isinstance(answer, ChooseUnit):
        return Kind.CHOOSE_UNIT
    return Kind.PROBLEM


# Models of some kind for some purpose: "problem solving models for coaching? names pls".
_MODELS_OF = re.compile(r"^(?:(?:any|good|what|which|some|the) )*(?P<what>[a-z][\w -]{2,40}?) "
                        r"(?:models?|theories|frameworks|tools|techniques) (?:for|in|on) "
                        r"(?P<where>[\w -]{3,40}?)"
                        r"\W*(?:(?:names?|theorists|who|pls|please|plz|any)\W*)*$", re.IGNORECASE)


def _topic_words(text: str) -> str:
    """The words after "for", "about"…: "who should I cite for coaching culture"."""
    match = re.search(r"\b(?:for|on|about|around|re|regarding)\s+(.+?)[?.!]*$", text,
                      re.IGNORECASE)
    return match.group(1) if match else ""


def _cited_topic(text: str) -> str:
    """The topic a "who should I cite" question asks about: the words after "for"/"about",
    else the parts that do not ask for theorists ("barriers to change 5015, what models do
    they mention" → "barriers to change 5015"), else what comes before the ask ("action
    learning who am i meant to reference" → "action learning"); "" when none is left."""
    kinds_of = _MODELS_OF.search(text)
    if kinds_of:  # "problem solving models for coaching? names pls": both halves
        return f"{kinds_of['what']} {kinds_of['where']}"
    topic = _topic_words(text)
    cue = lexicon.CITE_CUE.search(text)
    if topic and cue and unit_mentions(topic) and len(topic.split()) == 1:
        return f"{text[:cue.start()].strip(' ,.-')} {topic}".strip()  # "… theorists for 7010"
    if topic:
        return topic
    parts = [p.strip() for p in re.split(r"[,;:?!()]|\s-\s", text) if p.strip()]
    plain = [p for p in parts if not lexicon.CITE_CUE.search(p)]
    if plain:
        return " ".join(plain)
    if cue is None:
        return ""
    before = text[:cue.start()].strip(" ,.-")
    if before:
        return before
    # "who shud i quote when defining coaching n mentoring": what follows the ask
    return re.sub(r"^(when|for|on|about|in|re|to)\s+", "", text[cue.end():].strip(" ,.-?"))


class Router:
    """Routes and answers free text; commands keep their own handlers."""

    def __init__(self, catalogue: Catalogue, retriever: Retriever) -> None:
        self.catalogue = catalogue
        self.retriever = retriever
        self._speller = Speller(catalogue)
        names: dict[str, Theorist] = {}
        for t in catalogue.theorists:
            for spelling in (t.name, *t.aliases):
                names.setdefault(fold(spelling), t)
        self._names = names
        # Longest spellings first, so "honey and mumford" wins over "honey".
        self._spellings = sorted(names, key=len, reverse=True)
        owners: dict[str, set[str]] = {}
        for key, t in names.items():
            if t.kind != "person":  # a model's words ("process", "learning") are everyday words
                continue
            for word in key.split():
                if len(word) >= 4 and word not in {"and", "model", "theory"}:
                    owners.setdefault(word, set()).add(t.name)
        self._surnames = {w: catalogue.theorist(next(iter(n))) for w, n in owners.items()
                          if len(n) == 1}
        self._surname_list = list(self._surnames)
        self._model_words = _model_words(catalogue, names)
        # Each unit's title words, for a unit asked about by its title (`_unit_by_title`).
        self._title_all = {code: set(tokens(unit.title)) for code, unit in catalogue.units.items()}
        self._verb_question = lexicon.verb_pattern(catalogue.verbs)
        # Every spelling of every theorist and model without its generic words ("johari
        # window", "kubler ross", "reg revans"), for typos in whole names; short ones ("GROW")
        # are too close to everyday words to match loosely.
        cores: dict[str, Theorist] = {}
        for key, t in names.items():
            core = " ".join(fold(lexicon.NAME_FILLER.sub(" ", key)).split())
            if len(core.replace(" ", "")) >= FUZZY_MIN_LETTERS:
                cores.setdefault(core, t)
        self._cores = cores
        self._known_for = BM25([tokens(t.known_for) for t in catalogue.theorists])

    def answer(self, text: str, context: Context) -> Understood:
        """The kind of `text` and its answer, in the asker's context."""
        # "7O19", "whatsin7016": as a phone typed it; "three point three": 3.3; "which ac is
        # that question mark": "which ac is that?"
        text = lexicon.as_written(spoken_numbers(typed_numbers(" ".join(text.split()))))
        text = self._speller.corrected(text)  # "resorce implikations of mentering"
        if lexicon.TRANSLATION.search(text):
            return self._refusal(context)
        said = "hello" if not text else lexicon.social(text)
        if said is None and lexicon.greeting_with_small_talk(text):
            said = "hello"
        if said is not None:
            return Understood(Kind.GREETING, Greeting(said))
        text = lexicon.without_courtesies(text)
        if lexicon.GUESSED_REFERENCE.search(text):
            described = " ".join(lexicon.AC_NUMBER.sub(" ", text).split())
            if len(described.split()) >= GUESS_DESCRIBED_WORDS:
                text = described
        if self._asks_for_the_work(text):
            return Understood(Kind.INTEGRITY, self._integrity(text, context))
        verb = self._verb(text, context)  # "what does relate mean in 7002 2.3": the verb
        if verb is not None:
            return verb
        reference = answer_reference(self.catalogue, self.retriever, text, context)
        if isinstance(reference, AcAnswer) and (lexicon.CITE_CUE.search(text)
                                                or lexicon.MODELS_ASKED.search(text)):
            key = reference.criterion.key  # "who should i reference for … 7019 2.1"
            return Understood(Kind.THEORISTS, TheoristList(key, reference.theorists, (key,)))
        if isinstance(reference, AcAnswer) and len(text.split()) >= WORDS_BESIDE_REFERENCE:
            beside = self._beside_reference(text)  # "justify in 6001 3.3 means what exactly"
            if beside is not None:
                return beside
        if reference is not None:
            return Understood(_reference_kind(reference), reference)
        # Another qualification, unless its body is cited as a source ("research from cipd")
        # or the learner asks where it goes in the course ("the emcc stuff where do i put it").
        # Not when it names this course's too ("do i need a degree for the L7 diploma").
        other = (lexicon.OTHER_QUALIFICATIONS.search(text)
                 and not (lexicon.CITE_CUE.search(text) or lexicon.PLACEMENT.search(text))
                 and not (self._units_in(text) or _named_qualifications(
                     lexicon.OTHER_QUALIFICATION_NAMED.sub(" ", text),
                     self.catalogue.qualifications.values())))
        # "adkar, what do the letters stand for? on the train": a name the course cites is
        # the course's, whatever else the message mentions.
        if ((other or self._everyday(text, context))
                and not self._learned_kind(text).of_the_course()):
            return self._refusal(context)
        for step in (self._theorist, self._identified, self._theorists, self._unit_or_fact,
                     self._learned):
            understood = step(text, context)
            if understood is not None:
                return understood
        return self._search(text, context)

    # -- kinds ---------------------------------------------------------------------------------

    def _asks_for_the_work(self, text: str) -> bool:
        """A request for the work in a shape the patterns know, unless the kind model is sure
        it is something else; or in a shape they do not ("pls write 1.2 and 1.3 of 5017"),
        when the model is sure it is one and the message asks for something made."""
        if lexicon.asks_for_the_work(text):
            return not self._learned_kind(text).overrules("integrity")
        return bool(lexicon.MAKING.search(text) and not lexicon.doing_it_themselves(text)
                    and self._learned_kind(text).sure_of("integrity"))

    def _verb(self, text: str, context: Context) -> Understood | None:
        """"what does evaluate mean", "difference between analyse and evaluate"."""
        match = self._verb_question.search(text)
        if match is None:
            return None
        # A verb in quotes is the one asked about ("explain what the word 'analyse' asks")
        quoted = lexicon.verbs_named(" ".join(lexicon.QUOTED.findall(text)), self.catalogue.verbs)
        named = quoted or [v.casefold() for v in match.groups() if v]
        # and another verb the message names ("analyse in 5017, same as evaluate?")
        named += lexicon.verbs_named(text, self.catalogue.verbs)
        verbs = tuple(self.catalogue.verbs[v] for v in list(dict.fromkeys(named))[:2])
        return Understood(Kind.VERB, VerbAnswer(verbs))

    def _theorist(self, text: str, context: Context) -> Understood | None:
        """"who is whitmore", "charles handy who is he", "cialdinis principles of influence";
        a few words that describe one and name none, unless the kind model hears a course
        question in them ("theory x n y", not "coaching culture")."""
        # "assessor says I should mention belbin. what's belbin about": the last sentence asks
        *before, last = re.split(r"(?<=[.!?])\s+", text.strip())
        if before and lexicon.NAME_CUE.search(last):
            named = self.find_theorist(last)
            if named is not None:
                return Understood(Kind.THEORIST, TheoristCard(named))
        few = len(WORD.findall(text)) <= 4  # "revins L = P + Q??": a name and a formula
        if (lexicon.CITE_CUE.search(text) or lexicon.PLACEMENT.search(text)
                or not (lexicon.NAME_CUE.search(text) or few)):
            return None
        theorist = self.find_theorist(text)
        if (theorist is None and few and not self._names_in(text)
                and not self._learned_kind(text).of_the_course(COURSE_LIKELIER)):
            theorist = self._described(text, DESCRIBED_LEAD_UNSURE)
        if theorist is None:
            return None
        return Understood(Kind.THEORIST, TheoristCard(theorist))

    def _everyday(self, text: str, context: Context) -> bool:
        """The course's words in an everyday sense ("book a coach to york"), and no theorist
        or model named or described ("the inner game tennis guy")."""
        plain = lexicon.without_everyday(text)
        return (lexicon.everyday_sense(text) and self._spelled(fold(plain)) is None
                and self._identified(plain, context) is None)

    def _identified(self, text: str, context: Context) -> Understood | None:
        """"whose model is reaction, learning, behaviour, results": the model its parts
        describe; "johari, is that legit enough to cite": the one name asked about."""
        names = self._names_in(text)
        described = (lexicon.DESCRIBED.search(text) is not None
                     and len(text.split()) <= lexicon.DESCRIBED_WORDS)
        # "whose r they in 7010" asks for the unit's list (`_theorists`), not one card.
        unit_named = bool(self._units_in(text))
        asks = (lexicon.IDENTIFY.search(text) or described) and not unit_named
        # The name asked about, or judged unless the message asks where or which AC ("is a
        # swot ok for the self assessment? and where do i…").
        about = lexicon.ABOUT_THE_NAME.search(text) or (
            lexicon.NAME_JUDGED.search(text) and not unit_named
            and not (lexicon.PLACEMENT.search(text) or lexicon.ASKS_FOR_AC.search(text)))
        if asks and not names:
            if self._learned_kind(text).kind == "theorist":  # "hierarchy of needs guy?"
                theorist = self._described(text, DESCRIBED_LEAD, DESCRIBED_LEANING_MIN)
            else:
                theorist = self._described(text, DESCRIBED_LEAD_UNSURE, DESCRIBED_CUED_MIN)
        elif len(names) == 1 and about:
            theorist = next(iter(names.values()))
        elif not names and about:
            theorist = self.find_theorist(text, leftover=None)  # "is hofstead the right one"
        else:
            return None
        return None if theorist is None else Understood(Kind.THEORIST, TheoristCard(theorist))

    def find_theorist(self, text: str, leftover: int | None = NAME_LEFTOVER
                      ) -> Theorist | None:
        """The theorist or model a short question is about, by any spelling, with typos; None
        when the question holds more than a name and `leftover` words about it (any number,
        when the kind model has said the question is about one name)."""
        text = re.sub(r"\s(n|&|\+)\s", " and ", text)  # "megginson n clutterbuck"
        plain = fold(lexicon.NAME_FILLER.sub(" ", fold(text))).split()
        joined = [a + b for a, b in zip(plain, plain[1:])]  # "kirk patrick", "hof stede"
        rest = " ".join(re.sub(r"(\w{3,})s\b", r"\1", w) if w not in self._names else w
                        for w in plain)
        if not rest:
            return None
        found = self._spelled(rest)
        if found is None:
            close = [m for w in dict.fromkeys(rest.split() + plain + joined) if len(w) >= 5
                     for m in (difflib.get_close_matches(w, self._surname_list, n=1,
                                                         cutoff=0.84) or self._mistyped(w))]
            theorists = {t.name: t for m in close if (t := self._surnames[m]) is not None}
            found = next(iter(theorists.values())) if len(theorists) == 1 else None
        if found is None and (leftover is None or len(plain) <= CLOSEST_WORDS):
            found = self._closest_name(plain)  # "ross", "revans": as typed, s and all
        if found is None:
            found = self._short_name_known_for(plain)
        if found is None:
            return None
        if leftover is None:
            return found
        spelled = {w for s in (found.name, *found.aliases) for w in fold(s).split()}
        besides = [w for w in WORD.findall(rest) if w not in spelled  # letters are no words
                   and not difflib.get_close_matches(w, list(spelled), n=1, cutoff=0.84)]
        return found if len(besides) <= leftover else None

    def _short_name_known_for(self, words: list[str]) -> Theorist | None:
        """A short surname with one typo ("colb"), taken only when the other words are what
        that person is known for ("colb learning cycle stages"): too short to trust alone."""
        for i, word in enumerate(words):
            if not MIN_SHORT_NAME <= len(word) < FUZZY_MIN_LETTERS:
                continue
            near = self._one_surname_within(word, 1)
            theorist = self._surnames[near] if near else None
            others = set(tokens(" ".join(words[:i] + words[i + 1:])))
            if theorist is not None and others & set(tokens(theorist.known_for)):
                return theorist
        return None

    def _mistyped(self, word: str) -> list[str]:
        """The one surname the word is a typo or two away from ("revens", "cialdeeni"), where
        difflib's ratio falls just under its cutoff: one edit or swap from six letters, two
        from eight ("scheme" is not "schein")."""
        if len(word) < FUZZY_MIN_LETTERS:
            return []
        near = self._one_surname_within(word, 1 if len(word) < 8 else 2)
        return [near] if near else []

    def _one_surname_within(self, word: str, edits: int) -> str | None:
        """The one surname at most `edits` edits or swaps from the word; None for none or
        several."""
        near = process.extract(word, self._surname_list, scorer=OSA.distance,
                               score_cutoff=edits, limit=None)
        return near[0][0] if len(near) == 1 else None

    def _spelled(self, folded: str) -> Theorist | None:
        """The theorist or model whose spelling the folded text holds, longest first."""
        return next(self._spelled_out(folded), None)

    def _spelled_out(self, folded: str) -> Iterator[Theorist]:
        """Every theorist or model whose spelling the folded text holds, longest first; a
        spelling inside a longer one found there ("clutterbuck" in "megginson and
        clutterbuck") is part of that name, not a second one."""
        return (theorist for _, theorist in self._spelled_at(folded))

    def _spelled_at(self, folded: str) -> Iterator[tuple[int, Theorist]]:
        """`_spelled_out`'s names, each with where the text spells it."""
        taken: list[tuple[int, int]] = []
        for key in self._spellings:
            for match in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                start, end = match.span()
                if not any(s <= start and end <= e for s, e in taken):
                    taken.append((start, end))
                    yield start, self._names[key]

    def _closest_name(self, words: list[str]) -> Theorist | None:
        """The theorist or model whose whole name is closest to a run of the words, typos
        and all ("johari windo", "kubla ross"); None when none is close or two tie."""
        best: dict[str, tuple[float, Theorist]] = {}
        for core, theorist in self._cores.items():
            whole = len(core.split())
            # a name heard as one word more ("jo harry window"), in a message of little else
            for size in (whole, whole + 1) if len(words) <= SPLIT_NAME_WORDS else (whole,):
                for i in range(len(words) - size + 1):
                    ratio = difflib.SequenceMatcher(None, " ".join(words[i:i + size]),
                                                    core).ratio()
                    if ratio >= FUZZY_CUTOFF and ratio > best.get(theorist.name,
                                                                  (0.0, theorist))[0]:
                        best[theorist.name] = (ratio, theorist)
        ranked = sorted(best.values(), key=lambda pair: -pair[0])
        if not ranked or (len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - FUZZY_TIE):
            return None
        return ranked[0][1]

    def _theorists(self, text: str, context: Context, cued: bool = False
                   ) -> Understood | None:
        """"who should i cite for coaching culture", "any models for 7015 2.1"; `cued` when
        the kind model heard the ask in words no pattern has."""
        if not (cued or lexicon.CITE_CUE.search(text)):
            return None
        if lexicon.model_for_only(text) and self._spelled(fold(text)) is not None:
            return None  # "oskar model for…" names its model: where does it fit?
        topic = _cited_topic(text)
        # The units, body and level the question names narrow the search even when they are
        # not in the topic: "ilm d5.01 what coaching models can i use for performance
        # improvement", "which writers does the ILM want for the best practice section".
        in_topic = unit_mentions(topic)
        named = [u for u in unit_mentions(text) if u not in in_topic]
        named += [m[0] for pattern in (lexicon.BODY_WORD, lexicon.LEVEL_WORD)
                  for m in pattern.finditer(text) if not pattern.search(topic)]
        searched = " ".join([topic, *named]) if topic else text
        # among the asker's units, unless the message names others ("ilm models for…")
        answer = theorists_for(self.catalogue, self.retriever, searched, context,
                               scope=None if named or in_topic else self._scope(context))
        if not isinstance(answer, TheoristList):
            return Understood(_reference_kind(answer), answer)
        if self.catalogue.criterion(answer.topic) is None:  # a topic, not an AC reference
            answer = replace(answer, topic=topic if len(topic.split()) <= HEADING_WORDS else "")
        return Understood(Kind.THEORISTS, answer)

    def _unit_or_fact(self, text: str, context: Context) -> Understood | None:
        """"whats 7019 about", "how many words for 7016", "is there a unit 7021"."""
        typed = unit_mentions(text)
        units = self._units_in(text)
        if len(units) == 1 and lexicon.PLANNING.search(text):  # "help me plan my 7018"
            return Understood(Kind.UNIT, UnitAnswer(units[0], planning=True))
        # Asks about a whole unit, not how to do something or where something goes.
        unit_asked = bool(lexicon.UNIT_ASK.search(text) and not lexicon.HOW.search(text)
                          and not lexicon.PLACEMENT.search(text)
                          and not lexicon.ASKS_FOR_AC.search(text))
        if len(units) == 1 and unit_asked:
            # "thinking of 6001 as my group b option, what does it cover": the unit, whatever
            # fact its other words sound like
            return Understood(Kind.UNIT, UnitAnswer(units[0]))
        if not typed and unit_asked:
            # "which ilm unit's the one where ye dae the coaching hours", "what do we do in
            # the ilm diary unit": the unit, not the rule its words sound like
            described = self._described_unit(text, context)
            if described is not None:
                return described
        # "where do i show ive done my hours": where something goes, not the hours rule
        fact = (None if lexicon.ASKS_FOR_AC.search(text) or (lexicon.PLACEMENT.search(text)
                                                           and not lexicon.READING.search(text))
                else self.fact(text, context, units[0] if units else None))
        if fact is not None and not self._learned_kind(text).overrules("fact"):
            return Understood(Kind.FACT, fact)
        if typed and not units:
            codes = ", ".join(self.catalogue.units)
            return Understood(Kind.PROBLEM, Problem(f"There is no unit {typed[0]}. The units "
                                                    f"are: {codes}."))
        if units and not lexicon.HOW.search(text):
            words = re.findall(r"[a-z']+", re.sub(r"\bd\s?5\.?\s?\d+|\d{4}(v\d)?", " ",
                                                     text.casefold()))
            if (len([w for w in words if w.strip("'") not in lexicon.UNIT_WORDS]) <= 1
                    or unit_asked):
                return Understood(Kind.UNIT, UnitAnswer(units[0]))
        return None

    def _described_unit(self, text: str, context: Context) -> Understood | None:
        """"the ILM unit where I do the coaching sessions, what's in it": the unit its title
        words or its description pick, if one."""
        titled = self._unit_by_title(text) or (
            self._unit_by_search(text, context) if lexicon.A_UNIT.search(text) else None)
        return None if titled is None else Understood(Kind.UNIT, UnitAnswer(titled))

    def _learned(self, text: str, context: Context) -> Understood | None:
        """What none of the patterns claimed, read by the fitted kind model (`index.kinds`):
        its kind when the model is sure of it and the message holds what that kind's answer
        needs (a verb, one name, a unit, a fact topic); None leaves it to retrieval, which
        reads an off-topic verdict itself (`_search`). A message that asks where something
        goes in the course is always retrieval's."""
        learned = self._learned_kind(text)
        kind, sure = learned.kind, learned.sure
        if lexicon.question_for_you(text):
            return None  # "can you answer a question about 7016": the question is to come
        if kind == "integrity" and lexicon.doing_it_themselves(text):
            return None
        if sure and kind in ("greeting", "integrity"):
            return Understood(Kind(kind), Greeting(lexicon.said(text)) if kind == "greeting"
                              else self._integrity(text, context))
        if lexicon.PLACEMENT.search(text) or lexicon.ASKS_FOR_AC.search(text):
            return None
        units = self._units_in(text)
        # A name the course cites makes a message the course's, whatever else the model heard
        # in it ("adkar, what do the letters stand for? on the train home lol").
        named = kind == "refusal" and bool(self._names_in(text))
        if (kind == "theorist" or named) and not units:
            theorist = self._learned_theorist(text, sure and not named)
            if theorist is not None:
                return Understood(Kind.THEORIST, TheoristCard(theorist))
        if not sure:
            return None
        if kind == "verb":
            return self._verbs_named(text)
        if kind == "theorists":
            return self._theorists(text, context, cued=True)
        if kind == "unit":
            unit = (units[0] if units else self._unit_by_title(text)
                    or self._unit_by_search(text, context))
            if unit is not None:
                return Understood(Kind.UNIT, UnitAnswer(unit))
        if kind == "fact":
            topics = lexicon.fact_topics(text)
            if not (topics or learned.likely("fact", LEARNED_TOPIC_ALONE_MIN)):
                return None  # "can my company pay for the resubmission": no topic's words
            fact = self.fact(text, context, units[0] if units else None,
                             topics or [learned.topic])
            if fact is not None:
                return Understood(Kind.FACT, fact)
        return None

    def _beside_reference(self, text: str) -> Understood | None:
        """A message with an AC reference that asks about a command verb, as the kind model
        reads it; None for a question about the AC. (It is never read as a request for the
        work: "6004 3.2 what do i write" is a learner's question, and only the integrity
        patterns, which need the request in so many words, answer that way.)"""
        return self._verbs_named(text) if self._learned_kind(text).sure_of("verb") else None

    def _verbs_named(self, text: str) -> Understood | None:
        """The answer for the (at most two) command verbs a message names; None for none."""
        verbs = lexicon.verbs_named(text, self.catalogue.verbs)[:2]
        if not verbs:
            return None
        return Understood(Kind.VERB, VerbAnswer(tuple(self.catalogue.verbs[v] for v in verbs)))

    def _learned_kind(self, text: str) -> Learned:
        """The kind model's best guess for a message; NOTHING_LEARNED without a model."""
        learned = self.retriever.kind_probabilities(text)
        if learned is None:
            return NOTHING_LEARNED
        kinds, topics = learned
        kind = max(kinds, key=kinds.__getitem__)
        return Learned(kind, kinds[kind] >= LEARNED_KIND_MIN.get(kind, LEARNED_KIND_DEFAULT),
                       max(topics, key=topics.__getitem__), kinds)

    def _learned_theorist(self, text: str, sure: bool) -> Theorist | None:
        """The one theorist a message the kind model heard as about a theorist (its best
        guess, if not sure) is about: the one name spelled out, when the model is sure or
        the message asks about it ("adkar, what do the letters stand for? on the train");
        a name with typos when the model is sure; else a model told by its parts ("the
        grief curve with denial, anger…"). None for two names."""
        names = self._names_in(text)
        if len(names) > 1 and sure and lexicon.COMPARED.search(text):
            # "are Roger Harrison's culture types the same as Handy's": the one compared
            return min(self._spelled_at(fold(text)), key=lambda found: found[0])[1]
        if names:
            asked = sure or lexicon.NAME_CUE.search(text)
            return next(iter(names.values())) if len(names) == 1 and asked else None
        found = None
        if sure:
            found = self.find_theorist(text, leftover=None) or self._model_named(text)
        return found or self._described(text, DESCRIBED_LEAD if sure else DESCRIBED_LEAD_UNSURE)

    def _model_named(self, text: str) -> Theorist | None:
        """The one model a word of the message belongs to ("johari thing with the 4 boxes":
        Johari window); None for none or several."""
        models = {t.name: t for w in tokens(text) if (t := self._model_words.get(w))}
        return next(iter(models.values())) if len(models) == 1 else None

    def _described(self, text: str, lead: float, least: float = DESCRIBED_MIN
                   ) -> Theorist | None:
        """The theorist or model whose one-line description (`known_for`) the message
        matches `lead` times better than any other's, by BM25, scoring at least `least`;
        None when none does."""
        scores = self._known_for.scores(tokens(text))
        second, best = np.argsort(scores)[-2:]
        if scores[best] < least or scores[best] < lead * scores[second]:
            return None
        return self.catalogue.theorists[int(best)]

    def _names_in(self, text: str) -> dict[str, Theorist]:
        """The theorists and models spelled out in a message, by name ("kotter vs lewin":
        two)."""
        return {t.name: t for t in self._spelled_out(fold(text))}

    def _units_in(self, text: str) -> list[Unit]:
        """The catalogue's units a message names, in order ("7019", "d5.01"), a range
        standing for every unit in it ("done 5014 to 5019")."""
        named = [u for typed in unit_mentions(text) if (u := self.catalogue.unit(typed))]
        ranges = lexicon.UNIT_RANGE.findall(text)
        if not ranges:
            return named
        spanned = {u for first, last in ranges for u in self.catalogue.units.values()
                   if first <= u.short_code <= last}
        return [u for u in self.catalogue.units.values() if u in spanned or u in named]

    def _unit_by_title(self, text: str) -> Unit | None:
        """The one unit a question names by its title's words: all of them ("the mentoring
        practice and theory unit" → 5018), or two with one the title's own ("the coaching
        policies unit" → 7016, "aims of the reviewing own ability unit" → D5.02), or just
        one that no other title has ("the policies unit"); None when no unit or several do."""
        shared = self._title_words_shared(text)
        winners = self._titles_matched(shared)
        if not winners:  # "what's in the policies unit": one word only its title has
            owners = {code for code, words in shared.items() for word in words - _TITLE_COMMON
                      if sum(word in title for title in self._title_all.values()) == 1}
            return self.catalogue.units[owners.pop()] if len(owners) == 1 else None
        if len(winners) != 1:
            return None
        code = winners[0]
        whole = shared[code] == self._title_all[code]
        return self.catalogue.units[code] if whole or shared[code] - _TITLE_COMMON else None

    def _title_words_shared(self, text: str) -> dict[str, set[str]]:
        asked = set(tokens(text))
        return {code: asked & words for code, words in self._title_all.items()}

    @staticmethod
    def _titles_matched(shared: dict[str, set[str]]) -> list[str]:
        """The units sharing the most title words with a question, two at least."""
        best = max(len(words) for words in shared.values())
        return [code for code, words in shared.items() if len(words) == best] if best >= 2 else []

    def _unit_by_search(self, text: str, context: Context) -> Unit | None:
        """The unit a question describes without its title ("the ILM unit where I actually
        do the coaching sessions"): the unit of the two ACs that match its words best, when
        they share one or the first leads by UNIT_BY_ONE_AC_LEAD, among the units of the
        qualification it names or the asker's. None when the words are two units' titles alike
        ("the organisational culture unit")."""
        if len(self._titles_matched(self._title_words_shared(text))) > 1:
            return None
        named = _named_qualifications(text, self.catalogue.qualifications.values())
        scope = (tuple(sorted({u for q in named for u in _units_of(q)})) if named
                 else self._scope(context))
        hits = self.retriever.search(lexicon.spelled_out(text), units=scope,
                                     prefer=context.units, k=2).hits
        if len(hits) < 2 or (hits[0].unit_code != hits[1].unit_code
                             and hits[0].score < UNIT_BY_ONE_AC_LEAD * hits[1].score):
            return None
        return self.catalogue.units[hits[0].unit_code]

    def fact(self, text: str, context: Context, unit: Unit | None,
             topics: list[str] | None = None) -> FactAnswer | None:
        """The qualification facts a question asks for, for the qualifications it is about:
        on the first of `topics` (by default those its words sound like) that has any."""
        about = self._qualifications(text, context, unit)
        named = tuple(self._units_in(text) or [unit]) if unit is not None else ()
        kind_named = lexicon.QUALIFICATION_KIND.search(text) is not None
        asked = set(tokens(text)) - _FACT_COMMON  # to rank a topic's facts by
        for topic in lexicon.fact_topics(text) if topics is None else topics:
            sizes: tuple[Unit, ...] = ()
            worked: tuple[Worked, ...] = ()
            if named and topic in ("credits", "tqt_glh"):
                sizes = named
                if not kind_named:
                    # the units' own size, and what they achieve alone ("just 7017, 6
                    # credits, worth anything?")
                    worked = self._progress(sizes, about, achieved_only=True)
                    return FactAnswer(self.catalogue.fact_topics.get(topic, topic), (), None,
                                      unit, sizes, worked)
            if (named and kind_named and len(about) == 1
                    and topic in ("credits", "tqt_glh", "rules_of_combination")):
                # the units done against the qualification named, with what is still needed
                # ("done 7016 and 7018, how many more credits for the cert")
                worked = self._progress(named, about)
            if topic == "pass_mark":
                worked = self._marks(text, context)
            facts = tuple(f for f in self.catalogue.facts_about(topic)
                          if not f.applies_to or about & set(f.applies_to))
            # the facts that name the unit come first, then those sharing most of the
            # question's words ("how long does cmi take to mark externally assessed work":
            # the external assessment fact of the assessment topic)
            facts = tuple(sorted(facts, key=lambda f: (
                unit is not None and not _mentions_unit(f, unit),
                -len(asked & set(tokens(f.answer))))))
            if facts:
                return FactAnswer(self.catalogue.fact_topics.get(topic, topic), facts,
                                  _scope_name(self.catalogue, about), unit, sizes, worked)
        return None

    def _progress(self, units: tuple[Unit, ...], codes: set[str], achieved_only: bool = False
                  ) -> tuple[Worked, ...]:
        """The units counted against the rule of each qualification in `codes` (only the
        rules they meet, with `achieved_only`)."""
        credits = self.catalogue.credits()
        named = ", ".join(u.short_code for u in units)
        make = "on its own makes" if len(units) == 1 else "together make"
        worked = []
        for code in sorted(codes):
            q = self.catalogue.qualifications[code]
            status = check_rule(q, [u.code for u in units], credits)
            if status.met:
                said = (f"{named} {make} {status.credits} credits and meet"
                        f"{'s' if len(units) == 1 else ''} the rule of the {q.title} (at least "
                        f"{status.min_credits} credits).")
            elif achieved_only:
                continue
            else:
                said = (f"{named} {make} {status.credits} of the {status.min_credits} credits "
                        f"the {q.title} needs. Still needed: {'; '.join(status.missing)}.")
            worked.append(Worked(said, "the units' credits and the rule of combination"))
        return tuple(worked)

    def _marks(self, text: str, context: Context) -> tuple[Worked, ...]:
        """Marks the learner got ("17 out of 36 on my reflections") against the minimum of
        the assessment section that many marks are out of: of the units named, else the
        asker's, else any; the section whose title shares most words with the question when
        several are."""
        scored = lexicon.MARKS_SCORED.search(text)
        if scored is None:
            return ()
        got, available = int(scored[1]), int(scored[2])
        units = (self._units_in(text) or [self.catalogue.units[c] for c in context.units
                                          if c in self.catalogue.units]
                 or list(self.catalogue.units.values()))
        sections = [(unit, section) for unit in units if unit.assessment
                    for section in unit.assessment.sections
                    if section.marks_available == available]
        if not sections or got > available:
            return ()
        asked = set(tokens(text))
        unit, section = max(sections, key=lambda us: len(asked & set(tokens(us[1].title))))
        verdict = ("reaches it" if got >= section.min_marks
                   else f"is {section.min_marks - got} short of it")
        return (Worked(f"{unit.short_code} “{section.title}”: the minimum is "
                       f"{section.min_marks} of {available} marks, so {got} {verdict}.",
                       f"the mark sheet of unit {unit.code}"),)

    def _qualifications(self, text: str, context: Context, unit: Unit | None) -> set[str]:
        """The codes of the qualifications a fact question is about: those its words name
        ("level 7 diploma", "ilm") or that hold the unit it names, narrowed to the asker's
        own where that leaves any; else the asker's own; else every one."""
        everything = self.catalogue.qualifications.values()
        named = {q.code for q in _named_qualifications(text, everything)}
        if unit is not None:
            holding = {q.code for q in everything if unit.code in _units_of(q)}
            named = (named & holding) or holding
        mine = self._askers(context)
        if named:
            return (named & mine) or named
        return mine or {q.code for q in everything}

    def _askers(self, context: Context) -> set[str]:
        """The asker's qualification, or those that hold all the asker's units."""
        if context.qualification and context.qualification in self.catalogue.qualifications:
            return {context.qualification}
        if not context.units:
            return set()
        return {q.code for q in self.catalogue.qualifications.values()
                if set(context.units) <= _units_of(q)}

    def _scope(self, context: Context) -> tuple[str, ...] | None:
        """The units a free question is searched in: those of the asker's qualification(s),
        or None (every unit) when the bot knows nothing of the asker."""
        codes = self._askers(context)
        if not codes:
            return tuple(context.units) or None
        return tuple(sorted({u for c in codes
                             for u in _units_of(self.catalogue.qualifications[c])}))

    def _integrity(self, text: str, context: Context) -> Integrity:
        """The integrity reply, its example AC the first of the unit the message names, else
        of the asker's first unit."""
        unit = next(iter(self._units_in(text)), None) or self.catalogue.units.get(
            next(iter(context.units), ""))
        if unit is None:
            return Integrity()
        return Integrity(f"{unit.short_code} {unit.criteria[0].ref}")

    def _refusal(self, context: Context) -> Understood:
        q = self.catalogue.qualifications.get(context.qualification or "")
        return Understood(Kind.REFUSAL, Refusal(q))

    def _search(self, text: str, context: Context) -> Understood:
        result = self.retriever.search(lexicon.spelled_out(text), units=self._scope(context),
                                       prefer=context.units, k=3)
        # A question that asks where something goes in the course, names one of its units,
        # or that the kind model is sure is about the course, is in scope: show the
        # candidates rather than refuse it. The kind model hears off-topic questions the
        # ranking's scores miss ("diversity visa lottery"), but a ranking sure of its top AC
        # or of the scope outweighs it.
        learned = self._learned_kind(text)
        # "where can i buy a cheap air fryer": a where-question the model is this sure is
        # off-topic is not placed in the course, unless it asks for a part of the course
        # ("the cat knocked my plant off the windowsill, bit where")
        asks_where = lexicon.IN_THE_COURSE.search(text) is not None or (
            lexicon.PLACEMENT.search(text) is not None
            and not learned.likely("refusal", PLACEMENT_OVERRULED))
        placed = asks_where or bool(self._units_in(text)) or learned.of_the_course()
        certain = learned.likely("refusal", REFUSAL_OVER_CONFIDENT)
        scope = result.scope or 0.0
        off_topic = (learned.sure_of("refusal") and (certain or not result.confident)
                     and (scope < IN_SCOPE_OVER_LEARNED
                          or (learned.likely("refusal", REFUSAL_VERY_SURE)
                              and scope < IN_SCOPE_OVER_VERY_SURE)))
        if result.problem or not result.hits or not (result.covered or placed) or (
                off_topic and not placed):
            # "kolb cycle quick recap, hand in tmrw": one name the course cites, in a message
            # the kind model leans to hear as about a theorist, is not off-topic ("my smart
            # tv", "grow tomatoes" are).
            names = self._names_in(text) if learned.kind == "theorist" else {}
            if len(names) == 1 and not result.problem:
                return Understood(Kind.THEORIST, TheoristCard(next(iter(names.values()))))
            return self._refusal(context)
        if result.confident and result.covered:
            best = ac_answer(self.catalogue, result.hits[0].key)
            assert best is not None
            others = tuple(h.key for h in result.hits[1:3])
            return Understood(Kind.AC, replace(best, alternatives=others))
        found = tuple(Found(c, self.catalogue.units[h.unit_code], h) for h in result.hits
                      if (c := self.catalogue.criterion(h.key)) is not None)
        return Understood(Kind.SEARCH, SearchAnswer(text, found, True))


def shown(understood: Understood) -> tuple[list[str], list[str]]:
    """The AC keys and the theorist names an answer presents, in order."""
    answer = understood.answer
    if isinstance(answer, AcAnswer):
        return [answer.criterion.key, *answer.alternatives], [t.name for t in answer.theorists]
    if isinstance(answer, SearchAnswer):
        return [f.criterion.key for f in answer.found], []
    if isinstance(answer, ChooseUnit):
        return [f"{u.code} {answer.ref}" for u in answer.units], []
    if isinstance(answer, UnitAnswer):
        return [ac.key for ac in answer.unit.criteria], []
    if isinstance(answer, TheoristList):
        return answer.acs, [t.name for t in answer.theorists]
    if isinstance(answer, TheoristCard):
        return [], [answer.theorist.name]
    return [], []
