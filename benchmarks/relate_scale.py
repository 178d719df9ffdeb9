"""Cross-checking at scale: full reconciliation of synthetic claims, article by article, and the
incremental path (one new article against the index of everything before it).

usage: .venv/bin/python benchmarks/relate_scale.py [--claims 100000] [--per-article 10] [--places 300]

The claims are random but shaped like the ledger's: places from a few hundred GeoNames-like ids
scattered over a front, ISO weeks of one year (2% undated), two sides with claimants and outlets,
territorial/attack/casualty statuses, counts, negations and rejections. Grouping uses the claims'
own ``frame["blocks"]``/``frame["probes"]`` through ``relate.BlockIndex``, as a storage layer would.
Peak memory is the process's maximum resident set (``resource``); tracemalloc's peak of the
Python heap is given for a smaller run when --tracemalloc is passed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from datetime import date, timedelta

from crosscheck.frames import build_frames, load_rules
from crosscheck.records import Actor, Claim, Interval, Place, Quantity
from crosscheck.relate import BlockIndex, DocInfo, relate

SIDES = {"Russia": "Russian", "Ukraine": "Ukrainian"}
STATUSES = [
    ("territorial_control", "captured", "captured"),
    ("territorial_control", "encircled", "encircled"),
    ("territorial_control", "holding", "are holding"),
    ("territorial_control", "advancing", "are advancing on"),
    ("territorial_control", "withdrew", "withdrew from"),
    ("territorial_control", "infiltrated", "infiltrated"),
    ("force_presence", None, "soldiers are in"),
    ("attack", "attacked", "attacked"),
    ("attack", "repelled", "repelled an assault on"),
    ("casualties", None, "people were killed in"),
    ("statement_of_falsehood", None, "claims about"),
    ("other", None, "said something about"),
]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def synthetic(
    n_claims: int, *, per_article: int, n_places: int, seed: int
) -> tuple[list[list[Claim]], dict[str, DocInfo]]:
    """Articles (lists of claims) and their documents."""
    rng = random.Random(seed)
    places = [
        Place(name=f"Town{i}", lat=46 + rng.random() * 6, lon=30 + rng.random() * 10, geonames_id=700000 + i)
        for i in range(n_places)
    ]
    claimants = [
        Actor(f"{side} speaker {i}", id=f"{side[:2].lower()}-speaker-{i}", side=side, type="person")
        for side in SIDES
        for i in range(40)
    ] + [Actor(f"Analyst {i}", id=f"org-analyst-{i}", type="organisation") for i in range(20)]
    outlets = [f"Outlet {i}" for i in range(40)]
    year = date(2025, 1, 1)
    articles: list[list[Claim]] = []
    documents: dict[str, DocInfo] = {}
    n_articles = n_claims // per_article
    for a in range(n_articles):
        doc_id = f"doc{a:06d}"
        day = year + timedelta(days=rng.randrange(365))
        undated = rng.random() < 0.02
        dup = f"doc{rng.randrange(a):06d}" if a and rng.random() < 0.03 else None
        documents[doc_id] = DocInfo(doc_id, rng.choice(outlets), None if undated else day.isoformat(), dup)
        focus = rng.sample(places, 2)
        claims = []
        pos = 0
        for _ in range(per_article):
            et, status, verb = rng.choice(STATUSES)
            who = rng.choice(claimants)
            agent = rng.choice(list(SIDES))
            place = rng.choice(focus) if rng.random() < 0.9 else rng.choice(places)
            text = f"{SIDES[agent]} forces {verb} {place.name}"
            quantities = []
            if et in ("force_presence", "casualties") or rng.random() < 0.1:
                v = rng.choice([12, 30, 200, 500, 1000, 3000])
                quantities.append(Quantity(str(v), value=v, unit="soldiers", approximate=rng.random() < 0.5))
                text = f"{v} {text}"
            event_time = None
            if not undated and rng.random() < 0.5:
                start = day - timedelta(days=rng.randrange(4))
                event_time = Interval(start.isoformat(), day.isoformat())
            claim = Claim(
                document_id=doc_id,
                text=text,
                sentence=text + ".",
                span=(pos, pos + len(text)),
                mode=rng.choice(["direct", "indirect", "according_to"]),
                claimant=who,
                cue=rng.choice(["said", "claimed", "denied", "reported"]) if rng.random() < 0.3 else "said",
                event_type=et,
                places=[place],
                quantities=quantities,
                event_time=event_time,
                stated_at=None if undated else day.isoformat(),
                negated=rng.random() < 0.05,
            )
            claim.frame = {"status": status} if status else None
            claims.append(claim)
            pos += len(text) + 2
        articles.append(claims)
    return articles, documents


def reconcile(articles: list[list[Claim]], documents: dict[str, DocInfo]) -> tuple[BlockIndex, Counter[str], dict]:
    rules = load_rules()
    index = BlockIndex()
    kinds: Counter[str] = Counter()
    compared = 0
    for claims in articles:
        for c, f in zip(claims, build_frames(claims, rules=rules), strict=True):
            c.frame = f
        candidates = index.candidates(claims)
        compared += len(candidates)
        for r in relate(claims, candidates, documents=documents, rules=rules):
            kinds[r.type] += 1
        index.add(claims)
    return index, kinds, {"candidates_per_article": compared / max(1, len(articles))}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--new-articles", type=int, default=100)
    parser.add_argument("--tracemalloc", type=int, default=0, help="also trace the Python heap on this many claims")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    load_rules()  # read the data files once, outside the timings

    t0 = time.perf_counter()
    articles, documents = synthetic(
        args.claims + args.new_articles * args.per_article,
        per_article=args.per_article,
        n_places=args.places,
        seed=args.seed,
    )
    base, new = articles[: -args.new_articles], articles[-args.new_articles :]
    print(
        f"generated {sum(map(len, articles)):,} claims in {len(articles):,} articles ({time.perf_counter() - t0:.1f} s)"
    )

    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    index, kinds, extra = reconcile(base, documents)
    dt = time.perf_counter() - t0
    n = sum(map(len, base))
    print(
        f"full reconciliation: {n:,} claims in {len(base):,} batches (one article each): {dt:.1f} s "
        f"= {n / dt:,.0f} claims/s; {extra['candidates_per_article']:.0f} candidates per article; "
        f"relations {dict(kinds)}"
    )
    print(f"peak RSS {peak_rss_mb():,.0f} MB (before reconciliation {rss0:,.0f} MB)")

    rules = load_rules()
    times = []
    n_rel = 0
    for claims in new:
        t1 = time.perf_counter()
        for c, f in zip(claims, build_frames(claims, rules=rules), strict=True):
            c.frame = f
        candidates = index.candidates(claims)
        n_rel += len(relate(claims, candidates, documents=documents, rules=rules))
        times.append((time.perf_counter() - t1) * 1000)
        index.add(claims)
    times.sort()
    print(
        f"incremental: one new article ({args.per_article} claims) against {len(index) - args.per_article:,} indexed: "
        f"median {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms "
        f"over {len(times)} articles ({n_rel / len(times):.1f} relations each)"
    )

    if args.tracemalloc:
        small, docs = synthetic(args.tracemalloc, per_article=args.per_article, n_places=args.places, seed=args.seed)
        tracemalloc.start()
        t0 = time.perf_counter()
        reconcile(small, docs)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"tracemalloc: {args.tracemalloc:,} claims, Python heap peak {peak / 1e6:,.0f} MB "
            f"({time.perf_counter() - t0:.1f} s under tracing)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
