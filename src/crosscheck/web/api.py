"""The JSON API: documents, claims, entities, relations, places, conflicts, timelines, export, ingest.

Every list is a page: ``{"total", "limit", "offset", "items"}``. Handlers are plain functions (run in
a thread pool) over the synchronous store; they return JSON responses built from ``shapes``.
"""

from __future__ import annotations

import itertools
import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse

from crosscheck import __version__
from crosscheck import export as exporters
from crosscheck.records import Claim
from crosscheck.storage import ClaimFilter, Store
from crosscheck.web import queries, schemas, shapes
from crosscheck.web.assets import HINT as ASSETS_HINT
from crosscheck.web.assets import missing as missing_assets
from crosscheck.web.auth import require_read, require_write
from crosscheck.web.params import (
    MAX_TEXT,
    NOT_BLANK,
    ApiError,
    ClaimQuery,
    Limit,
    Offset,
    Since,
    Until,
    bad,
    date_range,
    text,
)
from crosscheck.web.state import WebState, state

Web = Annotated[WebState, Depends(state)]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorBody, "description": "The request cannot be read (e.g. a malformed form)."},
    401: {"model": schemas.ErrorBody, "description": "A token is needed, or the one given is wrong."},
    403: {"model": schemas.ErrorBody, "description": "No API token is set on the server."},
    422: {"model": schemas.ErrorBody, "description": "A parameter is wrong; `param` names it."},
    503: {"model": schemas.ErrorBody, "description": "The database cannot be read."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": schemas.ErrorBody, "description": "No such record."}}

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)], responses=ERRORS)
write_router = APIRouter(prefix="/api", dependencies=[Depends(require_write)], responses=ERRORS)

CLAIM_ORDER = Literal[
    "-stated_at", "stated_at", "-event_start", "event_start", "-published", "published", "-added", "added", "id"
]
DOCUMENT_ORDER = Literal["-published", "published", "-added", "added", "id"]
MAX_CONFLICTS = 1000  # conflicts found per query (then paged from the cache)
MAX_TIMELINE = 5000  # timeline entries built per subject
MAX_DOCUMENT_CLAIMS = 1000
UPLOAD_MAX_BYTES = 20_000_000
JSON = "application/json"


def page(total: int, limit: int, offset: int, items: Sequence[Any], **extra: Any) -> JSONResponse:
    return JSONResponse({"total": total, "limit": limit, "offset": offset, **extra, "items": list(items)})


