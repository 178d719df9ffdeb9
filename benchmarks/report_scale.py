"""Briefing reports at scale: ``build_report`` over a ledger of synthetic claims (100,000 by default).

usage: .venv/bin/python benchmarks/report_scale.py [--claims 100000] [--per-article 10] [--places 200]
                                                   [--relations 40000] [--db PATH] [--keep] [--out RESULTS.md]

The ledger is built directly from generated ``Analysis`` records (``Store.bulk_save``) and relations
(``Store.save_relations``), skipping the NLP pipeline: two made-up sides with claimants, outlets,
places scattered over a front, dates over half a year, counts ("hundreds of soldiers", "around 200"),
and statuses. The report is then written four ways, each timed: the whole ledger as HTML, as PDF,
one place as HTML and one actor as Markdown, with the stages (gather, summarise, detail+render)
timed separately for the whole-ledger HTML. Peak memory is the process's maximum resident set.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity, Relation
from crosscheck.report import build_report
from crosscheck.report.gather import Scope, detail, gather
from crosscheck.report.render import plan_conflict, render
from crosscheck.report.summary import summarise
from crosscheck.storage import open_store

SIDES = ("North", "South")
VERBS = ("captured", "encircled", "are holding", "shelled", "repelled an assault on", "withdrew from")
COUNTS = (
    ("hundreds of soldiers", 200.0, 999.0, None, "soldiers"),
    ("around 200 soldiers", 180.0, 220.0, 200.0, "soldiers"),
    ("dozens of soldiers", 24.0, 99.0, None, "soldiers"),
    ("more than 1,000 soldiers", 1001.0, None, None, "soldiers"),
    ("12 drones", 12.0, 12.0, 12.0, "drones"),
    ("about 40 drones", 36.0, 44.0, 40.0, "drones"),
)
STATUSES = ("asserted", "asserted", "corroborated", "contested", "disputed", None)
TYPES = ("contradicts", "disputes", "corroborates", "repeats")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def synthetic(n_claims: int, *, per_article: int, n_places: int, seed: int) -> list[Analysis]:
    """Articles with ``per_article`` claims each, shaped like the ledger's."""
    rng = random.Random(seed)
    places = [(f"Town {i}", 46 + rng.random() * 6, 30 + rng.random() * 10, 800000 + i) for i in range(n_places)]
    claimants = [
        Actor(f"{side} speaker {i}", id=f"{side.lower()}-{i}", side=side, type="person")
        for side in SIDES
        for i in range(30)
    ]
    claimants += [Actor(f"Analyst {i}", id=f"analyst-{i}", type="organisation") for i in range(10)]
    entities = [Entity(id=str(a.id), name=a.name, type=str(a.type), side=a.side) for a in claimants]
    outlets = [f"Outlet {i}" for i in range(30)]
    start = date(2024, 1, 1)
    out = []
    for a in range(n_claims // per_article):
        day = start + timedelta(days=rng.randrange(182))
        sentences, specs = [], []
        for _ in range(per_article):
            place = places[min(int(rng.expovariate(1 / (n_places / 6))), n_places - 1)]
            who = rng.choice(claimants) if rng.random() < 0.8 else None
            count = rng.choice(COUNTS) if rng.random() < 0.25 else None
            verb = rng.choice(VERBS)
            body = f"{count[0] if count else 'forces'} {verb} {place[0]}"
            sentence = f"{who.name if who else 'Reports'} said {body} <b>&amp; more</b>."
            specs.append((place, who, count, body, sentence))
            sentences.append(sentence)
        text = " ".join(sentences)
        doc = Document(
            text=text,
            title=f"Report {a} on the front",
            outlet=rng.choice(outlets),
            url=f"https://news.example/{a}",
            published=day.isoformat(),
        )
        claims, at = [], 0
        for place, who, count, body, sentence in specs:
            s0 = text.index(sentence, at)
            b0 = text.index(body, s0)
            at = s0 + len(sentence)
            p0 = text.index(place[0], b0)
            quantities = []
            if count:
                quantities.append(
                    Quantity(
                        text=count[0],
                        low=count[1],
                        high=count[2],
                        value=count[3],
                        unit=count[4],
                        span=(b0, b0 + len(count[0])),
                    )
                )
            event = day - timedelta(days=rng.randrange(3))
            claims.append(
                Claim(
                    document_id=doc.id,
                    text=body,
                    sentence=sentence,
                    span=(b0, b0 + len(body)),
                    sentence_span=(s0, s0 + len(sentence)),
                    mode="indirect" if who else "unattributed",
                    claimant=who,
                    cue="said" if who else None,
                    event_type="territorial_control",
                    places=[
                        Place(
                            name=place[0],
                            mention=place[0],
                            lat=place[1],
                            lon=place[2],
                            geonames_id=place[3],
                            country="XX",
                            feature="city",
                            span=(p0, p0 + len(place[0])),
                        )
                    ],
                    quantities=quantities,
                    event_time=Interval(event.isoformat(), event.isoformat()),
                    stated_at=day.isoformat(),
                    status=rng.choice(STATUSES),
                )
            )
        out.append(Analysis(document=doc, claims=claims, entities=entities if a == 0 else []))
    return out


def relations_for(analyses: list[Analysis], n: int, *, seed: int) -> list[Relation]:
    """``n`` relations between claims about the same place."""
    rng = random.Random(seed + 1)
    by_place: dict[str, list[str]] = {}
    for an in analyses:
        for c in an.claims:
            by_place.setdefault(c.places[0].name, []).append(c.id)
    pools = [ids for ids in by_place.values() if len(ids) > 1]
    out: dict[str, Relation] = {}
    while len(out) < n:
        a, b = rng.sample(rng.choice(pools), 2)
        kind = rng.choice(TYPES)
        r = Relation(type=kind, claims=(a, b), explanation=f"{kind}: synthetic <i>pair</i>", score=rng.random())
        out[r.id] = r
    return list(out.values())


def timed(label: str, fn, rows: list[tuple[str, float, str]], note: str = ""):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn()
    rows.append((label, time.perf_counter() - t, note))
    print(f"  {label}: {rows[-1][1]:.1f} s {note}", flush=True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--places", type=int, default=200)
    ap.add_argument("--relations", type=int, default=40_000)
    ap.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="reuse --db when it exists")
    ap.add_argument("--out", type=Path, help="write the results as Markdown here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="report-scale-"))
    db = args.db or tmp / "ledger.db"
    rows: list[tuple[str, float, str]] = []
    print(f"machine: {machine()}")
    with open_store(f"sqlite:///{db}") as store:
        if not (args.keep and store.count_claims() >= args.claims):
            analyses = timed(
                "generate",
                lambda: synthetic(args.claims, per_article=args.per_article, n_places=args.places, seed=7),
                rows,
            )
            timed("store claims (bulk_save)", lambda: store.bulk_save(analyses), rows)
            rels = relations_for(analyses, args.relations, seed=7)
            timed("store relations", lambda: store.save_relations(rels), rows)
            del analyses
        n_claims, n_rel = store.count_claims(), store.count_relations()
        print(f"ledger: {n_claims:,} claims, {n_rel:,} relations, {store.count_documents():,} documents")
        scope = Scope()
        data = timed("stage: gather (whole ledger)", lambda: gather(store, scope), rows)
        statements = timed("stage: summarise", lambda: summarise(data), rows)

        def detail_render() -> str:
            plans = [plan_conflict(c, data.timelines.get(c.id)) for c in data.conflicts]
            cited = [cid for s in statements for cid in s.claims] + [cid for p in plans for cid in p.claim_ids]
            listed = detail(store, data, cited)
            text, _ = render(data, statements, listed, plans, fmt="html", image_src=lambda img: img.name)
            return text

        timed("stage: detail + render", detail_render, rows)
        results = []
        for label, kwargs in (
            ("report: whole ledger, HTML", {"fmt": "html", "out": tmp / "all.html"}),
            ("report: whole ledger, PDF", {"fmt": "pdf", "out": tmp / "all.pdf"}),
            ("report: one place, HTML", {"fmt": "html", "out": tmp / "place.html", "place": "Town 3"}),
            ("report: one actor, Markdown", {"fmt": "md", "out": tmp / "actor.md", "actor": "North"}),
        ):
            r = timed(label, lambda kw=kwargs: build_report(store, **kw), rows)
            size = r.path.stat().st_size
            note = (
                f"({r.claims:,} claims in scope, {r.listed} detailed, {r.conflicts} conflicts, "
                f"{r.statements} statements, {size / 1e6:.2f} MB" + (f", {r.pages} pages" if r.pages else "") + ")"
            )
            rows[-1] = (label, rows[-1][1], note)
            print(f"    {note}")
            results.append(r)
    peak = peak_rss_mb()
    print(f"peak RSS: {peak:.0f} MB")
    if args.out:
        lines = [
            "# Briefing reports at scale",
            "",
            f"Command: `.venv/bin/python benchmarks/report_scale.py --claims {args.claims} "
            f"--relations {args.relations} --out {args.out}`",
            f"Machine: {machine()}.",
            f"Ledger: {n_claims:,} synthetic claims in {n_claims // args.per_article:,} documents, "
            f"{n_rel:,} relations, {args.places} places, SQLite. Peak RSS {peak:.0f} MB.",
            "",
            "| step | seconds | notes |",
            "|---|---:|---|",
            *[f"| {label} | {sec:.1f} | {note} |" for label, sec, note in rows],
            "",
            "Target: a report over 100,000 claims in under 60 s. Only light rows (ids, side, status, dates, places,",
            "counts) are held for every claim in scope; full claims are read for the ~150 the report details.",
            "The load average is that of the whole machine at the start (other work on it slows every step).",
            "",
        ]
        args.out.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
