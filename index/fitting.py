"""Fits the blend weights and the scope and confidence models (`python -m index fit`).

Training data never comes from the evaluation sets: the question bank is split by position
(every fifth question of each AC is held out to fit on, the rest are indexed), five times over
so that every bank question is held out once, and the off-topic side comes from
`content/data/offtopic.yaml`. One held-out fifth alone (690 questions) gave weights that moved
when a single bank question was removed; all five fifths give the fit five times the questions.
The fitted parameters are then used with the whole bank indexed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from content.bank import BankQuestion, bank_hash
from index.fusion import FEATURES, Fitted, Logistic, query_vector

# Held-out share of the bank: every HOLD_OUT-th question of each AC, in HOLD_OUT folds.
HOLD_OUT = 5
# Blend weights tried for each feature, one feature at a time, a few passes.
WEIGHT_GRID = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
# The scope threshold keeps at most this share of in-scope training questions refused.
MAX_IN_SCOPE_REFUSED = 0.03
# "Confident" (show one AC's card) needs the top hit right this often on training questions.
CONFIDENT_PRECISION = 0.9


@dataclass(frozen=True)
class Sample:
    """One training question as the rankers see it."""

    features: np.ndarray  # ACs x FEATURES
    gold: frozenset[int]  # the right ACs' rows; empty for an off-topic question


def split_bank(bank: Sequence[BankQuestion], fold: int = 0
               ) -> tuple[tuple[BankQuestion, ...], tuple[BankQuestion, ...]]:
    """(to index, to fit on): of each AC's questions, the fold-th of every HOLD_OUT is held
    out (fold 0: the 5th, 10th, …)."""
    seen: dict[str, int] = {}
    indexed: list[BankQuestion] = []
    held: list[BankQuestion] = []
    for q in bank:
        seen[q.key] = seen.get(q.key, 0) + 1
        (held if seen[q.key] % HOLD_OUT == fold else indexed).append(q)
    return tuple(indexed), tuple(held)


def rank_of_gold(features: np.ndarray, gold: frozenset[int], weights: np.ndarray) -> int:
    fused = features @ weights
    best = max(fused[i] for i in gold)
    return int((fused > best).sum()) + 1


def mrr(samples: Sequence[Sample], weights: np.ndarray) -> float:
    return float(np.mean([1 / rank_of_gold(s.features, s.gold, weights)
                          for s in samples if s.gold]))


def fit_weights(samples: Sequence[Sample], passes: int = 3) -> np.ndarray:
    """Coordinate ascent on MRR over WEIGHT_GRID, the bank's dense feature fixed at 1 (the
    scale of the blend is free)."""
    weights = np.ones(len(FEATURES), dtype=np.float32)
    anchor = FEATURES.index("dense_bank")
    best = mrr(samples, weights)
    for _ in range(passes):
        for i in range(len(FEATURES)):
            if i == anchor:
                continue
            for value in WEIGHT_GRID:
                trial = weights.copy()
                trial[i] = value
                score = mrr(samples, trial)
                if score > best + 1e-6:
                    best, weights = score, trial
    return weights


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2,
                 steps: int = 3000) -> Logistic:
    """Plain regularised logistic regression by gradient descent on standardised inputs
    (a few features and a few thousand rows: no library needed at run time)."""
    mean, spread = x.mean(axis=0), x.std(axis=0)
    # A feature that never varies (switched off in a comparison) keeps a scale of 1: rounded
    # to six places a tiny scale would become 0 and every prediction NaN.
    scale = np.where(spread < 1e-6, 1.0, spread)
    z = (x - mean) / scale
    coef, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ coef + bias)))
        coef -= 0.5 * (z.T @ (p - y) / len(y) + l2 * coef)
        bias -= 0.5 * float(np.mean(p - y))
    return Logistic(tuple(mean.round(6).tolist()), tuple(scale.round(6).tolist()),
                    tuple(coef.round(6).tolist()), round(bias, 6))


def summaries(samples: Sequence[Sample], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's query vector and whether its top AC is right."""
    rows, right = [], []
    for s in samples:
        fused = s.features @ weights
        order = np.argsort(-fused, kind="stable")
        rows.append(query_vector(s.features, fused, order))
        right.append(int(order[0]) in s.gold)
    return np.array(rows), np.array(right)


def fit(in_scope: Sequence[Sample], off_topic: Sequence[Sample], *, bank: Sequence[BankQuestion],
        model: str) -> Fitted:
    """Everything `Retriever` needs from the training samples, with its provenance."""
    weights = fit_weights(in_scope)
    x_in, right = summaries(in_scope, weights)
    x_off, _ = summaries(off_topic, weights)
    x = np.vstack([x_in, x_off])
    y = np.concatenate([np.ones(len(x_in)), np.zeros(len(x_off))])
    scope = fit_logistic(x, y)
    p_in = np.array([scope.probability(v) for v in x_in])
    p_off = np.array([scope.probability(v) for v in x_off])
    scope_threshold = float(np.quantile(p_in, MAX_IN_SCOPE_REFUSED))
    confidence = fit_logistic(x_in, right.astype(float))
    p_right = np.array([confidence.probability(v) for v in x_in])
    confident_threshold = _threshold_for_precision(p_right, right, CONFIDENT_PRECISION)
    top = np.array([rank_of_gold(s.features, s.gold, weights) for s in in_scope])
    return Fitted(
        weights=tuple(round(float(w), 4) for w in weights),
        scope=scope, scope_threshold=round(scope_threshold, 4),
        confidence=confidence, confident_threshold=round(confident_threshold, 4),
        prefer_bonus=round(float(np.median(x_in[:, 1])), 4),
        provenance={
            "bank": bank_hash(tuple(bank)), "model": model,
            "fitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "in_scope_questions": len(in_scope), "off_topic_questions": len(off_topic),
            "training": {
                "recall@1": round(float(np.mean(top == 1)), 4),
                "recall@3": round(float(np.mean(top <= 3)), 4),
                "mrr": round(float(np.mean(1 / top)), 4),
                "in_scope_refused": round(float(np.mean(p_in < scope_threshold)), 4),
                "off_topic_refused": round(float(np.mean(p_off < scope_threshold)), 4),
                "confident_share": round(float(np.mean(p_right >= confident_threshold)), 4),
                "confident_precision": round(float(
                    right[p_right >= confident_threshold].mean()
                    if (p_right >= confident_threshold).any() else 0.0), 4),
            },
        })


def _threshold_for_precision(p: np.ndarray, right: np.ndarray, precision: float) -> float:
    """The lowest threshold at which the questions above it are right `precision` of the
    time (1.0 when none is: never confident)."""
    for threshold in np.sort(np.unique(p)):
        above = p >= threshold
        if right[above].mean() >= precision:
            return float(threshold)
    return 1.0
