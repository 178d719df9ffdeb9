"""What a claim query may ask for, and its translation into SQL conditions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from crosscheck.errors import InputError
from crosscheck.storage.tables import claim_places, claims

TextMatch = Callable[[str], ColumnElement[bool]]


@dataclass(frozen=True, kw_only=True)
class ClaimFilter:
    """Conditions on claims; every field is optional and the given ones must all hold.

    ``claimant``: exact entity id, or a case-insensitive substring of the claimant's name or mention.
    ``place``: a GeoNames id (int or digits), or a case-insensitive substring of a place name.
    ``bbox``: (min_lon, min_lat, max_lon, max_lat); min_lon > max_lon crosses the antimeridian.
    ``since``/``until``: ISO dates; a claim matches when its event interval overlaps the range
    (an open end reaches forever) or its ``stated_at`` falls inside it.
    ``text``: full-text search of claim text and sentence (every word must occur).
    """

    claimant: str | None = None
    side: str | None = None
    place: str | int | None = None
    bbox: tuple[float, float, float, float] | None = None
    outlet: str | None = None
    event_type: str | None = None
    status: str | None = None
    mode: str | None = None
    document_id: str | None = None
    ids: Sequence[str] | None = None
    since: str | date | None = None
    until: str | date | None = None
    text: str | None = None


def iso_date(value: str | date | None, *, field: str) -> str | None:
    """``value`` as ``YYYY-MM-DD``; an InputError naming ``field`` when it is not a date."""
    if value is None or isinstance(value, date):
        return value.isoformat()[:10] if value is not None else None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as err:
        raise InputError(field, f"{value!r} is not an ISO date", "use YYYY-MM-DD") from err


def contains(column: ColumnElement[str | None], needle: str) -> ColumnElement[bool]:
    """Case-insensitive substring test, with LIKE wildcards in ``needle`` taken literally."""
    return sa.func.lower(column).contains(needle.lower(), autoescape=True)


def _interval_overlaps(since: str | None, until: str | None) -> ColumnElement[bool]:
    start, end = claims.c.event_start, claims.c.event_end
    conds: list[ColumnElement[bool]] = [sa.or_(start.is_not(None), end.is_not(None))]
    if until is not None:
        conds.append(sa.or_(start.is_(None), start <= until))
    if since is not None:
        conds.append(sa.or_(end.is_(None), end >= since))
    return sa.and_(*conds)


def _stated_in(since: str | None, until: str | None) -> ColumnElement[bool]:
    conds: list[ColumnElement[bool]] = [claims.c.stated_at.is_not(None)]
    if since is not None:
        conds.append(claims.c.stated_at >= since)
    if until is not None:
        conds.append(claims.c.stated_at <= until)
    return sa.and_(*conds)


def _bbox(bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    except (TypeError, ValueError) as err:
        raise InputError("bbox", f"{bbox!r} is not four numbers", "give min_lon, min_lat, max_lon, max_lat") from err
    lon = claim_places.c.lon
    lon_ok = lon.between(min_lon, max_lon) if min_lon <= max_lon else sa.or_(lon >= min_lon, lon <= max_lon)
    return sa.and_(lon_ok, claim_places.c.lat.between(min_lat, max_lat))


def _place(place: str | int) -> ColumnElement[bool]:
    if isinstance(place, int) or place.strip().isdigit():
        return claim_places.c.geonames_id == int(place)
    return contains(claim_places.c.name, place.strip())


def _has_place(cond: ColumnElement[bool]) -> ColumnElement[bool]:
    # an uncorrelated IN lets SQLite read the place index once, not probe it once per claim
    return claims.c.id.in_(sa.select(claim_places.c.claim_id).where(cond))


def claim_conditions(f: ClaimFilter | None, *, text_match: TextMatch) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``claims`` for ``f``; ``text_match`` is the back end's full-text test."""
    if f is None:
        return []
    conds: list[ColumnElement[bool]] = []
    if f.claimant:
        who = f.claimant.strip()
        conds.append(
            sa.or_(
                claims.c.claimant_id == who,
                contains(claims.c.claimant_name, who),
                contains(claims.c.claimant_mention, who),
            )
        )
    for column, value in (
        (claims.c.side, f.side),
        (claims.c.event_type, f.event_type),
        (claims.c.status, f.status),
        (claims.c.mode, f.mode),
        (claims.c.document_id, f.document_id),
    ):
        if value is not None:
            conds.append(column == value)
    if f.outlet is not None:
        conds.append(sa.func.lower(claims.c.outlet) == f.outlet.strip().lower())
    if f.place is not None and str(f.place).strip():
        conds.append(_has_place(_place(f.place)))
    if f.bbox is not None:
        conds.append(_has_place(_bbox(f.bbox)))
    if f.ids is not None:
        if isinstance(f.ids, str):
            raise InputError("ids", "a single string was given where a list of claim ids is expected")
        conds.append(claims.c.id.in_(list(f.ids)))
    since = iso_date(f.since, field="since")
    until = iso_date(f.until, field="until")
    if since is not None or until is not None:
        conds.append(sa.or_(_interval_overlaps(since, until), _stated_in(since, until)))
    if f.text is not None and f.text.strip():
        conds.append(text_match(f.text))
    return conds
