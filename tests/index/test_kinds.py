"""The kind model: its saved weights match what scikit-learn fitted, and it was fitted on
the training messages and embedding model in use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from content.bank import load_bank
from content.catalogue import Catalogue
from content.kinds import kind_questions, kinds_hash
from index.kinds import KindModel, Softmax, fit_softmax, held_out_split, report
from index.settings import IndexSettings


def test_saved_probabilities_are_scikit_learns(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    x = np.vstack([c + 0.3 * rng.normal(size=(20, 8)) for c in centres]).astype(np.float32)
    labels = [name for name in ("fact", "unit", "verb") for _ in range(20)]
    fitted = fit_softmax(x, labels)
    model = KindModel(fitted, fitted, {"model": "m"})
    model.save(tmp_path / "kinds.json")
    loaded = KindModel.load(tmp_path / "kinds.json")
    assert loaded is not None
    reference = LogisticRegression(C=4.0, max_iter=2000, random_state=13).fit(x, labels)
    ours = np.array([list(loaded.kinds.probabilities(row).values()) for row in x])
    assert loaded.kinds.labels == tuple(reference.classes_)
    assert np.allclose(ours, reference.predict_proba(x), atol=1e-3)
    assert report(loaded.kinds, x, labels)["all"]["accuracy"] == 1.0


def test_the_held_out_split_keeps_every_label_on_both_sides() -> None:
    labels = ["a"] * 10 + ["b"] * 5
    fit_rows, test_rows = held_out_split(labels)
    assert sorted([*fit_rows, *test_rows]) == list(range(15))
    assert [labels[i] for i in test_rows] == ["a", "a", "b"]


def test_the_saved_model_was_fitted_on_the_messages_and_model_in_use(
        catalogue: Catalogue) -> None:
    model = KindModel.load()
    assert model is not None, "run `python -m index fit-kinds`"
    questions = kind_questions(catalogue, load_bank(catalogue))
    assert model.provenance["questions"] == kinds_hash(questions)
    assert model.provenance["model"] == IndexSettings().model
    assert set(model.kinds.labels) == {q.kind for q in questions}
    assert set(model.topics.labels) == set(catalogue.fact_topics)
    assert isinstance(model.kinds, Softmax)
