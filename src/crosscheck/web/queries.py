"""Read queries the web API needs beyond the Store's own: aggregates for the map and counts for paging.

They are built from the ledger's tables (``crosscheck.storage.tables``) and run on the store's engine,
so they work on SQLite and PostgreSQL alike; claim conditions come from the store itself, so a filter
means the same here as in ``Store.query_claims``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from crosscheck.storage import ClaimFilter, Store
from crosscheck.storage.filters import contains
from crosscheck.storage.tables import claim_places, claims, entities, relations

T = TypeVar("T")

# Claim statuses (``relate.statuses``) that mean another source contradicts or disputes the claim.
CHALLENGED = ("contested", "disputed")


def claim_where(store: Store, f: ClaimFilter | None) -> list[ColumnElement[bool]]:
    """The store's WHERE conditions on ``claims`` for ``f`` (the same translation ``query_claims`` uses)."""
    return store._claim_where(f)


def _bbox_condition(lon: Any, lat: Any, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
    min_lon, min_lat, max_lon, max_lat = bbox
    lon_ok = lon.between(min_lon, max_lon) if min_lon <= max_lon else sa.or_(lon >= min_lon, lon <= max_lon)
    return sa.and_(lon_ok, lat.between(min_lat, max_lat))


@dataclass
class PlaceSummary:
    """One located place with the claims about it, by side."""

    key: str
    name: str
    geonames_id: int | None
    lat: float
    lon: float
    country: str | None
    claims: int = 0
    challenged: int = 0
    sides: dict[str, int] = field(default_factory=dict)
    unattributed: int = 0
    first: str | None = None
    last: str | None = None

    @property
    def contested(self) -> bool:
        """True when at least one claim here is contradicted or disputed by another source."""
        return self.challenged > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "geonames_id": self.geonames_id,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "claims": self.claims,
            "sides": dict(sorted(self.sides.items(), key=lambda kv: (-kv[1], kv[0]))),
            "unattributed": self.unattributed,
            "challenged": self.challenged,
            "contested": self.contested,
            "first": self.first,
            "last": self.last,
        }


def place_key(geonames_id: int | None, name: str) -> str:
    """The key a place is grouped and linked by: its GeoNames id, else its name."""
    return str(geonames_id) if geonames_id is not None else "name:" + name.lower()


def place_summaries(store: Store, f: ClaimFilter | None = None) -> list[PlaceSummary]:
    """Every located place of the claims matching ``f``, most claimed first.

    ``f.place`` and ``f.bbox`` select places (not claims): the map shows the places inside the box.
    One GROUP BY over claim_places joined to claims does the counting in the database.
    """
    f = f or ClaimFilter()
    cp = claim_places.alias("cp")  # aliased, so the store's own EXISTS (...) over claim_places stays correlated
    where: list[ColumnElement[bool]] = [cp.c.lat.is_not(None), cp.c.lon.is_not(None)]
    where += claim_where(store, replace(f, place=None, bbox=None))
    if f.bbox is not None:
        where.append(_bbox_condition(cp.c.lon, cp.c.lat, f.bbox))
    if f.place is not None and str(f.place).strip():
        place = str(f.place).strip()
        where.append(cp.c.geonames_id == int(place) if place.isdigit() else contains(cp.c.name, place))
    challenged = sa.func.sum(sa.case((claims.c.status.in_(CHALLENGED), 1), else_=0))
    first = sa.func.min(sa.func.coalesce(claims.c.event_start, claims.c.stated_at))
    last = sa.func.max(sa.func.coalesce(claims.c.event_end, claims.c.event_start, claims.c.stated_at))
    stmt = (
        sa.select(
            cp.c.geonames_id,
            cp.c.name,
            sa.func.min(cp.c.lat),
            sa.func.min(cp.c.lon),
            sa.func.min(cp.c.country),
            claims.c.side,
            sa.func.count(sa.distinct(cp.c.claim_id)),
            challenged,
            first,
            last,
        )
        .select_from(cp.join(claims, claims.c.id == cp.c.claim_id))
        .where(*where)
        .group_by(cp.c.geonames_id, cp.c.name, claims.c.side)
    )
    with store._read("aggregate places") as conn:
        rows = conn.execute(stmt).all()
    found: dict[str, PlaceSummary] = {}
    for geonames_id, name, lat, lon, country, side, n, n_challenged, start, end in rows:
        gid = int(geonames_id) if geonames_id is not None else None
        key = place_key(gid, name)
        p = found.get(key)
        if p is None:
            p = found[key] = PlaceSummary(key, name, gid, float(lat), float(lon), country)
        n = int(n)
        p.claims += n
        p.challenged += int(n_challenged or 0)
        if side is None:
            p.unattributed += n
        else:
            p.sides[side] = p.sides.get(side, 0) + n
        if start is not None and (p.first is None or start < p.first):
            p.first = start
        if end is not None and (p.last is None or end > p.last):
            p.last = end
    return sorted(found.values(), key=lambda p: (-p.claims, p.name.lower(), p.key))


def side_counts(store: Store) -> dict[str | None, int]:
    """Claims per side (None: no side), most first."""
    n = sa.func.count().label("n")
    stmt = sa.select(claims.c.side, n).group_by(claims.c.side).order_by(n.desc(), claims.c.side)
    with store._read("count claims by side") as conn:
        return {side: int(count) for side, count in conn.execute(stmt).all()}


def count_entities(store: Store, *, type: str | None = None, side: str | None = None, name: str | None = None) -> int:
    """How many entities ``Store.entities`` would list with these filters, all pages together."""
    stmt = sa.select(sa.func.count()).select_from(entities)
    if type is not None:
        stmt = stmt.where(entities.c.type == type)
    if side is not None:
        stmt = stmt.where(entities.c.side == side)
    if name is not None and name.strip():
        stmt = stmt.where(sa.or_(contains(entities.c.name, name.strip()), contains(entities.c.aliases, name.strip())))
    return int(store._scalar("count entities", stmt))


def count_relations(store: Store, *, claim_id: str | None = None, type: str | None = None) -> int:
    """How many relations ``Store.relations`` would list with these filters, all pages together."""
    stmt = sa.select(sa.func.count()).select_from(relations)
    if claim_id is not None:
        stmt = stmt.where(sa.or_(relations.c.claim_a == claim_id, relations.c.claim_b == claim_id))
    if type is not None:
        stmt = stmt.where(relations.c.type == type)
    return int(store._scalar("count relations", stmt))


def data_version(store: Store) -> tuple[int, int]:
    """A cheap fingerprint that changes when claims or relations are added: (last claim seq, relations)."""
    with store._read("read the ledger's version") as conn:
        last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(claims.c.seq), 0))).scalar_one()
        n_rel = conn.execute(sa.select(sa.func.count()).select_from(relations)).scalar_one()
    return int(last), int(n_rel)


class AggregateCache:
    """Results of expensive aggregate queries, kept while the ledger's ``data_version`` is unchanged
    and for at most ``ttl`` seconds (claim statuses can change without a new claim)."""

    def __init__(self, *, ttl: float = 30.0, size: int = 256) -> None:
        self.ttl = ttl
        self.size = size
        self._lock = threading.Lock()
        self._items: dict[Hashable, tuple[float, Hashable, Any]] = {}

    def get(self, key: Hashable, version: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[1] == version and now - hit[0] < self.ttl:
            value: T = hit[2]
            return value
        value = compute()
        with self._lock:
            if len(self._items) >= self.size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (now, version, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
