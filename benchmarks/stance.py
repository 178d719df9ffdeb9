"""Stance model: accuracy and macro-F1 on claims never trained on, and inference speed.

usage: .venv/bin/python benchmarks/stance.py [--emergent PATH] [--folds 5]

1. The shipped model (src/crosscheck/data/stance_model.npz) on its held-out claims: the split is
   rebuilt from the seed recorded in the model, so these claims were never seen in training.
2. The same recipe under grouped k-fold cross-validation (by claimId), every claim held out once.
3. Batched CPU inference: pairs per second.
The Emergent paper (Ferreira & Vlachos 2016) reports 73% accuracy on its claim-disjoint test set.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

from crosscheck.stance import MODEL_PATH, SHARED_STANCE, StanceModel, evaluate, read_emergent, split_by_claim, train


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emergent", default=str(SHARED_STANCE / "emergent" / "emergent_train.csv"))
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.emergent).is_file():
        print(f"skipped: {args.emergent} not found")
        return 0
    examples = read_emergent(args.emergent)
    print(f"machine: {machine()}")
    print(f"data: {len(examples)} pairs, {len({e.group for e in examples})} claims")

    model = StanceModel.load()
    seed_match = re.search(r"random_state=(\d+)", str(model.meta.get("split", "")))
    if seed_match:
        _train, held = split_by_claim(examples, seed=int(seed_match.group(1)))
        m = evaluate(model, held)
        per = ", ".join(f"{k} {v:.3f}" for k, v in m["f1"].items())
        print(
            f"shipped model, held-out claims: n={m['n']} pairs / {m['claims']} claims, "
            f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f} (F1: {per})"
        )
    else:
        print("shipped model was trained on every claim: no held-out figures for it")

    from sklearn.model_selection import GroupKFold

    groups = [e.group for e in examples]
    accs, f1s = [], []
    t0 = time.perf_counter()
    for tr, te in GroupKFold(n_splits=args.folds).split(np.zeros(len(examples)), groups=groups):
        fold_model = train([examples[i] for i in tr])
        m = evaluate(fold_model, [examples[i] for i in te])
        accs.append(m["accuracy"])
        f1s.append(m["macro_f1"])
    print(
        f"recipe, {args.folds}-fold grouped CV: accuracy {np.mean(accs):.3f} ± {np.std(accs):.3f}, "
        f"macro-F1 {np.mean(f1s):.3f} ± {np.std(f1s):.3f} ({time.perf_counter() - t0:.1f} s)"
    )

    pairs = [(e.claim, e.text) for e in examples] * 5
    t0 = time.perf_counter()
    model.predict(pairs)
    dt = time.perf_counter() - t0
    print(f"inference: {len(pairs)} pairs in {dt:.2f} s = {len(pairs) / dt:,.0f} pairs/s (batched, CPU)")
    print(f"model file: {MODEL_PATH.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
