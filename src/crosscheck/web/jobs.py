"""Ingest jobs of the web API: run one at a time in a worker thread, with progress to poll.

The analysis pipeline (a spaCy model) is loaded once, on the first job, and kept for the next ones.
Uploaded files and pasted text are written to a temporary folder that is removed when the job ends.
"""

from __future__ import annotations

import itertools
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crosscheck.errors import CrosscheckError, NotFound
from crosscheck.storage import Store


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class IngestJob:
    """One ingest request and how far it has got."""

    id: str
    sources: list[str]  # as shown to people: "pasted text", the file's name, the URL
    status: str = "queued"  # queued, running, done, failed
    read: int = 0
    stored: int = 0
    failed: int = 0
    report: dict[str, Any] | None = None
    message: str | None = None
    created: str = field(default_factory=_now)
    finished: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "sources": list(self.sources),
            "read": self.read,
            "stored": self.stored,
            "failed": self.failed,
            "report": self.report,
            "message": self.message,
            "created": self.created,
            "finished": self.finished,
        }


class IngestJobs:
    """A queue of ingest jobs over one store; the ``keep`` most recent jobs can be looked up."""

    def __init__(
        self,
        store: Store,
        settings: Mapping[str, Any],
        *,
        keep: int = 100,
        pipeline_factory: Callable[[], Any] | None = None,
        on_done: Callable[[IngestJob], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.keep = keep
        self._pipeline_factory = pipeline_factory
        self.pipeline: Any = None  # the analysis pipeline, made on the first job (tests may set one)
        self._on_done = on_done
        self._jobs: OrderedDict[str, IngestJob] = OrderedDict()
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._counter = itertools.count(1)

    def _make_pipeline(self) -> Any:
        if self.pipeline is None:
            if self._pipeline_factory is not None:
                self.pipeline = self._pipeline_factory()
            else:
                from crosscheck.pipeline import Pipeline

                self.pipeline = Pipeline(model=self.settings["model"], batch_size=self.settings["batch_size"])
        return self.pipeline

    def submit(
        self, sources: list[str], *, labels: list[str], workdir: tempfile.TemporaryDirectory[str] | None = None
    ) -> IngestJob:
        """Queue an ingest of ``sources`` (paths or URLs); ``workdir`` is removed when it ends."""
        job = IngestJob(id=f"job_{next(self._counter)}_{secrets.token_hex(4)}", sources=labels)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosscheck-ingest")
            self._executor.submit(self._run, job, sources, workdir)
        return job

    def get(self, job_id: str) -> IngestJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"ingest job {job_id!r} is not known to this server (jobs are kept until it restarts)")
        return job

    def _run(self, job: IngestJob, sources: list[str], workdir: tempfile.TemporaryDirectory[str] | None) -> None:
        from crosscheck.ingest import ingest

        def progress(event: str, n: int) -> None:
            if event == "read":
                job.read += n
            elif event == "stored":
                job.stored += n
            elif event == "error":
                job.failed += n

        job.status = "running"
        try:
            report = ingest(
                sources,
                store=self.store,
                pipeline=self._make_pipeline(),
                allow_private=bool(self.settings.get("allow_private_urls", False)),
                progress=progress,
            )
            job.report = report.as_dict()
            job.status = "done"
            job.message = (
                f"{report.documents} documents read ({report.inserted} new, {report.unchanged} already stored), "
                f"{report.claims} claims, {report.relations} relations, {len(report.errors)} errors"
            )
        except CrosscheckError as err:
            job.status = "failed"
            job.message = str(err)
        except Exception as err:  # a bug in a stage must not kill the worker; it is reported on the job
            job.status = "failed"
            job.message = f"internal error: {type(err).__name__}: {err}"
        finally:
            job.finished = _now()
            if workdir is not None:
                workdir.cleanup()
            if self._on_done is not None:
                self._on_done(job)
            job.done.set()

    def shutdown(self) -> None:
        """Stop taking jobs; wait for the running one."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
