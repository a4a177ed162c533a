"""Query embedding benchmark: sentence-transformers (torch) against the ONNX export (fp32 and
int8), each in a fresh process: import + load time, peak RSS after loading and after the
queries, query embedding p50/p95, and recall@1/@3 and MRR on the evaluation sets (dev, hard,
third, fresh, fourth) through index.Retriever (hybrid, as the bot serves). Prints two Markdown
tables: the costs, and the quality per set.

    .venv/bin/python scripts/bench_embeddings.py [--queries 300] [--index-dir DIR]

Without --index-dir (or when DIR has no export) the index and its export are built first into a
temporary folder with `python -m index build`.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any import this script makes: the child's load clock

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
BACKENDS = ("torch", "onnx", "onnx-int8")
SETS = ("dev", "hard", "third", "fresh", "fourth")  # tests/eval/SET.jsonl
HEAVY = ("torch", "sentence_transformers", "transformers")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(n: int) -> list[str]:
    """Evaluation questions, then AC wordings with a question around them, cycled to n."""
    from content.loader import load_catalogue

    rows = [json.loads(line)["query"] for f in ("dev.jsonl", "extra.jsonl")
            for line in (ROOT / "tests" / "eval" / f).read_text().splitlines() if line.strip()]
    rows += [f"how do I {ac.text.lower()}?" for ac in load_catalogue().criteria()]
    return [rows[i % len(rows)] for i in range(n)]


def measure(backend: str, index_dir: Path, n: int) -> dict:
    """In a fresh process: load the embedder, embed n queries one by one, then evaluate."""
    from index.dense import TextEmbedder
    from index.settings import IndexSettings

    settings = IndexSettings(index_dir=index_dir, backend=backend)
    result: dict = {"backend": backend, "note": ""}
    embedder: TextEmbedder
    if backend == "torch":
        from index.dense import Embedder

        embedder = Embedder(settings.model)
    else:
        from index.onnx_embedder import ExportUnusable, OnnxEmbedder

        variant = "int8" if backend == "onnx-int8" else "fp32"
        try:
            embedder = OnnxEmbedder(settings.onnx_dir, variant, model=settings.model)
        except ExportUnusable as exc:  # measured all the same, but the bot would not use it
            result["note"] = f"refused at build: {exc}"
            embedder = OnnxEmbedder(settings.onnx_dir, variant, model=settings.model,
                                    check=False)
    result["load_s"] = time.perf_counter() - STARTED
    result["rss_loaded_mb"] = peak_rss_mb()
    texts = queries(n)
    embedder.encode(texts[:1])  # first run allocates; not timed
    latencies = []
    for text in texts:
        started = time.perf_counter()
        embedder.encode([text])
        latencies.append((time.perf_counter() - started) * 1000)
    result.update(p50_ms=statistics.median(latencies), p95_ms=percentile(latencies, 95),
                  queries=n)

    from content.loader import load_catalogue
    from index.evaluation import EvalCase, evaluate, is_retrieval_case, read_cases
    from index.retriever import Retriever

    retriever = Retriever(load_catalogue(), settings, embedder=embedder)
    result["sets"] = {}

    def ranked(case: EvalCase) -> list[str]:  # as the build's quality gate ranks
        return [h.key for h in retriever.search(case.query, prefer=case.units, k=10).hits]

    for name in SETS:
        cases = [c for c in read_cases(ROOT / "tests" / "eval" / f"{name}.jsonl")
                 if is_retrieval_case(c)]
        report, _ = evaluate(cases, ranked)
        result["sets"][name] = {k: report[k] for k in ("n", "recall@1", "recall@3", "mrr")}
    result["rss_peak_mb"] = peak_rss_mb()
    result["heavy"] = [m for m in HEAVY if m in sys.modules]
    return result


def ensure_export(index_dir: Path) -> None:
    if (index_dir / "onnx" / "manifest.json").exists():
        return
    print(f"building the index and its ONNX export in {index_dir} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "index", "build"], cwd=ROOT, check=True,
                   env={**os.environ, "INDEX_DIR": str(index_dir)}, stdout=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # set for the child processes
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.index_dir, args.queries)))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = args.index_dir or Path(scratch) / "index"
        ensure_export(index_dir)
        manifest = json.loads((index_dir / "onnx" / "manifest.json").read_text())
        results = []
        for backend in BACKENDS:
            done = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--index-dir", str(index_dir),
                 "--queries", str(args.queries)], capture_output=True, text=True,
                check=False)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{os.cpu_count()} CPUs, {args.queries} queries embedded one at a time, each backend "
          "in a fresh process; hybrid retrieval\n")
    print("| backend | import + load | RSS loaded | peak RSS | query p50 | query p95 "
          "| min cosine vs torch | torch imported |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        variant = {"onnx": "fp32", "onnx-int8": "int8"}.get(r["backend"])
        verdict = manifest["variants"][variant] if variant else None
        cosine = (f"{verdict['min_cosine']:.4f}" + ("" if verdict["accepted"] else " (refused)")
                  if verdict else "reference")
        print(f"| {r['backend']} | {r['load_s']:.2f} s | {r['rss_loaded_mb']:.0f} MB "
              f"| {r['rss_peak_mb']:.0f} MB | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
              f"| {cosine} | {'yes' if r['heavy'] else 'no'} |")
    print("\nAC questions of each set, recall@1 / recall@3 / MRR:\n")
    print("| backend | " + " | ".join(f"{name} ({results[0]['sets'][name]['n']})"
                                      for name in SETS) + " |")
    print("| --- |" + " --- |" * len(SETS))
    for r in results:
        print(f"| {r['backend']} | " + " | ".join(
            "{recall@1:.3f} / {recall@3:.3f} / {mrr:.3f}".format(**r["sets"][name])
            for name in SETS) + " |")
    for r in results:
        if r["note"]:
            print(f"\n{r['backend']}: {r['note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
