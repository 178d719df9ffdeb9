"""Typed records that flow through the pipeline.

document -> mentions -> attributed claims -> grounded claims -> relations

Every stage reads the records it needs and returns new ones. Offsets are Python ``str``
indices into ``Document.text`` as stored, so every field can be traced to the words.
The ``to_dict`` methods give the export shape (``../shared/spec/export.schema.json``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def stable_id(prefix: str, *parts: object) -> str:
    """A short, stable id: the same inputs give the same id in every run and process."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{h[:16]}"


@dataclass
class Document:
    """One article as read from a source, before any analysis."""

    text: str
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date; None when the document prints none
    path: str | None = None
    language: str | None = "en"
    outlet_id: str | None = None
    outlet_country: str | None = None
    outlet_kind: str | None = None
    handle: str | None = None  # a social-media handle heading, kept as printed
    source_ref: str | None = None  # "file:line" or URL, for error messages
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text, self.title)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "document",
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "outlet": self.outlet,
            "byline": self.byline,
            "url": self.url,
            "published": self.published,
            "language": self.language,
        }


def normalise_for_hash(text: str) -> str:
    return " ".join(text.split()).lower()


def document_id(text: str, title: str | None = None) -> str:
    """A hash of the normalised content: the same article read twice gets the same id."""
    return stable_id("doc", normalise_for_hash(title or ""), normalise_for_hash(text))


@dataclass
class Actor:
    """A claimant or intermediary, resolved to a canonical entity where possible."""

    name: str
    id: str | None = None
    mention: str | None = None
    type: str | None = None  # person, organisation, state, military, outlet, channel, group
    side: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "mention": self.mention, "type": self.type, "side": self.side}


@dataclass
class Place:
    name: str
    mention: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    span: tuple[int, int] | None = None
    feature: str | None = None  # city, country, region
    relation: str | None = None  # e.g. "20 km from", "south of": a relative location anchored here
    resolved_by: str | None = None  # "name", "nominal", "context"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "mention": self.mention,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "geonames_id": self.geonames_id,
        }
        if self.feature:
            d["feature"] = self.feature
        if self.relation:
            d["relation"] = self.relation
        if self.span:
            d["span"] = list(self.span)
        return d


@dataclass
class Quantity:
    text: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    approximate: bool = False
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "approximate": self.approximate,
        }
        if self.span:
            d["span"] = list(self.span)
        return d


@dataclass
class Interval:
    """A closed date interval; either end may be None when open."""

    start: str | None
    end: str | None
    text: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Claim:
    """Who claims what, through whom, about which place and time, with which numbers."""

    document_id: str
    text: str
    sentence: str
    span: tuple[int, int]  # span of ``text`` in the document
    mode: str  # direct, indirect, mixed, according_to, headline, unattributed
    claimant: Actor | None = None
    via: list[Actor] = field(default_factory=list)
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    sentence_span: tuple[int, int] | None = None
    event_type: str | None = None
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    event_time: Interval | None = None
    stated_at: str | None = None
    negated: bool = False
    hedged: bool = False
    confidence: float | None = None
    frame: dict[str, Any] | None = None
    status: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("clm", self.document_id, self.span[0], self.span[1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "claim",
            "id": self.id,
            "document_id": self.document_id,
            "claimant": self.claimant.to_dict() if self.claimant else None,
            "via": [v.to_dict() for v in self.via],
            "cue": self.cue,
            "mode": self.mode,
            "text": self.text,
            "sentence": self.sentence,
            "span": list(self.span),
            "event_type": self.event_type,
            "places": [p.to_dict() for p in self.places],
            "quantities": [q.to_dict() for q in self.quantities],
            "event_time": self.event_time.to_dict() if self.event_time else None,
            "stated_at": self.stated_at,
            "negated": self.negated,
            "hedged": self.hedged,
            "confidence": self.confidence,
            "frame": self.frame,
            "status": self.status,
        }


@dataclass
class Relation:
    type: str  # corroborates, contradicts, disputes, repeats
    claims: tuple[str, str]
    explanation: str
    score: float | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            a, b = sorted(self.claims)
            self.id = stable_id("rel", self.type, a, b)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "relation",
            "id": self.id,
            "type": self.type,
            "claims": list(self.claims),
            "explanation": self.explanation,
            "score": self.score,
        }


@dataclass
class Entity:
    """A canonical actor or place, shared across documents."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    side: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind"] = "entity"
        return d


@dataclass
class Analysis:
    """What the pipeline found in one document: the unit stored in one transaction."""

    document: Document
    claims: list[Claim] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    duplicate_of: str | None = None  # id of an earlier near-duplicate document
