"""Load rate of batch output into PostgreSQL (COPY + INSERT ... SELECT) against per-document saving.

    python benchmarks/load_rate.py --synthetic 5000
    python benchmarks/load_rate.py --output /tmp/cc-batch-out        # from batch_scaling.py --keep
    python benchmarks/load_rate.py --synthetic 2000 --url sqlite:////tmp/cc-load.db

Each run loads into a fresh schema (created and dropped; PostgreSQL) or file (SQLite) and prints rows/s
(documents, claims, places, blocking keys, entities), documents/s, the time of a second, idempotent load,
and the machine. ``--synthetic N`` writes N made-up documents as batch output first (no spaCy needed).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from crosscheck.batch import write_output
from crosscheck.load import load_output, read_shard, shard_markers
from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity
from crosscheck.storage import open_store

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TABLES = ("documents", "claims", "claim_places", "claim_blocks", "entities", "relations")
WORDS = "convoy shelling bridge village drones strike ceasefire market depot road border column artillery".split()


def synthetic(n_docs: int, n_claims: int, seed: int = 11) -> Iterator[Analysis]:
    """Made-up documents, each with ``n_claims`` claims by a few dozen actors about a few hundred places."""
    rng = random.Random(seed)
    actors = [Entity(id=f"ent_{i}", name=f"Actor {i}", type="group", side=f"S{i % 3}") for i in range(40)]
    places = [(f"Place {i}", 10 + i * 0.1, 30 + i * 0.1, 100000 + i) for i in range(300)]
    for d in range(n_docs):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(14)) + "." for _ in range(n_claims)]
        doc = Document(
            text=" ".join(sentences),
            title=f"Report {d}",
            outlet=f"Outlet {d % 25}",
            published=f"2024-{1 + d % 12:02d}-15",
        )
        claims, used, at = [], [], 0
        for s in sentences:
            who = rng.choice(actors)
            used.append(who)
            name, lat, lon, gid = rng.choice(places)
            week = f"2024-W{1 + d % 50:02d}"
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
                    frame={"blocks": [f"place:geo:{gid}:{week}", f"place:geo:{gid}", f"actor:{who.id}:{week}"]},
                )
            )
            at += len(s) + 1
        yield Analysis(document=doc, claims=claims, entities=used)


def write_synthetic(out: Path, n_docs: int, n_claims: int, shard_size: int = 200) -> None:
    batch: list[Analysis] = []
    shard = 0
    for analysis in synthetic(n_docs, n_claims):
        batch.append(analysis)
        if len(batch) == shard_size:
            write_output(out, f"syn-p{shard:05d}", batch, marker={"source": "synthetic", "line_offset": shard})
            batch, shard = [], shard + 1
    if batch:
        write_output(out, f"syn-p{shard:05d}", batch, marker={"source": "synthetic", "line_offset": shard})


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; load average {load}"


class Target:
    """A fresh, empty ledger per run: a PostgreSQL schema (dropped afterwards) or a SQLite file."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.base = url
        self.tmp = tmp
        self.made: list[str] = []

    def fresh(self) -> str:
        if self.base.startswith("sqlite"):
            return f"sqlite:///{self.tmp / f'ledger-{uuid.uuid4().hex[:8]}.db'}"
        schema = f"cc_bench_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(self.base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        self.made.append(schema)
        return (
            sa.make_url(self.base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )

    def drop(self) -> None:
        if not self.made:
            return
        engine = sa.create_engine(self.base)
        with engine.begin() as conn:
            for schema in self.made:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = {t: int(conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in TABLES}
    engine.dispose()
    return found


def report(label: str, seconds: float, counts: dict[str, int], docs: int) -> None:
    rows = sum(v for k, v in counts.items() if k != "relations")
    print(
        f"{label:<44} {seconds:8.2f} s  {rows / seconds:9.0f} rows/s  {docs / seconds:8.1f} docs/s  "
        f"({rows} rows: {counts['documents']} documents, {counts['claims']} claims, {counts['claim_places']} places, "
        f"{counts['claim_blocks']} keys, {counts['entities']} entities; {counts['relations']} relations)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None, help="batch output folder to load")
    parser.add_argument("--synthetic", type=int, default=5000, help="made-up documents when --output is not given")
    parser.add_argument("--claims", type=int, default=8, help="claims per synthetic document")
    parser.add_argument("--url", default=PG_URL, help="PostgreSQL server (a fresh schema per run) or sqlite:///...")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the per-document save_analysis baseline")
    parser.add_argument("--skip-reconcile", action="store_true", help="skip the run with reconciliation")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="cc-load-") as tmp_name:
        tmp = Path(tmp_name)
        out = args.output
        if out is None:
            out = tmp / "out"
            start = time.perf_counter()
            write_synthetic(out, args.synthetic, args.claims)
            took = time.perf_counter() - start
            print(f"wrote {args.synthetic} synthetic documents x {args.claims} claims in {took:.1f} s")
        markers, _ = shard_markers(out)
        docs = sum(int(m.get("documents", 0)) for m in markers)
        backend = sa.make_url(args.url).get_backend_name()
        print(f"output: {out} ({len(markers)} shards, {docs} documents); target: {backend}")
        target = Target(args.url, tmp)
        try:
            url = target.fresh()
            start = time.perf_counter()
            load_output(str(out), db=url, reconcile=False)
            seconds = time.perf_counter() - start
            report("load_output (bulk, no reconciliation)", seconds, row_counts(url), docs)
            start = time.perf_counter()
            load_output(str(out), db=url, reconcile=False)
            print(f"{'second load (idempotent, nothing new)':<44} {time.perf_counter() - start:8.2f} s")

            if not args.skip_baseline:
                url = target.fresh()
                start = time.perf_counter()
                with open_store(url) as st:
                    for marker in markers:
                        for analysis, sig in read_shard(out, marker):
                            st.save_analysis(analysis, signature=sig)
                seconds = time.perf_counter() - start
                report("baseline: save_analysis per document", seconds, row_counts(url), docs)

            if not args.skip_reconcile:
                url = target.fresh()
                start = time.perf_counter()
                load_output(str(out), db=url, reconcile=True)
                seconds = time.perf_counter() - start
                report("load_output with reconciliation", seconds, row_counts(url), docs)
        finally:
            target.drop()


if __name__ == "__main__":
    main()
