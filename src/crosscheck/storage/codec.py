"""Records to plain dicts and back, for storage and for reading exports.

``claim_record`` is ``Claim.to_dict()`` plus what the export leaves out (cue, sentence, actor and
time spans, how a place was resolved), so a stored claim comes back equal to the one saved. The ``*_from_dict`` readers
accept either shape, and ignore fields they do not know, so they also read JSON Lines exports.
"""

from __future__ import annotations

from typing import Any

from crosscheck.records import Actor, Claim, Document, Entity, Interval, Place, Quantity, Relation


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    start, end = value
    return (int(start), int(end))


def _actor_record(actor: Actor) -> dict[str, Any]:
    d = actor.to_dict()
    if actor.span is not None:
        d["span"] = list(actor.span)
    return d


def claim_record(claim: Claim) -> dict[str, Any]:
    """The export dict of ``claim`` plus every offset, so ``claim_from_dict`` restores it exactly."""
    d = claim.to_dict()
    for place, pd in zip(claim.places, d["places"], strict=True):
        if place.resolved_by is not None:
            pd["resolved_by"] = place.resolved_by
    d["claimant"] = _actor_record(claim.claimant) if claim.claimant else None
    d["via"] = [_actor_record(v) for v in claim.via]
    if claim.cue_span is not None:
        d["cue_span"] = list(claim.cue_span)
    if claim.sentence_span is not None:
        d["sentence_span"] = list(claim.sentence_span)
    if claim.event_time is not None and claim.event_time.span is not None:
        d["event_time"]["span"] = list(claim.event_time.span)
    return d


def actor_from_dict(d: dict[str, Any]) -> Actor:
    return Actor(
        name=d["name"],
        id=d.get("id"),
        mention=d.get("mention"),
        type=d.get("type"),
        side=d.get("side"),
        span=_span(d.get("span")),
    )


def place_from_dict(d: dict[str, Any]) -> Place:
    geonames_id = d.get("geonames_id")
    return Place(
        name=d["name"],
        mention=d.get("mention"),
        lat=d.get("lat"),
        lon=d.get("lon"),
        country=d.get("country"),
        admin1=d.get("admin1"),
        geonames_id=int(geonames_id) if geonames_id is not None else None,
        span=_span(d.get("span")),
        feature=d.get("feature"),
        relation=d.get("relation"),
        resolved_by=d.get("resolved_by"),
    )


def quantity_from_dict(d: dict[str, Any]) -> Quantity:
    return Quantity(
        text=d["text"],
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        unit=d.get("unit"),
        approximate=bool(d.get("approximate", False)),
        span=_span(d.get("span")),
    )


def interval_from_dict(d: dict[str, Any]) -> Interval:
    return Interval(start=d.get("start"), end=d.get("end"), text=d.get("text"), span=_span(d.get("span")))


def claim_from_dict(d: dict[str, Any]) -> Claim:
    """Rebuild a ``Claim`` from ``claim_record`` or ``Claim.to_dict`` output."""
    claimant = d.get("claimant")
    event_time = d.get("event_time")
    start, end = d["span"]
    return Claim(
        document_id=d["document_id"],
        text=d["text"],
        sentence=d["sentence"],
        span=(int(start), int(end)),
        mode=d["mode"],
        claimant=actor_from_dict(claimant) if claimant else None,
        via=[actor_from_dict(v) for v in d.get("via") or []],
        cue=d.get("cue"),
        cue_span=_span(d.get("cue_span")),
        sentence_span=_span(d.get("sentence_span")),
        event_type=d.get("event_type"),
        places=[place_from_dict(p) for p in d.get("places") or []],
        quantities=[quantity_from_dict(q) for q in d.get("quantities") or []],
        event_time=interval_from_dict(event_time) if event_time else None,
        stated_at=d.get("stated_at"),
        negated=bool(d.get("negated", False)),
        hedged=bool(d.get("hedged", False)),
        confidence=d.get("confidence"),
        frame=d.get("frame"),
        status=d.get("status"),
        id=d.get("id") or "",
    )


DOCUMENT_FIELDS = (
    "title",
    "outlet",
    "byline",
    "url",
    "published",
    "path",
    "language",
    "outlet_id",
    "outlet_country",
    "outlet_kind",
    "handle",
    "source_ref",
)


def document_from_dict(d: dict[str, Any]) -> Document:
    """Rebuild a ``Document``; an export line has no ``text``, which then comes back empty."""
    fields = {name: d.get(name) for name in DOCUMENT_FIELDS if name in d}
    return Document(text=d.get("text") or "", id=d.get("id") or "", **fields)


def entity_from_dict(d: dict[str, Any]) -> Entity:
    return Entity(
        id=d["id"],
        name=d["name"],
        type=d["type"],
        aliases=list(d.get("aliases") or []),
        side=d.get("side"),
        lat=d.get("lat"),
        lon=d.get("lon"),
    )


def relation_from_dict(d: dict[str, Any]) -> Relation:
    a, b = d["claims"]
    return Relation(type=d["type"], claims=(a, b), explanation=d["explanation"], score=d.get("score"), id=d["id"])


# -- table rows ------------------------------------------------------------------------------------------------
# The indexed columns of one claim, its places and its blocking keys: what ``Store.save_analysis`` and the
# bulk loader (``crosscheck.load``) both write. The JSON ``data`` column is ``claim_record``.


def claim_row(claim: Claim, document: Document) -> dict[str, Any]:
    who = claim.claimant
    return {
        "id": claim.id,
        "document_id": document.id,
        "claimant_id": who.id if who else None,
        "claimant_name": who.name if who else None,
        "claimant_mention": who.mention if who else None,
        "side": who.side if who else None,
        "mode": claim.mode,
        "event_type": claim.event_type,
        "status": claim.status,
        "stated_at": claim.stated_at,
        "event_start": claim.event_time.start if claim.event_time else None,
        "event_end": claim.event_time.end if claim.event_time else None,
        "outlet": document.outlet,
        "published": document.published,
        "text": claim.text,
        "sentence": claim.sentence,
    }


def place_rows(claim: Claim) -> list[dict[str, Any]]:
    return [
        {
            "claim_id": claim.id,
            "ord": i,
            "name": p.name,
            "geonames_id": p.geonames_id,
            "lat": p.lat,
            "lon": p.lon,
            "country": p.country,
        }
        for i, p in enumerate(claim.places)
    ]


def block_rows(claim: Claim) -> list[dict[str, Any]]:
    return [{"claim_id": claim.id, "key": str(key)} for key in dict.fromkeys((claim.frame or {}).get("blocks") or [])]
