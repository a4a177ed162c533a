"""Facts about the qualifications (content/data/facts.yaml): every quote is in its source, every
code and topic is known, and every number an answer gives is one the sources give."""

import re
import shutil

import pytest
import yaml

from content.catalogue import Fact
from content.fidelity import SOURCES_DIR, exact_in, normalised_source
from content.loader import DATA_DIR, ContentError, build_catalogue, load_catalogue
from content.schema import FactsFile

CAT = load_catalogue()
RAW = yaml.safe_load((DATA_DIR / "facts.yaml").read_text(encoding="utf-8"))
FILE = FactsFile.model_validate(RAW)
QUOTES = [(f.id, i, q) for f in FILE.facts for i, q in enumerate(f.quotes)]

CMI_L5 = {"5A2V2", "5C2V2", "5D2V2"}
CMI_L7 = {"7A2V2", "7C2V2", "7D2V2"}
ILM = {"ILM-L5-CCMM"}

# A number as an answer or a quote writes it: digits, maybe with thousands separators.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")


def numbers(text: str) -> set[int]:
    """The numbers in a text, identifiers (unit and qualification codes) left out."""
    codes = sorted({*CAT.units, *CAT.qualifications}, key=len, reverse=True)
    text = re.sub("|".join(re.escape(c) for c in codes), " ", text, flags=re.IGNORECASE)
    return {int(n.replace(",", "")) for n in _NUMBER.findall(text)}


def qualification_numbers() -> set[int]:
    """Credits, TQT, GLH and level of every qualification, as the catalogue holds them."""
    out: set[int] = set()
    for q in CAT.qualifications.values():
        out |= {n for n in (q.tqt, q.glh, q.level, q.rule.min_credits) if n is not None}
        out |= {g.min_credits for g in q.rule.groups if g.min_credits is not None}
    return out


def test_the_catalogue_carries_the_facts_and_topics() -> None:
    assert len(CAT.facts) == len(FILE.facts) >= 30
    assert dict(CAT.fact_topics) == {t.id: t.title for t in FILE.topics}
    fact = CAT.facts[0]
    assert fact.quotes == tuple((q.source, q.text) for q in FILE.facts[0].quotes)


@pytest.mark.parametrize(("fact", "i", "quote"), QUOTES,
                         ids=[f"{f}#{i}" for f, i, _ in QUOTES])
def test_every_quote_is_in_its_source(fact: str, i: int, quote) -> None:
    assert (SOURCES_DIR / quote.source).is_file(), quote.source
    key = normalised_source(quote.source, tuple(sorted(quote.ocr_fixes.items())))
    assert exact_in(quote.text, key), f"{fact} quote {i} not in {quote.source}: {quote.text!r}"


def test_ocr_fixes_are_needed_and_apply() -> None:
    """A fix names text that is really in the source, and the quote is not found without it."""
    for fact, i, quote in QUOTES:
        if not quote.ocr_fixes:
            continue
        raw = (SOURCES_DIR / quote.source).read_text(encoding="utf-8")
        for wrong in quote.ocr_fixes:
            assert wrong in raw, (fact, i, wrong)
        assert not exact_in(quote.text, normalised_source(quote.source)), (fact, i)


def test_the_quote_check_catches_an_invented_quote() -> None:
    key = normalised_source("cmi-level7-coaching-mentoring-syllabus.txt")
    real = "broadly comparable to a word count of 3000- 3500 words."
    assert exact_in(real, key)
    assert not exact_in(real.replace("3500", "4000"), key)
    assert not exact_in("There is a grading system for CMI qualifications", key)


def test_every_applies_to_code_is_a_qualification() -> None:
    for fact in CAT.facts:
        assert set(fact.applies_to) <= set(CAT.qualifications), fact.id


def test_every_fact_topic_is_declared_and_every_topic_has_a_fact() -> None:
    topics = {f.topic for f in CAT.facts}
    assert topics <= set(CAT.fact_topics)
    assert set(CAT.fact_topics) <= topics, set(CAT.fact_topics) - topics


def test_ids_are_unique() -> None:
    ids = [f.id for f in CAT.facts]
    assert len(ids) == len(set(ids))


def test_numbers_in_answers_are_in_the_quotes_or_the_qualification_data() -> None:
    allowed_everywhere = qualification_numbers()
    for fact in CAT.facts:
        quoted = set().union(*(numbers(text) for _, text in fact.quotes))
        unsupported = numbers(fact.answer) - quoted - allowed_everywhere
        assert not unsupported, f"{fact.id}: {sorted(unsupported)} in no quote: {fact.answer!r}"


def test_the_number_check_reads_separators_and_skips_codes() -> None:
    assert numbers("3,000-3,500 words for 7002V1 and D5.03 in 7D2V2") == {3000, 3500}
    assert numbers("31/12/2014, 01/01/2008") == {31, 12, 2014, 1, 2008}


def test_answers_name_the_awarding_body_they_are_about() -> None:
    for fact in CAT.facts:
        codes = set(fact.applies_to)
        if codes & (CMI_L5 | CMI_L7):
            assert "CMI" in fact.answer, fact.id
        if codes & ILM:
            assert "ILM" in fact.answer, fact.id


