"""Exporters: JSON Lines against the shared contract, CSV rows, GeoJSON points, on both back ends."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from crosscheck.export import CSV_FIELDS, export_csv, export_geojson, export_jsonl
from crosscheck.records import Analysis, Relation
from crosscheck.storage import ClaimFilter, Store

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "spec" / "export.schema.json"


@pytest.fixture
def ledger(filled_store: Store, sample: list[Analysis]) -> Store:
    a1, a2, _ = sample[0].claims
    b1 = sample[1].claims[0]
    filled_store.save_relations(
        [
            Relation(type="contradicts", claims=(a1.id, a2.id), explanation="who holds the bridge", score=0.7),
            Relation(type="corroborates", claims=(a1.id, b1.id), explanation="same side, same week"),
        ]
    )
    filled_store.set_claim_status({a1.id: "contested"})
    return filled_store


def _jsonl(store: Store, f: ClaimFilter | None = None) -> list[dict]:
    out = io.StringIO()
    n = export_jsonl(store, out, f)
    lines = out.getvalue().splitlines()
    assert n == len(lines)
    return [json.loads(line) for line in lines]


def test_jsonl_lines_validate_against_the_export_schema(ledger: Store) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is absent")
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    records = _jsonl(ledger)
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, (record.get("kind"), record.get("id"), errors[0].message if errors else "")
    assert Counter(r["kind"] for r in records) == {"document": 5, "entity": 4, "claim": 7, "relation": 2}


def test_jsonl_writes_documents_entities_claims_relations_in_that_order(ledger: Store, sample: list[Analysis]) -> None:
    records = _jsonl(ledger)
    kinds = [r["kind"] for r in records]
    assert kinds == sorted(kinds, key=["document", "entity", "claim", "relation"].index)
    claims = {r["id"]: r for r in records if r["kind"] == "claim"}
    a1 = sample[0].claims[0]
    expected = a1.to_dict()
    expected["status"] = "contested"
    assert claims[a1.id] == expected
    docs = [r for r in records if r["kind"] == "document"]
    assert docs[0] == sample[0].document.to_dict()


def test_filtered_jsonl_keeps_what_the_claims_need(ledger: Store, sample: list[Analysis]) -> None:
    records = _jsonl(ledger, ClaimFilter(side="SAF"))
    by_kind: dict[str, list[str]] = {}
    for r in records:
        by_kind.setdefault(r["kind"], []).append(r["id"])
    a1, b1 = sample[0].claims[0], sample[1].claims[0]
    assert by_kind["claim"] == [a1.id, b1.id]
    assert by_kind["document"] == [sample[0].document.id, sample[1].document.id]
    assert by_kind["entity"] == ["ent_saf", "ent_suna"]  # the claimant and the relaying agency
    assert [r["type"] for r in records if r["kind"] == "relation"] == ["corroborates"]  # both ends exported


def test_csv_has_one_flat_row_per_claim(ledger: Store, sample: list[Analysis]) -> None:
    out = io.StringIO()
    assert export_csv(ledger, out) == 7
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 7
    assert tuple(rows[0]) == CSV_FIELDS
    by_id = {r["id"]: r for r in rows}
    b1 = by_id[sample[1].claims[0].id]
    assert b1["claimant_name"] == "Sudanese Armed Forces"
    assert b1["claimant_side"] == "SAF"
    assert b1["claimant_mention"] == "Army officials"
    assert b1["via_names"] == "SUNA" and b1["via_ids"] == "ent_suna"
    assert b1["outlet"] == "Sahel Wire" and b1["published"] == "2023-06-13"
    assert b1["places"] == "Port Sudan" and b1["place_coords"] == "19.6158,37.2164"
    assert b1["quantities"] == "12 drones" and b1["quantity_values"] == "12"
    assert (b1["event_start"], b1["event_end"], b1["hedged"]) == ("2023-06-12", "2023-06-13", "true")
    d1 = by_id[sample[3].claims[0].id]
    assert d1["places"] == "Nyala; El Fasher"
    assert d1["place_geonames_ids"] == "366847; 379303"
    assert d1["claimant_name"] == "Ramón Ortíz"
    assert (d1["event_start"], d1["event_end"], d1["stated_at"], d1["published"]) == ("", "2023-07-20", "", "")
    c1 = by_id[sample[2].claims[0].id]
    assert c1["quantity_values"] == "15-"
    assert by_id[sample[0].claims[0].id]["status"] == "contested"


def test_csv_respects_a_filter(ledger: Store) -> None:
    out = io.StringIO()
    assert export_csv(ledger, out, ClaimFilter(outlet="Horn Monitor")) == 2
    assert len(out.getvalue().splitlines()) == 3


def test_geojson_has_a_point_per_located_claim_place(ledger: Store, sample: list[Analysis]) -> None:
    out = io.StringIO()
    n = export_geojson(ledger, out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert n == len(features) == 7  # A1, A2, B1, C1, D1 (two places), D2; A3 has no place
    d1 = [f for f in features if f["properties"]["claim_id"] == sample[3].claims[0].id]
    assert [f["properties"]["place"] for f in d1] == ["Nyala", "El Fasher"]
    assert d1[1]["geometry"] == {"type": "Point", "coordinates": [25.3494, 13.6279]}
    a1 = next(f for f in features if f["properties"]["claim_id"] == sample[0].claims[0].id)
    assert a1["properties"]["side"] == "SAF" and a1["properties"]["outlet"] == "Nile Courier"


def test_geojson_bbox_keeps_only_points_inside(ledger: Store) -> None:
    out = io.StringIO()
    assert export_geojson(ledger, out, ClaimFilter(bbox=(25.0, 13.0, 26.0, 14.0))) == 2
    places = [f["properties"]["place"] for f in json.loads(out.getvalue())["features"]]
    assert places == ["El Fasher", "El Fasher"]


def test_an_empty_ledger_exports_valid_empty_files(store: Store) -> None:
    out = io.StringIO()
    assert export_geojson(store, out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}
    out = io.StringIO()
    assert export_jsonl(store, out) == 0 and out.getvalue() == ""
    out = io.StringIO()
    assert export_csv(store, out) == 0 and out.getvalue().strip() == ",".join(CSV_FIELDS)


def test_the_cli_writes_to_standard_output_for_a_dash(
    filled_store: Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from crosscheck.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", "--db", db_url, "-o", "-"])
    assert result.exit_code == 0, result.output
    kinds = Counter(json.loads(line)["kind"] for line in result.stdout.splitlines())
    assert kinds["claim"] == filled_store.count_claims()
    assert not (tmp_path / "-").exists()
