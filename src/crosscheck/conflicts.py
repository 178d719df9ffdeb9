"""Contested subjects: claims that contradict or dispute each other, grouped by what they are about.

A subject is the frame's target (a place, or an actor) of the claims a relation joins. Each
``Conflict`` holds every side's claims side by side, the relations between them with their
explanations, the outlets that carried them and the period they cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crosscheck.records import Claim, Place, Relation
from crosscheck.storage import ClaimFilter, Store

CONFLICT_TYPES = ("contradicts", "disputes")
UNALIGNED = "unaligned"


@dataclass
class Conflict:
    id: str
    subject: str
    place: Place | None
    sides: dict[str, list[Claim]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    explanation: str = ""
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "place": self.place.to_dict() if self.place else None,
            "sides": {s: [c.to_dict() for c in cs] for s, cs in self.sides.items()},
            "relations": [r.to_dict() for r in self.relations],
            "outlets": self.outlets,
            "first": self.first,
            "last": self.last,
            "explanation": self.explanation,
            "score": self.score,
        }


def _chunks(ids: list[str], n: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(ids), n):
        yield ids[i : i + n]


def load_claims(store: Store, ids: Iterable[str]) -> dict[str, Claim]:
    wanted = sorted(set(ids))
    out: dict[str, Claim] = {}
    for chunk in _chunks(wanted):
        for c in store.iter_claims(ClaimFilter(ids=chunk)):
            out[c.id] = c
    return out


def subject_of(claim: Claim) -> tuple[str, str, Place | None]:
    """(key, display name, place) of what a claim is about."""
    frame = claim.frame or {}
    target = frame.get("target")
    for p in claim.places:
        key = f"geo:{p.geonames_id}" if p.geonames_id is not None else f"place:{p.name.lower()}"
        if target is None or target == key:
            return key, p.name, p
    if target:
        for t in frame.get("targets", []):
            if t.get("key") == target:
                return str(target), str(t.get("name") or target), None
        return str(target), str(target), None
    if claim.claimant:
        return f"actor:{claim.claimant.id}", claim.claimant.name, None
    return f"claim:{claim.id}", claim.text[:40], None


def claim_date(c: Claim) -> str | None:
    if c.event_time and (c.event_time.start or c.event_time.end):
        return c.event_time.start or c.event_time.end
    return c.stated_at


def side_of(c: Claim) -> str:
    return (c.claimant.side if c.claimant and c.claimant.side else None) or UNALIGNED


def find_conflicts(
    store: Store,
    *,
    place: str | None = None,
    actor: str | None = None,
    side: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
) -> list[Conflict]:
    """Contested subjects in scope, most contested first."""
    scope: set[str] | None = None
    if place or actor or since or until:
        f = ClaimFilter(place=place, claimant=actor, since=since, until=until)
        scope = {c.id for c in store.iter_claims(f)}
    rels: list[Relation] = []
    for t in CONFLICT_TYPES:
        for r in store.relations(type=t):
            if scope is None or r.claims[0] in scope or r.claims[1] in scope:
                rels.append(r)
    claims = load_claims(store, (cid for r in rels for cid in r.claims))
    groups: dict[str, Conflict] = {}
    for r in rels:
        a, b = claims.get(r.claims[0]), claims.get(r.claims[1])
        if a is None or b is None:
            continue
        key, name, pl = subject_of(a)
        if pl is None:
            key_b, name_b, pl_b = subject_of(b)
            if pl_b is not None:
                key, name, pl = key_b, name_b, pl_b
        conflict = groups.get(key)
        if conflict is None:
            conflict = groups[key] = Conflict(id=key, subject=name, place=pl)
        conflict.relations.append(r)
        conflict.score += r.score or 0.5
        for c in (a, b):
            bucket = conflict.sides.setdefault(side_of(c), [])
            if all(x.id != c.id for x in bucket):
                bucket.append(c)
    docs = store.documents_info({c.document_id for c in claims.values()})
    out = []
    for conflict in groups.values():
        members = [c for cs in conflict.sides.values() for c in cs]
        if side and side not in conflict.sides:
            continue
        dates = sorted(d for d in (claim_date(c) for c in members) if d)
        conflict.first, conflict.last = (dates[0], dates[-1]) if dates else (None, None)
        conflict.outlets = sorted(
            {o for o in (docs[c.document_id].outlet if c.document_id in docs else None for c in members) if o}
        )
        for cs in conflict.sides.values():
            cs.sort(key=lambda c: (claim_date(c) or "", c.span[0]))
        conflict.relations.sort(key=lambda r: -(r.score or 0))
        n_c = sum(r.type == "contradicts" for r in conflict.relations)
        n_d = sum(r.type == "disputes" for r in conflict.relations)
        sides = ", ".join(f"{s} ({len(cs)})" for s, cs in sorted(conflict.sides.items()))
        conflict.explanation = (
            f"{conflict.subject}: {n_c} contradiction(s), {n_d} dispute(s) between claims of {sides}. "
            f"Strongest: {conflict.relations[0].explanation}"
        )
        out.append(conflict)
    out.sort(key=lambda c: (-c.score, c.subject))
    return out[:limit]
