from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from crosscheck.errors import ConfigError
from crosscheck.report import charts, mapimage
from crosscheck.report.charts import GREY, NumberPoint, SideColours

PNG = b"\x89PNG\r\n\x1a\n"

# Two unit squares sharing an edge, quantised on a 10x10 grid, delta-encoded; arc 1 is used reversed.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10.0, 40.0]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Westland"}},
                {"type": "MultiPolygon", "arcs": [[[-2, 2]]], "properties": {"name": "Eastland"}},
                {"type": "Point", "coordinates": [0, 0]},
            ],
        }
    },
    "arcs": [
        [[2, 0], [-2, 0], [0, 4], [2, 0]],  # (2,0) -> (0,0) -> (0,4) -> (2,4)
        [[2, 4], [0, -4]],  # the shared edge (2,4) -> (2,0)
        [[2, 4], [2, 0], [0, -4], [-2, 0]],  # (2,4) -> (4,4) -> (4,0) -> (2,0)
    ],
}


def test_decode_topojson_stitches_and_dequantises_arcs() -> None:
    west, east = mapimage.decode_topojson(TOPOLOGY)
    assert west.name == "Westland" and east.name == "Eastland"
    assert west.rings[0].tolist() == [[11, 40], [10, 40], [10, 41], [11, 41], [11, 40]]
    # the shared edge reversed (~1), then arc 2 without its first point, which repeats the join
    assert east.rings[0].tolist() == [[11, 40], [11, 41], [12, 41], [12, 40], [11, 40]]


def test_geojson_round_trip_and_simplification() -> None:
    line = np.array([[0, 0], [1, 0.001], [2, 0], [2, 2], [0, 2], [0, 0]], dtype=float)
    assert mapimage.simplify(line, 0.01).tolist() == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    data = mapimage.outlines_geojson(mapimage.decode_topojson(TOPOLOGY), tolerance=0.01)
    assert [f["properties"]["name"] for f in data["features"]] == ["Westland", "Eastland"]
    back = mapimage.read_geojson(data)
    assert back[1].rings[0].tolist() == [[11, 40], [11, 41], [12, 41], [12, 40], [11, 40]]


def test_shipped_outlines_are_small_and_whole() -> None:
    assert mapimage.SHIPPED.stat().st_size < 1_500_000
    outlines = mapimage.load_outlines(mapimage.SHIPPED)
    assert len(outlines) > 200
    names = {o.name for o in outlines}
    assert {"Ukraine", "Sudan", "Brazil"} <= names


def test_world_atlas_is_found_in_node_modules(tmp_path: Path) -> None:
    target = tmp_path / "node_modules" / "world-atlas" / "countries-50m.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(TOPOLOGY), encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert mapimage.find_world_atlas(start=nested) == target
    assert [o.name for o in mapimage.load_outlines(target)] == ["Westland", "Eastland"]


def test_load_outlines_names_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.json"):
        mapimage.load_outlines(broken)


def test_frame_keeps_the_bulk_and_leaves_a_stray_out() -> None:
    points = [mapimage.MapPoint(f"p{i}", 48 + i * 0.1, 37 + i * 0.1, "A", "asserted", 5) for i in range(5)]
    stray = mapimage.MapPoint("far", -30.0, 150.0, "B", "disputed", 1)
    extent = mapimage.frame([*points, stray])
    lo_lon, hi_lon, lo_lat, hi_lat = extent
    assert lo_lon < 37 and hi_lon > 37.4 and lo_lat < 48 and hi_lat > 48.4
    assert hi_lon - lo_lon < 40
    assert mapimage.outside([*points, stray], extent) == 1


def test_render_map_draws_png_with_and_without_points() -> None:
    colours = SideColours(Counter({"A": 3, "B": 1}))
    outlines = mapimage.decode_topojson(TOPOLOGY)
    points = [
        mapimage.MapPoint("Here", 40.5, 10.5, "A", "contested", 3),
        mapimage.MapPoint("Here", 40.5, 10.5, "B", "disputed", 1),
        mapimage.MapPoint("There", 40.7, 11.6, "unaligned", "corroborated", 2),
    ]
    assert mapimage.render_map(points, colours=colours, outlines=outlines).startswith(PNG)
    assert mapimage.render_map([], colours=colours, outlines=outlines).startswith(PNG)


def test_side_colours_are_stable_and_grey_for_no_side() -> None:
    colours = SideColours(Counter({"B": 2, "A": 5, "unaligned": 9}))
    assert colours.sides == ["A", "B", "unaligned"]
    assert colours.colour("A") == charts.PALETTE[0] and colours.colour("B") == charts.PALETTE[1]
    assert colours.colour(None) == GREY == colours.colour("unaligned")
    assert colours.colour("C") == SideColours(Counter()).colour("C")  # an unseen side: same pick every run


def test_charts_are_pngs() -> None:
    colours = SideColours(Counter({"A": 2, "B": 1}))
    rows = [
        (date(2031, 5, d), side, status)
        for d, side, status in (
            (1, "A", "asserted"),
            (2, "B", "disputed"),
            (2, "A", "corroborated"),
            (30, "unaligned", "contested"),
        )
    ]
    assert charts.claims_over_time(rows, colours=colours).startswith(PNG)
    assert charts.claims_over_time([], colours=colours).startswith(PNG)
    points = [
        NumberPoint("A: hundreds", "A", 200, 999, None, "contested"),
        NumberPoint("B: around 50", "B", 45, 55, 50, "asserted"),
        NumberPoint("C: more than 1,000", "unaligned", 1001, None, None, "asserted"),
    ]
    assert charts.number_intervals("soldiers in a town", points, colours=colours, unit="soldiers").startswith(PNG)
    assert charts.most_cited(Counter({"Wire": 3}), Counter()).startswith(PNG)


def test_time_unit_follows_the_span() -> None:
    assert charts.time_unit([date(2031, 1, 1), date(2031, 1, 30)]) == "day"
    assert charts.time_unit([date(2031, 1, 1), date(2031, 6, 30)]) == "week"
    assert charts.time_unit([date(2029, 1, 1), date(2031, 6, 30)]) == "month"
    assert charts.status_label(None) == "asserted" and charts.status_label("disputed") == "disputed"
