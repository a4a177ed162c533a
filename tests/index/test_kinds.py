"""The kind model: its saved weights and vocabulary compute what scikit-learn fitted, and it
was fitted on the training messages and embedding model in use."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from content.bank import load_bank
from content.catalogue import Catalogue
from content.kinds import kind_questions, kinds_hash
from index.kinds import (
    KindModel,
    Softmax,
    Terms,
    features,
    fit_softmax,
    fit_terms,
    held_out_split,
    report,
)
from index.settings import IndexSettings


def test_saved_probabilities_are_scikit_learns(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    x = np.vstack([c + 0.3 * rng.normal(size=(20, 8)) for c in centres]).astype(np.float32)
    labels = [name for name in ("fact", "unit", "verb") for _ in range(20)]
    fitted = fit_softmax(x, labels)
    model = KindModel(fitted, fitted, fit_terms(["a message", "another message"]), {"model": "m"})
    model.save(tmp_path / "kinds.json")
    loaded = KindModel.load(tmp_path / "kinds.json")
    assert loaded is not None
    reference = LogisticRegression(C=8.0, max_iter=2000, random_state=13).fit(x, labels)
    ours = np.array([list(loaded.kinds.probabilities(row).values()) for row in x])
    assert loaded.kinds.labels == tuple(reference.classes_)
    assert np.allclose(ours, reference.predict_proba(x), atol=1e-3)
    assert report(loaded.kinds, x, labels)["all"]["accuracy"] == 1.0


MESSAGES = ["can you write my assignment for me", "what does evaluate mean",
            "what does Evaluate mean, evaluate evaluate", "who is whitmore", "hiya",
            "how many words is 7016", "words words words for 7016", "café coaching naïve"]


def test_a_messages_words_are_weighed_as_scikit_learn_weighs_them(tmp_path: Path) -> None:
    terms = fit_terms(MESSAGES)
    reference = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit(MESSAGES)
    assert terms.columns == reference.vocabulary_
    new = [*MESSAGES, "what does WRITE mean for my assignment", "nothing known here", ""]
    ours = np.vstack([terms.vector(text) for text in new])
    assert np.allclose(ours, reference.transform(new).toarray(), atol=1e-6)
    saved = tmp_path / "terms.json"
    saved.write_text(json.dumps(terms.as_json()))
    again = Terms.from_json(json.loads(saved.read_text()))
    assert np.allclose(again.vector("what does evaluate mean"), ours[1], atol=1e-4)


def test_the_models_read_the_embedding_then_the_words() -> None:
    terms = fit_terms(MESSAGES)
    x = features(np.ones((1, 3), dtype=np.float32), terms, "what does evaluate mean")
    assert x.shape == (3 + len(terms.columns),)
    assert list(x[:3]) == [1.0, 1.0, 1.0]
    assert np.allclose(x[3:], terms.vector("what does evaluate mean"))


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
