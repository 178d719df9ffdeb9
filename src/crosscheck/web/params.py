"""Query parameters shared by several endpoints, checked once: a bad one is a 422 naming the parameter."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Query

from crosscheck.errors import InputError
from crosscheck.storage import ClaimFilter
from crosscheck.storage.filters import iso_date

MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
MAX_TEXT = 500


class ApiError(Exception):
    """An error the API answers with ``{"error": message, "param": param, "status": status}``."""

    def __init__(
        self, status: int, message: str, *, param: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.headers = headers


def bad(param: str, reason: str) -> ApiError:
    return ApiError(422, f"{param}: {reason}", param=param)


def text(param: str, value: str | None, *, max_len: int = MAX_TEXT) -> str | None:
    """A free-text parameter, stripped; None when empty. NUL characters and very long values are refused."""
    if value is None:
        return None
    if "\x00" in value:
        raise bad(param, "contains a NUL character")
    if len(value) > max_len:
        raise bad(param, f"is {len(value)} characters long; give at most {max_len}")
    value = value.strip()
    return value or None


def date(param: str, value: str | None) -> str | None:
    """An ISO date (``YYYY-MM-DD``; a longer ISO timestamp is cut to its date)."""
    value = text(param, value)
    if value is None:
        return None
    try:
        return iso_date(value, field=param)
    except InputError as err:
        raise bad(param, f"{value!r} is not a date (use YYYY-MM-DD)") from err


def bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat`` in degrees; min_lon > max_lon crosses the antimeridian."""
    value = text("bbox", value)
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    hint = "give four numbers: min_lon,min_lat,max_lon,max_lat (e.g. 30,44,41,53)"
    if len(parts) != 4:
        raise bad("bbox", f"{value!r} is not 4 numbers; {hint}")
    try:
        numbers = [float(p) for p in parts]
    except ValueError as err:
        raise bad("bbox", f"{value!r} is not 4 numbers; {hint}") from err
    if not all(math.isfinite(n) for n in numbers):
        raise bad("bbox", f"{value!r} has a value that is not a finite number; {hint}")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise bad("bbox", f"longitudes must lie within -180..180 (got {min_lon}, {max_lon})")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise bad("bbox", f"latitudes must lie within -90..90 (got {min_lat}, {max_lat})")
    if min_lat > max_lat:
        raise bad("bbox", f"min_lat {min_lat} is greater than max_lat {max_lat}")
    return min_lon, min_lat, max_lon, max_lat


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    start, end = date("since", since), date("until", until)
    if start is not None and end is not None and start > end:
        raise bad("until", f"{end} is before since ({start})")
    return start, end


def claim_filter(
    place: Annotated[
        str | None, Query(description="GeoNames id, or part of a place name (any case).", max_length=MAX_TEXT)
    ] = None,
    bbox_: Annotated[
        str | None,
        Query(
            alias="bbox",
            description="min_lon,min_lat,max_lon,max_lat: claims with a place inside the box.",
            max_length=MAX_TEXT,
        ),
    ] = None,
    claimant: Annotated[
        str | None, Query(description="Entity id, or part of the claimant's name.", max_length=MAX_TEXT)
    ] = None,
    side: Annotated[str | None, Query(description="Side of the claimant, e.g. a party.", max_length=MAX_TEXT)] = None,
    outlet: Annotated[str | None, Query(description="Outlet name (any case).", max_length=MAX_TEXT)] = None,
    event_type: Annotated[str | None, Query(description="Event type of the claim.", max_length=MAX_TEXT)] = None,
    status: Annotated[
        str | None,
        Query(description="asserted, corroborated, contested or disputed.", max_length=MAX_TEXT),
    ] = None,
    mode: Annotated[
        str | None,
        Query(description="direct, indirect, mixed, according_to, headline or unattributed.", max_length=MAX_TEXT),
    ] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD: event or statement on or after.")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: event or statement on or before.")] = None,
    q: Annotated[str | None, Query(description="Full-text search of claim text and sentence.")] = None,
) -> ClaimFilter:
    """The claim filter the query string asks for."""
    start, end = date_range(since, until)
    return ClaimFilter(
        place=text("place", place),
        bbox=bbox(bbox_),
        claimant=text("claimant", claimant),
        side=text("side", side),
        outlet=text("outlet", outlet),
        event_type=text("event_type", event_type),
        status=text("status", status),
        mode=text("mode", mode),
        since=start,
        until=end,
        text=text("q", q),
    )


ClaimQuery = Annotated[ClaimFilter, Depends(claim_filter)]
Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"Items per page (0..{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
