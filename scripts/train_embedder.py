"""Fine-tunes the embedding model on the question bank (question -> its AC's text), as an
experiment to weigh against the shipped model on questions written apart from the bank.

    .venv/bin/python scripts/train_embedder.py [--out data/models/minilm-bank] [--epochs 1]

Trains with sentence-transformers' own trainer and MultipleNegativesRankingLoss (the other
pairs of a batch are the negatives), seeded, on the CPU, on the part of the bank that
`index.fitting.split_bank` indexes (the held-out fifth stays unseen, for fitting the blend).
Then compare, e.g. `EMBEDDING_MODEL=data/models/minilm-bank INDEX_DIR=/tmp/tuned python -m
index fit` and `scripts/eval_answers.py` with the same settings.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from content.bank import load_bank  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from index.fitting import split_bank  # noqa: E402
from index.settings import Settings, model_path  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "data/models/minilm-bank"))
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    torch.manual_seed(args.seed)
    catalogue = load_catalogue()
    indexed, _ = split_bank(load_bank(catalogue))
    target = {}
    for unit in catalogue.units.values():
        for lo in unit.learning_outcomes:
            for ac in lo.criteria:
                guidance = " ".join(p for g in ac.guidance for p in g.paragraphs)
                target[ac.key] = f"{ac.text}. {lo.text}. {unit.title}. {guidance}"
    pairs = Dataset.from_dict({"anchor": [q.text for q in indexed],
                               "positive": [target[q.key] for q in indexed]})
    model = SentenceTransformer(str(model_path(Settings().embedding_model)), device="cpu")
    # The AC, its LO and the start of its guidance; the rest costs time on 2 CPUs.
    model.max_seq_length = 64
    training = SentenceTransformerTrainingArguments(
        output_dir=str(Path(args.out) / "checkpoints"), num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch, learning_rate=2e-5, warmup_ratio=0.1,
        seed=args.seed, save_strategy="no", logging_steps=20, report_to=[],
        batch_sampler="no_duplicates", use_cpu=True)
    started = time.perf_counter()
    trainer = SentenceTransformerTrainer(model=model, args=training, train_dataset=pairs,
                                         loss=MultipleNegativesRankingLoss(model))
    trainer.train()
    model.max_seq_length = 256
    model.save(args.out)
    print(f"trained on {len(indexed)} pairs, {args.epochs} epoch(s), batch {args.batch}, "
          f"seed {args.seed}, in {time.perf_counter() - started:.0f} s; saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
