"""The AC-reference parser on every form learners type, and on nonsense."""

import pytest

from content.loader import load_catalogue
from content.refs import parse_reference, spoken_numbers, typed_numbers, unit_mentions

CAT = load_catalogue()


@pytest.mark.parametrize("text,unit,ref", [
    ("AC 2.3", None, "2.3"),
    ("2.3", None, "2.3"),
    ("what does AC 2.3 need?", None, "2.3"),
    ("5015 2.3", "5015V1", "2.3"),
    ("5015V1 2.3", "5015V1", "2.3"),
    ("5015v1 2.3", "5015V1", "2.3"),
    ("unit 7016 ac 1.4", "7016V1", "1.4"),
    ("AC2.4 of 7018", "7018V1", "2.4"),
    ("D5.01 1.1", "D5.01", "1.1"),
    ("ILM D5.03 AC 2.2", "D5.03", "2.2"),
    ("3.2 in 5019", "5019V1", "3.2"),
    ("5015 3,2 help", "5015V1", "3.2"),
    ("5015 LO3 AC2", "5015V1", "3.2"),
    ("lo 2, criterion 3 in 7016", "7016V1", "2.3"),
    ("what does AC 2.3 need for unit 5015?", "5015V1", "2.3"),
    ("AC 5.3 of 7020", "7020V1", "5.3"),
    ("ILM D5.01 AC 1.1", "D5.01", "1.1"),
    ("tell me about 1.2 of 6004.", "6004V1", "1.2"),
    ("ilm unit 3 ac 2.3", "D5.03", "2.3"),  # the ILM's units by their number
])
def test_forms_learners_type(text: str, unit: str | None, ref: str) -> None:
    parsed = parse_reference(text, CAT)
    assert parsed is not None and parsed.ok, parsed
    assert (parsed.unit_code, parsed.ref) == (unit, ref)


def test_ac_that_exists_nowhere() -> None:
    parsed = parse_reference("AC 99.9", CAT)
    assert parsed is not None and not parsed.ok
    assert "No unit has an AC 99.9" in parsed.problem


def test_unknown_unit_names_the_units_that_exist() -> None:
    parsed = parse_reference("unit 1234 1.1", CAT)
    assert parsed is not None and not parsed.ok
    assert parsed.unit_code is None
    assert "There is no unit 1234" in parsed.problem and "5015V1" in parsed.problem


def test_the_issue_form_3_3_in_5019_is_read_but_5019_has_no_3_3() -> None:
    parsed = parse_reference("3.3 in 5019", CAT)
    assert parsed is not None and (parsed.unit_code, parsed.ref) == ("5019V1", "3.3")
    assert parsed.problem and "3.1, 3.2" in parsed.problem


def test_missing_ac_in_a_real_unit_lists_its_acs() -> None:
    parsed = parse_reference("5015 9.9", CAT)
    assert parsed is not None and not parsed.ok
    assert parsed.unit_code == "5015V1"
    listed = ", ".join(ac.ref for ac in CAT.units["5015V1"].criteria)
    assert parsed.problem.endswith(f"Its ACs are: {listed}.")


@pytest.mark.parametrize("text", [
    "", "   ", "who should I cite for coaching culture?", "🙂🙂🙂", "2026-12-15",
    "in 2026", "version 1.2.3", "<b>&amp;</b>", "my essay is 3,500 words", "units 1,2,3",
    "my card is at 24.9% apr", "up 2.5 per cent", "costs £4.50 a month",
])
def test_text_without_a_reference(text: str) -> None:
    assert parse_reference(text, CAT) is None


def test_year_is_not_a_unit() -> None:
    parsed = parse_reference("AC 2.3 due in 2026", CAT)
    assert parsed is not None and parsed.unit_code is None and parsed.ref == "2.3"


def test_twenty_thousand_characters() -> None:
    assert parse_reference("x" * 20_000, CAT) is None
    parsed = parse_reference("5015 2.3 " + "blah " * 4000, CAT)
    assert parsed is not None and (parsed.unit_code, parsed.ref) == ("5015V1", "2.3")


def test_emoji_around_a_reference() -> None:
    parsed = parse_reference("🤔 AC 2.2 of 5015 🙏", CAT)
    assert parsed is not None and (parsed.unit_code, parsed.ref) == ("5015V1", "2.2")


@pytest.mark.parametrize("spoken, written", [
    ("what is three point three asking for", "what is 3.3 asking for"),
    ("whats fifty seventeen about", "whats 5017 about"),
    ("seventy ten tools", "7010 tools"),
    ("sixty o one and seventy oh two", "6001 and 7002"),
    ("five o one five two point three", "5015 2.3"),
    ("d five o three", "D5.03"),
    ("seven oh ten three point one", "7010 3.1"),
    ("five oh fifteen", "5015"),
    ("seven oh two oh", "7020"),
    ("six oh oh four", "6004"),
    ("five thousand and fifteen", "5015"),
    ("seven thousand and two", "7002"),
    ("seven thousand nineteen", "7019"),
    ("d five point oh two", "D5.02"),
    ("what does AC two three need in 5015", "what does AC 2.3 need in 5015"),
    ("two or three examples", "two or three examples"),
    ("five thousand words", "five thousand words"),
    ("one of the two points, a fifty fifty split", "one of the two points, a fifty fifty split"),
    ("ac won point too of 7018", "ac 1.2 of 7018"),  # spelt by ear
    ("section 2 point 3", "section 2.3"),
    ("i have one point to make", "i have one point to make"),  # "to" is a word
])
def test_numbers_spoken_into_a_phone_are_written_as_digits(spoken: str, written: str) -> None:
    assert spoken_numbers(spoken) == written


@pytest.mark.parametrize("text, units", [
    ("ilm unit 1, where does listening go", ["D5.01"]),
    ("ILM unit 02 and d5.03", ["D5.02", "D5.03"]),
    ("ilm unit 3.2", []),  # an AC number, not a unit
    ("unit 3 of the ilm", []),  # which unit 3 is not said where the number is
])
def test_ilm_units_by_their_number(text: str, units: list[str]) -> None:
    assert unit_mentions(text) == units


@pytest.mark.parametrize("typed, meant", [
    ("whats in 7O19", "whats in 7019"), ("D5.O2 1.1", "D5.02 1.1"), ("5.O3?", "5.03?"),
    ("whatsin7016", "whatsin 7016"), ("7016whats that", "7016 whats that"),
    ("what's unit 50 17 about", "what's unit 5017 about"),
    ("7018.2.3", "7018 2.3"), ("d5.02.1.3 help", "d5.02 1.3 help"),
    ("see 5.2.1 of the policy", "see 5.2.1 of the policy"),
    # left alone: words, versions, amounts and ages
    ("too good", "too good"), ("5015V1 2.3", "5015V1 2.3"), ("l7 diploma", "l7 diploma"),
    ("we have 50 17 year olds", "we have 50 17 year olds"),
    ("50 15 minute sessions", "50 15 minute sessions"),
])
def test_numbers_a_phone_mangled_are_written_as_meant(typed: str, meant: str) -> None:
    assert typed_numbers(typed) == meant
