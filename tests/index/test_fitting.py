"""The blend's training split: every bank question is held out exactly once, and never ranked
by an index that holds it."""

from __future__ import annotations

from content.bank import load_bank
from content.catalogue import Catalogue
from index.fitting import HOLD_OUT, split_bank


def test_each_fold_holds_out_a_fifth_and_all_folds_hold_out_every_question_once(
        catalogue: Catalogue) -> None:
    bank = load_bank(catalogue)
    held_out: list[str] = []
    for fold in range(HOLD_OUT):
        indexed, held = split_bank(bank, fold)
        assert not {q.text for q in indexed} & {q.text for q in held}
        assert len(indexed) + len(held) == len(bank)
        assert {q.key for q in held} == {q.key for q in bank}  # every AC in every fold
        held_out += [q.text for q in held]
    assert sorted(held_out) == sorted(q.text for q in bank)


def test_fold_zero_is_the_split_fitted_on_before_the_folds(catalogue: Catalogue) -> None:
    bank = load_bank(catalogue)
    _, held = split_bank(bank)
    per_ac: dict[str, list[str]] = {}
    for q in bank:
        per_ac.setdefault(q.key, []).append(q.text)
    expected = {text for texts in per_ac.values() for text in texts[HOLD_OUT - 1::HOLD_OUT]}
    assert {q.text for q in held} == expected
