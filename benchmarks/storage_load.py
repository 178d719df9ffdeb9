"""Load synthetic analyses into a ledger and time saving, querying, streaming and exporting.

    python benchmarks/storage_load.py --documents 5000 --claims 5
    python benchmarks/storage_load.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test --schema bench

Prints the figures and the machine. With ``--schema`` (PostgreSQL) the schema is created and dropped.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from crosscheck.export import export_jsonl
from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity
from crosscheck.storage import ClaimFilter, open_store

WORDS = "convoy shelling bridge village drones strike ceasefire market depot road border column artillery".split()


def synthetic(n_docs: int, n_claims: int, seed: int = 7) -> Iterator[Analysis]:
    """Made-up documents, each with ``n_claims`` claims by a handful of actors about a few places."""
    rng = random.Random(seed)
    actors = [Entity(id=f"ent_{i}", name=f"Actor {i}", type="group", side=f"S{i % 3}") for i in range(40)]
    places = [(f"Place {i}", 10 + i * 0.1, 30 + i * 0.1, 100000 + i) for i in range(200)]
    for d in range(n_docs):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(12)) + "." for _ in range(n_claims)]
        text = " ".join(sentences)
        doc = Document(text=text, title=f"Report {d}", outlet=f"Outlet {d % 25}", published=f"2024-{1 + d % 12:02d}-15")
        claims, at = [], 0
        used = []
        for s in sentences:
            who = rng.choice(actors)
            used.append(who)
            name, lat, lon, gid = rng.choice(places)
            claims.append(
                Claim(
                    document_id=doc.id,
                    text=s[:-1],
                    sentence=s,
                    span=(at, at + len(s) - 1),
                    mode="indirect",
                    claimant=Actor(name=who.name, id=who.id, side=who.side),
                    event_type=rng.choice(["attack", "shelling", "aid"]),
                    places=[Place(name=name, lat=lat, lon=lon, geonames_id=gid)],
                    quantities=[Quantity(text="12 people", value=12.0, unit="people")],
                    event_time=Interval(doc.published, doc.published),
                    stated_at=doc.published,
                    frame={"blocks": [f"{gid}|{doc.published}"]},
                )
            )
            at += len(s) + 1
        yield Analysis(document=doc, claims=claims, entities=used)


def timed(label: str, fn: object) -> object:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{label:<40} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=5, help="claims per document")
    parser.add_argument("--url", default=None, help="ledger URL (default: a temporary SQLite file)")
    parser.add_argument("--schema", default=None, help="PostgreSQL schema to create, use and drop")
    args = parser.parse_args()

    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(f"python {platform.python_version()}, sqlalchemy {sa.__version__}")
    tmp = tempfile.TemporaryDirectory()
    url = args.url or str(Path(tmp.name) / "bench.db")
    admin = None
    if args.schema:
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE; CREATE SCHEMA "{args.schema}"'))
        url = admin.url.update_query_dict({"options": f"-csearch_path={args.schema}"}).render_as_string(False)
    analyses = list(synthetic(args.documents, args.claims))
    n_claims = args.documents * args.claims
    print(f"ledger: {url.split('?')[0]}; {args.documents} documents, {n_claims} claims")
    try:
        with open_store(url) as store:
            start = time.perf_counter()
            for a in analyses:
                store.save_analysis(a)
            spent = time.perf_counter() - start
            print(f"{'save_analysis (one transaction each)':<40} {spent:8.3f} s  ({args.documents / spent:.0f} docs/s)")
            timed("save again (all already present)", lambda: [store.save_analysis(a) for a in analyses[:500]])
            timed("count_claims(side)", lambda: store.count_claims(ClaimFilter(side="S1")))
            timed(
                "query_claims(place, since) page",
                lambda: store.query_claims(ClaimFilter(place="place 1", since="2024-06-01")),
            )
            timed("query_claims(bbox) page", lambda: store.query_claims(ClaimFilter(bbox=(30, 10, 31, 11))))
            timed("query_claims(text) page", lambda: store.query_claims(ClaimFilter(text="drones convoy")))
            timed(
                "claims_by_blocks(50 keys)",
                lambda: store.claims_by_blocks(f"{100000 + i}|2024-01-15" for i in range(50)),
            )
            tracemalloc.start()
            n = timed("iter_claims (all)", lambda: sum(1 for _ in store.iter_claims()))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"{'  claims streamed, peak traced memory':<40} {n} claims, {peak / 2**20:.1f} MiB")
            timed("export_jsonl (all)", lambda: export_jsonl(store, io.StringIO()))
            timed("stats", store.stats)
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
            admin.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main()
