"""Batch analysis at scale: input shards in, Parquet files of documents, claims and entities out.

``process_shard`` is the unit of work, independent of any engine: it reads one partition (JSON Lines
or Parquet), analyses it with a ``Pipeline`` kept for the life of the process, and writes
``<shard>.documents.parquet``, ``<shard>.claims.parquet`` and ``<shard>.entities.parquet`` into
``out_dir``, each through a temporary file and ``os.replace``, then ``<shard>.done`` last. A shard whose
marker matches its input (size and mtime, else a SHA-256 of its bytes) and model is skipped, so a run
that was stopped is finished by running it again. ``run_batch`` splits large JSON Lines files into
partitions, runs ``process_shard`` on each with Dask (a local cluster by default) and reports every
shard, failed ones included. ``crosscheck.load.load_output`` then puts the output into a ledger.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crosscheck import __version__
from crosscheck.config import load_settings
from crosscheck.dedup import signature
from crosscheck.errors import ConfigError, InputError
from crosscheck.pipeline import Pipeline
from crosscheck.readers import read_inputs, walk_folder
from crosscheck.readers.corpus import corpus_field_names, record_document
from crosscheck.readers.outlets import set_outlet
from crosscheck.records import Analysis, Document
from crosscheck.storage.codec import DOCUMENT_FIELDS, claim_record

__all__ = [
    "FORMAT",
    "KINDS",
    "MARKER",
    "BatchReport",
    "ShardResult",
    "output_path",
    "process_shard",
    "run_batch",
    "shard_inputs",
    "write_output",
]

FORMAT = 1  # version of the output layout below; written into every marker
KINDS = ("documents", "claims", "entities")
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
PARTITIONS = "partitions"
MARKER = ".done"
ORIGIN = ".origin.json"  # beside a partition: the file and line it was cut from

SCHEMAS = {
    "documents": pa.schema(
        [
            ("ord", pa.int32()),  # position in the shard: the order documents are loaded in
            ("id", pa.string()),
            ("published", pa.string()),
            ("outlet", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("claims", pa.int32()),
            ("signature", pa.binary()),  # crosscheck.dedup.signature of the text
            ("text", pa.large_string()),
            ("data", pa.string()),  # every Document field but the text, as JSON
        ]
    ),
    "claims": pa.schema(
        [
            ("ord", pa.int32()),  # position among its document's claims
            ("id", pa.string()),
            ("document_id", pa.string()),
            ("event_type", pa.string()),
            ("stated_at", pa.string()),
            ("blocks", pa.list_(pa.string())),
            ("data", pa.string()),  # crosscheck.storage.codec.claim_record as JSON, as the ledger stores it
        ]
    ),
    "entities": pa.schema(
        [
            ("document_id", pa.string()),
            ("id", pa.string()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("data", pa.string()),  # Entity.to_dict() as JSON
        ]
    ),
}


@dataclass
class ShardResult:
    """What ``process_shard`` did with one shard (``skipped``: its output was already complete)."""

    name: str
    input: str
    documents: int = 0
    claims: int = 0
    entities: int = 0
    errors: list[str] = field(default_factory=list)  # inputs in the shard that could not be read
    skipped: bool = False
    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0  # CPU time of the process (not slowed by other processes competing for cores)
    peak_rss_mb: float = 0.0  # peak resident memory of the process that ran it
    worker: str = ""  # host:pid

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BatchReport:
    """Every shard of a ``run_batch``: those done (or skipped as done before) and those that failed."""

    shards: list[ShardResult] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # shard name -> why
    errors: list[str] = field(default_factory=list)  # inputs that are not shards (wrong kind, missing)
    partitions: int = 0  # partition files cut from large JSON Lines inputs
    workers: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(s.documents for s in self.shards)

    @property
    def claims(self) -> int:
        return sum(s.claims for s in self.shards)

    @property
    def processed(self) -> int:
        return sum(1 for s in self.shards if not s.skipped)

    @property
    def skipped(self) -> int:
        return sum(1 for s in self.shards if s.skipped)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "shards": len(self.shards) + len(self.failed),
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": dict(self.failed),
            "errors": list(self.errors),
            "partitions": self.partitions,
            "documents": self.documents,
            "claims": self.claims,
            "input_errors": sum(len(s.errors) for s in self.shards),
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
        }


Progress = Callable[[str, int], None]  # (event, count): "done", "skipped", "failed"


# -- one shard --------------------------------------------------------------------------------------

_PIPELINES: dict[str, Pipeline] = {}  # one per model, per process: a Dask worker loads spaCy once


def _pipeline(model: str, batch_size: int) -> Pipeline:
    pipe = _PIPELINES.get(model)
    if pipe is None:
        pipe = _PIPELINES[model] = Pipeline(model=model, batch_size=batch_size)
    return pipe


def output_path(out_dir: str | Path, name: str, kind: str) -> Path:
    """Where ``process_shard`` puts the ``kind`` rows of shard ``name`` ("documents", "claims", "entities", "done")."""
    suffix = MARKER if kind == "done" else f".{kind}.parquet"
    return Path(out_dir) / f"{name}{suffix}"


def process_shard(
    shard_path: str,
    out_dir: str,
    *,
    model: str | None = None,
    corpus_fields: dict[str, str] | None = None,
    name: str | None = None,
    force: bool = False,
) -> ShardResult:
    """Analyse one shard (JSON Lines or Parquet with id, outlet, date|published, url, title, text)
    and write its Parquet output and marker into ``out_dir``; skip it when its marker says it is done.

    ``model`` defaults to the ``model`` setting; ``name`` (default: the file's stem) names the output;
    ``force`` analyses the shard again even when it is done (after a change to crosscheck itself).
    Input lines or rows that cannot be read are listed in the result, not raised; anything else
    (a missing or unreadable shard, a pipeline failure) raises, and leaves no marker behind.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    path = Path(shard_path)
    settings = load_settings(model=model)
    model_name = str(settings["model"])
    shard = name or path.stem
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = ShardResult(name=shard, input=str(path), worker=f"{socket.gethostname()}:{os.getpid()}")
    fingerprint = _fingerprint(path)
    done = None if force else _completed(out, shard, fingerprint, model_name, path)
    if done is not None:
        result.documents = int(done.get("documents", 0))
        result.claims = int(done.get("claims", 0))
        result.entities = int(done.get("entities", 0))
        result.errors = list(done.get("errors", []))
        result.skipped = True
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = time.process_time() - cpu_started
        result.peak_rss_mb = _peak_rss_mb()
        return result

    _remove_stale(out, shard)
    digest = _sha256(path)  # of the input as read now: a file changed meanwhile is not taken for done
    pipe = _pipeline(model_name, int(settings["batch_size"]))
    origin = _origin(path)
    counts = write_output(
        out,
        shard,
        _analyse(pipe, _documents(path, settings, corpus_fields, pipe, result, origin)),
        marker=lambda: {
            "input": str(path),
            "source": origin[0] if origin else str(path),
            "line_offset": origin[1] if origin else 0,
            "model": model_name,
            **fingerprint,
            "sha256": digest,
            "errors": result.errors,
        },
    )
    result.documents, result.claims, result.entities = counts["documents"], counts["claims"], counts["entities"]
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    result.peak_rss_mb = _peak_rss_mb()
    return result


def write_output(
    out_dir: str | Path,
    name: str,
    analyses: Iterable[Analysis],
    *,
    marker: Callable[[], dict[str, Any]] | dict[str, Any] | None = None,
) -> dict[str, int]:
    """Write the Parquet output of shard ``name`` and then its marker; returns the rows of each kind.

    The seam for other engines (and for benchmarks): whatever produces analyses can hand them here.
    ``marker`` adds fields to the marker (``source`` and ``line_offset`` order the shards at load
    time); a callable is called after the analyses are consumed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    output_path(out, name, "done").unlink(missing_ok=True)  # the old output is not done while it is replaced
    rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for analysis in analyses:
        _add_rows(rows, analysis)
    files = {}
    for kind in KINDS:
        target = output_path(out, name, kind)
        _write_atomic(target, partial(_write_parquet, _table(kind, rows[kind])))
        files[kind] = target.name
    counts = {kind: len(rows[kind]) for kind in KINDS}
    extra = marker() if callable(marker) else dict(marker or {})
    record = {
        "format": FORMAT,
        "crosscheck": __version__,
        "shard": name,
        "source": name,
        "line_offset": 0,
        **extra,
        **counts,
        "files": files,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _write_marker(output_path(out, name, "done"), record)
    return counts


def _analyse(pipe: Pipeline, documents: Iterable[Document]) -> Iterator[Analysis]:
    """Analyses, one pipeline batch at a time inside a spaCy memory zone, so that strings and
    lexemes the parses add to the vocabulary are freed after each batch (memory stays flat)."""
    it = iter(documents)
    while batch := list(islice(it, pipe.batch_size)):
        with pipe.nlp.memory_zone():
            analyses = list(pipe.analyse_many(batch))
        yield from analyses


def _documents(
    path: Path,
    settings: dict[str, Any],
    corpus_fields: dict[str, str] | None,
    pipe: Pipeline,
    result: ShardResult,
    origin: tuple[str, int] | None,
) -> Iterator[Document]:
    ext = path.suffix.lower()
    if ext in PARQUET_EXTENSIONS:
        items: Iterable[Document | InputError] = _read_parquet(path, settings, corpus_fields, pipe)
    elif ext in JSONL_EXTENSIONS:
        if not path.is_file():
            raise InputError(str(path), "no such shard file", "check the path, or run the batch again")
        items = read_inputs(
            [str(path)], corpus_fields=corpus_fields, max_chars=settings["max_document_chars"], registry=pipe.sources
        )
    else:
        raise InputError(str(path), f"not a shard ({ext or 'no extension'})", "give JSON Lines (.jsonl) or Parquet")
    seen: set[str] = set()
    for item in items:
        if origin is not None:
            item = _relocate(item, str(path), origin)
        if isinstance(item, InputError):
            result.errors.append(str(item))
        elif item.id not in seen:  # the same article twice in a shard: analysed once, as ingest does
            seen.add(item.id)
            yield item


def _read_parquet(
    path: Path, settings: dict[str, Any], corpus_fields: dict[str, str] | None, pipe: Pipeline
) -> Iterator[Document | InputError]:
    fields = corpus_field_names(corpus_fields)
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        raise InputError(str(path), f"cannot read Parquet ({err})", "check the file is a Parquet shard") from err
    wanted = [c for c in parquet.schema_arrow.names if any(c in names for names in fields.values())]
    n = 0
    for batch in parquet.iter_batches(batch_size=max(pipe.batch_size, 64), columns=wanted):
        for record in batch.to_pylist():
            n += 1
            item = record_document(
                record, where=f"{path}:{n}", fields=fields, max_chars=settings["max_document_chars"], path=str(path)
            )
            yield set_outlet(item, pipe.sources) if isinstance(item, Document) else item


def _relocate(item: Document | InputError, partition: str, origin: tuple[str, int]) -> Document | InputError:
    """Name a partition's line by the file and line it was cut from, as ``ingest`` of that file would."""
    source, offset = origin
    prefix = f"{partition}:"

    def moved(ref: str | None) -> str | None:
        if ref is None or not ref.startswith(prefix):
            return ref
        line, sep, rest = ref[len(prefix) :].partition("#")
        return f"{source}:{int(line) + offset}{sep}{rest}" if line.isdigit() else ref

    if isinstance(item, InputError):
        return InputError(moved(item.where) or item.where, item.reason, item.hint)
    item.source_ref = moved(item.source_ref)
    if item.path == partition:
        item.path = source
    return item


def _add_rows(rows: dict[str, list[dict[str, Any]]], analysis: Analysis) -> None:
    doc = analysis.document
    data = {"id": doc.id, **{name: getattr(doc, name) for name in DOCUMENT_FIELDS}}
    rows["documents"].append(
        {
            "ord": len(rows["documents"]),
            "id": doc.id,
            "published": doc.published,
            "outlet": doc.outlet,
            "url": doc.url,
            "title": doc.title,
            "claims": len(analysis.claims),
            "signature": signature(doc.text),
            "text": doc.text,
            "data": json.dumps(data, ensure_ascii=False),
        }
    )
    for i, claim in enumerate(analysis.claims):
        rows["claims"].append(
            {
                "ord": i,
                "id": claim.id,
                "document_id": doc.id,
                "event_type": claim.event_type,
                "stated_at": claim.stated_at,
                "blocks": [str(k) for k in dict.fromkeys((claim.frame or {}).get("blocks") or [])],
                "data": json.dumps(claim_record(claim), ensure_ascii=False),
            }
        )
    for entity in analysis.entities:
        rows["entities"].append(
            {
                "document_id": doc.id,
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "data": json.dumps(entity.to_dict(), ensure_ascii=False),
            }
        )


def _table(kind: str, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[kind])


def _write_parquet(table: pa.Table, path: str) -> None:
    pq.write_table(table, path, compression="zstd")


# -- files: fingerprints, markers, atomic writes ----------------------------------------------------


def _fingerprint(path: Path) -> dict[str, int]:
    try:
        st = path.stat()
    except OSError as err:
        raise InputError(str(path), f"cannot read shard ({err.strerror or err})", "check the path") from err
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _completed(out: Path, shard: str, fingerprint: dict[str, int], model: str, path: Path) -> dict[str, Any] | None:
    """The marker of ``shard`` when its output is complete for this very input and model, else None."""
    try:
        marker = json.loads(output_path(out, shard, "done").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT or marker.get("model") != model:
        return None
    if marker.get("size") != fingerprint["size"]:
        return None
    if marker.get("mtime_ns") != fingerprint["mtime_ns"] and marker.get("sha256") != _sha256(path):
        return None
    files = marker.get("files") or {}
    if not all((out / str(files.get(kind, ""))).is_file() for kind in KINDS):
        return None
    return marker


def _remove_stale(out: Path, shard: str) -> None:
    """Drop the temporary files an earlier, interrupted run of ``shard`` left."""
    for tmp in out.glob(f".{shard}.*.tmp"):
        tmp.unlink(missing_ok=True)


def _write_atomic(target: Path, write: Callable[[str], object]) -> None:
    """Write ``target`` through a temporary file in its folder, synced, then renamed over it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(str(tmp))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _write_marker(target: Path, marker: dict[str, Any]) -> None:
    _write_atomic(target, lambda tmp: Path(tmp).write_text(json.dumps(marker, indent=1), encoding="utf-8"))


def _origin(path: Path) -> tuple[str, int] | None:
    sidecar = path.with_name(path.stem + ORIGIN)
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        return str(data["source"]), int(data["line_offset"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- many shards --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shard:
    name: str
    path: str


def shard_inputs(
    inputs: Sequence[str], out_dir: str, *, partition_size: int = 200
) -> tuple[list[tuple[str, str]], list[str], int]:
    """The shards of ``inputs`` as (name, path), in input order; the inputs that are not shards; and how
    many partitions were cut. JSON Lines files of more than ``partition_size`` records are cut into
    ``out_dir/partitions/<stem>-<hash>-p00000.jsonl``..., reused while the file is unchanged."""
    if partition_size < 1:
        raise ConfigError(f"partition_size must be 1 or more, got {partition_size}")
    files: list[Path] = []
    errors: list[str] = []
    for given in inputs:
        p = Path(given).expanduser()
        if p.is_dir():
            files.extend(f for f in walk_folder(p) if f.suffix.lower() in JSONL_EXTENSIONS | PARQUET_EXTENSIONS)
        elif p.is_file() and p.suffix.lower() in JSONL_EXTENSIONS | PARQUET_EXTENSIONS:
            files.append(p)
        elif p.is_file():
            errors.append(str(InputError(str(p), "not a shard", "give JSON Lines (.jsonl) or Parquet files")))
        else:
            errors.append(str(InputError(str(p), "no such file or folder", "check the path")))
    unique = list(dict.fromkeys(files, None))
    part_dir = Path(out_dir) / PARTITIONS
    shards: list[_Shard] = []
    cut = 0
    for f in unique:
        parts = _partition(f, part_dir, partition_size) if f.suffix.lower() in JSONL_EXTENSIONS else None
        if parts:
            cut += len(parts)
            shards.extend(_Shard(p.stem, str(p)) for p in parts)
        else:
            shards.append(_Shard(f.stem, str(f)))
    counts: dict[str, int] = {}
    for s in shards:
        counts[s.name] = counts.get(s.name, 0) + 1
    named = [(f"{s.name}-{_short_hash(s.path)}" if counts[s.name] > 1 else s.name, s.path) for s in shards]
    return named, errors, cut


def _short_hash(text: str) -> str:
    return hashlib.sha1(str(Path(text).resolve()).encode("utf-8")).hexdigest()[:8]


def _partition(source: Path, part_dir: Path, size: int) -> list[Path] | None:
    """Cut ``source`` into partitions of ``size`` records (blank lines go along, so line numbers map
    back); None when it has no more than ``size``. Partitions are rewritten only when the file changed."""
    base = f"{source.stem}-{_short_hash(str(source))}"
    manifest_path = part_dir / f"{base}.manifest.json"
    st = source.stat()
    want = {"source": str(source), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "partition_size": size}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if {k: manifest.get(k) for k in want} == want:
            listed = [part_dir / name for name in manifest["parts"]]
            if all(p.is_file() for p in listed):
                return listed or None
    except (OSError, ValueError, KeyError, TypeError):
        pass

    parts: list[Path] = []
    pending: list[bytes] = []
    records = 0
    offset = 0  # lines of the source before the pending ones
    line_no = 0

    def flush() -> None:
        nonlocal pending, records, offset
        part = part_dir / f"{base}-p{len(parts):05d}.jsonl"
        part_dir.mkdir(parents=True, exist_ok=True)
        body = b"".join(pending)
        if not (part.is_file() and part.read_bytes() == body):
            _write_atomic(part, lambda tmp: Path(tmp).write_bytes(body))
        origin = json.dumps({"source": str(source), "line_offset": offset})
        _write_atomic(part.with_name(part.stem + ORIGIN), lambda tmp: Path(tmp).write_text(origin, encoding="utf-8"))
        parts.append(part)
        offset = line_no
        pending, records = [], 0

    with source.open("rb") as fh:
        for line in fh:
            if line.strip() and records == size:
                flush()
            pending.append(line)
            line_no += 1
            if line.strip():
                records += 1
    if not parts:
        return None
    if pending:
        flush()
    manifest_text = json.dumps({**want, "parts": [p.name for p in parts]}, indent=1)
    _write_atomic(manifest_path, lambda tmp: Path(tmp).write_text(manifest_text, encoding="utf-8"))
    return parts


def run_batch(
    inputs: list[str],
    out_dir: str,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = 200,
    model: str | None = None,
    corpus_fields: dict[str, str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BatchReport:
    """Analyse every shard of ``inputs`` (files and folders of JSON Lines or Parquet) into ``out_dir``.

    ``scheduler``: None starts a local Dask cluster of ``workers`` processes (one thread each, one
    spaCy model each); an address (``tcp://host:8786``) uses that cluster, whose workers must see
    ``out_dir`` and the inputs at the same paths; ``"inline"`` runs the shards here, one by one.
    Shards done before are skipped (unless ``force``); a failed shard is reported and the others go on; run again to
    finish the failed ones.
    """
    started = time.perf_counter()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    shards, errors, cut = shard_inputs(inputs, out_dir, partition_size=partition_size)
    report = BatchReport(errors=errors, partitions=cut)
    order = {name: i for i, (name, _) in enumerate(shards)}
    kwargs: dict[str, Any] = {"model": model, "corpus_fields": corpus_fields, "force": force}

    def record(name: str, result: ShardResult | None, failure: str | None) -> None:
        if result is not None:
            report.shards.append(result)
            if progress:
                progress("skipped" if result.skipped else "done", 1)
        else:
            report.failed[name] = failure or "failed"
            if progress:
                progress("failed", 1)

    if scheduler == "inline":
        report.workers = 1
        for name, path in shards:
            try:
                record(name, process_shard(path, out_dir, name=name, **kwargs), None)
            except Exception as err:  # a failed shard must not stop the others
                record(name, None, f"{type(err).__name__}: {err}")
    elif shards:
        report.workers = _run_dask(shards, out_dir, scheduler, workers, kwargs, record)
    report.shards.sort(key=lambda s: order.get(s.name, len(order)))
    report.seconds = time.perf_counter() - started
    return report


def _run_dask(
    shards: list[tuple[str, str]],
    out_dir: str,
    scheduler: str | None,
    workers: int,
    kwargs: dict[str, Any],
    record: Callable[[str, ShardResult | None, str | None], None],
) -> int:
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler is None:
        if workers < 1:
            raise ConfigError(f"workers must be 1 or more, got {workers}")
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        client = Client(cluster)
    else:
        cluster = None
        client = Client(scheduler)
    try:
        n_workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        run = uuid.uuid4().hex[:8]  # keys unique per run: a shared scheduler must not answer from an old one
        futures = [
            client.submit(process_shard, path, out_dir, name=name, key=f"crosscheck-{name}-{run}", **kwargs)
            for name, path in shards
        ]
        names = {future.key: name for future, (name, _) in zip(futures, shards, strict=True)}
        for future in as_completed(futures):
            name = names[future.key]
            if future.status == "finished":
                record(name, future.result(), None)
            else:
                err = future.exception()
                record(name, None, f"{type(err).__name__}: {err}")
            future.release()
        return n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
