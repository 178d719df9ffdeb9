"""Ingest: read inputs, analyse them, store each document in one transaction, reconcile.

This is the library function behind ``crosscheck ingest``; it never prints. Progress goes
through an optional callback, and the ``IngestReport`` says what happened, including every
input that could not be read (with the file, line or URL, and why).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crosscheck.config import load_settings
from crosscheck.dedup import NearDuplicateIndex
from crosscheck.errors import CrosscheckError, InputError
from crosscheck.pipeline import Pipeline
from crosscheck.readers import read_inputs
from crosscheck.reconcile import reconcile
from crosscheck.records import Analysis, Document
from crosscheck.storage import Store, open_store


@dataclass
class IngestReport:
    documents: int = 0  # documents read
    inserted: int = 0  # new documents stored
    unchanged: int = 0  # already in the ledger: nothing changed
    near_duplicates: int = 0
    claims: int = 0
    relations: int = 0
    errors: list[InputError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "inserted": self.inserted,
            "unchanged": self.unchanged,
            "near_duplicates": self.near_duplicates,
            "claims": self.claims,
            "relations": self.relations,
            "errors": [str(e) for e in self.errors],
        }


Progress = Callable[[str, int], None]  # (event, count): "read", "stored", "error"


def ingest(
    sources: Iterable[str],
    *,
    db: str | None = None,
    store: Store | None = None,
    pipeline: Pipeline | None = None,
    corpus_fields: dict[str, str] | None = None,
    allow_private: bool | None = None,
    relate: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files, folders, corpora, feeds and URLs into the ledger at ``db`` (or ``store``).

    With ``workers`` > 1, documents are analysed in that many processes (one spaCy model each)
    while this process stores them, one transaction per document, in input order.
    """
    settings = load_settings(db=db, allow_private_urls=allow_private, workers=workers)
    own_store = store is None
    st = store if store is not None else open_store(settings["db"])
    try:
        report = IngestReport()
        known = st.document_ids()
        index = NearDuplicateIndex(threshold=settings["near_duplicate_threshold"])
        for doc_id, sig in st.iter_signatures():
            index.add_signature(doc_id, sig)
        items = read_inputs(
            sources,
            corpus_fields=corpus_fields,
            allow_private=settings["allow_private_urls"],
            fetch_timeout=settings["fetch_timeout"],
            max_bytes=settings["fetch_max_bytes"],
            max_chars=settings["max_document_chars"],
        )
        new_docs = _new_documents(items, known, report, progress)
        if settings["workers"] > 1 and pipeline is None:
            analyses = _analyse_in_processes(new_docs, settings)
        else:
            pipe = pipeline or Pipeline(model=settings["model"], batch_size=settings["batch_size"])
            analyses = pipe.analyse_many(new_docs)
        for analysis in analyses:
            store_one(st, analysis, index=index, report=report, relate=relate)
            if progress:
                progress("stored", 1)
        return report
    finally:
        if own_store:
            st.close()


_WORKER: Pipeline | None = None


def _init_worker(model: str, batch_size: int) -> None:
    global _WORKER
    _WORKER = Pipeline(model=model, batch_size=batch_size)


def _analyse_chunk(docs: list[Document]) -> list[Analysis]:
    assert _WORKER is not None, "worker not initialised"
    return list(_WORKER.analyse_many(docs))


def _analyse_in_processes(docs: Iterable[Document], settings: dict[str, Any]) -> Iterator[Analysis]:
    """Analyse in worker processes, a chunk of documents per task, results in input order."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    chunk = max(1, min(16, settings["batch_size"]))
    with ctx.Pool(
        settings["workers"], initializer=_init_worker, initargs=(settings["model"], settings["batch_size"])
    ) as pool:
        for analyses in pool.imap(_analyse_chunk, _chunks(docs, chunk)):
            yield from analyses


def _chunks(items: Iterable[Document], n: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _new_documents(
    items: Iterable[Document | InputError], known: set[str], report: IngestReport, progress: Progress | None
) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            report.errors.append(item)
            if progress:
                progress("error", 1)
            continue
        report.documents += 1
        if progress:
            progress("read", 1)
        if item.id in known:
            report.unchanged += 1
            continue
        known.add(item.id)
        yield item


def store_one(
    st: Store, analysis: Analysis, *, index: NearDuplicateIndex, report: IngestReport, relate: bool = True
) -> None:
    """Store one analysed document (one transaction), link near duplicates, reconcile its claims."""
    doc = analysis.document
    sig = index.signature(doc.text)
    dup = index.add_signature(doc.id, sig)
    if dup is not None and dup != doc.id:
        analysis.duplicate_of = dup
        report.near_duplicates += 1
    try:
        result = st.save_analysis(analysis, signature=sig)
    except CrosscheckError as err:
        report.errors.append(InputError(doc.source_ref or doc.path or doc.id, f"not stored: {err}"))
        return
    if not result.inserted:
        report.unchanged += 1
        return
    report.inserted += 1
    report.claims += result.claims
    if relate and analysis.claims:
        report.relations += reconcile(st, analysis.claims)
