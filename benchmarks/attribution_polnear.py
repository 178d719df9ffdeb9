"""Attribution on PolNeAR dev: source, cue and content span P/R/F1, exact and overlap (as Citron on PARC 3.0).

Each dev article (one annotator's file per article, the first by name) goes through the same pipeline as
`crosscheck ingest` (rule-based segmentation, spaCy parse of cue sentences only, attribution, actors).
Predicted relations are the claims that have a cue (mode other than unattributed); the pieces of one
quotation (split per sentence in the ledger) are joined back into one content span for scoring, as PolNeAR
marks one content span per relation.

Spans are compared after trimming spaces and punctuation at their edges:
* exact: the same character span;
* overlap: at least one character in common.
Precision counts predicted spans that match some gold span; recall counts gold spans matched by some
prediction. Citron reports on PARC 3.0: source F1 82.0, cue F1 ..., content overlap F1 83.3.

    .venv/bin/python benchmarks/attribution_polnear.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotes" / "polnear" / "dev"
EDGE = " \t\n\"'“”‘’.,;:—–-()"


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in EDGE:
        s += 1
    while e > s and text[e - 1] in EDGE:
        e -= 1
    return s, e


def read_ann(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    rels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            segs = [tuple(int(x) for x in seg.split()) for seg in offsets.split(";")]
            spans[parts[0]] = (label, [(a, b) for a, b in segs])
        elif line.startswith("E") and len(parts) >= 2:
            rel: dict[str, list[tuple[int, int]]] = {}
            for arg in parts[1].split():
                role, _, tid = arg.partition(":")
                role = re.sub(r"\d+$", "", role)
                if tid in spans and role in {"Source", "Cue", "Content"}:
                    rel.setdefault(role.lower(), []).extend(spans[tid][1])
            rels.append(rel)
    return rels


def join(segs: list[tuple[int, int]]) -> tuple[int, int]:
    return min(a for a, _ in segs), max(b for _, b in segs)


def prf(pred: list[tuple[int, int]], gold: list[tuple[int, int]], overlap: bool) -> tuple[int, int, int, int]:
    def match(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return (a[0] < b[1] and b[0] < a[1]) if overlap else a == b

    tp_p = sum(any(match(p, g) for g in gold) for p in pred)
    tp_g = sum(any(match(g, p) for p in pred) for g in gold)
    return tp_p, len(pred), tp_g, len(gold)


def evaluate(dev: Path, *, limit: int = 0) -> dict[str, object]:
    """Score the pipeline on PolNeAR ``dev``; returns counts and {(span, match): (P, R, F1)} in percent."""
    from crosscheck.pipeline import Pipeline
    from crosscheck.records import Document

    by_text: dict[str, Path] = {}
    for ann in sorted((dev / "attributions").glob("*.ann")):
        by_text.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    items = sorted(by_text.items())
    if limit:
        items = items[:limit]
    pipe = Pipeline()
    totals: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    n_gold = n_pred = 0
    for stem, ann in items:
        text = (dev / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        gold_rels = [r for r in read_ann(ann) if "cue" in r]
        analysis = pipe.analyse(Document(text=text))
        grouped: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = {}
        for c in analysis.claims:
            if c.mode == "unattributed" or c.cue_span is None:
                continue
            g = grouped.setdefault(c.cue_span, {"cue": [c.cue_span], "content": [], "source": []})
            g["content"].append(c.span)
            if c.claimant is not None and c.claimant.span is not None:
                g["source"] = [c.claimant.span]
        n_gold += len(gold_rels)
        n_pred += len(grouped)
        for role in ("source", "cue", "content"):
            gold = [trim(text, *join(r[role])) for r in gold_rels if r.get(role)]
            pred = [trim(text, *join(p[role])) for p in grouped.values() if p.get(role)]
            pred = [p for p in pred if p[1] > p[0]]
            for overlap in (False, True):
                t = totals[(role, overlap)]
                for i, v in enumerate(prf(pred, gold, overlap)):
                    t[i] += v
    scores: dict[tuple[str, str], tuple[float, float, float]] = {}
    for (role, overlap), (tp_p, n_p, tp_g, n_g) in totals.items():
        p = tp_p / n_p if n_p else 0.0
        r = tp_g / n_g if n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        scores[(role, "overlap" if overlap else "exact")] = (100 * p, 100 * r, 100 * f)
    return {"articles": len(items), "gold": n_gold, "predicted": n_pred, "scores": scores}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dev", default=str(DEV))
    args = ap.parse_args()
    dev = Path(args.dev)
    if not dev.is_dir():
        print(f"PolNeAR dev not found: {dev}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result = evaluate(dev, limit=args.limit)
    dt = time.perf_counter() - t0
    print(
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"PolNeAR dev: {result['articles']} articles, {result['gold']} gold attributions, "
        f"{result['predicted']} predicted, {dt:.1f} s"
    )
    print(f"{'span':8} {'match':8} {'P':>6} {'R':>6} {'F1':>6}")
    scores = result["scores"]
    assert isinstance(scores, dict)
    for role in ("source", "cue", "content"):
        for match in ("exact", "overlap"):
            p, r, f = scores[(role, match)]
            print(f"{role:8} {match:8} {p:6.1f} {r:6.1f} {f:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
