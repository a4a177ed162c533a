"""Fidelity of the curated content to the source documents."""

import re

import pytest

from content.fidelity import SOURCES_DIR, apply_fixes, normalise, pieces_in, unit_problems
from content.loader import DATA_DIR, load_catalogue, load_unit_files

CAT = load_catalogue()
FILES = {f.code: f for f in load_unit_files(DATA_DIR)}

ALL_UNITS = ["5001V1", "5014V1", "5015V1", "5016V1", "5017V1", "5018V1", "5019V1",
             "7002V1", "7010V1", "7015V1", "7016V1", "7017V1", "7018V1", "7019V1", "7020V1",
             "6001V1", "6004V1", "D5.01", "D5.02", "D5.03"]

# CMI ACs for which the source prints no good-practice text of their own: none (every CMI AC
# was read against its source; where several ACs share one text, each carries it).
CMI_ACS_WITHOUT_GUIDANCE: set[str] = set()

# An AC in a CMI source: its number at the start of a cell (line start, tab, table bar, bold or
# paragraph tag, or a "- " list item), then, on the same or the next line (past a table bar),
# its capitalised command verb.
_SOURCE_AC = re.compile(
    r"(?:^-[ ]|^|\t|\|[ ]*|<b>|<p>|\*\*)[ ]*(?:<b>|\*\*)?(\d\.\d{1,2})(?:</b>|\*\*)?[ \t|]*\n?\s*"
    r"(?:<[^>]+>\s*)*[A-Z][a-z]", re.M)


def source_refs(code: str) -> set[str]:
    """The AC numbers printed in a CMI unit's part of its source, read independently of the
    curated file."""
    unit = FILES[code]
    text = (SOURCES_DIR / unit.source).read_text(encoding="utf-8")
    starts = [m for m in re.finditer(r"Unit Number(?:</b>)?\s+(\w+)", text)]
    i = next(i for i, m in enumerate(starts) if m.group(1) == code)
    end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
    return set(_SOURCE_AC.findall(text[starts[i].start():end]))


def test_all_twenty_units_are_there() -> None:
    assert sorted(CAT.units) == sorted(ALL_UNITS)


@pytest.mark.parametrize("code", ALL_UNITS)
def test_every_text_is_in_the_source(code: str) -> None:
    assert unit_problems(FILES[code].model_dump()) == []


@pytest.mark.parametrize("code", [c for c in ALL_UNITS if not c.startswith("D5")])
def test_ac_count_equals_the_source(code: str) -> None:
    assert {ac.ref for ac in CAT.units[code].criteria} == source_refs(code)


def test_cmi_acs_without_guidance_are_only_those_the_source_leaves_bare() -> None:
    bare = {ac.key for u in CAT.units.values() if u.awarding_body == "CMI"
            for ac in u.criteria if not ac.guidance}
    assert bare == CMI_ACS_WITHOUT_GUIDANCE


def guidance_of(key: str) -> str:
    return " ".join(p for g in CAT.criterion(key).guidance for p in g.paragraphs)


def test_7018_1_5_is_about_mentoring_and_knowledge_sharing() -> None:
    text = guidance_of("7018V1 1.5")
    assert "mentoring in relation to knowledge sharing" in text
    assert "coaching is used to develop knowledge sharing" not in text


def test_7018_1_4_is_about_coaching_and_knowledge_sharing() -> None:
    assert "evaluate how coaching is used to develop knowledge sharing" in guidance_of("7018V1 1.4")


def test_7017_2_3_is_about_operational_managers_who_over_perform() -> None:
    text = guidance_of("7017V1 2.3")
    assert "over" in text and "perform" in text and "operational managers" in text


def test_7015_lo2_carries_the_culture_theorists() -> None:
    lo2 = [ac for ac in CAT.units["7015V1"].criteria if ac.lo_number == "2"]
    text = " ".join(guidance_of(ac.key) for ac in lo2)
    for name in ("Schein", "Handy", "Hofstede", "cultural web"):
        assert name in text, name
    assert not any(n in " ".join(guidance_of(ac.key) for ac in CAT.units["7015V1"].criteria
                                 if ac.lo_number != "2") for n in ("Hofstede",))


def test_5016_3_1_carries_the_emcc_ethics_guidance() -> None:
    assert "European Mentoring and Coaching Council (EMCC)" in guidance_of("5016V1 3.1")


def test_shared_guidance_is_marked_on_each_ac() -> None:
    shared = [ac for ac in CAT.criteria() if any(g.shared for g in ac.guidance)]
    assert shared, "the sources share guidance between ACs (e.g. 5016V1 2.1-2.3)"
    for ac in shared:
        for g in ac.guidance:
            for other in g.shared_with:
                partner = CAT.units[ac.unit_code].criterion(other)
                assert any(ac.ref in pg.shared_with and pg.paragraphs == g.paragraphs
                           for pg in partner.guidance), (ac.key, other)


def test_ilm_units_carry_indicative_content_and_assessment() -> None:
    for code in ("D5.01", "D5.02", "D5.03"):
        unit = CAT.units[code]
        assert unit.indicative_content, code
        assert unit.assessment and unit.assessment.sections, code
        for s in unit.assessment.sections:
            assert 0 < s.min_marks <= s.marks_available
    assert CAT.units["D5.03"].delivery_hours_required == 12


def test_recorded_conflicts() -> None:
    fields = {(u.code, c.field) for u in CAT.units.values() for c in u.conflicts}
    assert ("7020V1", "glh") in fields and ("D5.02", "credits") in fields
    assert CAT.units["D5.02"].credits == 3
    assert any(c.field == "regulation_end" for c in CAT.conflicts)


def test_the_checker_catches_invented_text() -> None:
    key = normalise(apply_fixes((SOURCES_DIR / FILES["5015V1"].source).read_text(), {}))
    real = CAT.units["5015V1"].criteria[0].text
    assert pieces_in(real, key) is not None
    assert pieces_in(real + " and wins the league", key) is None
    assert pieces_in("Coaching is always the best answer to every problem.", key) is None


def test_theorist_spellings_from_the_sources_resolve() -> None:
    for spelling in ("Clutterbook", "Kubler Ross"):
        assert CAT.theorist(spelling) is not None, spelling
    for t in CAT.theorists:
        assert t.cited_in or t.mentioned_in, f"{t.name} is cited nowhere"
    assert "D5.01" in CAT.theorist("Myers Briggs").mentioned_in


def test_a_longer_spelling_is_not_also_a_mention_of_a_shorter_one() -> None:
    cites = CAT.criterion("7015V1 2.1").theorists
    assert "Johnson and Scholes" in cites and "Gerry Johnson" not in cites
    assert "Gerry Johnson" in CAT.criterion("6001V1 1.1").theorists
