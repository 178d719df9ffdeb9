"""Latency and throughput of `crosscheck serve` over a large ledger: claim lists (with filters), the map's
place aggregation, bounding boxes, one claim's evidence.

    python benchmarks/serve_latency.py                       # 100,000 claims, 8 concurrent clients
    python benchmarks/serve_latency.py --claims 20000 --requests 200 --concurrency 4
    python benchmarks/serve_latency.py --out benchmarks/RESULTS-serve.md
    python benchmarks/serve_latency.py --url 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench'

Builds (once; reused while it holds enough claims) a SQLite ledger of synthetic claims, starts the app with
uvicorn in a separate process on a loopback port, and drives it with an asynchronous HTTP client: a
bounded number of requests per scenario, ``--concurrency`` at a time. Prints p50/p90/p99/max latency and
throughput per scenario, and the machine. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx

from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity
from crosscheck.storage import open_store
from crosscheck.storage.engine import mask

WORDS = (
    "convoy shelling bridge village drones strike ceasefire market depot road border column artillery "
    "hospital school factory station rail power grid fuel port airfield trench brigade battalion"
).split()
SIDES = ["S0", "S1", "S2", "S3", None]
STATUSES = [None] * 6 + ["asserted", "corroborated", "contested", "disputed"]
CLAIMS_PER_DOC = 10
N_PLACES = 1500
BOX = (22.0, 44.0, 41.0, 53.0)  # where the made-up places lie: min_lon, min_lat, max_lon, max_lat


def synthetic(n_claims: int, seed: int = 11) -> Iterator[Analysis]:
    """Made-up documents of ten claims each, by 60 actors on five sides, about 1,500 places over four years."""
    rng = random.Random(seed)
    actors = [Entity(id=f"ent_{i}", name=f"Actor {i}", type="group", side=SIDES[i % len(SIDES)]) for i in range(60)]
    places = [
        (f"Place {i}", rng.uniform(BOX[1], BOX[3]), rng.uniform(BOX[0], BOX[2]), 900000 + i) for i in range(N_PLACES)
    ]
    weights = [1 / (i + 1) for i in range(N_PLACES)]  # a few places are in every story
    first_day = date(2022, 1, 1).toordinal()
    for d in range(n_claims // CLAIMS_PER_DOC):
        day = first_day + rng.randrange(4 * 365)
        published = date.fromordinal(day).isoformat()
        sentences = [" ".join(rng.choice(WORDS) for _ in range(14)) + "." for _ in range(CLAIMS_PER_DOC)]
        doc = Document(text=" ".join(sentences), title=f"Report {d}", outlet=f"Outlet {d % 40}", published=published)
        claims, used, at = [], [], 0
        for s in sentences:
            who = rng.choice(actors)
            used.append(who)
            chosen = rng.choices(places, weights=weights, k=rng.choice([1, 1, 2]))
            start = date.fromordinal(day - rng.randint(0, 3)).isoformat()
            claims.append(
                Claim(
                    document_id=doc.id,
                    text=s[:-1],
                    sentence=s,
                    span=(at, at + len(s) - 1),
                    sentence_span=(at, at + len(s)),
                    mode=rng.choice(["indirect", "direct", "according_to", "unattributed"]),
                    claimant=Actor(name=who.name, id=who.id, side=who.side),
                    event_type=rng.choice(["attack", "shelling", "territorial_control", "casualties", "aid"]),
                    places=[Place(name=n, lat=lat, lon=lon, geonames_id=g) for n, lat, lon, g in chosen],
                    quantities=[Quantity(text="12 people", value=12.0, unit="people")],
                    event_time=Interval(start, published),
                    stated_at=published,
                    status=rng.choice(STATUSES),
                    confidence=0.8,
                )
            )
            at += len(s) + 1
        yield Analysis(document=doc, claims=claims, entities=used)


def build(url: str, n_claims: int) -> None:
    """Fill the ledger at ``url`` with ``n_claims`` synthetic claims, unless it holds that many already."""
    with open_store(url) as store:
        if store.count_claims() >= n_claims:
            print(f"reusing {url} ({store.count_claims():,} claims)")
            return
        if store.count_claims():
            raise SystemExit(f"{url} holds fewer claims than asked for: remove it (or its schema) first")
    start = time.perf_counter()
    with open_store(url) as store:
        store.bulk_save(synthetic(n_claims), batch=500)
        total = store.count_claims()
    print(f"built {url}: {total:,} claims in {time.perf_counter() - start:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CROSSCHECK_DB": url}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "crosscheck.web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


Scenario = tuple[str, Callable[[random.Random], str]]


def scenarios(claim_ids: list[str]) -> list[Scenario]:
    def day(rng: random.Random) -> str:
        return f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def box(rng: random.Random) -> str:
        lon, lat = rng.uniform(BOX[0], BOX[2] - 3), rng.uniform(BOX[1], BOX[3] - 2)
        return f"{lon:.2f},{lat:.2f},{lon + 3:.2f},{lat + 2:.2f}"

    return [
        ("claims: latest 50", lambda rng: f"/api/claims?limit=50&offset={rng.choice([0, 50, 100])}"),
        ("claims: side", lambda rng: f"/api/claims?limit=50&side={rng.choice(SIDES[:-1])}"),
        ("claims: one month", lambda rng: (lambda m: f"/api/claims?limit=50&since={m}01&until={m}28")(day(rng)[:8])),
        ("claims: bbox", lambda rng: f"/api/claims?limit=50&bbox={box(rng)}"),
        ("claims: full text", lambda rng: f"/api/claims?limit=50&q={rng.choice(WORDS)}+{rng.choice(WORDS)}"),
        (
            "claims: side + event type + since",
            lambda rng: f"/api/claims?limit=50&side=S1&event_type=attack&since={day(rng)}",
        ),
        ("claim: evidence", lambda rng: f"/api/claims/{rng.choice(claim_ids)}"),
        ("map: places (cached)", lambda rng: "/api/places"),
        ("map: places, new filter each time", lambda rng: f"/api/places?since={day(rng)}&until=2025-12-31"),
        ("map: places in a bbox, new each time", lambda rng: f"/api/places?bbox={box(rng)}"),
        # last: with the store's query as it stands, one such request can keep the server busy for minutes
        ("claims: place id", lambda rng: f"/api/claims?limit=50&place={900000 + rng.randint(0, 50)}"),
    ]


async def drive(
    base: str, make: Callable[[random.Random], str], *, requests: int, concurrency: int
) -> dict[str, float]:
    rng = random.Random(5)
    paths = [make(rng) for _ in range(requests)]
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                response = await client.get(path)
                await response.aread()
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50": q[49] * 1000,
        "p90": q[89] * 1000,
        "p99": q[98] * 1000,
        "max": latencies[-1] * 1000,
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "crosscheck-serve-bench.db")
    parser.add_argument("--url", default=None, help="ledger URL instead of --db, e.g. a PostgreSQL schema")
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before one request is given up")
    parser.add_argument("--out", type=Path, default=None, help="also write the table (Markdown) to this file")
    args = parser.parse_args()

    url = args.url or f"sqlite:///{args.db}"
    build(url, args.claims)
    with open_store(url) as store:
        n_claims = store.count_claims()
        claim_ids = [c.id for c in store.query_claims(limit=1000, order="id")]
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, dict[str, float] | None]] = []
    try:
        for name, make in scenarios(claim_ids):
            probe = make(random.Random(1))
            try:
                t0 = time.perf_counter()
                httpx.get(base + probe, timeout=args.timeout).raise_for_status()
            except httpx.TimeoutException:
                print(f"{name:<38} skipped: {probe} took more than {args.timeout:.0f} s", flush=True)
                rows.append((name, None))
                break  # the server is still busy with it
            if time.perf_counter() - t0 > args.timeout / 10:
                print(f"{name:<38} skipped: {probe} took {time.perf_counter() - t0:.1f} s", flush=True)
                rows.append((name, None))
                continue
            asyncio.run(drive(base, make, requests=20, concurrency=2))  # warm up connections and caches
            r = asyncio.run(drive(base, make, requests=args.requests, concurrency=args.concurrency))
            rows.append((name, r))
            print(
                f"{name:<38} p50 {r['p50']:7.1f} ms  p90 {r['p90']:7.1f}  p99 {r['p99']:7.1f}  max {r['max']:7.1f}"
                f"  {r['rps']:7.1f} req/s  errors {r['errors']:.0f}",
                flush=True,
            )
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # still inside a slow query
            server.kill()
            server.wait(10)
    where = f"SQLite, {args.db.stat().st_size / 1e6:.0f} MB" if args.url is None else mask(url)
    header = (
        f"{n_claims:,} claims ({where}), {args.requests} requests per "
        f"scenario, {args.concurrency} concurrent, one uvicorn worker; machine: {machine()}"
    )
    print(header)
    if args.out:
        lines = [
            "| scenario | p50 ms | p90 ms | p99 ms | max ms | req/s | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in rows:
            if r is None:
                lines.append(f"| {name} | too slow to measure (see below) | | | | | |")
                continue
            lines.append(
                f"| {name} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['rps']:.1f} | "
                f"{r['errors']:.0f} |"
            )
        command = "python benchmarks/serve_latency.py " + " ".join(sys.argv[1:])
        args.out.write_text(f"{header}\n\n`{command}`\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
