"""The labelled kinds file: every label checked against the catalogue, enough of each kind."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from content.bank import load_bank
from content.catalogue import Catalogue
from content.kinds import KINDS, kind_questions, load_labelled
from content.loader import ContentError

MIN_PER_KIND = 90
MIN_PER_TOPIC = 6


def test_every_kind_and_fact_topic_has_enough_messages(catalogue: Catalogue) -> None:
    questions = kind_questions(catalogue, load_bank(catalogue))
    per_kind = Counter(q.kind for q in questions)
    assert set(per_kind) == set(KINDS)
    assert min(per_kind.values()) >= MIN_PER_KIND, per_kind
    per_topic = Counter(q.topic for q in questions if q.kind == "fact")
    assert set(per_topic) == set(catalogue.fact_topics)
    assert min(per_topic.values()) >= MIN_PER_TOPIC, per_topic


@pytest.mark.parametrize("line, problem", [
    ('{q: "how many words", kind: fact}', "needs a topic"),
    ('{q: "how many words", kind: fact, topic: length}', "has no fact topic length"),
    ('{q: "what does ponder mean", kind: verb, verbs: [ponder]}', "not in verbs.yaml"),
    ('{q: "who is smith", kind: theorist, theorist: "Adam Smith"}', "names no theorist"),
    ('{q: "hi", kind: wave}', "kind"),
])
def test_a_wrong_label_is_refused(catalogue: Catalogue, tmp_path: Path, line: str,
                                  problem: str) -> None:
    path = tmp_path / "kinds.yaml"
    path.write_text(f"curated: true\nquestions:\n  - {line}\n", encoding="utf-8")
    with pytest.raises(ContentError, match=problem):
        load_labelled(catalogue, path)


def test_the_same_message_twice_or_an_uncurated_file_is_refused(catalogue: Catalogue,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "kinds.yaml"
    path.write_text('curated: true\nquestions:\n  - {q: "Hiya!", kind: greeting}\n'
                    '  - {q: "hiya", kind: greeting}\n', encoding="utf-8")
    with pytest.raises(ContentError, match="twice"):
        load_labelled(catalogue, path)
    path.write_text('curated: false\nquestions:\n  - {q: "hiya", kind: greeting}\n',
                    encoding="utf-8")
    with pytest.raises(ContentError, match="curated"):
        load_labelled(catalogue, path)
