"""A static map of where the claims are, drawn offline with matplotlib over Natural Earth country outlines.

The outlines come from the npm package world-atlas (``node_modules/world-atlas/countries-50m.json``, TopoJSON)
when it is installed, else from ``data/country_outlines.geojson``, a simplified copy shipped with the package
(Natural Earth is public domain). ``python -m crosscheck.report.mapimage TOPOJSON OUT.geojson`` rebuilds that
copy. TopoJSON is decoded here (quantised, delta-encoded arcs plus a transform), so nothing else is needed.
"""

from __future__ import annotations

import io
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from crosscheck.config import PACKAGE_DATA
from crosscheck.errors import ConfigError
from crosscheck.report.charts import STATUS_MARKERS, SideColours, status_label

WORLD_ATLAS = Path("node_modules") / "world-atlas" / "countries-50m.json"
SHIPPED = PACKAGE_DATA / "country_outlines.geojson"

LAND, SEA, BORDER = "#ecebe6", "#dce9f2", "#b9b6ad"


@dataclass(frozen=True)
class Outline:
    """One country's rings (exterior and holes alike), each an (n, 2) array of lon, lat."""

    name: str
    rings: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class MapPoint:
    """Claims about one place by one side, and the worst standing among them."""

    name: str
    lat: float
    lon: float
    side: str
    status: str
    claims: int


# -- reading outlines --------------------------------------------------------------------------


def decode_topojson(topo: Mapping[str, Any], object_name: str = "countries") -> list[Outline]:
    """The polygons of ``topo["objects"][object_name]`` with arcs stitched and de-quantised."""
    try:
        transform = topo.get("transform")
        arcs: list[np.ndarray] = []
        for arc in topo["arcs"]:
            pts = np.asarray(arc, dtype=float)[:, :2]
            if transform:
                pts = np.cumsum(pts, axis=0) * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
            arcs.append(pts)
        geometries = topo["objects"][object_name]["geometries"]
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise ConfigError(f"TopoJSON object {object_name!r} cannot be read: {err!r}") from err

    def ring(indexes: Sequence[int]) -> np.ndarray:
        parts: list[np.ndarray] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            parts.append(arc if not parts else arc[1:])
        return np.concatenate(parts) if parts else np.empty((0, 2))

    out = []
    for geom in geometries:
        kind, arc_sets = geom.get("type"), geom.get("arcs") or []
        polygons = [arc_sets] if kind == "Polygon" else arc_sets if kind == "MultiPolygon" else []
        rings = tuple(r for poly in polygons for r in (ring(ix) for ix in poly) if len(r) >= 3)
        if rings:
            out.append(Outline(str((geom.get("properties") or {}).get("name") or geom.get("id") or ""), rings))
    return out


def read_geojson(data: Mapping[str, Any]) -> list[Outline]:
    """The polygons of a GeoJSON FeatureCollection."""
    out = []
    for feature in data.get("features", []):
        geom = feature.get("geometry") or {}
        kind, coords = geom.get("type"), geom.get("coordinates") or []
        polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
        rings = tuple(np.asarray(r, dtype=float) for poly in polygons for r in poly if len(r) >= 3)
        if rings:
            out.append(Outline(str((feature.get("properties") or {}).get("name") or ""), rings))
    return out


def find_world_atlas(*, start: Path | None = None) -> Path | None:
    """``node_modules/world-atlas/countries-50m.json`` in the working folder, the package's checkout, or above."""
    roots = [start or Path.cwd(), *Path(__file__).resolve().parents]
    for root in roots:
        for folder in (root, *root.parents):
            candidate = folder / WORLD_ATLAS
            if candidate.is_file():
                return candidate
    return None


@lru_cache(maxsize=4)
def load_outlines(path: Path | None = None) -> tuple[Outline, ...]:
    """Country outlines from ``path`` (TopoJSON or GeoJSON), else world-atlas, else the shipped copy."""
    source = path or find_world_atlas() or SHIPPED
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{source}: cannot read country outlines: {err}") from err
    if data.get("type") == "Topology":
        return tuple(decode_topojson(data))
    return tuple(read_geojson(data))


# -- building the shipped copy ------------------------------------------------------------------


