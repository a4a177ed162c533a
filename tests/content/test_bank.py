"""The curated question bank, off-topic set and labelled kinds: shape, coverage, and
apartness from the evaluation sets."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from content.bank import BANK_DIR, load_bank, load_offtopic
from content.catalogue import Catalogue, fold
from content.kinds import load_labelled
from content.loader import ContentError

EVAL = Path(__file__).parents[1] / "eval"
MIN_PER_AC = 8


def test_every_ac_has_enough_questions_and_every_question_an_ac(catalogue: Catalogue) -> None:
    bank = load_bank(catalogue)
    per_ac = Counter(q.key for q in bank)
    keys = {ac.key for ac in catalogue.criteria()}
    assert set(per_ac) == keys
    assert min(per_ac.values()) >= MIN_PER_AC, per_ac.most_common()[-5:]


def test_files_are_marked_curated_and_questions_name_no_ac(catalogue: Catalogue) -> None:
    for path in BANK_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["curated"] is True and path.stem == data["unit"]
    reference = re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}(?![\d])")
    assert [q.text for q in load_bank(catalogue) if reference.search(q.text)] == []


def test_a_duplicate_or_an_unknown_ac_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    (tmp_path / "5015V1.yaml").write_text(
        "unit: 5015V1\ncurated: true\nquestions:\n  '2.3': [same question]\n"
        "  '2.2': ['Same question?']\n", encoding="utf-8")
    with pytest.raises(ContentError, match="already asked"):
        load_bank(catalogue, tmp_path)
    (tmp_path / "5015V1.yaml").write_text(
        "unit: 5015V1\ncurated: true\nquestions:\n  '9.9': [a question]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="has no AC 9.9"):
        load_bank(catalogue, tmp_path)


def test_offtopic_set_has_no_duplicates() -> None:
    questions = load_offtopic()
    assert len(questions) >= 100
    assert len({q.casefold() for q in questions}) == len(questions)


@pytest.mark.parametrize("name", sorted(p.name for p in EVAL.glob("*.jsonl")))
def test_no_training_question_is_an_evaluation_question(catalogue: Catalogue, name: str) -> None:
    texts = [q.text for q in load_bank(catalogue)] + list(load_offtopic()) + [
        q.q for q in load_labelled(catalogue)]
    training = {_compared(t) for t in texts}
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    asked = {_compared(json.loads(line)["query"]) for line in lines if line.strip()}
    assert asked & training == set()


def _compared(text: str) -> str:
    """Text as the apartness check compares it: folded, or as typed when folding leaves
    nothing ("👍" and "?" are different messages)."""
    return fold(text) or text.strip()
