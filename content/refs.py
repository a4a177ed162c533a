"""Reads assessment-criterion references in the forms learners type.

"AC 2.3", "2.3", "5015 2.3", "5015V1 2.3", "unit 7016 ac 1.4", "AC2.4 of 7018", "D5.01 1.1",
"ILM D5.03 AC 2.2", "3.3 in 5019", "5015 3,2", "LO3 AC2": the unit (if any) and the AC, checked
against the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from content.catalogue import Catalogue

# Only the head of a message is searched: a reference comes early, and a 20,000-character
# message must cost no more than a short one.
SCAN_LIMIT = 600

# "D5.01", "d501"; or the ILM unit by its number ("ilm unit 3" is D5.03).
_ILM_UNIT = re.compile(r"(?<![\w.])(?:D\s?5\.?\s?|ILM\s+unit\s+0?(?=\d(?!\d)))(\d{1,2})(?![\d.]*\d)",
                       re.IGNORECASE)
# A four-digit unit number counts when it looks like one: with its version ("5015V1"), after
# the word "unit", or in the CMI unit ranges (years such as 2026 are not units).
_CMI_UNIT = re.compile(
    r"(?<![\w.])(?:(?P<word>unit)\s*)?(?P<num>\d{4})(?P<ver>v\d)?(?![\w.]*\d)", re.IGNORECASE)
_CMI_RANGES = ("5", "6", "7")
_AC = re.compile(
    r"(?<![\w.,£$€])(?:(?P<word>ac|criterion|criteria)\s*)?(?P<ref>\d{1,2}[.,]\d{1,2})"
    # "3,2" as typed on a phone, not "1,2,3"; not an amount ("29.9% APR", "£4.50")
    r"(?![\w.]*\d)(?!,\d)(?!\s*(?:%|per ?cent\b))", re.IGNORECASE)
# The outcome and the criterion named apart: "LO3 AC2", "lo 2 ac 3", "LO2, criterion 4".
_LO_AC = re.compile(r"(?<!\w)lo\s?(?P<lo>\d{1,2})\W{0,3}(?:ac|criterion|criteria)\s?"
                    r"(?P<ac>\d{1,2})(?![\w.]*\d)", re.IGNORECASE)


# Numbers as a phone's voice typing writes them: "three point three", "AC two three", "fifty
# seventeen", "seventy o two", "five o one five", "seven oh ten", "five thousand and fifteen",
# "d five o three", "d five point oh three".
_DIGITS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine".split())} | {"o": "0", "oh": "0"}
_TEENS = {w: str(i) for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    .split(), start=10)}
_HUNDREDS = {"fifty": "50", "sixty": "60", "seventy": "70"}
_DIGIT = r"(zero|one|two|three|four|five|six|seven|eight|nine)"
_ZERO = r"(o|oh|zero)"
_TEEN = r"(ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
# Digits as they sound, spelt by ear beside "point" ("won point too"); not "to" or "for",
# which are words ("one point to make").
_SOUNDALIKE = {"won": "1", "wun": "1", "too": "2", "tree": "3", "fore": "4", "ate": "8"}
_HEARD = r"(won|wun|too|tree|fore|ate|\d)"
_SPOKEN_AC = re.compile(rf"\b({_DIGIT}|{_HEARD})\s+point\s+({_DIGIT}|{_HEARD})\b"
                        rf"|(?<=\bac\s){_DIGIT}\s+{_DIGIT}\b", re.IGNORECASE)
_SPOKEN_UNIT = re.compile(
    rf"\b(?P<cmi>(fifty|sixty|seventy)[\s-]+({_ZERO}[\s-]+{_DIGIT}|{_TEEN})"
    rf"|(five|six|seven)\s+{_ZERO}\s+((one|two|{_ZERO})\s+({_DIGIT}|o|oh)|{_TEEN})"
    rf"|(five|six|seven)\s+thousand\s+(and\s+)?({_DIGIT}|{_TEEN}))\b"
    rf"|\bd\s+five\s+(point\s+)?{_ZERO}\s+(?P<ilm>one|two|three)\b", re.IGNORECASE)


def spoken_numbers(text: str) -> str:
    """The text with AC and unit numbers spoken as words written as digits ("what is three
    point three asking" → "what is 3.3 asking", "fifty seventeen" → "5017")."""
    text = _SPOKEN_AC.sub(_ac_digits, text)
    return _SPOKEN_UNIT.sub(_unit_digits, text)


def _ac_digits(match: re.Match[str]) -> str:
    """"three point three", "won point too", "2 point 3", "ac two three": the AC's digits."""
    words = match[0].casefold().replace(" point ", " ").split()
    return ".".join(_DIGITS.get(w) or _SOUNDALIKE.get(w) or w for w in words)


# Numbers as a phone's keyboard mangles them: a letter O among digits ("7O19", "D5.O2"), a
# unit number glued to a word ("whatsin7016") or split in two ("50 17").
_DIGITS_WITH_O = re.compile(r"\b(?=[\dOo.]*\d[\dOo.]*\d)(?=[\dOo.]*[Oo])[\dOo.]{3,6}\b")
_ILM_WITH_O = re.compile(r"(\bd\s?5\.?\s?)o(?=\d\b)", re.IGNORECASE)
_GLUED_UNIT = re.compile(r"(?<=[A-Za-z])(?=[567]\d{3}\b)|(?<=\b[567]\d{3})(?=[A-UW-Za-uw-z])")
# A unit and its AC run together with dots: "7018.2.3", "d5.02.1.3".
_DOTTED = re.compile(r"\b([567]\d{3}|d5\.?0\d)\.(?=\d\.\d{1,2}\b)", re.IGNORECASE)
_SPLIT_UNIT = re.compile(r"\b([567]0) (0[1-9]|1\d|20)\b(?!\s*(%|-|minutes?|mins?|hours?|hrs?|"
                         r"words?|years?|people|staff|of)\b)", re.IGNORECASE)


def typed_numbers(text: str) -> str:
    """The text with unit and AC numbers a phone mangled written as meant ("whats in 7O19" →
    "whats in 7019", "whatsin7016" → "whatsin 7016", "unit 50 17" → "unit 5017", "7018.2.3"
    → "7018 2.3")."""
    text = _DIGITS_WITH_O.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)
    text = _ILM_WITH_O.sub(r"\g<1>0", text)
    text = _GLUED_UNIT.sub(" ", text)
    text = _DOTTED.sub(r"\1 ", text)
    return _SPLIT_UNIT.sub(r"\1\2", text)


