"""Command line: `python -m index build [--no-onnx] | search QUERY | eval FILE | fit |
fit-kinds`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from content.loader import load_catalogue
from index.evaluation import EvalCase, evaluate, is_retrieval_case, read_cases
from index.kinds import KINDS_MODEL_FILE, Terms
from index.retriever import Mode, Retriever


def _retriever() -> Retriever:
    return Retriever(load_catalogue())


def cmd_build(args: argparse.Namespace) -> int:
    from index.chunks import content_hash
    from index.dense import Embedder, build_index

    retriever = _retriever()
    settings, catalogue, chunks = retriever.settings, retriever.catalogue, retriever.chunks
    started = time.perf_counter()
    embedder = Embedder(settings.model)
    texts = [c.text for c in chunks]
    index, manifest = build_index(embedder, texts, content_hash(chunks), settings.index_dir)
    print(f"built {manifest.chunks} chunks with {manifest.model} ({manifest.dimension}-d) "
          f"in {manifest.build_seconds:.1f} s (model load included: "
          f"{time.perf_counter() - started:.1f} s) at {settings.index_dir}")
    if args.no_onnx:
        return 0
    from index.onnx_export import evaluation_quality, export_checked

    exported = export_checked(
        embedder, texts, index.reconstruct_n(0, index.ntotal), settings.onnx_dir,
        quality=evaluation_quality(catalogue, settings, index, manifest))
    if exported is None:
        print("ONNX export failed: queries will be embedded with sentence-transformers")
        return 0
    for variant, v in exported["variants"].items():
        figures = "".join(
            f"; {name} recall@1={m['hybrid']['recall@1']:.3f} recall@3="
            f"{m['hybrid']['recall@3']:.3f} mrr={m['hybrid']['mrr']:.3f}"
            for name, m in (v.get("quality") or {}).items())
        print(f"onnx {variant}: {'accepted' if v['accepted'] else 'REFUSED'}, min cosine "
              f"{v['min_cosine']:.6f}{figures}" + ("" if v["accepted"] else f" ({v['reason']})"))
    for name, m in (exported["reference_quality"] or {}).items():
        print(f"torch reference: {name} recall@1={m['hybrid']['recall@1']:.3f} "
              f"recall@3={m['hybrid']['recall@3']:.3f} mrr={m['hybrid']['mrr']:.3f}")
    print(f"exported to {settings.onnx_dir} in {exported['export_seconds']:.1f} s, "
          f"checked in {exported['check_seconds']:.1f} s")
    return 0


def _answered(retriever: Retriever, case: EvalCase, mode: Mode) -> list[str]:
    """The ranked AC keys the learner would be shown: none when the search refuses."""
    result = retriever.search(case.query, prefer=case.units, k=10, mode=mode)
    return [h.key for h in result.hits] if result.covered else []


def cmd_search(args: argparse.Namespace) -> int:
    result = _retriever().search(args.query, units=args.unit or None,
                                 qualification=args.qualification, k=args.k)
    if args.json:
        print(json.dumps({
            "problem": result.problem, "ambiguous": result.ambiguous,
            "covered": result.covered, "confident": result.confident, "scope": result.scope,
            "narrowed": result.narrowed,
            "hits": [{"unit": h.unit_code, "ac": h.ref, "score": h.score,
                      "chunk": h.chunk.text if h.chunk else None} for h in result.hits],
        }, ensure_ascii=False))
        return 0
    if result.problem:
        print(result.problem)
    if not result.covered:
        print(f"(the units do not seem to cover that; P(in scope) {result.scope})")
    for i, h in enumerate(result.hits, 1):
        ac = load_catalogue().criterion(h.key)
        print(f"{i}. {h.key} ({h.score:.4f}) {ac.text if ac else ''}")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from content.bank import load_bank
    from index.fitting import HOLD_OUT, fit
    from index.fusion import FITTED_FILE
    from index.settings import IndexSettings
    from index.training import fold_samples

    settings = IndexSettings.from_env()
    catalogue = load_catalogue()
    bank = load_bank(catalogue)
    started = time.perf_counter()
    in_scope, off_topic = fold_samples(catalogue, bank, settings.model, settings.index_dir)
    fitted = fit(in_scope, off_topic, bank=bank, model=settings.model)
    fitted.save()
    print(json.dumps({"weights": fitted.weights, **fitted.provenance}, indent=1))
    print(f"fitted on {len(in_scope)} bank and {len(off_topic)} off-topic questions "
          f"({HOLD_OUT} folds) in {time.perf_counter() - started:.1f} s; saved {FITTED_FILE}")
    return 0


def cmd_fit_kinds(args: argparse.Namespace) -> int:
    from content.bank import load_bank
    from content.kinds import kind_questions, kinds_hash
    from index.dense import load_embedder
    from index.kinds import KindModel, features, fit_softmax, fit_terms, held_out_split, report
    from index.settings import IndexSettings

    settings = IndexSettings.from_env()
    catalogue = load_catalogue()
    questions = kind_questions(catalogue, load_bank(catalogue))
    started = time.perf_counter()
    texts = [q.text for q in questions]
    embedded = load_embedder(settings).encode(texts)

    def design(terms: Terms, rows: Sequence[int]) -> np.ndarray:
        return np.vstack([features(embedded[i], terms, texts[i]) for i in rows])

    kinds = [q.kind for q in questions]
    facts = [i for i, q in enumerate(questions) if q.topic]
    topics = [questions[i].topic or "" for i in facts]
    held: dict[str, object] = {}
    for name, rows, labels in (("kinds", np.arange(len(questions)), kinds),
                               ("topics", np.array(facts), topics)):
        fit_rows, test_rows = held_out_split(labels)
        # The held-out messages stay out of the vocabulary too, as a new message would.
        unseen = set(rows[test_rows].tolist())
        held_terms = fit_terms([t for i, t in enumerate(texts) if i not in unseen])
        model = fit_softmax(design(held_terms, rows[fit_rows]), [labels[i] for i in fit_rows])
        held[name] = report(model, design(held_terms, rows[test_rows]),
                            [labels[i] for i in test_rows])
    terms = fit_terms(texts)
    x = design(terms, range(len(texts)))
    fitted = KindModel(fit_softmax(x, kinds), fit_softmax(x[facts], topics), terms, {
        "model": settings.model, "questions": kinds_hash(questions), "held_out": held})
    fitted.save()
    print(json.dumps(held, indent=1))
    print(f"fitted on {len(questions)} messages ({len(facts)} facts) in "
          f"{time.perf_counter() - started:.1f} s; saved {KINDS_MODEL_FILE}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    retriever = _retriever()
    cases = [c for c in read_cases(Path(args.file)) if is_retrieval_case(c)]
    modes: list[Mode] = (["hybrid", "rrf", "dense", "lexical"] if args.compare
                         else ["hybrid"])
    reports = {}
    for mode in modes:
        report, results = evaluate(cases, partial(_answered, retriever, mode=mode))
        reports[mode] = report
        print(f"== {mode}: n={report['n']} recall@1={report['recall@1']:.3f} "
              f"recall@3={report['recall@3']:.3f} mrr={report['mrr']:.3f} "
              f"in-scope refused={report['in_scope_refused']:.3f} "
              f"out-of-scope refused={report['out_of_scope_refused']:.3f}")
        for kind, m in report["per_kind"].items():
            print(f"   {kind:<8} n={m['n']:<3} recall@1={m['recall@1']:.3f} "
                  f"recall@3={m['recall@3']:.3f} mrr={m['mrr']:.3f}")
        for r in results:
            if r.rank != 1:
                print(f"   missed@1 (rank {r.rank}): {r.case.query!r} -> "
                      f"{list(r.returned[:3])}, wanted {list(r.case.relevant)}")
    if args.json:
        out = dict(reports["hybrid"])  # type: dict[str, object]
        if args.compare:
            out["compare"] = {m: {k: v for k, v in r.items() if k != "per_kind"}
                              for m, r in reports.items()}
        print(json.dumps(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="embed the catalogue, save the FAISS index and export "
                           "the model to ONNX (checked against sentence-transformers)")
    build.add_argument("--no-onnx", action="store_true", help="skip the ONNX export")
    search = sub.add_parser("search", help="rank criteria for a question")
    search.add_argument("query")
    search.add_argument("--unit", action="append", help="only this unit (repeatable)")
    search.add_argument("--qualification", help="only this qualification's units, e.g. 7D2V2")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    ev = sub.add_parser("eval", help="recall@1, recall@3 and MRR on a JSONL file")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true", help="last line: one JSON object")
    ev.add_argument("--compare", action="store_true",
                    help="the fitted hybrid, the earlier RRF hybrid, dense and lexical side by side")
    sub.add_parser("fit", help="fit the blend, scope and confidence on the question bank")
    sub.add_parser("fit-kinds", help="fit the kind and fact-topic models on content/data/"
                   "kinds.yaml, the bank and the off-topic questions")
    args = parser.parse_args(argv)
    commands = {"build": cmd_build, "search": cmd_search, "eval": cmd_eval, "fit": cmd_fit,
                "fit-kinds": cmd_fit_kinds}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