def test_answers_are_one_or_two_sentences() -> None:
    for fact in CAT.facts:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", fact.answer.strip()) if s]
        assert 1 <= len(sentences) <= 2, fact.id


def test_facts_about_filters_by_qualification() -> None:
    every = CAT.facts_about("word_count")
    assert {f.id for f in every} >= {"word-count-cmi-l5", "word-count-cmi-l7", "word-count-ilm"}
    l7 = CAT.facts_about("word_count", "7D2V2")
    assert [f.id for f in l7] == ["word-count-cmi-l7"]
    assert all(f.applies("7D2V2") for f in l7)
    assert [f.id for f in CAT.facts_about("word_count", "ILM-L5-CCMM")] == ["word-count-ilm"]
    assert CAT.facts_about("word_count", "NO-SUCH-CODE") == ()
    assert CAT.facts_about("no_such_topic") == ()


def test_a_fact_for_every_qualification_applies_to_each() -> None:
    fact = Fact("x", "t", (), "An answer.", (("s", "q"),))
    assert all(fact.applies(code) for code in CAT.qualifications)


def test_the_questions_learners_ask_have_answers() -> None:
    """The questions from the brief each find a fact for the qualification concerned."""
    for topic, code in [("word_count", "5C2V2"), ("word_count", "ILM-L5-CCMM"),
                        ("appendices", "7D2V2"), ("grading", "5A2V2"),
                        ("grading", "ILM-L5-CCMM"), ("pass_mark", "ILM-L5-CCMM"),
                        ("credits", "5D2V2"), ("credits", "7D2V2"),
                        ("tqt_glh", "7D2V2"), ("tqt_glh", "ILM-L5-CCMM"),
                        ("rules_of_combination", "7D2V2"), ("ilm_hours", "ILM-L5-CCMM"),
                        ("assessment", "ILM-L5-CCMM"), ("assessment", "7C2V2"),
                        ("completion_time", "ILM-L5-CCMM"), ("regulation_dates", "7A2V2")]:
        assert CAT.facts_about(topic, code), (topic, code)


def test_7002_is_mandatory_for_the_level7_diploma_only() -> None:
    answer = " ".join(f.answer for f in CAT.facts_about("rules_of_combination", "7D2V2"))
    assert "7002V1" in answer and "mandatory" in answer
    diploma = CAT.qualifications["7D2V2"]
    assert any(g.mandatory and "7002V1" in g.units for g in diploma.rule.groups)
    for code in ("7A2V2", "7C2V2"):
        assert not any("7002V1" in g.units for g in CAT.qualifications[code].rule.groups)


def test_credit_answers_agree_with_the_rules_of_combination() -> None:
    for code, q in CAT.qualifications.items():
        facts = CAT.facts_about("credits", code)
        assert any(str(q.rule.min_credits) in f.answer for f in facts), code


def test_hours_answers_agree_with_the_qualification_data() -> None:
    for code, q in CAT.qualifications.items():
        text = " ".join(f.answer for f in CAT.facts_about("tqt_glh", code))
        for hours in (q.tqt, q.glh):
            if hours is not None:
                assert str(hours) in text, (code, hours)


def test_the_level7_end_date_conflict_is_stated_with_both_values() -> None:
    facts = CAT.facts_about("regulation_dates", "7D2V2")
    by_source = {src: f for f in facts for src, _ in f.quotes}
    syllabus = by_source["cmi-level7-coaching-mentoring-syllabus.txt"]
    factsheet = by_source["cmi-level7-coaching-mentoring-factsheet.txt"]
    assert syllabus is not factsheet
    assert "2020" in syllabus.answer and "2025" in factsheet.answer
    for fact in (syllabus, factsheet):
        assert "disagree" in fact.answer, fact.id
    recorded = next(c for c in CAT.conflicts if c.field == "regulation_end")
    assert {v.value[:4] for v in recorded.values} == {"2020", "2025"}


def test_ilm_hours_match_the_unit_data() -> None:
    hours = CAT.units["D5.03"].delivery_hours_required
    assert all(str(hours) in f.answer for f in CAT.facts_about("ilm_hours", "ILM-L5-CCMM")
               if "hours" in f.answer)


def _write_data(tmp_path, facts: dict):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "facts.yaml").write_text(yaml.safe_dump(facts), encoding="utf-8")
    return data


def test_the_loader_rejects_an_unknown_qualification_code(tmp_path) -> None:
    bad = {"topics": RAW["topics"], "facts": [dict(RAW["facts"][0], applies_to=["9Z9V9"])]}
    with pytest.raises(ContentError, match="unknown qualifications"):
        build_catalogue(_write_data(tmp_path, bad))


def test_the_loader_rejects_an_undeclared_topic_and_repeated_ids(tmp_path) -> None:
    fact = RAW["facts"][0]
    with pytest.raises(ContentError, match="undeclared topic"):
        build_catalogue(_write_data(tmp_path, {"topics": RAW["topics"],
                                               "facts": [dict(fact, topic="nope")]}))
    with pytest.raises(ContentError, match="ids repeated"):
        build_catalogue(_write_data(tmp_path / "2", {"topics": RAW["topics"],
                                                     "facts": [fact, fact]}))