# An amount spoken before what it counts: "two thousand two hundred words", "eighteen out of
# forty", "four hundred hours".
_NUMBER_WORD = (rf"({_DIGIT}|{_TEEN}|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                rf"thousand)")
_SPOKEN_AMOUNT = re.compile(
    rf"\b{_NUMBER_WORD}((\s+|-)(and\s+)?{_NUMBER_WORD})*(?=\s+(words?|hours?|hrs|credits?|"
    rf"marks?|percent|per cent|out of|years?|months?|weeks?)\b|$|\s*[?.,!])"
    rf"|(?<=\bout of )({_NUMBER_WORD}((\s+|-)(and\s+)?{_NUMBER_WORD})*)\b", re.IGNORECASE)


def spoken_amounts(text: str) -> str:
    """The text with the amounts it speaks written as digits ("is two thousand two hundred
    words too short" → "is 2200 words too short"); AC and unit numbers are `spoken_numbers`'."""
    return _SPOKEN_AMOUNT.sub(_amount, text)


def _amount(match: re.Match[str]) -> str:
    """The digits of a spoken amount; the words as they were when they are not one number
    ("one" alone stays a word: "the one about culture")."""
    words = match[0]
    if words.casefold() in ("one", "zero"):
        return words
    try:
        return str(text2num(words.casefold().replace("-", " "), "en"))
    except ValueError:
        return words


