"""Retrieval variants side by side on the held-out sets, to choose what ships.

    .venv/bin/python scripts/compare_retrieval.py [--tuned data/models/minilm-bank]

For each embedding model (the shipped one, and a fine-tuned one if given): the index and the
blend are fitted exactly as `python -m index fit` does (each fifth of the bank held out in turn
and ranked by an index of the rest), then every variant ranks the AC questions of tests/eval/hard.jsonl,
fresh.jsonl and third.jsonl (informal, situation, guidance: written apart from the bank), with
the asker's units as the bot would:

- rrf, spec only: the retrieval before this work (reciprocal-rank fusion, no bank);
- rrf + bank: the same fusion with the bank's questions as chunks;
- fitted, spec only: the fitted blend without the bank's features;
- fitted + bank: the fitted blend with them (what ships);
- fitted + bank, no narrowing: without unit, level and body words narrowing the search.

Off-topic refusal is the fitted scope model's (or the old cosine rule for rrf), on the sets'
off-topic questions. Figures are recall@1, recall@3, MRR, and the share of off-topic refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from content.bank import load_bank  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from index.fitting import Sample, fit  # noqa: E402
from index.fusion import FEATURES, Fitted, query_vector  # noqa: E402
from index.hints import narrow_units  # noqa: E402
from index.retriever import Retriever  # noqa: E402
from index.settings import IndexSettings  # noqa: E402
from index.training import fold_samples  # noqa: E402

SETS = ("hard", "fresh", "third")
SPEC_ONLY = np.array([0.0 if name in ("dense_bank", "dense_bank3", "lexical_bank") else 1.0
                      for name in FEATURES], dtype=np.float32)


def read(name: str) -> list[dict]:
    path = ROOT / "tests" / "eval" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def rrf(features: np.ndarray) -> np.ndarray:
    """Reciprocal-rank fusion of the dense and the lexical ranking of the ACs."""
    score = np.zeros(len(features))
    for column in (np.maximum(features[:, 1], features[:, 2]),
                   np.maximum(features[:, 4], features[:, 5])):
        order = np.argsort(-column, kind="stable")
        ranks = np.empty(len(column))
        ranks[order] = np.arange(1, len(column) + 1)
        score += np.where(column > 0, 1.0 / (60 + ranks), 0.0)
    return score


def measure(retriever: Retriever, rows: list[dict],
            rank: Callable[[np.ndarray, str], tuple[np.ndarray, bool]],
            narrowing: bool = True) -> dict[str, float]:
    """recall@1/@3 and MRR over the AC questions; share of off-topic refused."""
    keys = retriever.keys
    units = np.array([k.split(" ")[0] for k in keys])
    ranks, refused = [], []
    for row in rows:
        features = retriever.scores(row["query"])[0]
        scores, in_scope = rank(features, row["query"])
        allowed = set(row.get("units") or [])
        if narrowing:
            narrowed = set(narrow_units(row["query"], retriever.catalogue, allowed or None))
            allowed = narrowed or allowed
        if allowed:
            scores = np.where(np.isin(units, list(allowed)), scores, -np.inf)
        order = [keys[i] for i in np.argsort(-scores, kind="stable")[:3]]
        if row["category"] == "offtopic":
            refused.append(not in_scope)
        elif row["category"] in ("informal", "situation", "guidance"):
            hit = next((i + 1 for i, k in enumerate(order) if k in row["relevant"]), None)
            ranks.append(hit if in_scope else None)
    n = len(ranks)
    return {"n": n, "recall@1": sum(r == 1 for r in ranks) / n,
            "recall@3": sum(bool(r) for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n,
            "offtopic_refused": sum(refused) / max(len(refused), 1)}


def fitted_ranker(fitted: Fitted, mask: np.ndarray
                  ) -> Callable[[np.ndarray, str], tuple[np.ndarray, bool]]:
    weights = np.asarray(fitted.weights, dtype=np.float32) * mask

    def rank(features: np.ndarray, query: str) -> tuple[np.ndarray, bool]:
        fused = features @ weights
        order = np.argsort(-fused, kind="stable")
        summary = query_vector(features * mask, fused, order)
        return fused, fitted.scope.probability(summary) >= fitted.scope_threshold
    return rank


def variants_for(model: str, folder: Path) -> dict[str, dict[str, dict[str, float]]]:
    catalogue = load_catalogue()
    bank = load_bank(catalogue)
    in_scope, off = fold_samples(catalogue, bank, model, folder)
    fits = {}
    for name, mask in (("bank", np.ones(len(FEATURES), dtype=np.float32)),
                       ("spec", SPEC_ONLY)):
        fits[name] = fit([Sample(s.features * mask, s.gold) for s in in_scope],
                         [Sample(s.features * mask, frozenset()) for s in off], bank=bank,
                         model=model)
    full = Retriever(catalogue, IndexSettings(model, folder / "full"), bank=bank,
                     fitted=fits["bank"])
    spec_rule = full.search  # the old cosine rule for rrf's refusal

    def old_rule(features: np.ndarray, query: str) -> tuple[np.ndarray, bool]:
        return rrf(features * SPEC_ONLY), bool(spec_rule(query, mode="rrf").covered)

    def with_bank_rule(features: np.ndarray, query: str) -> tuple[np.ndarray, bool]:
        return rrf(features), bool(spec_rule(query, mode="rrf").covered)

    rankers = {
        "rrf, spec only (before)": old_rule,
        "rrf + bank": with_bank_rule,
        "fitted, spec only": fitted_ranker(fits["spec"], SPEC_ONLY),
        "fitted + bank (ships)": fitted_ranker(fits["bank"], np.ones(len(FEATURES))),
    }
    results = {}
    for label, rank in rankers.items():
        results[label] = {s: measure(full, read(s), rank) for s in SETS}
    results["fitted + bank, no narrowing"] = {
        s: measure(full, read(s), rankers["fitted + bank (ships)"], narrowing=False)
        for s in SETS}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tuned", help="a fine-tuned model folder to compare as well")
    args = parser.parse_args()
    models = {"all-MiniLM-L6-v2": IndexSettings().model}
    if args.tuned:
        models["fine-tuned on the bank"] = args.tuned
    print("| model | variant | " + " | ".join(
        f"{s} R@1 | {s} R@3 | {s} MRR | {s} off-topic refused" for s in SETS) + " |")
    print("| --- | --- | " + " | ".join("--- | --- | --- | ---" for _ in SETS) + " |")
    for label, model in models.items():
        with tempfile.TemporaryDirectory() as folder:
            for variant, figures in variants_for(model, Path(folder)).items():
                cells = " | ".join(f"{figures[s]['recall@1']:.3f} | {figures[s]['recall@3']:.3f}"
                                   f" | {figures[s]['mrr']:.3f} | "
                                   f"{figures[s]['offtopic_refused']:.2f}" for s in SETS)
                print(f"| {label} | {variant} | {cells} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
