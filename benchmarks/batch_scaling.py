"""Batch throughput with 1 and 2 Dask workers (and in one process, without Dask) on a news corpus.

    python benchmarks/batch_scaling.py --articles 400 --workers 1 2 --inline
    python benchmarks/batch_scaling.py --input ../shared/data/news/ukraine_2022.jsonl --keep /tmp/cc-batch-out

Takes the first ``--articles`` lines of ``--input`` and runs ``crosscheck.batch.run_batch`` on them once per
worker count, into a fresh output folder each time. Prints articles/s (wall clock, cluster start and model
loading included), the scaling ratio against one worker, peak resident memory per worker process, and the
machine, and the CPU seconds per article (which other processes competing for the cores do not inflate, so
it is the figure to size a cluster with). ``--keep`` leaves the output of the last run there
(``benchmarks/load_rate.py --output`` reads it).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from crosscheck.batch import BatchReport, run_batch

DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "ukraine_2022.jsonl"


def machine() -> str:
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM"
    except ImportError:  # pragma: no cover
        memory = "RAM unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.platform()}; {platform.processor() or platform.machine()}; {os.cpu_count()} CPUs; {memory}; "
        f"Python {platform.python_version()}; load average before the run {load}"
    )


def subset(source: Path, n: int, target: Path) -> int:
    """The first ``n`` non-blank lines of ``source`` into ``target``; returns how many there were."""
    count = 0
    with source.open("rb") as src, target.open("wb") as out:
        for line in src:
            if not line.strip():
                continue
            out.write(line)
            count += 1
            if count == n:
                break
    return count


def describe(label: str, report: BatchReport, wall: float) -> dict[str, float]:
    per_worker: dict[str, float] = {}
    busy = cpu = 0.0
    for s in report.shards:
        per_worker[s.worker] = max(per_worker.get(s.worker, 0.0), s.peak_rss_mb)
        busy += s.seconds
        cpu += s.cpu_seconds
    rate = report.documents / wall if wall else 0.0
    peak = max(per_worker.values(), default=0.0)
    print(
        f"{label:<12} {report.documents:>6} articles {report.claims:>7} claims {wall:8.1f} s wall "
        f"{rate:7.2f} articles/s  shard time {busy:7.1f} s  CPU {cpu / max(report.documents, 1):.3f} s/article  "
        f"peak RSS/worker {peak:6.0f} MiB "
        f"({len(per_worker)} processes)  failed {len(report.failed)}"
    )
    return {"rate": rate, "peak": peak, "wall": wall, "cpu_per_article": cpu / max(report.documents, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-size", type=int, default=25)
    parser.add_argument("--inline", action="store_true", help="also run in this process, without Dask")
    parser.add_argument("--keep", type=Path, default=None, help="copy the last run's output here")
    args = parser.parse_args()
    if not args.input.is_file():
        raise SystemExit(f"{args.input}: not found (give --input)")

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="cc-batch-") as tmp:
        corpus = Path(tmp) / "subset.jsonl"
        n = subset(args.input, args.articles, corpus)
        print(f"input: first {n} articles of {args.input} ({corpus.stat().st_size / 2**20:.1f} MiB), ", end="")
        print(f"partitions of {args.partition_size}")
        runs: list[tuple[str, str | None, int]] = [(f"{w} worker{'s' if w > 1 else ''}", None, w) for w in args.workers]
        if args.inline:
            runs.insert(0, ("in-process", "inline", 1))
        results: dict[str, dict[str, float]] = {}
        out = Path(tmp) / "out"
        for label, scheduler, workers in runs:
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            report = run_batch(
                [str(corpus)], str(out), scheduler=scheduler, workers=workers, partition_size=args.partition_size
            )
            results[label] = describe(label, report, time.perf_counter() - start)
        base = next((r for label, r in results.items() if label.startswith("1 worker")), None)
        if base and base["rate"]:
            for label, r in results.items():
                print(f"scaling {label:<12} {r['rate'] / base['rate']:.2f}x of 1 worker")
        if args.keep is not None:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(out, args.keep)
            print(f"output kept in {args.keep}")


if __name__ == "__main__":
    main()