def _unit_digits(m: re.Match[str]) -> str:
    if m["ilm"]:
        return f"D5.0{_DIGITS[m['ilm'].casefold()]}"
    words = [w for w in re.split(r"[\s-]+", m["cmi"].casefold()) if w != "and"]
    if words[0] in _HUNDREDS:
        return _HUNDREDS[words[0]] + (_TEENS.get(words[-1]) or "0" + _DIGITS[words[-1]])
    if words[-1] in _TEENS:  # "seven oh ten", "five thousand and fifteen"
        return _DIGITS[words[0]] + "0" + _TEENS[words[-1]]
    if words[1] == "thousand":  # "seven thousand and two"
        return _DIGITS[words[0]] + "00" + _DIGITS[words[-1]]
    return "".join(_DIGITS[w] for w in words)


@dataclass(frozen=True)
class AcReference:
    """What a message refers to. `problem` is set, as a sentence for the learner, when the
    unit or the AC does not exist; then `unit_code` is None if the unit was the problem."""

    ref: str
    unit_code: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _unit_mention(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The unit typed (normalised, e.g. "5015", "D5.01") and where it stands."""
    m = _ILM_UNIT.search(text)
    if m:
        return f"D5.{int(m.group(1)):02d}", m.span()
    for m in _CMI_UNIT.finditer(text):
        if m.group("word") or m.group("ver") or m.group("num")[0] in _CMI_RANGES:
            return m.group("num") + (m.group("ver") or "").upper(), m.span()
    return None, None


def unit_mentions(text: str) -> list[str]:
    """Every unit a message names, normalised ("5015", "7019V1", "D5.01"), in order."""
    head = text[:SCAN_LIMIT]
    found = [(m.start(), f"D5.{int(m.group(1)):02d}") for m in _ILM_UNIT.finditer(head)]
    found += [(m.start(), m.group("num") + (m.group("ver") or "").upper())
              for m in _CMI_UNIT.finditer(head)
              if m.group("word") or m.group("ver") or m.group("num")[0] in _CMI_RANGES]
    return list(dict.fromkeys(unit for _, unit in sorted(found)))


def _ac_mention(text: str, skip: tuple[int, int] | None) -> str | None:
    """The AC typed, preferring one written with "AC" before it."""
    apart = _LO_AC.search(text)
    if apart:
        return f"{int(apart.group('lo'))}.{int(apart.group('ac'))}"
    found = [m for m in _AC.finditer(text)
             if not skip or m.end() <= skip[0] or m.start() >= skip[1]]
    found.sort(key=lambda m: (m.group("word") is None, m.start()))
    if not found:
        return None
    major, minor = re.split(r"[.,]", found[0].group("ref"))
    return f"{int(major)}.{int(minor)}"


def parse_reference(text: str, catalogue: Catalogue) -> AcReference | None:
    """The AC reference in `text`, or None when it holds none.

    A reference to a unit or AC that does not exist comes back with `problem` saying so and
    naming what does exist."""
    head = text[:SCAN_LIMIT]
    typed_unit, span = _unit_mention(head)
    ref = _ac_mention(head, span)
    if ref is None:
        return None
    if typed_unit is None:
        if catalogue.units_with(ref):
            return AcReference(ref)
        return AcReference(ref, problem=(
            f"No unit has an AC {ref}. AC numbers are the learning outcome, a dot, then the "
            f"criterion, e.g. 2.3; /units lists the units."))
    unit = catalogue.unit(typed_unit)
    if unit is None:
        codes = ", ".join(catalogue.units)
        return AcReference(ref, problem=f"There is no unit {typed_unit}. The units are: {codes}.")
    if unit.criterion(ref) is None:
        refs = ", ".join(ac.ref for ac in unit.criteria)
        return AcReference(ref, unit.code, problem=(
            f"Unit {unit.code} has no AC {ref}. Its ACs are: {refs}."))
    return AcReference(ref, unit.code)
