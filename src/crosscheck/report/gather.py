"""Select what a briefing needs from the ledger, streaming: the claims in scope (filtered in SQL, kept as
light rows), the relations that touch them, each claim's standing, the contested subjects, the numbers
claimed for the same subject, and the full records of the few claims the report details.

Only light rows are held for every claim in scope, so a scope of 100,000 claims fits in memory and time;
full ``Claim`` and ``Document`` records are read for the claims the report cites and lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from crosscheck.conflicts import Conflict, find_conflicts
from crosscheck.quantities import load_quantity_lexicon
from crosscheck.records import Claim, Document, Quantity, Relation
from crosscheck.report.charts import UNALIGNED, status_label
from crosscheck.storage import ClaimFilter, DocInfo, Store
from crosscheck.storage.filters import iso_date
from crosscheck.timeline import TimelineEntry, build_timeline

BATCH = 2000  # claims read per query
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What a briefing covers: claims about ``place`` or by ``actor`` (a claimant's name or id, or a side),
    in the period ``since``..``until`` (ISO dates, either open). Nothing given: the whole ledger."""

    place: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None

    @classmethod
    def of(
        cls, *, place: str | None = None, actor: str | None = None, since: str | None = None, until: str | None = None
    ) -> Scope:
        """A scope with blank names dropped and dates checked (InputError naming the option)."""
        return cls(
            place=(place or "").strip() or None,
            actor=(actor or "").strip() or None,
            since=iso_date(since, field="since"),
            until=iso_date(until, field="until"),
        )

    def filters(self) -> list[ClaimFilter]:
        """The claim filters whose union is the scope: an actor matches a claimant or a side."""
        if self.actor:
            return [
                ClaimFilter(place=self.place, claimant=self.actor, since=self.since, until=self.until),
                ClaimFilter(place=self.place, side=self.actor, since=self.since, until=self.until),
            ]
        return [ClaimFilter(place=self.place, since=self.since, until=self.until)]

    def describe(self) -> str:
        """'about X', 'by Y', with the period, for titles."""
        parts = []
        if self.place:
            parts.append(f"about {self.place}")
        if self.actor:
            parts.append(f"by {self.actor}")
        if self.since and self.until:
            parts.append(f"from {self.since} to {self.until}")
        elif self.since:
            parts.append(f"since {self.since}")
        elif self.until:
            parts.append(f"until {self.until}")
        return ", ".join(parts) or "the whole ledger"


@dataclass(slots=True)
class ClaimRow:
    """The few fields of a claim that counts, charts, standings and the map need."""

    id: str
    document_id: str
    side: str
    claimant: str | None
    status: str
    stated_at: str | None
    event_start: str | None
    event_type: str | None
    places: tuple[tuple[str, float | None, float | None, str | None], ...]  # name, lat, lon, feature
    counts: tuple[Quantity, ...]  # quantities whose unit counts things (soldiers, buildings)


@dataclass
class Standing:
    """How the ledger judges one claim: independent sources saying it (its own included) and who
    corroborates, contradicts or disputes it."""

    sources: int = 1
    corroborated_by: list[str] = field(default_factory=list)
    contradicted_by: list[str] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)
    disputes: list[str] = field(default_factory=list)


@dataclass
class NumberGroup:
    """Counts of one unit claimed about one place, e.g. soldiers in a town, by several claims."""

    place: str
    unit: str
    entries: list[tuple[str, Quantity]]  # (claim id, quantity)

    @property
    def subject(self) -> str:
        return f"{self.unit} in {self.place}"


@dataclass
class ReportData:
    """Everything the summary, charts and renderer read; built by ``gather``."""

    scope: Scope
    rows: dict[str, ClaimRow]
    partners: dict[str, ClaimRow]  # claims outside the scope joined to one inside by a relation
    documents: dict[str, DocInfo]
    relations: list[Relation]
    standing: dict[str, Standing]
    conflicts: list[Conflict]
    timelines: dict[str, list[TimelineEntry]]
    numbers: list[NumberGroup]
    claims: dict[str, Claim] = field(default_factory=dict)  # full records of the claims detailed
    sources: dict[str, Document] = field(default_factory=dict)  # their documents, without text

    def row(self, claim_id: str) -> ClaimRow | None:
        return self.rows.get(claim_id) or self.partners.get(claim_id)

    def outlet(self, claim_id: str) -> str | None:
        row = self.row(claim_id)
        info = self.documents.get(row.document_id) if row else None
        return info.outlet if info else None

    def date_of(self, row: ClaimRow) -> str | None:
        """When a claim was made: as stated, else its article's date, else the event's start."""
        info = self.documents.get(row.document_id)
        return row.stated_at or (info.published if info else None) or row.event_start

    def period(self) -> tuple[str | None, str | None]:
        dates = sorted(d for d in (self.date_of(r) for r in self.rows.values()) if d)
        return (dates[0], dates[-1]) if dates else (None, None)

    def by_side(self) -> Counter[str]:
        return Counter(r.side for r in self.rows.values())

    def by_status(self) -> Counter[str]:
        return Counter(r.status for r in self.rows.values())

    def outlets(self) -> Counter[str]:
        """Claims in scope per outlet that published them."""
        found = (self.documents.get(r.document_id) for r in self.rows.values())
        return Counter(d.outlet for d in found if d is not None and d.outlet)

    def claimants(self) -> Counter[str]:
        return Counter(r.claimant for r in self.rows.values() if r.claimant)

    def dated(self) -> Iterator[tuple[date, str, str]]:
        """(date, side, standing) of every claim in scope that has a date."""
        for r in self.rows.values():
            when = self.date_of(r)
            if when:
                try:
                    yield date.fromisoformat(when[:10]), r.side, r.status
                except ValueError:
                    continue


