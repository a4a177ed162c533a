"""Command line: `python -m index build | search QUERY | eval FILE`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from content.loader import load_catalogue
from index.evaluation import evaluate, read_cases
from index.retriever import Retriever


def _retriever() -> Retriever:
    return Retriever(load_catalogue())


def cmd_build(args: argparse.Namespace) -> int:
    from index.chunks import build_chunks, content_hash
    from index.dense import Embedder, build_index
    from index.settings import IndexSettings

    settings = IndexSettings.from_env()
    chunks = build_chunks(load_catalogue())
    started = time.perf_counter()
    embedder = Embedder(settings.model)
    _, manifest = build_index(embedder, [c.text for c in chunks], content_hash(chunks),
                              settings.index_dir)
    print(f"built {manifest.chunks} chunks with {manifest.model} ({manifest.dimension}-d) "
          f"in {manifest.build_seconds:.1f} s (model load included: "
          f"{time.perf_counter() - started:.1f} s) at {settings.index_dir}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    result = _retriever().search(args.query, units=args.unit or None,
                                 qualification=args.qualification, k=args.k)
    if args.json:
        print(json.dumps({
            "problem": result.problem, "ambiguous": result.ambiguous,
            "covered": result.covered, "similarity": result.similarity,
            "hits": [{"unit": h.unit_code, "ac": h.ref, "score": h.score,
                      "chunk": h.chunk.text if h.chunk else None} for h in result.hits],
        }, ensure_ascii=False))
        return 0
    if result.problem:
        print(result.problem)
    if not result.covered:
        print("(the unit guidance does not seem to cover that; best similarity "
              f"{result.similarity})")
    for i, h in enumerate(result.hits, 1):
        ac = load_catalogue().criterion(h.key)
        print(f"{i}. {h.key} ({h.score:.4f}) {ac.text if ac else ''}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    retriever = _retriever()
    cases = read_cases(Path(args.file))
    modes = ["hybrid", "dense", "lexical"] if args.compare else ["hybrid"]
    reports = {}
    for mode in modes:
        report, results = evaluate(
            cases, lambda q, m=mode: [h.key for h in retriever.search(q, k=10, mode=m).hits])
        reports[mode] = report
        print(f"== {mode}: n={report['n']} recall@1={report['recall@1']:.3f} "
              f"recall@3={report['recall@3']:.3f} mrr={report['mrr']:.3f}")
        for kind, m in report["per_kind"].items():
            print(f"   {kind:<8} n={m['n']:<3} recall@1={m['recall@1']:.3f} "
                  f"recall@3={m['recall@3']:.3f} mrr={m['mrr']:.3f}")
        for r in results:
            if r.rank != 1:
                print(f"   missed@1 (rank {r.rank}): {r.case.query!r} -> "
                      f"{list(r.returned[:3])}, wanted {list(r.case.relevant)}")
    if args.json:
        out = dict(reports["hybrid"])
        if args.compare:
            out["compare"] = {m: {k: v for k, v in r.items() if k != "per_kind"}
                              for m, r in reports.items()}
        print(json.dumps(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="embed the catalogue and save the FAISS index")
    search = sub.add_parser("search", help="rank criteria for a question")
    search.add_argument("query")
    search.add_argument("--unit", action="append", help="only this unit (repeatable)")
    search.add_argument("--qualification", help="only this qualification's units, e.g. 7D2V2")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    ev = sub.add_parser("eval", help="recall@1, recall@3 and MRR on a JSONL file")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true", help="last line: one JSON object")
    ev.add_argument("--compare", action="store_true", help="hybrid, dense and lexical side by side")
    args = parser.parse_args(argv)
    return {"build": cmd_build, "search": cmd_search, "eval": cmd_eval}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
