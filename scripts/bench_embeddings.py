"""Query embedding benchmark: sentence-transformers (torch) against the ONNX export (fp32 and
int8), each in a fresh process: import + load time, peak RSS after loading and after the
queries, query embedding p50/p95, and recall@1/@3 and MRR on tests/eval/dev.jsonl through
index.Retriever (hybrid, as the bot serves). Prints a Markdown table.

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
    from index.settings import IndexSettings

    settings = IndexSettings(index_dir=index_dir, backend=backend)
    result: dict = {"backend": backend, "note": ""}
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
    from index.evaluation import evaluate, read_cases
    from index.retriever import Retriever

    retriever = Retriever(load_catalogue(), settings, embedder=embedder)
    report, _ = evaluate(read_cases(ROOT / "tests" / "eval" / "dev.jsonl"),
                         lambda q: [h.key for h in retriever.search(q, k=10).hits])
    result.update({k: report[k] for k in ("n", "recall@1", "recall@3", "mrr")})
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
          f"in a fresh process; recall and MRR: tests/eval/dev.jsonl (n={results[0]['n']}), "
          "hybrid retrieval\n")
    print("| backend | import + load | RSS loaded | peak RSS | query p50 | query p95 "
          "| recall@1 | recall@3 | MRR | min cosine vs torch | torch imported |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        variant = {"onnx": "fp32", "onnx-int8": "int8"}.get(r["backend"])
        verdict = manifest["variants"][variant] if variant else None
        cosine = (f"{verdict['min_cosine']:.4f}" + ("" if verdict["accepted"] else " (refused)")
                  if verdict else "reference")
        print(f"| {r['backend']} | {r['load_s']:.2f} s | {r['rss_loaded_mb']:.0f} MB "
              f"| {r['rss_peak_mb']:.0f} MB | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
              f"| {r['recall@1']:.3f} | {r['recall@3']:.3f} | {r['mrr']:.3f} | {cosine} "
              f"| {'yes' if r['heavy'] else 'no'} |")
    for r in results:
        if r["note"]:
            print(f"\n{r['backend']}: {r['note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
