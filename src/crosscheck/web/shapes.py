"""The JSON shapes the API returns: records as ``to_dict`` gives them, plus what a page needs to show them
(the claim's source, its sentence cut into highlighted segments, its attribution chain)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from crosscheck.records import Claim, Document, Relation
from crosscheck.storage import DocInfo, Store


def source_json(info: DocInfo | Document | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {"document_id": info.id, "outlet": info.outlet, "published": info.published, "url": info.url}


def claim_json(claim: Claim, source: DocInfo | Document | None = None) -> dict[str, Any]:
    """``Claim.to_dict()`` with the side of its claimant and the outlet, date and URL of its document."""
    d = claim.to_dict()
    d["side"] = claim.claimant.side if claim.claimant else None
    d["source"] = source_json(source)
    return d


def claims_json(store: Store, items: Iterable[Claim]) -> list[dict[str, Any]]:
    """Many claims, their documents' outlets and dates looked up in one query."""
    items = list(items)
    info = store.documents_info({c.document_id for c in items})
    return [claim_json(c, info.get(c.document_id)) for c in items]


def document_json(doc: Document, *, text: bool = False) -> dict[str, Any]:
    d = doc.to_dict()
    d.update(outlet_id=doc.outlet_id, outlet_country=doc.outlet_country, outlet_kind=doc.outlet_kind, handle=doc.handle)
    if text:
        d["text"] = doc.text
    return d


def relation_json(relation: Relation, other: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    d = relation.to_dict()
    if other is not None:
        d["claim_records"] = [other.get(cid) for cid in relation.claims]
    return d


def _sentence_offset(claim: Claim) -> int | None:
    """Where the claim's sentence starts in the document, checked against the claim's own text."""
    sentence = claim.sentence
    if claim.sentence_span is not None:
        start = claim.sentence_span[0]
        a, b = claim.span[0] - start, claim.span[1] - start
        if 0 <= a <= b <= len(sentence) and sentence[a:b] == claim.text:
            return start
    at = sentence.find(claim.text) if claim.text else -1
    return claim.span[0] - at if at >= 0 else None


def claim_marks(claim: Claim) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each part of the claim inside its sentence: claim, cue, claimant, via,
    place, quantity, time. Offsets are into ``claim.sentence``; spans outside it are left out."""
    base = _sentence_offset(claim)
    n = len(claim.sentence)
    marks: list[tuple[str, int, int]] = []

    def add(kind: str, span: tuple[int, int] | None) -> None:
        if span is None or base is None:
            return
        a, b = max(0, span[0] - base), min(n, span[1] - base)
        if a < b:
            marks.append((kind, a, b))

    if base is None and claim.text and claim.text in claim.sentence:
        at = claim.sentence.index(claim.text)
        marks.append(("claim", at, at + len(claim.text)))
    add("claim", claim.span)
    add("cue", claim.cue_span)
    add("claimant", claim.claimant.span if claim.claimant else None)
    for via in claim.via:
        add("via", via.span)
    for place in claim.places:
        add("place", place.span)
    for quantity in claim.quantities:
        add("quantity", quantity.span)
    add("time", claim.event_time.span if claim.event_time else None)
    return marks


def segments(text: str, marks: Iterable[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """``text`` cut at every mark boundary: [{"text", "marks": [kinds covering it]}], in order, nothing lost.

    Done here, in Python, so offsets (Python string indices) never meet JavaScript's UTF-16 ones.
    """
    marks = list(marks)
    cuts = sorted({0, len(text), *(m[1] for m in marks), *(m[2] for m in marks)})
    out: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        kinds = sorted({kind for kind, start, end in marks if start <= a and b <= end})
        out.append({"text": text[a:b], "marks": kinds})
    return out


def chain_json(claim: Claim, source: DocInfo | Document | None) -> list[dict[str, Any]]:
    """The attribution chain: claimant -> each intermediary -> the outlet that printed it."""
    links: list[dict[str, Any]] = []
    if claim.claimant is not None:
        links.append({"role": "claimant", **claim.claimant.to_dict()})
    else:
        links.append({"role": "claimant", "id": None, "name": None, "mention": None, "type": None, "side": None})
    links.extend({"role": "via", **v.to_dict()} for v in claim.via)
    outlet = source.outlet if source is not None else None
    links.append(
        {
            "role": "outlet",
            "id": None,
            "name": outlet,
            "mention": None,
            "type": "outlet",
            "side": None,
            "url": source.url if source is not None else None,
        }
    )
    return links
