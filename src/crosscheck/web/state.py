"""What every request handler shares: the store, the settings, the caches, the ingest queue, the colours."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from crosscheck.config import load_data_toml
from crosscheck.storage import Store
from crosscheck.web.jobs import IngestJobs
from crosscheck.web.mapindex import MapIndex
from crosscheck.web.queries import AggregateCache

COLOURS_FILE = "side_colours.toml"


@dataclass
class Colours:
    """Map colours: named sides, a palette for the others (given out in order of claims), no side."""

    sides: dict[str, str] = field(default_factory=dict)
    palette: list[str] = field(default_factory=list)
    unattributed: str = "#888888"

    @classmethod
    def load(cls, *, data_dir: str | None = None) -> Colours:
        """The shipped ``side_colours.toml`` with the user's file of the same name laid over it."""
        data = load_data_toml(COLOURS_FILE, data_dir=data_dir, what="side colours")
        palette = data.get("palette") or {}
        return cls(
            sides={str(k): str(v) for k, v in (data.get("sides") or {}).items()},
            palette=[str(c) for c in palette.get("colours") or []],
            unattributed=str(palette.get("unattributed") or "#888888"),
        )

    def assign(self, sides: list[str]) -> dict[str, str]:
        """A colour for each of ``sides``: its own when named, else the next palette colour."""
        out: dict[str, str] = {}
        spare = iter(c for c in self.palette if c not in self.sides.values())
        for side in sides:
            out[side] = self.sides.get(side) or next(spare, self.unattributed)
        return out


@dataclass
class WebState:
    store: Store
    settings: dict[str, Any]
    jobs: IngestJobs
    colours: Colours
    map_index: MapIndex
    cache: AggregateCache = field(default_factory=AggregateCache)
    owns_store: bool = False


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web