def side_of(claim: Claim) -> str:
    return (claim.claimant.side if claim.claimant and claim.claimant.side else None) or UNALIGNED


def _row(claim: Claim, count_units: frozenset[str]) -> ClaimRow:
    return ClaimRow(
        id=claim.id,
        document_id=claim.document_id,
        side=side_of(claim),
        claimant=claim.claimant.name if claim.claimant else None,
        status=status_label(claim.status),
        stated_at=claim.stated_at,
        event_start=claim.event_time.start if claim.event_time else None,
        event_type=claim.event_type,
        places=tuple((p.name, p.lat, p.lon, p.feature) for p in claim.places),
        counts=tuple(
            q for q in claim.quantities if q.unit in count_units and (q.low is not None or q.value is not None)
        ),
    )


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def read_claims(store: Store, ids: Iterable[str]) -> Iterator[Claim]:
    """The stored claims among ``ids``, read ``CHUNK`` ids at a time."""
    for chunk in _chunks(sorted(set(ids))):
        yield from store.iter_claims(ClaimFilter(ids=list(chunk)), batch=BATCH)


def _source_key(row: ClaimRow, documents: dict[str, DocInfo]) -> str:
    """Who stands behind a claim for counting independent sources: its outlet, else its first article."""
    info = documents.get(row.document_id)
    if info and info.outlet:
        key = " ".join(info.outlet.lower().split())
        return key.removeprefix("the ")
    doc_id, seen = row.document_id, set()
    while doc_id in documents and documents[doc_id].duplicate_of and doc_id not in seen:
        seen.add(doc_id)
        doc_id = documents[doc_id].duplicate_of or doc_id
    return f"doc:{doc_id}"


def standings(
    rows: dict[str, ClaimRow],
    partners: dict[str, ClaimRow],
    relations: Sequence[Relation],
    documents: dict[str, DocInfo],
) -> dict[str, Standing]:
    """Each in-scope claim's standing from the relations touching it (corroborating sources counted once
    per outlet, and never the claim's own)."""
    out = {cid: Standing() for cid in rows}
    support: dict[str, set[str]] = {}
    for r in relations:
        a, b = r.claims
        if r.type == "corroborates":
            for x, y in ((a, b), (b, a)):
                if x in out and (other := rows.get(y) or partners.get(y)) is not None:
                    out[x].corroborated_by.append(y)
                    support.setdefault(x, set()).add(_source_key(other, documents))
        elif r.type == "contradicts":
            for x, y in ((a, b), (b, a)):
                if x in out:
                    out[x].contradicted_by.append(y)
        elif r.type == "disputes":
            if b in out:
                out[b].disputed_by.append(a)
            if a in out:
                out[a].disputes.append(b)
    for cid, keys in support.items():
        out[cid].sources = 1 + len(keys - {_source_key(rows[cid], documents)})
    return out


def number_groups(
    rows: Iterable[ClaimRow], *, max_groups: int = 4, max_entries: int = 8, linked: set[str] | None = None
) -> list[NumberGroup]:
    """Counts of the same unit about the same place from two or more claimants, most divided first."""
    groups: dict[tuple[str, str], list[tuple[ClaimRow, Quantity]]] = {}
    for r in rows:
        if not r.counts or not r.places:
            continue
        place = next((p[0] for p in r.places if p[3] != "country"), r.places[0][0])
        for q in r.counts:
            groups.setdefault((place, str(q.unit)), []).append((r, q))
    linked = linked or set()
    ranked = []
    for (place, unit), items in groups.items():
        claimants = {r.claimant for r, _ in items}
        if len({r.id for r, _ in items}) < 2 or len(claimants) < 2:
            continue
        items.sort(key=lambda it: (it[0].side == UNALIGNED, it[0].id not in linked, it[0].stated_at or "", it[0].id))
        chosen, seen = [], set()
        for r, q in items:  # one number per claimant first, then other numbers, never the same twice
            if r.claimant not in seen:
                seen.add(r.claimant)
                chosen.append((r, q))
        said = {(r.claimant, q.low, q.high, q.value) for r, q in chosen}
        for r, q in items:
            if (r.claimant, q.low, q.high, q.value) not in said:
                said.add((r.claimant, q.low, q.high, q.value))
                chosen.append((r, q))
        chosen = chosen[:max_entries]
        sides = {r.side for r, _ in items}
        score = (len(sides - {UNALIGNED}), len(claimants), len(items))
        ranked.append((score, place, unit, [(r.id, q) for r, q in chosen]))
    ranked.sort(key=lambda g: (tuple(-x for x in g[0]), g[1], g[2]))
    return [NumberGroup(place, unit, entries) for _, place, unit, entries in ranked[:max_groups]]


