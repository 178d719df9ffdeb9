"""Writing the ledger out: JSON Lines (the export contract), CSV (one row per claim), GeoJSON.

Every exporter streams from the store, so a ledger of any size is written in bounded memory, and
returns how many records it wrote. ``f`` restricts the export to the claims it matches.
JSON Lines follows ``../shared/spec/export.schema.json``: documents, entities, claims, relations.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from crosscheck.records import Claim
from crosscheck.storage import ClaimFilter, DocInfo, Store

BATCH = 1000

CSV_FIELDS = (
    "id",
    "document_id",
    "outlet",
    "published",
    "stated_at",
    "event_start",
    "event_end",
    "event_time_text",
    "mode",
    "cue",
    "claimant_id",
    "claimant_name",
    "claimant_mention",
    "claimant_type",
    "claimant_side",
    "via_names",
    "via_ids",
    "text",
    "sentence",
    "event_type",
    "places",
    "place_coords",
    "place_geonames_ids",
    "place_countries",
    "quantities",
    "quantity_values",
    "quantity_units",
    "negated",
    "hedged",
    "confidence",
    "status",
)
JOIN = "; "


def _line(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False))
    out.write("\n")


def export_jsonl(store: Store, out: TextIO, f: ClaimFilter | None = None) -> int:
    """Write documents, entities, claims and relations as JSON Lines; returns the number of lines.

    With a filter, only the matching claims go out, with the documents they come from, the
    entities that claim or relay them, and the relations between two exported claims.
    """
    written = 0
    doc_ids: dict[str, None] | None = None  # dicts keep the order the claims name them in
    entity_ids: dict[str, None] | None = None
    claim_ids: set[str] | None = None
    if f is not None:
        doc_ids, entity_ids, claim_ids = {}, {}, set()
        for claim in store.iter_claims(f, batch=BATCH):
            claim_ids.add(claim.id)
            doc_ids[claim.document_id] = None
            entity_ids.update((a.id, None) for a in (claim.claimant, *claim.via) if a is not None and a.id)
    for document in store.iter_documents(ids=doc_ids, with_text=False):
        _line(out, document.to_dict())
        written += 1
    for entity in store.iter_entities(ids=entity_ids):
        _line(out, entity.to_dict())
        written += 1
    for claim in store.iter_claims(f, batch=BATCH):
        _line(out, claim.to_dict())
        written += 1
    for relation in store.iter_relations():
        if claim_ids is None or (relation.claims[0] in claim_ids and relation.claims[1] in claim_ids):
            _line(out, relation.to_dict())
            written += 1
    return written


def _claims_with_sources(store: Store, f: ClaimFilter | None) -> Iterator[tuple[Claim, DocInfo | None]]:
    """The matching claims, each with its document's outlet and date, looked up a batch at a time."""
    batch: list[Claim] = []

    def flush() -> Iterator[tuple[Claim, DocInfo | None]]:
        info = store.documents_info(c.document_id for c in batch)
        for claim in batch:
            yield claim, info.get(claim.document_id)

    for claim in store.iter_claims(f, batch=BATCH):
        batch.append(claim)
        if len(batch) >= BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def csv_row(claim: Claim, source: DocInfo | None) -> dict[str, str]:
    """One claim flattened to text cells; lists are joined with '; '."""
    who = claim.claimant
    when = claim.event_time
    coords = [
        f"{_number(p.lat)},{_number(p.lon)}" if p.lat is not None and p.lon is not None else "" for p in claim.places
    ]
    values = []
    for q in claim.quantities:
        if q.value is not None:
            values.append(_number(q.value))
        elif q.low is not None or q.high is not None:
            values.append(f"{_number(q.low)}-{_number(q.high)}")
        else:
            values.append("")
    row: dict[str, Any] = {
        "id": claim.id,
        "document_id": claim.document_id,
        "outlet": source.outlet if source else None,
        "published": source.published if source else None,
        "stated_at": claim.stated_at,
        "event_start": when.start if when else None,
        "event_end": when.end if when else None,
        "event_time_text": when.text if when else None,
        "mode": claim.mode,
        "cue": claim.cue,
        "claimant_id": who.id if who else None,
        "claimant_name": who.name if who else None,
        "claimant_mention": who.mention if who else None,
        "claimant_type": who.type if who else None,
        "claimant_side": who.side if who else None,
        "via_names": JOIN.join(v.name for v in claim.via),
        "via_ids": JOIN.join(v.id or "" for v in claim.via),
        "text": claim.text,
        "sentence": claim.sentence,
        "event_type": claim.event_type,
        "places": JOIN.join(p.name for p in claim.places),
        "place_coords": JOIN.join(coords),
        "place_geonames_ids": JOIN.join("" if p.geonames_id is None else str(p.geonames_id) for p in claim.places),
        "place_countries": JOIN.join(p.country or "" for p in claim.places),
        "quantities": JOIN.join(q.text for q in claim.quantities),
        "quantity_values": JOIN.join(values),
        "quantity_units": JOIN.join(q.unit or "" for q in claim.quantities),
        "negated": _flag(claim.negated),
        "hedged": _flag(claim.hedged),
        "confidence": _number(claim.confidence),
        "status": claim.status,
    }
    return {k: "" if v is None else str(v) for k, v in row.items()}


def export_csv(store: Store, out: TextIO, f: ClaimFilter | None = None) -> int:
    """Write one CSV row per claim (header first, columns ``CSV_FIELDS``); returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    for claim, source in _claims_with_sources(store, f):
        writer.writerow(csv_row(claim, source))
        rows += 1
    return rows


def _in_bbox(lon: float, lat: float, bbox: tuple[float, float, float, float] | None) -> bool:
    if bbox is None:
        return True
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    lon_ok = min_lon <= lon <= max_lon if min_lon <= max_lon else (lon >= min_lon or lon <= max_lon)
    return lon_ok and min_lat <= lat <= max_lat


def export_geojson(store: Store, out: TextIO, f: ClaimFilter | None = None) -> int:
    """Write a GeoJSON FeatureCollection: one Point per located place of each claim, with the claim's
    fields as properties (a filter's bbox also drops the points outside it); returns the feature count."""
    bbox = f.bbox if f is not None else None
    out.write('{"type": "FeatureCollection", "features": [\n')
    features = 0
    for claim, source in _claims_with_sources(store, f):
        who = claim.claimant
        when = claim.event_time
        for place in claim.places:
            if place.lat is None or place.lon is None or not _in_bbox(place.lon, place.lat, bbox):
                continue
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "claim_id": claim.id,
                    "document_id": claim.document_id,
                    "place": place.name,
                    "geonames_id": place.geonames_id,
                    "country": place.country,
                    "claimant": who.name if who else None,
                    "claimant_id": who.id if who else None,
                    "side": who.side if who else None,
                    "via": [v.name for v in claim.via],
                    "mode": claim.mode,
                    "event_type": claim.event_type,
                    "text": claim.text,
                    "quantities": [q.text for q in claim.quantities],
                    "stated_at": claim.stated_at,
                    "event_start": when.start if when else None,
                    "event_end": when.end if when else None,
                    "outlet": source.outlet if source else None,
                    "published": source.published if source else None,
                    "status": claim.status,
                },
            }
            out.write(",\n" if features else "")
            out.write(json.dumps(feature, ensure_ascii=False))
            features += 1
    out.write("\n]}\n")
    return features
