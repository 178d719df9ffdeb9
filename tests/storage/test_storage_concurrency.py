"""Two processes saving the same documents at once: no duplicates, no failures."""

from __future__ import annotations

import multiprocessing

import pytest

from crosscheck.records import Analysis
from crosscheck.storage import open_store

WORKERS = 2


def _save_all(url: str, analyses: list[Analysis], start: object, out: object) -> None:
    # Runs in a forked child: open its own store (racing the other on migrations too) and save.
    # Any error is sent back as text, so the test reports it instead of waiting for a result.
    try:
        start.wait()  # type: ignore[attr-defined]
        with open_store(url) as store:
            inserted = [store.save_analysis(a).inserted for a in analyses]
        out.put(sum(inserted))  # type: ignore[attr-defined]
    except BaseException as err:
        out.put(f"{type(err).__name__}: {err}")  # type: ignore[attr-defined]


def _run_workers(url: str, analyses: list[Analysis]) -> list[int]:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(WORKERS)
    out = ctx.Queue()
    orders = [analyses, analyses[::-1]]
    procs = [ctx.Process(target=_save_all, args=(url, orders[i % 2], start, out)) for i in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(isinstance(r, int) for r in results), results
    assert [p.exitcode for p in procs] == [0] * WORKERS
    return results


@pytest.mark.postgres
def test_concurrent_saves_into_postgres_do_not_duplicate(pg_url: str, sample: list[Analysis]) -> None:
    counts = _run_workers(pg_url, sample)
    assert sum(counts) == 5  # every document inserted by exactly one of the processes
    with open_store(pg_url) as store:
        stats = store.stats()
        assert (stats["documents"], stats["claims"], stats["entities"]) == (5, 7, 4)
        assert sorted(store.get_entity("ent_saf").aliases) == ["Army officials", "SAF", "the army"]


def test_concurrent_saves_into_sqlite_do_not_duplicate(sqlite_url: str, sample: list[Analysis]) -> None:
    counts = _run_workers(sqlite_url, sample)
    assert sum(counts) == 5
    with open_store(sqlite_url) as store:
        assert (store.count_documents(), store.count_claims()) == (5, 7)
