"""The map's places, counted in memory: columns of every located claim-place, kept in step with the ledger.

``/api/places`` aggregates claims by place and side under the same filters as the claim list. Done in SQL
it reads every claim row (about a second at 100,000 claims); here the few fields the map needs are loaded
once into numpy arrays (new claims are appended as they arrive, statuses re-read when relations change),
and each request is a handful of vector operations. Filters on words (``q``) or claimants are still run in
SQL, for the claim ids only. When the ledger holds something the arrays cannot represent exactly (a date
that is not an ISO date), ``summaries`` returns None and the caller uses ``queries.place_summaries``.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa

from crosscheck.storage import ClaimFilter, Store
from crosscheck.storage.tables import claim_places, claims
from crosscheck.web.queries import CHALLENGED, PlaceSummary, claim_where, data_version, place_key

NO_DATE = -1  # ordinal of a missing date
LOAD_BATCH = 20_000
STATUS_TTL = 30.0  # seconds before statuses are read again even if no relation was added


class _Codes:
    """Strings to small ints (None is 0), so columns are integer arrays."""

    def __init__(self) -> None:
        self.values: list[str | None] = [None]
        self._index: dict[str | None, int] = {None: 0}

    def code(self, value: str | None) -> int:
        found = self._index.get(value)
        if found is None:
            found = self._index[value] = len(self.values)
            self.values.append(value)
        return found

    def find(self, value: str | None) -> int | None:
        return self._index.get(value)


def _ordinal(value: str | None) -> int | None:
    """Day number of an ISO date; NO_DATE for none; None when it is not a date (the index cannot hold it)."""
    if value is None:
        return NO_DATE
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        return None


@functools.lru_cache(maxsize=8192)
def _iso(ordinal: int) -> str | None:
    return None if ordinal == NO_DATE else date.fromordinal(ordinal).isoformat()


class MapIndex:
    """Columns of claims and their located places; ``summaries(f)`` answers ``/api/places``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()
        self._reset()

    def _reset(self) -> None:
        self.exact = True
        self.version: tuple[int, int] | None = None
        self.last_seq = 0
        self.status_read = 0.0
        self.sides, self.statuses, self.modes, self.events, self.outlets = (_Codes() for _ in range(5))
        self.place_keys: dict[str, int] = {}
        self.places: list[tuple[str, str, int | None, float, float, str | None]] = []  # key, name, gid, lat, lon, cc
        # per claim
        self.seq = np.zeros(0, np.int64)
        self.c_side = np.zeros(0, np.int32)
        self.c_status = np.zeros(0, np.int32)
        self.c_mode = np.zeros(0, np.int32)
        self.c_event = np.zeros(0, np.int32)
        self.c_outlet = np.zeros(0, np.int32)
        self.c_stated = np.zeros(0, np.int32)
        self.c_start = np.zeros(0, np.int32)
        self.c_end = np.zeros(0, np.int32)
        # per (claim, place) row
        self.r_claim = np.zeros(0, np.int64)
        self.r_place = np.zeros(0, np.int32)
        self.r_lat = np.zeros(0, np.float64)
        self.r_lon = np.zeros(0, np.float64)
        self._by_place = np.zeros(0, np.int64)  # row numbers sorted by place

    # -- keeping in step ------------------------------------------------------------------------

    def sync(self) -> None:
        """Load what was added since the last call; re-read statuses when relations changed."""
        with self._lock:
            version = data_version(self.store)
            if self.version is not None and version[0] < self.last_seq:
                self._reset()  # claims went away: start again
            if version != self.version:
                self._load_new()
                if self.version is None or version[1] != self.version[1]:
                    self._load_statuses()
                self.version = version
            elif time.monotonic() - self.status_read > STATUS_TTL:
                self._load_statuses()

    def _load_new(self) -> None:
        cols = (
            claims.c.seq,
            claims.c.side,
            claims.c.status,
            claims.c.mode,
            claims.c.event_type,
            claims.c.outlet,
            claims.c.stated_at,
            claims.c.event_start,
            claims.c.event_end,
        )
        while True:
            with self.store._read("load claims for the map") as conn:
                rows = conn.execute(
                    sa.select(*cols).where(claims.c.seq > self.last_seq).order_by(claims.c.seq).limit(LOAD_BATCH)
                ).all()
                if not rows:
                    return
                first, last = rows[0][0], rows[-1][0]
                place_rows = conn.execute(
                    sa.select(
                        claims.c.seq,
                        claim_places.c.geonames_id,
                        claim_places.c.name,
                        claim_places.c.lat,
                        claim_places.c.lon,
                        claim_places.c.country,
                    )
                    .select_from(claim_places.join(claims, claims.c.id == claim_places.c.claim_id))
                    .where(
                        claims.c.seq.between(first, last),
                        claim_places.c.lat.is_not(None),
                        claim_places.c.lon.is_not(None),
                    )
                    .order_by(claims.c.seq, claim_places.c.ord)
                ).all()
            self._append(rows, place_rows)
            self.last_seq = last
            self._by_place = np.argsort(self.r_place, kind="stable")

    def _append(self, rows: Sequence[Any], place_rows: Sequence[Any]) -> None:
        n0 = len(self.seq)
        dates: list[list[int]] = [[], [], []]
        for row in rows:
            for i, value in enumerate((row.stated_at, row.event_start, row.event_end)):
                ordinal = _ordinal(value)
                if ordinal is None:
                    self.exact = False
                    ordinal = NO_DATE
                dates[i].append(ordinal)
        self.seq = np.concatenate([self.seq, np.fromiter((r.seq for r in rows), np.int64, len(rows))])
        for name, codes, field in (
            ("c_side", self.sides, "side"),
            ("c_status", self.statuses, "status"),
            ("c_mode", self.modes, "mode"),
            ("c_event", self.events, "event_type"),
        ):
            new = np.fromiter((codes.code(getattr(r, field)) for r in rows), np.int32, len(rows))
            setattr(self, name, np.concatenate([getattr(self, name), new]))
        outlets = np.fromiter(
            (self.outlets.code(r.outlet.strip().lower() if r.outlet else None) for r in rows), np.int32, len(rows)
        )
        self.c_outlet = np.concatenate([self.c_outlet, outlets])
        self.c_stated = np.concatenate([self.c_stated, np.array(dates[0], np.int32)])
        self.c_start = np.concatenate([self.c_start, np.array(dates[1], np.int32)])
        self.c_end = np.concatenate([self.c_end, np.array(dates[2], np.int32)])
        position = {seq: n0 + i for i, seq in enumerate(r.seq for r in rows)}
        r_claim, r_place, r_lat, r_lon = [], [], [], []
        seen: set[tuple[int, int]] = set()
        for seq, gid, name, lat, lon, country in place_rows:
            gid = int(gid) if gid is not None else None
            key = place_key(gid, name)
            code = self.place_keys.get(key)
            if code is None:
                code = self.place_keys[key] = len(self.places)
                self.places.append((key, name, gid, float(lat), float(lon), country))
            pos = position[seq]
            if (pos, code) in seen:  # a claim naming a place twice counts once there
                continue
            seen.add((pos, code))
            r_claim.append(pos)
            r_place.append(code)
            r_lat.append(float(lat))
            r_lon.append(float(lon))
        self.r_claim = np.concatenate([self.r_claim, np.array(r_claim, np.int64)])
        self.r_place = np.concatenate([self.r_place, np.array(r_place, np.int32)])
        self.r_lat = np.concatenate([self.r_lat, np.array(r_lat, np.float64)])
        self.r_lon = np.concatenate([self.r_lon, np.array(r_lon, np.float64)])

    def _load_statuses(self) -> None:
        status = np.zeros(len(self.seq), np.int32)
        with self.store._read("load claim statuses for the map") as conn:
            rows = conn.execute(
                sa.select(claims.c.seq, claims.c.status).where(
                    claims.c.status.is_not(None), claims.c.seq <= self.last_seq
                )
            ).all()
        if rows:
            seqs = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            codes = np.fromiter((self.statuses.code(r[1]) for r in rows), np.int32, len(rows))
            status[np.searchsorted(self.seq, seqs)] = codes
        self.c_status = status
        self.status_read = time.monotonic()

    # -- answering ------------------------------------------------------------------------------

    def _equal(self, column: np.ndarray[Any, Any], codes: _Codes, value: str) -> np.ndarray[Any, Any]:
        code = codes.find(value)
        return column == code if code is not None else np.zeros(len(column), bool)

    def _claim_mask(self, f: ClaimFilter) -> np.ndarray[Any, Any]:
        mask = np.ones(len(self.seq), bool)
        if f.side is not None:
            mask &= self._equal(self.c_side, self.sides, f.side)
        if f.status is not None:
            mask &= self._equal(self.c_status, self.statuses, f.status)
        if f.mode is not None:
            mask &= self._equal(self.c_mode, self.modes, f.mode)
        if f.event_type is not None:
            mask &= self._equal(self.c_event, self.events, f.event_type)
        if f.outlet is not None:
            mask &= self._equal(self.c_outlet, self.outlets, f.outlet.strip().lower())
        since = _ordinal(str(f.since)) if f.since is not None else None
        until = _ordinal(str(f.until)) if f.until is not None else None
        if since is not None or until is not None:
            start, end, stated = self.c_start, self.c_end, self.c_stated
            dated = (start != NO_DATE) | (end != NO_DATE)
            overlap = dated.copy()
            said = stated != NO_DATE
            if until is not None:
                overlap &= (start == NO_DATE) | (start <= until)
                said &= stated <= until
            if since is not None:
                overlap &= (end == NO_DATE) | (end >= since)
                said &= stated >= since
            mask &= overlap | said
        rest = ClaimFilter(claimant=f.claimant, text=f.text, document_id=f.document_id, ids=f.ids)
        if rest != ClaimFilter():
            with self.store._read("select claims for the map") as conn:
                seqs = conn.execute(sa.select(claims.c.seq).where(*claim_where(self.store, rest))).scalars().all()
            mask &= np.isin(self.seq, np.fromiter(seqs, np.int64, len(seqs)))
        return mask

    def summaries(self, f: ClaimFilter | None = None, *, sync: bool = True) -> list[PlaceSummary] | None:
        """Like ``queries.place_summaries(store, f)``; None when the index cannot answer exactly.
        ``sync=False`` skips catching up with the ledger (the caller just did)."""
        f = f or ClaimFilter()
        if sync:
            self.sync()
        with self._lock:
            if not self.exact:
                return None
            bad_dates = [v for v in (f.since, f.until) if v is not None and _ordinal(str(v)[:10]) is None]
            if bad_dates:
                return None
            if f.since is not None or f.until is not None:
                f = replace(
                    f, since=str(f.since)[:10] if f.since else None, until=str(f.until)[:10] if f.until else None
                )
            rows = self._claim_mask(f)[self.r_claim]
            if f.bbox is not None:
                min_lon, min_lat, max_lon, max_lat = (float(v) for v in f.bbox)
                lon, lat = self.r_lon, self.r_lat
                lon_ok = (
                    (lon >= min_lon) & (lon <= max_lon) if min_lon <= max_lon else (lon >= min_lon) | (lon <= max_lon)
                )
                rows &= lon_ok & (lat >= min_lat) & (lat <= max_lat)
            if f.place is not None and str(f.place).strip():
                wanted = str(f.place).strip()
                if wanted.isdigit():
                    codes = [i for i, p in enumerate(self.places) if p[2] == int(wanted)]
                else:
                    needle = wanted.lower()
                    codes = [i for i, p in enumerate(self.places) if needle in p[1].lower()]
                rows &= np.isin(self.r_place, np.array(codes, np.int32))
            return self._aggregate(rows)

    def _aggregate(self, rows: np.ndarray[Any, Any]) -> list[PlaceSummary]:
        order = self._by_place[rows[self._by_place]]  # the chosen rows, grouped by place
        if not len(order):
            return []
        place = self.r_place[order]
        claim = self.r_claim[order]
        n_sides = len(self.sides.values)
        side = self.c_side[claim]
        start_day, end_day, stated = self.c_start[claim], self.c_end[claim], self.c_stated[claim]
        start = np.where(start_day != NO_DATE, start_day, stated)
        end = np.where(end_day != NO_DATE, end_day, start)
        big = np.iinfo(np.int32).max
        bounds = np.flatnonzero(np.r_[True, place[1:] != place[:-1]])  # where each place's run begins
        codes = place[bounds].tolist()
        first = np.minimum.reduceat(np.where(start == NO_DATE, big, start), bounds).tolist()
        last = np.maximum.reduceat(end, bounds).tolist()
        challenged_codes = [c for c in (self.statuses.find(s) for s in CHALLENGED) if c is not None]
        flagged = np.add.reduceat(np.isin(self.c_status[claim], challenged_codes).astype(np.int64), bounds).tolist()
        group = np.repeat(np.arange(len(codes)), np.diff(np.r_[bounds, len(place)]))
        counts = np.bincount(group * n_sides + side, minlength=len(codes) * n_sides).reshape(len(codes), n_sides)
        side_names = [str(v) for v in self.sides.values]
        out = []
        for i, (code, row) in enumerate(zip(codes, counts.tolist(), strict=True)):
            key, name, gid, lat, lon, country = self.places[code]
            out.append(
                PlaceSummary(
                    key=key,
                    name=name,
                    geonames_id=gid,
                    lat=lat,
                    lon=lon,
                    country=country,
                    claims=sum(row),
                    challenged=flagged[i],
                    sides={side_names[s]: n for s, n in enumerate(row) if n and s},
                    unattributed=row[0],
                    first=_iso(first[i]) if first[i] != big else None,
                    last=_iso(last[i]),
                )
            )
        return sorted(out, key=lambda p: (-p.claims, p.name.lower(), p.key))