def simplify(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker simplification of a closed ring (endpoints kept)."""
    if len(ring) <= 4:
        return ring
    keep = np.zeros(len(ring), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        seg = ring[last] - ring[first]
        pts = ring[first + 1 : last] - ring[first]
        norm = math.hypot(seg[0], seg[1])
        dist = np.abs(seg[0] * pts[:, 1] - seg[1] * pts[:, 0]) / norm if norm > 0 else np.hypot(pts[:, 0], pts[:, 1])
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[first + 1 + i] = True
            stack.extend([(first, first + 1 + i), (first + 1 + i, last)])
    return ring[keep]


def outlines_geojson(outlines: Iterable[Outline], *, tolerance: float = 0.02, digits: int = 2) -> dict[str, Any]:
    """A compact GeoJSON FeatureCollection: rings simplified, coordinates rounded, slivers dropped."""
    features = []
    for o in outlines:
        polygons = []
        for ring in o.rings:
            small = np.round(simplify(ring, tolerance), digits)
            small = small[np.r_[True, np.any(np.diff(small, axis=0) != 0, axis=1)]]
            if len(small) >= 4:
                polygons.append([[[float(x), float(y)] for x, y in small]])
        if polygons:
            geom = {"type": "MultiPolygon", "coordinates": polygons}
            features.append({"type": "Feature", "properties": {"name": o.name}, "geometry": geom})
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas, simplified",
        "features": features,
    }


# -- drawing ------------------------------------------------------------------------------------


def frame(points: Sequence[MapPoint], *, share: float = 0.8) -> tuple[float, float, float, float]:
    """(min_lon, max_lon, min_lat, max_lat) around the places nearest the weighted middle that hold
    ``share`` of the claims (a stray far-off mention does not shrink the rest), with a margin."""
    lons = np.array([p.lon for p in points])
    lats = np.array([p.lat for p in points])
    weights = np.array([p.claims for p in points], dtype=float)

    def middle(values: np.ndarray) -> float:
        order = np.argsort(values)
        cumulative = np.cumsum(weights[order])
        return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])

    mid_lon, mid_lat = middle(lons), middle(lats)
    scale = math.cos(math.radians(mid_lat))
    distance = np.hypot((lons - mid_lon) * scale, lats - mid_lat)
    order = np.argsort(distance, kind="stable")
    cumulative = np.cumsum(weights[order])
    core = distance[order[int(np.searchsorted(cumulative, share * cumulative[-1]))]]
    keep = distance <= max(4.0, 1.25 * core)
    lo_lon, hi_lon = float(lons[keep].min()), float(lons[keep].max())
    lo_lat, hi_lat = float(lats[keep].min()), float(lats[keep].max())
    pad_lon = max(1.5, 0.15 * (hi_lon - lo_lon), (8 - (hi_lon - lo_lon)) / 2)
    pad_lat = max(1.0, 0.15 * (hi_lat - lo_lat), (5 - (hi_lat - lo_lat)) / 2)
    lo_lon, hi_lon, lo_lat, hi_lat = lo_lon - pad_lon, hi_lon + pad_lon, lo_lat - pad_lat, hi_lat + pad_lat
    aspect = 1 / max(0.2, math.cos(math.radians((lo_lat + hi_lat) / 2)))
    width, height = hi_lon - lo_lon, (hi_lat - lo_lat) * aspect
    if width < height * 1.4:  # widen to a landscape frame
        extra = (height * 1.4 - width) / 2
        lo_lon, hi_lon = lo_lon - extra, hi_lon + extra
    elif width > height * 1.8:  # or heighten a long, thin one
        extra = (width / 1.8 - height) / aspect / 2
        lo_lat, hi_lat = lo_lat - extra, hi_lat + extra
    return lo_lon, hi_lon, max(-85.0, lo_lat), min(85.0, hi_lat)


def outside(points: Sequence[MapPoint], extent: tuple[float, float, float, float]) -> int:
    """How many of ``points`` fall outside ``extent``."""
    lo_lon, hi_lon, lo_lat, hi_lat = extent
    return sum(1 for p in points if not (lo_lon <= p.lon <= hi_lon and lo_lat <= p.lat <= hi_lat))


def render_map(
    points: Sequence[MapPoint],
    *,
    colours: SideColours,
    outlines: Sequence[Outline] | None = None,
    title: str = "Where the claims are",
    labels: int = 10,
    country_labels: int = 12,
    extent: tuple[float, float, float, float] | None = None,
    dpi: int = 110,
) -> bytes:
    """A PNG map: one marker per place and side (colour: side, shape: standing, size: claims)."""
    fig = Figure(figsize=(8.0, 5.4), dpi=dpi)
    ax = fig.add_subplot()
    ax.set_facecolor(SEA)
    ax.set_title(title, fontsize=11, loc="left")
    ax.tick_params(labelsize=7, colors="#666666")
    if not points:
        ax.text(0.5, 0.5, "no claim names a located place", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return _png(fig)
    lo_lon, hi_lon, lo_lat, hi_lat = extent or frame(points)
    shapes = outlines if outlines is not None else load_outlines()
    rings = [
        r
        for o in shapes
        for r in o.rings
        if r[:, 0].max() >= lo_lon and r[:, 0].min() <= hi_lon and r[:, 1].max() >= lo_lat and r[:, 1].min() <= hi_lat
    ]
    ax.add_collection(PolyCollection(rings, facecolors=LAND, edgecolors=BORDER, linewidths=0.6, zorder=1))
    named = sorted(shapes, key=lambda o: -max(len(r) for r in o.rings))
    shown = 0
    for o in named:
        if shown >= country_labels:
            break
        biggest = max(o.rings, key=len)
        lon, lat = float(biggest[:, 0].mean()), float(biggest[:, 1].mean())
        inside = lo_lon + 0.05 * (hi_lon - lo_lon) <= lon <= hi_lon - 0.05 * (hi_lon - lo_lon)
        if o.name and inside and lo_lat + 0.05 * (hi_lat - lo_lat) <= lat <= hi_lat - 0.05 * (hi_lat - lo_lat):
            ax.text(lon, lat, o.name, fontsize=7, color="#8a877d", style="italic", ha="center", zorder=2)
            shown += 1
    by_place: dict[tuple[float, float], list[MapPoint]] = {}
    for p in points:
        by_place.setdefault((round(p.lon, 3), round(p.lat, 3)), []).append(p)
    step = (hi_lon - lo_lon) / 55
    layers: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    totals: list[tuple[int, str, float, float]] = []
    for (lon, lat), group in by_place.items():
        group.sort(key=lambda p: (-p.claims, p.side))
        for k, p in enumerate(group):  # the sides at one place side by side
            x = lon + (k - (len(group) - 1) / 2) * step * 1.6
            layers.setdefault((p.side, p.status), []).append((x, lat, 28 + 22 * math.sqrt(p.claims)))
        totals.append((sum(p.claims for p in group), group[0].name, lon, lat))
    for (side, status), items in sorted(layers.items(), key=lambda kv: (colours.order(kv[0][0]), kv[0][1])):
        xs, ys, sizes = zip(*items, strict=True)
        ax.scatter(
            xs,
            ys,
            s=sizes,
            c=colours.colour(side),
            marker=STATUS_MARKERS.get(status, "o"),
            edgecolors="#222222",
            linewidths=0.6,
            alpha=0.9,
            zorder=3,
        )
    placed: list[tuple[float, float]] = []
    near_lon, near_lat = 0.08 * (hi_lon - lo_lon), 0.04 * (hi_lat - lo_lat)
    for _n, name, lon, lat in sorted(totals, reverse=True):
        if len(placed) >= labels:
            break
        clash = any(abs(lon - x) < near_lon and abs(lat - y) < near_lat for x, y in placed)
        if lo_lon <= lon <= hi_lon and lo_lat <= lat <= hi_lat and not clash:
            ax.annotate(name, (lon, lat), xytext=(6, 6), textcoords="offset points", fontsize=8, zorder=4)
            placed.append((lon, lat))
    ax.set_xlim(lo_lon, hi_lon)
    ax.set_ylim(lo_lat, hi_lat)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((lo_lat + hi_lat) / 2))))
    sides = sorted({p.side for p in points}, key=colours.order)
    statuses = sorted({p.status for p in points}, key=lambda s: list(STATUS_MARKERS).index(s))
    handles = [Line2D([], [], ls="", marker="o", color=colours.colour(s), mec="#222222", label=s) for s in sides]
    handles += [
        Line2D([], [], ls="", marker=STATUS_MARKERS[s], color="#ffffff", mec="#222222", label=status_label(s))
        for s in statuses
    ]
    ax.legend(handles=handles, fontsize=7, loc="lower left", framealpha=0.9)
    fig.text(0.99, 0.01, "Outlines: Natural Earth", ha="right", fontsize=6, color="#777777")
    return _png(fig)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crosscheck.report.mapimage countries-50m.json out.geojson``: rebuild the shipped outlines."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: python -m crosscheck.report.mapimage TOPOJSON OUT.geojson\n")
        return 2
    src, dst = Path(args[0]), Path(args[1])
    outlines = decode_topojson(json.loads(src.read_text(encoding="utf-8")))
    dst.write_text(json.dumps(outlines_geojson(outlines), separators=(",", ":")) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(outlines)} countries -> {dst} ({dst.stat().st_size} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