def _cached(web: Web, name: str, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    return web.cache.get((name, *key), queries.data_version(web.store), compute)


def _filter_key(f: ClaimFilter) -> tuple[Any, ...]:
    return astuple(f)


# -- about the server -----------------------------------------------------------------------------


@router.get("/meta", response_model=schemas.MetaOut, summary="What this server holds and allows")
def meta(web: Web) -> JSONResponse:
    """Counts, the sides with their map colours, whether writes are enabled, whether the UI's assets are there."""
    counts = queries.side_counts(web.store)
    named = [s for s in counts if s is not None]
    colours = web.colours.assign(named)
    sides = [{"name": s, "colour": colours[s], "claims": counts[s]} for s in named]
    if None in counts:
        sides.append({"name": None, "colour": web.colours.unattributed, "claims": counts[None]})
    absent = missing_assets()
    return JSONResponse(
        {
            "name": "crosscheck",
            "version": __version__,
            "documents": web.store.count_documents(),
            "claims": sum(counts.values()),
            "sides": sides,
            "palette": web.colours.palette,
            "unattributed_colour": web.colours.unattributed,
            "writes_enabled": bool(web.settings.get("api_token")),
            "public_read": bool(web.settings.get("public_read", True)),
            "assets": {"ok": not absent, "missing": absent, "hint": ASSETS_HINT if absent else None},
        }
    )


# -- documents ------------------------------------------------------------------------------------


@router.get("/documents", response_model=schemas.DocumentPage, summary="List documents")
def list_documents(
    web: Web,
    outlet: Annotated[str | None, Query(max_length=MAX_TEXT, description="Outlet name (any case).")] = None,
    since: Annotated[
        str | None, Query(description="YYYY-MM-DD: published on or after.", json_schema_extra={"format": "date"})
    ] = None,
    until: Annotated[
        str | None, Query(description="YYYY-MM-DD: published on or before.", json_schema_extra={"format": "date"})
    ] = None,
    q: Annotated[str | None, Query(description="Full-text search of title and text.")] = None,
    order: DOCUMENT_ORDER = "-published",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    start, end = date_range(since, until)
    args = {"outlet": text("outlet", outlet), "since": start, "until": end, "text": text("q", q)}
    docs = web.store.query_documents(**args, limit=limit, offset=offset, order=order) if limit else []
    total = web.store.count_documents(**args)
    return page(total, limit, offset, [shapes.document_json(d) for d in docs])


@router.get(
    "/documents/{document_id}",
    response_model=schemas.DocumentDetail,
    responses=NOT_FOUND,
    summary="One document, with its text and claims",
)
def get_document(web: Web, document_id: str) -> JSONResponse:
    doc = web.store.get_document(document_id)
    f = ClaimFilter(document_id=doc.id)
    found = web.store.query_claims(f, limit=MAX_DOCUMENT_CLAIMS, order="added")
    body = shapes.document_json(doc, text=True)
    body["claims"] = [shapes.claim_json(c, doc) for c in found]
    body["claims_total"] = web.store.count_claims(f)
    return JSONResponse(body)


# -- claims ---------------------------------------------------------------------------------------


@router.get("/claims", response_model=schemas.ClaimPage, summary="List claims, filtered")
def list_claims(
    web: Web,
    f: ClaimQuery,
    order: Annotated[CLAIM_ORDER, Query(description="Sort key; '-' for newest first.")] = "-stated_at",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    found = web.store.query_claims(f, limit=limit, offset=offset, order=order) if limit else []
    total = _cached(web, "count", _filter_key(f), lambda: web.store.count_claims(f))  # the same for every page
    return page(total, limit, offset, shapes.claims_json(web.store, found))


def _related(store: Store, claim: Claim) -> list[dict[str, Any]]:
    rels = store.relations(claim_id=claim.id)
    other_ids = {cid for r in rels for cid in r.claims if cid != claim.id}
    others = store.query_claims(ClaimFilter(ids=sorted(other_ids)), limit=len(other_ids)) if other_ids else []
    records = {c["id"]: c for c in shapes.claims_json(store, [claim, *others])}
    return [shapes.relation_json(r, records) for r in rels]


@router.get(
    "/claims/{claim_id}",
    response_model=schemas.ClaimDetail,
    responses=NOT_FOUND,
    summary="One claim with its evidence: document, highlighted sentence, attribution chain, related claims",
)
def get_claim(web: Web, claim_id: str) -> JSONResponse:
    claim = web.store.get_claim(claim_id)
    doc = next(iter(web.store.iter_documents(ids=[claim.document_id], with_text=False)), None)
    body = shapes.claim_json(claim, doc)
    body["document"] = shapes.document_json(doc) if doc else None
    body["segments"] = shapes.segments(claim.sentence, shapes.claim_marks(claim))
    body["chain"] = shapes.chain_json(claim, doc)
    body["relations"] = _related(web.store, claim)
    return JSONResponse(body)


# -- entities and relations -----------------------------------------------------------------------


@router.get("/entities", response_model=schemas.EntityPage, summary="List entities (actors, places, outlets)")
def list_entities(
    web: Web,
    type: Annotated[str | None, Query(max_length=MAX_TEXT, description="person, military, outlet, ...")] = None,
    side: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Part of the name or an alias.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    args = {"type": text("type", type), "side": text("side", side), "name": text("q", q)}
    found = web.store.entities(**args, limit=limit, offset=offset) if limit else []
    return page(queries.count_entities(web.store, **args), limit, offset, [e.to_dict() for e in found])


@router.get(
    "/entities/{entity_id}",
    response_model=schemas.EntityDetail,
    responses=NOT_FOUND,
    summary="One entity, with the latest claims it makes",
)
def get_entity(web: Web, entity_id: str) -> JSONResponse:
    entity = web.store.get_entity(entity_id)
    f = ClaimFilter(claimant=entity.id)
    body = entity.to_dict()
    body["claims_total"] = web.store.count_claims(f)
    body["claims"] = shapes.claims_json(web.store, web.store.query_claims(f, limit=20, order="-stated_at"))
    return JSONResponse(body)


@router.get("/relations", response_model=schemas.RelationPage, summary="List relations between claims")
def list_relations(
    web: Web,
    type: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="corroborates, contradicts, disputes, repeats")
    ] = None,
    claim_id: Annotated[str | None, Query(max_length=MAX_TEXT, description="Relations touching this claim.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    args = {"type": text("type", type), "claim_id": text("claim_id", claim_id)}
    rels = web.store.relations(**args, limit=limit, offset=offset) if limit else []
    ids = sorted({cid for r in rels for cid in r.claims})
    found = web.store.query_claims(ClaimFilter(ids=ids), limit=len(ids)) if ids else []
    records = {c["id"]: c for c in shapes.claims_json(web.store, found)}
    items = [shapes.relation_json(r, records) for r in rels]
    return page(queries.count_relations(web.store, **args), limit, offset, items)


# -- the map --------------------------------------------------------------------------------------


@router.get("/places", response_model=schemas.PlacePage, summary="Located places with claim counts by side")
def list_places(web: Web, f: ClaimQuery, limit: Limit = 1000, offset: Offset = 0) -> Response:
    """Places of the claims matching the filters (``bbox`` and ``place`` select places), most claimed first,
    each with its claims per side and ``contested`` when a claim there is contradicted or disputed."""
    index = web.map_index
    index.sync()

    def body() -> bytes:
        found = index.summaries(f, sync=False)
        if found is None:  # something the in-memory index cannot hold exactly: ask the database
            found = queries.place_summaries(web.store, f)
        items = [p.to_dict() for p in found[offset : offset + limit]]
        page = {"total": len(found), "limit": limit, "offset": offset, "items": items}
        return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    # the same map for everyone until the ledger changes: the answer is kept as it goes out
    version = (index.version, index.status_read)
    return Response(web.cache.get(("places", _filter_key(f), limit, offset), version, body), media_type=JSON)


# -- conflicts and timelines ----------------------------------------------------------------------


def _claim_records(store: Store, items: Sequence[Claim]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in shapes.claims_json(store, items)}


def conflict_json(conflict: Any, records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    place = conflict.place
    return {
        "id": conflict.id,
        "subject": conflict.subject,
        "place": place.to_dict() if place is not None else None,
        "sides": {side: [records[c.id] for c in items] for side, items in conflict.sides.items()},
        "relations": [r.to_dict() for r in conflict.relations],
        "outlets": list(conflict.outlets),
        "first": conflict.first,
        "last": conflict.last,
        "explanation": conflict.explanation,
        "score": float(conflict.score),
        "topic": conflict.topic,
    }


def _not_built(name: str, err: ImportError) -> ApiError:
    return ApiError(501, f"{name} is not available in this build of crosscheck ({err})")


@router.get("/conflicts", response_model=schemas.ConflictPage, summary="Contested subjects, each side's claims")
def list_conflicts(
    web: Web,
    place: Annotated[str | None, Query(max_length=MAX_TEXT, description="Place name or GeoNames id.")] = None,
    actor: Annotated[str | None, Query(max_length=MAX_TEXT, description="Claimant name or entity id.")] = None,
    side: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    try:
        from crosscheck.conflicts import find_conflicts
    except ImportError as err:
        raise _not_built("conflict detection", err) from err
    start, end = date_range(since, until)
    args = {"place": text("place", place), "actor": text("actor", actor), "side": text("side", side)}

    def compute() -> list[dict[str, Any]]:
        found = find_conflicts(web.store, **args, since=start, until=end, limit=MAX_CONFLICTS)
        records = _claim_records(web.store, [c for x in found for items in x.sides.values() for c in items])
        return [conflict_json(x, records) for x in found]

    items = _cached(web, "conflicts", (*args.values(), start, end), compute)
    return page(len(items), limit, offset, items[offset : offset + limit])


@router.get("/timeline", response_model=schemas.TimelinePage, summary="Claims about a place or actor over time")
def timeline(
    web: Web,
    subject: Annotated[
        str, Query(min_length=1, max_length=MAX_TEXT, pattern=NOT_BLANK, description="A place or an actor.")
    ],
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=0, le=MAX_TIMELINE, description=f"Entries (0..{MAX_TIMELINE}).")] = 500,
    offset: Offset = 0,
) -> JSONResponse:
    try:
        from crosscheck.timeline import build_timeline
    except ImportError as err:
        raise _not_built("the timeline", err) from err
    name = text("subject", subject)
    if name is None:
        raise bad("subject", "is empty; give a place or an actor")
    start, end = date_range(since, until)

    def compute() -> list[dict[str, Any]]:
        entries = build_timeline(web.store, name, since=start, until=end, limit=MAX_TIMELINE)
        records = _claim_records(web.store, [e.claim for e in entries])
        return [
            {
                "claim": records[e.claim.id],
                "side": e.side,
                "outlet": e.outlet,
                "event_start": e.event_start,
                "event_end": e.event_end,
                "stated_at": e.stated_at,
            }
            for e in entries
        ]

    items = _cached(web, "timeline", (name, start, end), compute)
    return page(len(items), limit, offset, items[offset : offset + limit], subject=name)


# -- export ---------------------------------------------------------------------------------------

EXPORTS: dict[str, tuple[Callable[..., int], str, str]] = {
    "jsonl": (exporters.export_jsonl, "application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": (exporters.export_csv, "text/csv; charset=utf-8", "csv"),
    "geojson": (exporters.export_geojson, "application/geo+json; charset=utf-8", "geojson"),
}


@router.get(
    "/export",
    summary="Export the ledger (streamed)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "JSON Lines, CSV (one row per claim) or GeoJSON; the filters select claims.",
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/geo+json": {
                    "schema": {
                        "type": "object",
                        "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
                        "required": ["type", "features"],
                    }
                },
            },
        }
    },
)
def export(
    web: Web,
    f: ClaimQuery,
    format: Annotated[Literal["jsonl", "csv", "geojson"], Query(description="jsonl, csv or geojson")] = "jsonl",
) -> StreamingResponse:
    from crosscheck.web.streaming import stream_export

    exporter, media_type, ext = EXPORTS[format]
    chosen = None if f == ClaimFilter() else f
    chunks = stream_export(exporter, web.store, chosen)
    first = next(chunks, b"")  # errors before the first byte still get a proper status
    return StreamingResponse(
        itertools.chain([first], chunks),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="crosscheck.{ext}"'},
    )


# -- ingest ---------------------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def _upload_name(name: str | None) -> str:
    base = _SAFE_NAME.sub("_", Path(name or "upload.txt").name).strip("._") or "upload"
    return base[:100] if "." in base else base[:96] + ".txt"


def _pasted(folder: Path, body: str, meta: dict[str, str | None]) -> Path:
    """Pasted text as a file the readers take: a one-record corpus when the form gives its title, outlet,
    date or URL; else a text file, whose own title, byline and date lines the text reader understands."""
    given = {k: v for k, v in meta.items() if v}
    if given:
        path = folder / "pasted.jsonl"
        path.write_text(json.dumps({"text": body, **given}, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path = folder / "pasted.txt"
        path.write_text(body + "\n", encoding="utf-8")
    return path


def _url(param: str, value: str | None) -> str | None:
    value = text(param, value, max_len=2000)
    if value is not None and not _URL.match(value):
        raise bad(param, f"{value!r} is not an http(s) URL")
    return value


@write_router.post(
    "/ingest",
    response_model=schemas.IngestJobOut,
    status_code=202,
    responses={200: {"model": schemas.IngestJobOut, "description": "The finished job (with wait=true)."}},
    summary="Ingest pasted text, an uploaded file, a URL or a feed",
)
def post_ingest(
    web: Web,
    text_: Annotated[str | None, Form(alias="text", description="Article text to analyse.")] = None,
    title: Annotated[str | None, Form(description="Title of the pasted text.")] = None,
    outlet: Annotated[str | None, Form(description="Outlet of the pasted text.")] = None,
    published: Annotated[str | None, Form(description="YYYY-MM-DD publication date of the pasted text.")] = None,
    source_url: Annotated[str | None, Form(description="Where the pasted text comes from.")] = None,
    url: Annotated[str | None, Form(description="An article or feed URL to fetch.")] = None,
    feed: Annotated[str | None, Form(description="A feed URL (RSS or Atom) to fetch.")] = None,
    file: Annotated[UploadFile | None, File(description="A .txt, .html, .xml feed, .jsonl or .csv corpus.")] = None,
    wait: Annotated[bool, Form(description="Answer when the job is done (200) instead of at once (202).")] = False,
) -> JSONResponse:
    """Queue an ingest job and answer with it; poll ``GET /api/ingest/{id}`` for progress and the report."""
    body = text("text", text_, max_len=int(web.settings.get("max_document_chars", 2_000_000)))
    fetch = [u for u in (_url("url", url), _url("feed", feed)) if u]
    has_file = file is not None and bool(file.filename or file.size)
    if body is None and not fetch and not has_file:
        raise bad("text", "nothing to ingest: give text, a file, a url or a feed")
    sources: list[str] = []
    labels: list[str] = []
    workdir = None
    if body is not None or has_file:
        workdir = tempfile.TemporaryDirectory(prefix="crosscheck-ingest-")
    try:
        if body is not None:
            assert workdir is not None
            meta = {
                "title": text("title", title),
                "outlet": text("outlet", outlet),
                "published": date_range(published, None)[0],
                "url": _url("source_url", source_url),
            }
            sources.append(str(_pasted(Path(workdir.name), body, meta)))
            labels.append("pasted text")
        if has_file:
            assert workdir is not None and file is not None
            data = file.file.read(UPLOAD_MAX_BYTES + 1)
            if len(data) > UPLOAD_MAX_BYTES:
                raise bad("file", f"is larger than {UPLOAD_MAX_BYTES} bytes; split it or ingest it with the CLI")
            if not data:
                raise bad("file", "is empty")
            path = Path(workdir.name) / _upload_name(file.filename)
            path.write_bytes(data)
            sources.append(str(path))
            labels.append(file.filename or path.name)
    except BaseException:
        if workdir is not None:
            workdir.cleanup()
        raise
    sources += fetch
    labels += fetch
    job = web.jobs.submit(sources, labels=labels, workdir=workdir)
    if wait:
        job.done.wait()
        return JSONResponse(job.to_dict(), status_code=200)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/ingest/{job.id}"})


@write_router.get(
    "/ingest/{job_id}", response_model=schemas.IngestJobOut, responses=NOT_FOUND, summary="An ingest job's progress"
)
def get_ingest(web: Web, job_id: str) -> JSONResponse:
    return JSONResponse(web.jobs.get(job_id).to_dict())
