"""The blend's training questions as the rankers see them: every bank question held out once.

The bank is split into HOLD_OUT folds (`index.fitting.split_bank`); for each, an index of the
other four fifths ranks the held-out fifth and the off-topic questions, so no question is
ranked by an index that holds it. `python -m index fit` and `scripts/compare_retrieval.py`
share this, so the comparison fits exactly what ships.
"""

from __future__ import annotations

from pathlib import Path

from content.bank import BankQuestion, load_offtopic
from content.catalogue import Catalogue
from index.dense import load_embedder
from index.fitting import HOLD_OUT, Sample, split_bank
from index.fusion import Fitted
from index.retriever import Retriever
from index.settings import IndexSettings


def fold_samples(catalogue: Catalogue, bank: tuple[BankQuestion, ...], model: str,
                 folder: Path) -> tuple[list[Sample], list[Sample]]:
    """(in-scope, off-topic) samples over all folds; each fold's index is kept in
    folder/fit{n}, rebuilt only when its chunks change. The model loads once for all five."""
    embedder = load_embedder(IndexSettings(model, folder))
    offtopic = load_offtopic()
    in_scope: list[Sample] = []
    off_topic: list[Sample] = []
    for fold in range(HOLD_OUT):
        indexed, held = split_bank(bank, fold)
        retriever = Retriever(catalogue, IndexSettings(model, folder / f"fit{fold}"),
                              embedder=embedder, bank=indexed, fitted=Fitted.neutral())
        position = {key: i for i, key in enumerate(retriever.keys)}
        in_scope += [Sample(retriever.scores(q.text)[0], frozenset({position[q.key]}))
                     for q in held]
        off_topic += [Sample(retriever.scores(q)[0], frozenset()) for q in offtopic]
    return in_scope, off_topic
