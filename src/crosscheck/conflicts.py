"""Contested subjects: claims that contradict or dispute each other, grouped by what they are about.

A subject is a town or other precise place: the threads of claims joined by contradicting or disputing
each other that are most often about it. A thread about a whole country or region, or about no place,
is a subject of its own (all the disputes that merely name "Ukraine" are not one subject). Each
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
    topic: str = ""  # the claim most of the thread answers or contradicts, in its own words

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
            "topic": self.topic,
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


def _place_subject(p: Place) -> tuple[str, str, Place | None]:
    return (f"geo:{p.geonames_id}" if p.geonames_id is not None else f"place:{p.name.lower()}"), p.name, p


def subject_of(claim: Claim) -> tuple[str, str, Place | None]:
    """(key, display name, place) of what a claim is about."""
    frame = claim.frame or {}
    target = frame.get("target")
    for p in claim.places:
        key, name, place = _place_subject(p)
        if target is None or target == key:
            return key, name, place
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


def threads(rels: list[Relation]) -> list[list[Relation]]:
    """The relations grouped into threads: claims joined by contradicting or disputing each other, directly
    or through another claim ("Moscow alleged X; Kyiv denied it; London called it false"). A thread is one
    contested subject, whatever place its claims also name."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rels:
        a, b = root(r.claims[0]), root(r.claims[1])
        if a != b:
            parent[max(a, b)] = min(a, b)
    grouped: dict[str, list[Relation]] = {}
    for r in rels:
        grouped.setdefault(root(r.claims[0]), []).append(r)
    return list(grouped.values())


_BROAD = frozenset({"country", "region"})


def thread_subject(thread: list[Relation], claims: dict[str, Claim]) -> tuple[str, str, Place | None]:
    """What a thread is about: the place its relations are most often about, a town before a country or
    region; without any place, the claimant most of its claims answer or contradict."""
    seen: dict[str, tuple[int, tuple[str, str, Place | None]]] = {}
    for r in thread:
        for cid in r.claims:
            c = claims[cid]
            named = (c.frame or {}).get("target") is None and c.places
            for found in [_place_subject(p) for p in c.places] if named else [subject_of(c)]:
                n, _ = seen.get(found[0], (0, found))
                seen[found[0]] = (n + 1, found)

    def rank(item: tuple[int, tuple[str, str, Place | None]]) -> tuple[int, int, int, str]:
        n, (key, _name, pl) = item
        return (pl is None, pl is not None and (pl.feature or "") in _BROAD, -n, key)

    return min(seen.values(), key=rank)[1]


def thread_topic(thread: list[Relation], claims: dict[str, Claim], *, width: int = 100) -> str:
    """The claim that most relations of the thread join (what is rebutted or contradicted), shortened."""
    degree: dict[str, int] = {}
    for r in thread:
        for cid in r.claims:
            degree[cid] = degree.get(cid, 0) + 1
    # most joined; then the earlier claim of its relation (the one a rejection answers comes first)
    best = min(degree, key=lambda cid: (-degree[cid], claims[cid].span[0], cid))
    c = claims[best]
    who = c.claimant.name if c.claimant else "the outlet"
    verb = {"denies": "denies", "doubts": "doubts"}.get(str((c.frame or {}).get("stance")), "says")
    text = " ".join(c.text.split())
    return f"{who} {verb}: “{text[:width]}{'…' if len(text) > width else ''}”"


def _add(conflict: Conflict, r: Relation, claims: dict[str, Claim]) -> None:
    conflict.relations.append(r)
    conflict.score += r.score or 0.5
    for cid in r.claims:
        c = claims[cid]
        bucket = conflict.sides.setdefault(side_of(c), [])
        if all(x.id != c.id for x in bucket):
            bucket.append(c)


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
    rels = [r for r in rels if r.claims[0] in claims and r.claims[1] in claims]
    groups: dict[str, Conflict] = {}
    for thread in threads(rels):
        key, name, pl = thread_subject(thread, claims)
        if pl is None or (pl.feature or "") in _BROAD:
            key = f"{key}|{min(cid for r in thread for cid in r.claims)}"  # "Ukraine" alone says little: one thread
        conflict = groups.get(key)
        if conflict is None:
            conflict = groups[key] = Conflict(id=key, subject=name, place=pl)
        for r in thread:
            _add(conflict, r, claims)
    for conflict in groups.values():
        conflict.topic = thread_topic(conflict.relations, claims)
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
