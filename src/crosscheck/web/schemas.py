"""Response models of the JSON API, for the OpenAPI document (``/openapi.json``).

Handlers build plain dicts (``shapes.py``) and return them as JSON directly; these models describe
those dicts. Extra keys are allowed, so a record that grows a field does not break a client.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """Every error: what was wrong, which parameter (when one is to blame), the HTTP status."""

    error: str
    param: str | None = None
    status: int


class ActorOut(BaseModel):
    id: str | None = None
    name: str
    mention: str | None = None
    type: str | None = None
    side: str | None = None


class PlaceOut(BaseModel):
    name: str
    mention: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    feature: str | None = None
    relation: str | None = None
    span: list[int] | None = None


class QuantityOut(BaseModel):
    text: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    approximate: bool = False
    span: list[int] | None = None


class IntervalOut(BaseModel):
    start: str | None = None
    end: str | None = None
    text: str | None = None


class SourceOut(BaseModel):
    document_id: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


class ClaimOut(BaseModel):
    kind: str
    id: str
    document_id: str
    claimant: ActorOut | None = None
    via: list[ActorOut]
    cue: str | None = None
    mode: str
    text: str
    sentence: str
    span: list[int]
    event_type: str | None = None
    places: list[PlaceOut]
    quantities: list[QuantityOut]
    event_time: IntervalOut | None = None
    stated_at: str | None = None
    negated: bool
    hedged: bool
    confidence: float | None = None
    frame: dict[str, Any] | None = None
    status: str | None = None
    side: str | None = None
    source: SourceOut | None = None


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class ClaimPage(Page):
    items: list[ClaimOut]


class DocumentOut(BaseModel):
    kind: str
    id: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    outlet_id: str | None = None
    outlet_country: str | None = None
    outlet_kind: str | None = None
    handle: str | None = None


class DocumentPage(Page):
    items: list[DocumentOut]


class DocumentDetail(DocumentOut):
    text: str
    claims: list[ClaimOut]
    claims_total: int


class RelationOut(BaseModel):
    kind: str
    id: str
    type: str
    claims: list[str]
    explanation: str
    score: float | None = None
    claim_records: list[ClaimOut | None] | None = None


class RelationPage(Page):
    items: list[RelationOut]


class Segment(BaseModel):
    text: str
    marks: list[str]


class ChainLink(BaseModel):
    role: str
    id: str | None = None
    name: str | None = None
    mention: str | None = None
    type: str | None = None
    side: str | None = None
    url: str | None = None


class ClaimDetail(ClaimOut):
    document: DocumentOut | None = None
    segments: list[Segment]
    chain: list[ChainLink]
    relations: list[RelationOut]


class EntityOut(BaseModel):
    kind: str
    id: str
    name: str
    type: str
    aliases: list[str]
    side: str | None = None
    lat: float | None = None
    lon: float | None = None


class EntityPage(Page):
    items: list[EntityOut]


class EntityDetail(EntityOut):
    claims_total: int
    claims: list[ClaimOut]


class PlaceSummaryOut(BaseModel):
    key: str
    name: str
    geonames_id: int | None = None
    lat: float
    lon: float
    country: str | None = None
    claims: int
    sides: dict[str, int]
    unattributed: int
    challenged: int
    contested: bool
    first: str | None = None
    last: str | None = None


class PlacePage(Page):
    items: list[PlaceSummaryOut]


class ConflictOut(BaseModel):
    id: str
    subject: str
    place: PlaceOut | None = None
    sides: dict[str, list[ClaimOut]]
    relations: list[RelationOut]
    outlets: list[str]
    first: str | None = None
    last: str | None = None
    explanation: str
    score: float
    topic: str = ""  # the claim the thread's relations answer or contradict, shortened


class ConflictPage(Page):
    items: list[ConflictOut]


class TimelineEntryOut(BaseModel):
    claim: ClaimOut
    side: str | None = None
    outlet: str | None = None
    event_start: str | None = None
    event_end: str | None = None
    stated_at: str | None = None


class TimelinePage(Page):
    subject: str
    items: list[TimelineEntryOut]


class SideOut(BaseModel):
    name: str | None = None
    colour: str
    claims: int


class AssetsOut(BaseModel):
    ok: bool
    missing: list[str]
    hint: str | None = None


class MetaOut(BaseModel):
    name: str
    version: str
    documents: int
    claims: int
    sides: list[SideOut]
    palette: list[str]
    unattributed_colour: str
    writes_enabled: bool
    public_read: bool
    assets: AssetsOut


class IngestJobOut(BaseModel):
    id: str
    status: str
    sources: list[str]
    read: int
    stored: int
    failed: int
    report: dict[str, Any] | None = None
    message: str | None = None
    created: str
    finished: str | None = None
