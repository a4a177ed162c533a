"""Retrieval benchmark: index build time, model load time, latency p50/p95 over 500 questions,
and peak RSS of a process with the index loaded: the whole answer (router, fitted hybrid
retrieval, rendering) against the lexical ranker alone. Prints a Markdown table (quoted in the
README). Query embeddings here use sentence-transformers (the index is built in-process);
scripts/bench_embeddings.py compares it with the ONNX export.

    .venv/bin/python scripts/bench_retrieval.py [--queries 500]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def queries(n: int) -> list[str]:
    """The evaluation sets' questions (learners' own words, every kind), cycled to n."""
    rows = [json.loads(line)["query"] for f in ("hard.jsonl", "fresh.jsonl", "dev.jsonl")
            for line in (ROOT / "tests" / "eval" / f).read_text().splitlines() if line.strip()]
    return [rows[i % len(rows)] for i in range(n)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(mode: str, n: int) -> dict:
    """Run in a fresh process: load, build (into an empty folder), time n queries, peak RSS."""
    from bot.conversation.answers import Context
    from bot.conversation.router import Router
    from content.loader import load_catalogue
    from index.retriever import Retriever
    from index.settings import IndexSettings

    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        retriever = Retriever(catalogue, IndexSettings(index_dir=Path(folder)))
        result: dict = {"mode": mode, "setup_s": time.perf_counter() - started}
        if mode == "hybrid":
            from index.dense import Embedder

            started = time.perf_counter()
            retriever.embedder = Embedder(retriever.settings.model)
            result["model_load_s"] = time.perf_counter() - started
            started = time.perf_counter()
            retriever.warm()
            result["build_s"] = time.perf_counter() - started
        router = Router(catalogue, retriever)
        latencies = []
        for query in queries(n):
            started = time.perf_counter()
            if mode == "hybrid":
                router.answer(query, Context())
            else:
                retriever.search(query, mode=mode)  # type: ignore[arg-type]
            latencies.append((time.perf_counter() - started) * 1000)
    result.update(p50_ms=statistics.median(latencies), p95_ms=percentile(latencies, 95),
                  chunks=len(retriever.chunks),
                  queries=n, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--mode", help=argparse.SUPPRESS)  # set for the child processes
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.queries)))
        return 0
    results = []
    for mode in ("hybrid", "lexical"):
        done = subprocess.run([sys.executable, __file__, "--mode", mode, "--queries",
                               str(args.queries)], capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{os.cpu_count()} CPUs, {args.queries} queries, torch threads default\n")
    print("| path | model load | index build | query p50 | query p95 | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        load = f"{r['model_load_s']:.1f} s" if "model_load_s" in r else "none"
        build = (f"{r['build_s']:.1f} s ({r['chunks']} chunks)" if "build_s" in r
                 else f"{r['setup_s']:.2f} s (BM25)")
        name = "whole answer (router + fitted hybrid)" if r["mode"] == "hybrid" else "BM25 alone"
        print(f"| {name} | {load} | {build} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
              f"| {r['peak_rss_mb']:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
