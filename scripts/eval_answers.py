"""The whole answer measured on an evaluation set, side by side with the earlier retrieval.

    .venv/bin/python scripts/eval_answers.py [tests/eval/hard.jsonl] [--dev tests/eval/dev.jsonl]
                                             [--misses FILE] [--json]

"router" is what the bot answers today: `python -m bot ask --jsonl` (the router in front of
the fitted hybrid retrieval), run in this process over every question. "rrf", "dense" and
"lexical" are the retrieval before the router and the bank (reciprocal-rank fusion, and each of
its rankers alone), which answered every question that was not an AC reference with ACs or with
a refusal. Every figure is over the evaluation set's own labels (tests/eval/HARD.md).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.adapters.batch import answer_lines  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from index.evaluation import read_cases  # noqa: E402
from index.retriever import Retriever  # noqa: E402
from index.settings import IndexSettings, Settings  # noqa: E402

AC_QUESTIONS = ("informal", "situation", "guidance")
NOT_TO_ANSWER = ("offtopic", "integrity")
SYSTEMS = ("router", "rrf", "dense", "lexical")


def normalised(text: str) -> str:
    """Text for `contains` checks: case folded, thousands separators and dashes unified."""
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text.casefold())
    return text.replace("–", "-").replace("—", "-")


def verdict(row: dict, answer: dict) -> tuple[bool, int | None]:
    """(right?, rank of the first relevant AC) for one question and one answer."""
    category, kind, acs = row["category"], answer["kind"], answer["acs"]
    relevant = set(row["relevant"])
    rank = next((i + 1 for i, key in enumerate(acs) if key in relevant), None)
    if category in AC_QUESTIONS:
        return rank == 1 and kind in ("ac", "search"), rank if kind in ("ac", "search") else None
    if category in ("ref", "bare_ref") and row["kind"] == "ac":
        return kind == "ac" and rank == 1, rank
    if category in ("fact", "verb"):
        text = normalised(answer["text"])
        return kind == category and all(normalised(c) in text for c in row["contains"]), None
    if category == "theorist":
        return kind == "theorist" and bool(set(row["theorists"]) & set(answer["theorists"])), None
    if category == "theorists":
        return kind == "theorists" and bool(set(row["theorists"]) & set(answer["theorists"])), None
    return kind == row["kind"], None


def router_answers(rows: list[dict]) -> list[dict]:
    """Every question through the batch interface, as `python -m bot ask --jsonl` runs it."""
    source = io.StringIO("".join(json.dumps({"query": r["query"], "units": r.get("units", [])})
                                 + "\n" for r in rows))
    out = io.StringIO()
    sys.stdin, stdin = source, sys.stdin
    try:
        assert answer_lines(Settings(), "-", out) == 0
    finally:
        sys.stdin = stdin
    return [json.loads(line) for line in out.getvalue().splitlines()]


def baseline_answers(retriever: Retriever, rows: list[dict], mode: str) -> list[dict]:
    """What the retrieval alone answered: an AC reference, ACs, or a refusal."""
    answers = []
    for row in rows:
        result = retriever.search(row["query"], prefer=row.get("units", []), k=3,
                                  mode=mode)  # type: ignore[arg-type]
        if result.reference is not None:
            kind = ("problem" if result.problem else "choose_unit" if result.ambiguous
                    else "ac")
        else:
            kind = "search" if result.covered and result.hits else "refusal"
        acs = [h.key for h in result.hits] if kind != "refusal" else []
        answers.append({"kind": kind, "acs": acs, "theorists": [], "text": ""})
    return answers


def report(rows: list[dict], answers: list[dict]) -> dict[str, float | None]:
    def share(pick: Callable[[dict], bool], good: Callable[[dict, dict], bool]) -> float | None:
        """The share of the picked questions answered well; None when a set has none."""
        chosen = [(r, a) for r, a in zip(rows, answers) if pick(r)]
        return round(sum(good(r, a) for r, a in chosen) / len(chosen), 4) if chosen else None

    ranks = [verdict(r, a)[1] for r, a in zip(rows, answers) if r["category"] in AC_QUESTIONS]
    n = len(ranks)
    return {
        "ac_questions": n,
        "recall@1": round(sum(1 for x in ranks if x == 1) / n, 4),
        "recall@3": round(sum(1 for x in ranks if x and x <= 3) / n, 4),
        "mrr": round(sum(1 / x for x in ranks if x) / n, 4),
        "not_to_answer_refused": share(lambda r: r["category"] in NOT_TO_ANSWER,
                                       lambda r, a: a["kind"] in ("refusal", "integrity")),
        "in_scope_refused": share(lambda r: r["category"] not in NOT_TO_ANSWER,
                                  lambda r, a: a["kind"] == "refusal"),
        "kind_right": share(lambda r: True, lambda r, a: a["kind"] == r["kind"]
                            or (r["kind"] == "search" and a["kind"] == "ac")),
        "refusal_precision": round(
            sum(1 for r, a in zip(rows, answers) if a["kind"] == "refusal"
                and r["category"] == "offtopic")
            / max(1, sum(1 for a in answers if a["kind"] == "refusal")), 4),
        "refusal_recall": share(lambda r: r["category"] == "offtopic",
                                lambda r, a: a["kind"] == "refusal"),
        "references_at_1": share(lambda r: r["category"] in ("ref", "bare_ref")
                                 and r["kind"] == "ac", lambda r, a: verdict(r, a)[0]),
        "right": share(lambda r: True, lambda r, a: verdict(r, a)[0]),
    }


def per_category(rows: list[dict], answers: list[dict]) -> dict[str, str]:
    counts: dict[str, list[int]] = {}
    for row, answer in zip(rows, answers):
        tally = counts.setdefault(row["category"], [0, 0])
        tally[0] += verdict(row, answer)[0]
        tally[1] += 1
    return {c: f"{right}/{n}" for c, (right, n) in sorted(counts.items())}


def dev_figures(retriever: Retriever, path: Path, mode: str) -> dict[str, float]:
    """recall@1/@3 and MRR on the development set (it labels only ACs)."""
    cases = read_cases(path)
    ranks = []
    for case in cases:
        result = retriever.search(case.query, k=10, mode=mode)  # type: ignore[arg-type]
        acs = [h.key for h in result.hits]
        ranks.append(next((j + 1 for j, key in enumerate(acs) if key in case.relevant), None)
                     if case.relevant else (1 if not acs else None))
    n = len(ranks)
    return {"recall@1": round(sum(1 for x in ranks if x == 1) / n, 4),
            "recall@3": round(sum(1 for x in ranks if x and x <= 3) / n, 4),
            "mrr": round(sum(1 / x for x in ranks if x) / n, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests/eval/hard.jsonl"))
    parser.add_argument("--dev", default=str(ROOT / "tests/eval/dev.jsonl"))
    parser.add_argument("--misses", help="write the router's wrong answers here (JSON lines)")
    parser.add_argument("--json", action="store_true", help="last line: every figure as JSON")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.file).read_text().splitlines() if line.strip()]
    retriever = Retriever(load_catalogue(), IndexSettings.from_settings(Settings()))
    results: dict[str, dict] = {}
    for system in SYSTEMS:
        answers = (router_answers(rows) if system == "router"
                   else baseline_answers(retriever, rows, system))
        # The development set labels ACs only (its "who should I cite" rows too, which the
        # router answers with theorists), so it is read through each system's retrieval.
        dev = dev_figures(retriever, Path(args.dev), "hybrid" if system == "router" else system)
        results[system] = {**report(rows, answers), "dev": dev,
                           "per_category": per_category(rows, answers)}
        if system == "router" and args.misses:
            with open(args.misses, "w", encoding="utf-8") as out:
                for row, answer in zip(rows, answers):
                    if not verdict(row, answer)[0]:
                        out.write(json.dumps({"row": row, "answer": {
                            **answer, "text": answer["text"][:300]}}, ensure_ascii=False) + "\n")
    print(f"{Path(args.file).name}: {len(rows)} questions; development set: {Path(args.dev).name}"
          " (read through retrieval)\n")
    print("| | router + fitted hybrid | earlier RRF hybrid | dense alone | BM25 alone |")
    print("| --- | --- | --- | --- | --- |")
    labels = [("recall@1", "AC questions in learners' words: recall@1"),
              ("recall@3", "… recall@3"), ("mrr", "… MRR"),
              ("not_to_answer_refused", "off-topic and integrity: refused or integrity reply"),
              ("in_scope_refused", "in-scope questions refused"),
              ("refusal_precision", "refusals that were off-topic (precision)"),
              ("refusal_recall", "off-topic questions refused (recall)"),
              ("kind_right", "kind of answer right"),
              ("references_at_1", "AC references right at rank 1"),
              ("right", "every question: right answer")]
    for key, label in labels:
        print(f"| {label} | " + " | ".join("n/a" if results[s][key] is None
                                           else f"{results[s][key]:.3f}" for s in SYSTEMS) + " |")
    for metric in ("recall@1", "recall@3", "mrr"):
        print(f"| development set {metric} | "
              + " | ".join(f"{results[s]['dev'][metric]:.3f}" for s in SYSTEMS) + " |")
    print("\nright answers per category (router | rrf | dense | lexical):")
    for category in results["router"]["per_category"]:
        print(f"  {category:<10} " + " | ".join(results[s]["per_category"][category]
                                                for s in SYSTEMS))
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
