"""Query parameters shared by several endpoints, checked once: a bad one is a 422 naming the parameter."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Query

from crosscheck.errors import InputError
from crosscheck.storage import ClaimFilter
from crosscheck.storage.filters import iso_date

NOT_BLANK = r"\S"  # the pattern of query parameters that must hold more than spaces

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
    """A free-text parameter, stripped, NUL characters dropped (no text holds them); None when empty.
    Very long values are refused."""
    if value is None:
        return None
    value = value.replace("\x00", "")
    if len(value) > max_len:
        raise bad(param, f"is {len(value)} characters long; give at most {max_len}")
    value = value.strip()
    return value or None


def date(param: str, value: str | None) -> str | None:
    """An ISO date (``YYYY-MM-DD``; a longer ISO timestamp is cut to its date). Leave the parameter out
    for no bound: an empty value is an error like any other non-date."""
    if value is None:
        return None
    value = text(param, value) or ""
    try:
        return iso_date(value, field=param)
    except InputError as err:
        raise bad(param, f"{value!r} is not a date (use YYYY-MM-DD)") from err


def bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat`` in degrees; min_lon > max_lon crosses the antimeridian.
    Leave it out for no box: an empty value is an error."""
    if value is None:
        return None
    value = text("bbox", value) or ""
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
    # the latitudes may come in either order; longitudes may not (min_lon > max_lon crosses 180°)
    return min_lon, min(min_lat, max_lat), max_lon, max(min_lat, max_lat)


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` as ISO dates (a range that ends before it starts simply matches nothing)."""
    return date("since", since), date("until", until)


def place(value: str | None) -> str | None:
    """A place name, or a GeoNames id (digits)."""
    value = text("place", value)
    if value is not None and value.isdigit() and int(value) >= 2**63:
        raise bad("place", f"{value!r} is not a GeoNames id (too large); give an id or a name")
    return value


_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
BBOX_PATTERN = rf"^{_LON},{_LAT},{_LON},{_LAT}$"

# Documented as dates and as a box (so generated clients and schema-driven tests send valid ones);
# checked by the functions above, whose messages say what is wrong.
Since = Annotated[
    str | None,
    Query(description="YYYY-MM-DD: on or after (event or statement date).", json_schema_extra={"format": "date"}),
]
Until = Annotated[
    str | None,
    Query(description="YYYY-MM-DD: on or before (event or statement date).", json_schema_extra={"format": "date"}),
]


def claim_filter(
    place_: Annotated[
        str | None,
        Query(alias="place", description="GeoNames id, or part of a place name (any case).", max_length=MAX_TEXT),
    ] = None,
    bbox_: Annotated[
        str | None,
        Query(
            alias="bbox",
            description="min_lon,min_lat,max_lon,max_lat in degrees: claims with a place inside the box "
            "(min_lon > max_lon crosses the antimeridian).",
            max_length=MAX_TEXT,
            json_schema_extra={"pattern": BBOX_PATTERN},
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
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(description="Full-text search of claim text and sentence.")] = None,
) -> ClaimFilter:
    """The claim filter the query string asks for."""
    start, end = date_range(since, until)
    return ClaimFilter(
        place=place(place_),
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