def contested(store: Store, scope: Scope, *, limit: int) -> list[Conflict]:
    """The contested subjects in scope, most contested first: for an actor, those with a claim by a
    claimant of that name and those where a side of that name takes part."""
    found = find_conflicts(
        store, place=scope.place, actor=scope.actor, since=scope.since, until=scope.until, limit=limit
    )
    if scope.actor:
        more = find_conflicts(
            store, place=scope.place, side=scope.actor, since=scope.since, until=scope.until, limit=limit
        )
        merged = {c.id: c for c in [*found, *more]}
        found = sorted(merged.values(), key=lambda c: (-c.score, c.subject))[:limit]
    return found


def gather(
    store: Store,
    scope: Scope,
    *,
    max_conflicts: int = 8,
    timelines: int = 3,
    timeline_limit: int = 500,
) -> ReportData:
    """Read the ledger for ``scope``: claims (streamed through the SQL filters), the relations touching
    them, standings, contested subjects (``crosscheck.conflicts``), chronologies of the top ``timelines``
    subjects (``crosscheck.timeline``) and the numbers compared."""
    units = frozenset(name for name, u in load_quantity_lexicon().unit_names.items() if u.kind == "count")
    rows: dict[str, ClaimRow] = {}
    for f in scope.filters():
        for claim in store.iter_claims(f, batch=BATCH):
            if claim.id not in rows:
                rows[claim.id] = _row(claim, units)
    relations = [r for r in store.iter_relations(batch=5000) if r.claims[0] in rows or r.claims[1] in rows]
    outside = {cid for r in relations for cid in r.claims if cid not in rows}
    partners = {c.id: _row(c, units) for c in read_claims(store, outside)}
    documents = store.documents_info({r.document_id for r in (*rows.values(), *partners.values())})
    standing = standings(rows, partners, relations, documents)
    conflicts = contested(store, scope, limit=max_conflicts)
    chronologies = {}
    for conflict in conflicts[:timelines]:
        subject = conflict.place.name if conflict.place else conflict.subject
        chronologies[conflict.id] = build_timeline(
            store, subject, since=scope.since, until=scope.until, limit=timeline_limit
        )
    linked = {cid for r in relations for cid in r.claims}
    return ReportData(
        scope=scope,
        rows=rows,
        partners=partners,
        documents=documents,
        relations=relations,
        standing=standing,
        conflicts=conflicts,
        timelines=chronologies,
        numbers=number_groups(rows.values(), linked=linked),
    )


def detail(store: Store, data: ReportData, cited: Iterable[str], *, max_claims: int = 150) -> list[str]:
    """Read the full records of the claims to list: every cited one, then others in scope (attributed,
    related, dated first) up to ``max_claims``. Returns their ids in the order to list them."""
    known = {c.id: c for conflict in data.conflicts for cs in conflict.sides.values() for c in cs}
    known.update({e.claim.id: e.claim for entries in data.timelines.values() for e in entries})
    wanted = list(dict.fromkeys(cid for cid in cited if data.row(cid) is not None))
    if len(wanted) < max_claims:
        linked = {cid for r in data.relations for cid in r.claims}
        taken = set(wanted)
        rest = sorted(
            (r for r in data.rows.values() if r.id not in taken),
            key=lambda r: (r.claimant is None, r.id not in linked, not r.counts, data.date_of(r) or "9999", r.id),
        )
        wanted += [r.id for r in rest[: max_claims - len(wanted)]]
    data.claims = {cid: known[cid] for cid in wanted if cid in known}
    data.claims.update({c.id: c for c in read_claims(store, [cid for cid in wanted if cid not in data.claims])})
    doc_ids = {c.document_id for c in data.claims.values()}
    data.sources = {d.id: d for d in store.iter_documents(ids=doc_ids, with_text=False)}
    order = {cid: i for i, cid in enumerate(wanted)}
    return sorted(data.claims, key=lambda cid: order[cid])
